"""Who gains from delay: the no-deal point, the reservations and the agreement zone over time.

`timeline(scenario, horizon)` evaluates the clocks (`accord.clocks.dynamics`) at t = 0, 1, …,
``horizon`` (in ``unit``, months by default, converted to the scenario's time unit) and records

- the status quo in issue units and each seat's (and actor's) no-deal utility r_s(t);
- the agreement zone: whether some outcome gives every seat at least r_s(t). It is decided on
  a grid of outcomes (`accord.space.grid` when importable, else an equivalent local grid):
  every option of each options issue × ``points`` evenly spaced values of each continuous issue
  (fewer when the grid would exceed ``max_outcomes``), plus the seats' ideal points, the status
  quo path and the scenario's proposals. ``zone_slack`` is
  ``max_x min_s (u_s(x) − r_s(t))``: ≥ 0 means the zone is open, its size says by how much. The
  zone on a grid can only under-state the true zone; the missed margin is below the utility
  change of one grid step;
- which proposals every seat accepts at t, by the one acceptance logic
  (`accord.scenario.decide`: reservations at t, red lines, bloc rules);
- with red lines or bloc rules, ``zone_slack`` is taken per seat by its rule: a package that
  breaks a seat's red line counts as a margin of −1 for it, and a consensus seat's margin is
  its worst member's; and ``red_line_breach`` (T, R) says by how much the *no-deal point* breaks
  each red line at t — the clocks can make a red line bind (Israel's 20 % stock line, say);
- breakout months of the status quo at t (`accord.clocks.breakout_metric`), when the scenario
  has the nuclear issues.

"Gains from delay" (the quantitative form of "playing for time"): a seat gains from waiting
when its no-deal utility at the horizon exceeds its no-deal utility now. Because only relative
leverage matters at the table, `ClockTimeline.leverage` also reports each seat's change against
the capability-free mean change of the other seats: a seat whose alternative erodes more slowly
than the others' gains leverage by waiting even when every alternative erodes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from accord.clocks.breakout_metric import has_breakout_metric, outcome_breakout
from accord.clocks.dynamics import Dynamics, convert
from accord.errors import InputError, LimitError, Problem
from accord.results import jsonable
from accord.scenario import Scenario
from accord.scenario.compile import Compiled, FloatArray, utility
from accord.scenario.decide import Verdicts, decide, red_line_breach

MAX_STEPS = 2000
MAX_OUTCOMES = 200_000


@dataclass(frozen=True, eq=False)
class ClockTimeline:
    """The clocks of one scenario evaluated at each time step (frozen; see the module docs)."""

    title: str
    unit: str
    scenario_unit: str
    times: FloatArray
    issue_ids: tuple[str, ...]
    status_quo: FloatArray
    seat_ids: tuple[str, ...]
    seat_labels: tuple[str, ...]
    reservations: FloatArray
    actor_ids: tuple[str, ...]
    actor_reservations: FloatArray
    zone_slack: FloatArray
    best_outcome: FloatArray
    proposal_ids: tuple[str, ...]
    proposal_accepted: FloatArray
    breakout_months: FloatArray
    grid_outcomes: int
    grid_source: str
    red_lines: tuple[str, ...] = ()
    red_line_breach: FloatArray | None = None

    def red_line_events(self) -> list[tuple[float, str]]:
        """``(t, red line)`` when the moving no-deal point starts to break a red line it kept at
        t = 0 (a red line the clocks make bind)."""
        if self.red_line_breach is None:
            return []
        out = []
        for j, text in enumerate(self.red_lines):
            hit = np.flatnonzero(self.red_line_breach[:, j] > 0)
            if hit.size and hit[0] > 0:
                out.append((float(self.times[hit[0]]), text))
        return sorted(out)

    @property
    def zone_open(self) -> np.ndarray:
        """Whether the agreement zone is open at each time (T,)."""
        return self.zone_slack >= -1e-12

    def zone_events(self) -> list[tuple[float, str]]:
        """``(t, "opens" | "closes")`` at every step where the zone changes state."""
        z = self.zone_open
        return [
            (float(self.times[i]), "opens" if z[i] else "closes")
            for i in range(1, len(z))
            if z[i] != z[i - 1]
        ]

    def change(self) -> FloatArray:
        """Each seat's change of no-deal utility from t = 0 to the horizon (S,)."""
        return self.reservations[-1] - self.reservations[0]

    def leverage(self) -> FloatArray:
        """Each seat's change minus the mean change of the other seats (S,)."""
        d = self.change()
        n = len(d)
        if n < 2:
            return np.zeros(n)
        return d - (d.sum() - d) / (n - 1)

    def cumulative_leverage(self) -> FloatArray:
        """(T, S): each seat's change since t = 0 minus the mean change of the other seats."""
        d = self.reservations - self.reservations[0]
        n = d.shape[1]
        if n < 2:
            return np.zeros_like(d)
        return d - (d.sum(axis=1, keepdims=True) - d) / (n - 1)

    def best_wait(self) -> dict[str, tuple[float, float]]:
        """Per seat, the time at which waiting has helped it most relative to the others, and
        by how much (0 at t = 0 when waiting never helps)."""
        lev = self.cumulative_leverage()
        out = {}
        for j, s in enumerate(self.seat_ids):
            i = int(np.argmax(lev[:, j]))
            out[s] = (float(self.times[i]), float(lev[i, j]))
        return out

    def gainers(self) -> list[str]:
        """Seats whose no-deal utility rises by waiting to the horizon."""
        return [s for s, d in zip(self.seat_ids, self.change(), strict=True) if d > 1e-12]

    def leverage_gainers(self) -> list[str]:
        """Seats whose no-deal utility falls less (or rises more) than the others'."""
        return [s for s, d in zip(self.seat_ids, self.leverage(), strict=True) if d > 1e-12]

    def proposal_window(self, proposal_id: str) -> list[float]:
        """Times at which every seat accepts the proposal."""
        j = self.proposal_ids.index(proposal_id)
        return [
            float(t) for t, ok in zip(self.times, self.proposal_accepted[:, j], strict=True) if ok
        ]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready record: the series, the zone events and who gains from delay."""
        return jsonable(
            {
                "title": self.title,
                "unit": self.unit,
                "scenario_unit": self.scenario_unit,
                "times": self.times,
                "seats": list(self.seat_ids),
                "reservations": {s: self.reservations[:, j] for j, s in enumerate(self.seat_ids)},
                "actor_reservations": {
                    a: self.actor_reservations[:, j] for j, a in enumerate(self.actor_ids)
                },
                "status_quo": {i: self.status_quo[:, k] for k, i in enumerate(self.issue_ids)},
                "zone_open": self.zone_open,
                "zone_slack": self.zone_slack,
                "zone_events": [{"t": t, "event": e} for t, e in self.zone_events()],
                "best_outcome": [
                    dict(zip(self.issue_ids, row, strict=True)) for row in self.best_outcome
                ],
                "proposals_accepted": {
                    p: self.proposal_accepted[:, j].astype(bool)
                    for j, p in enumerate(self.proposal_ids)
                },
                "breakout_months": self.breakout_months,
                "change": dict(zip(self.seat_ids, self.change(), strict=True)),
                "leverage": dict(zip(self.seat_ids, self.leverage(), strict=True)),
                "gainers": self.gainers(),
                "best_wait": {k: {"t": t, "leverage": v} for k, (t, v) in self.best_wait().items()},
                "leverage_gainers": self.leverage_gainers(),
                "grid_outcomes": self.grid_outcomes,
                "grid_source": self.grid_source,
            }
        )

    def to_frame(self) -> pd.DataFrame:
        """Tidy table: one row per (t, series, id) with a value."""
        rows: list[tuple[float, str, str, float]] = []
        for i, t in enumerate(self.times):
            tt = float(t)
            rows += [
                (tt, "reservation", s, float(self.reservations[i, j]))
                for j, s in enumerate(self.seat_ids)
            ]
            rows += [
                (tt, "actor_reservation", a, float(self.actor_reservations[i, j]))
                for j, a in enumerate(self.actor_ids)
            ]
            rows += [
                (tt, "status_quo", k, float(self.status_quo[i, n]))
                for n, k in enumerate(self.issue_ids)
            ]
            rows += [
                (tt, "proposal_accepted", p, float(self.proposal_accepted[i, j]))
                for j, p in enumerate(self.proposal_ids)
            ]
            rows.append((tt, "zone_slack", "", float(self.zone_slack[i])))
            rows.append((tt, "breakout_months", "", float(self.breakout_months[i])))
        return pd.DataFrame(rows, columns=["t", "series", "id", "value"]).assign(unit=self.unit)


def outcome_grid(
    c: Compiled, points: int = 11, max_outcomes: int = MAX_OUTCOMES
) -> tuple[FloatArray, str]:
    """Normalised outcomes (N, K): every option × evenly spaced values of continuous issues.

    Uses `accord.space.grid` when it is installed (it also puts the status quo on each axis),
    else an equivalent local grid; ``points`` shrinks until the grid holds ``max_outcomes`` at
    most. Returns the outcomes and the name of the grid used.
    """
    n_opt = [int(m) for m in c.n_options]
    fixed = int(np.prod([m for m in n_opt if m] or [1]))
    n_cont = sum(1 for m in n_opt if not m)
    if fixed > max_outcomes:
        raise LimitError(
            "outcomes on the options issues",
            fixed,
            max_outcomes,
            "the agreement-zone grid would be too large",
        )
    m = points
    while n_cont and m > 2 and fixed * (m + 1) ** n_cont > max_outcomes:
        m -= 1
    if n_cont and fixed * (m + 1) ** n_cont > max_outcomes:
        raise LimitError("outcomes on the agreement-zone grid", fixed * m**n_cont, max_outcomes)
    try:
        from accord.space import grid as space_grid
    except ImportError:
        pass
    else:
        space = space_grid(c, m)
        return space.outcomes(np.arange(space.size, dtype=np.int64)), f"accord.space grid ({m})"
    axes = [np.arange(k) / (k - 1) if k else np.linspace(0.0, 1.0, m) for k in n_opt]
    mesh = np.meshgrid(*axes, indexing="ij")
    return np.stack([g.ravel() for g in mesh], axis=1), f"accord.clocks local grid ({m})"


def timeline(
    scenario: Scenario | Compiled,
    horizon: float,
    *,
    unit: str = "month",
    step: float = 1.0,
    points: int = 11,
    dynamics: Dynamics | None = None,
    breakout_kw: dict[str, Any] | None = None,
) -> ClockTimeline:
    """The clocks of ``scenario`` from t = 0 to ``horizon`` (in ``unit``) every ``step``.

    `scenario` may be compiled already (a job compiles once).
    """
    if isinstance(scenario, Compiled):
        dynamics = dynamics if dynamics is not None else Dynamics.of(scenario.scenario, scenario)
        scenario = scenario.scenario
    convert(1.0, unit, "month")
    n = time_steps(horizon, step)
    d = dynamics if dynamics is not None else Dynamics.of(scenario)
    c = d.compiled
    times = np.arange(n, dtype=float) * float(step)
    sq = np.array([d.status_quo_units(float(t), unit) for t in times])
    res = np.array([d.reservations_at(float(t), unit) for t in times])
    ares = np.array([d.actor_reservations_at(float(t), unit) for t in times])

    props = scenario.proposals
    p_x = np.array([[i.to_units(p.outcome[i.id]) for i in scenario.issues] for p in props])
    p_x = c.normalize(p_x) if len(props) else np.zeros((0, c.k))
    base, source = outcome_grid(c, points)
    grid = np.vstack([base, c.seats.position, c.normalize(sq), p_x])
    slack_all = _slack(c, grid, res, ares)
    best = slack_all.argmax(axis=1)
    slack = slack_all[np.arange(n), best]
    best_x = c.to_units(grid[best])
    accepted = np.zeros((n, len(props)))
    for i in range(n):
        if len(props):
            v = decide(c, p_x, reservation=res[i], actor_reservation=ares[i])
            accepted[i] = v.all_accept

    months = np.full(n, np.nan)
    if has_breakout_metric(scenario):
        kw = breakout_kw or {}
        for i in range(n):
            b = outcome_breakout(scenario, dict(zip(scenario.issue_ids, sq[i], strict=True)), **kw)
            if b is not None and b.months is not None:
                months[i] = b.months
    return ClockTimeline(
        title=scenario.meta.title,
        unit=unit,
        scenario_unit=c.time_unit,
        times=times,
        issue_ids=c.issue_ids,
        status_quo=sq,
        seat_ids=c.seats.ids,
        seat_labels=c.seats.labels,
        reservations=res,
        actor_ids=c.actors.ids,
        actor_reservations=ares,
        zone_slack=slack,
        best_outcome=best_x,
        proposal_ids=tuple(p.id for p in props),
        proposal_accepted=accepted,
        breakout_months=months,
        grid_outcomes=len(grid),
        grid_source=source,
        red_lines=tuple(f"{c.actors.labels[r.actor]}: {r.text}" for r in c.red_lines),
        red_line_breach=red_line_breach(c, c.normalize(sq)) if c.red_lines else None,
    )


def _slack(c: Compiled, grid: FloatArray, res: FloatArray, ares: FloatArray) -> FloatArray:
    """(T, N): the smallest margin over the seats of each package at each time, by rule."""
    u = utility(c, c.seats, grid)
    rules = {r for r, _, _ in c.seat_rules}
    if not c.red_lines and rules <= {"actor", "weighted"}:
        return np.asarray((u[None, :, :] - res[:, None, :]).min(axis=2))
    ua = utility(c, c.actors, grid)
    v = decide(c, grid, utility=u, actor_utility=ua)
    out = np.empty((len(res), len(grid)))
    for i in range(len(res)):
        margin = u - res[i]
        member = ua - ares[i]
        for j, (rule, _, _) in enumerate(c.seat_rules):
            if rule == "consensus":
                margin[:, j] = member[:, list(c.seat_members[j])].min(axis=1)
        keeps = v.feasible if not rules & {"consensus"} else _member_keeps(c, v)
        out[i] = np.where(keeps, margin, -1.0).min(axis=1)
    return out


def _member_keeps(c: Compiled, v: Verdicts) -> NDArray[np.bool_]:
    """Per seat, whether every member keeps its red lines (consensus reads members)."""
    keeps = v.feasible.copy()
    for j, (rule, _, _) in enumerate(c.seat_rules):
        if rule == "consensus":
            rows = list(c.seat_members[j])
            keeps[:, j] = (v.breach[:, np.isin(v.red_line_actor, rows)] <= 0).all(axis=1)
    return keeps


def time_steps(horizon: float, step: float = 1.0) -> int:
    """How many time points a timeline from 0 to `horizon` every `step` has, refused with a
    `LimitError` over `MAX_STEPS` before any work (`accord run` checks it first)."""
    if not (np.isfinite(horizon) and horizon >= 0):
        raise InputError(Problem("the horizon must be a number ≥ 0", ("horizon",), horizon))
    if not (np.isfinite(step) and step > 0):
        raise InputError(Problem("the step must be a number > 0", ("step",), step))
    n = int(np.floor(horizon / step + 1e-9)) + 1
    if n > MAX_STEPS:
        hint = "a shorter horizon (--months) or a larger step (accord clock --step)"
        raise LimitError("time steps", n, MAX_STEPS, hint)
    return n
