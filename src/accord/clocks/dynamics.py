"""The scenario's clocks applied over time: the moving status quo and the moving reservations.

Two kinds of clock (design.md §1, `accord.scenario.schema`):

- ``drift`` moves the status quo of one issue by ``rate`` issue units per time unit until it
  reaches ``limit`` (default: the end of the issue's scale in the direction of motion). With
  ``model: enrichment`` the rate is computed from the enrichment physics instead (see
  `enrichment_rate`). Several drift clocks on one issue add their rates and the most restrictive
  limit in the direction of motion stops the movement. A status quo already beyond its limit
  stays where it is. Options issues drift in option-index units.
- ``cost`` changes an actor's no-deal utility by ``rate`` per time unit. ``limit``, when given,
  is the utility level at which the change stops. A cost clock on a bloc applies to the bloc's
  seat; the costs of a bloc's members aggregate capability-weighted, as the bloc's preferences
  do (`accord.scenario.compile`).

Reservations at time t (reservation = no-deal utility)::

    r_a(t) = clip( u_a(q(t)) + (r_a(0) − u_a(q(0))) + Σ cost_a(t), [0, 1] )
    r_seat(t) = clip( u_seat(q(t)) + Σ_m w_m · (r_m(t) − u_m(q(t))) + cost_seat(t), [0, 1] )

so an explicit reservation in the scenario is the value at t = 0, moved by the drift of the
status quo and by the costs. At t = 0 both reproduce `compile`'s reservations.

Time: every clock rate is per the scenario's ``meta.time_unit``; a request in another unit is
converted (a year is 12 months, 365.25 days or 365.25/7 weeks; a quarter 3 months).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from accord.errors import InputError, Problem
from accord.nuclear.breakout import MACHINE_SWU
from accord.nuclear.enrichment import U_IN_UF6, swu
from accord.nuclear.states import parse_assay
from accord.scenario import Compiled, Scenario, compile
from accord.scenario.compile import FloatArray, utility
from accord.scenario.schema import CostClock, DriftClock, number

MONTHS_PER: dict[str, float] = {
    "day": 12.0 / 365.25,
    "week": 7 * 12.0 / 365.25,
    "month": 1.0,
    "quarter": 3.0,
    "year": 12.0,
}
"""Length of each time unit in months."""


def convert(t: float | FloatArray, from_unit: str, to_unit: str) -> Any:
    """Time ``t`` in ``from_unit`` expressed in ``to_unit`` (day, week, month, quarter, year)."""
    for u, name in ((from_unit, "from_unit"), (to_unit, "to_unit")):
        if u not in MONTHS_PER:
            raise InputError(Problem(f"expected a time unit of {list(MONTHS_PER)}", (name,), u))
    return t * MONTHS_PER[from_unit] / MONTHS_PER[to_unit]


def enrichment_rate(params: dict[str, Any], issue_unit: str | None, time_unit: str) -> float:
    """Stock growth per scenario time unit driven by enrichment capacity (``model: enrichment``).

    ``params``: ``swu_per_year`` (or ``machines``: a list of ``{type, operating, swu_per_year}``),
    ``feed_assay`` (default 0.035), ``product_assay`` (default 0.1975), ``tails_assay`` (default
    0.004), ``offtake`` (issue units per time unit removed, e.g. converted to oxide; default 0)
    and ``unit`` (``kg UF6`` or ``kg U``; default read from the issue's unit). The production
    rate is SWU/yr ÷ SWU per kg of product (Benedict et al. 1981, eq. 12.109).
    """
    known = {
        "swu_per_year",
        "machines",
        "feed_assay",
        "product_assay",
        "tails_assay",
        "offtake",
        "unit",
    }
    for key in params:
        if key not in known:
            raise InputError(
                Problem(
                    f"unknown parameter; expected one of {sorted(known)}",
                    ("params", key),
                    params[key],
                )
            )
    if "swu_per_year" in params:
        capacity = _float(params["swu_per_year"], ("params", "swu_per_year"))
    elif "machines" in params:
        capacity = 0.0
        for k, m in enumerate(params["machines"] or []):
            if not isinstance(m, dict):
                raise InputError(
                    Problem(
                        "expected {type, operating, swu_per_year}", ("params", "machines", k), m
                    )
                )
            per = m.get("swu_per_year", MACHINE_SWU.get(str(m.get("type"))))
            if per is None:
                raise InputError(
                    Problem(
                        "swu_per_year is needed for this machine type", ("params", "machines", k), m
                    )
                )
            capacity += _float(
                m.get("operating", 0), ("params", "machines", k, "operating")
            ) * _float(per, ("params", "machines", k, "swu_per_year"))
    else:
        raise InputError(
            Problem("the enrichment model needs swu_per_year or machines", ("params",), params)
        )
    xf = parse_assay(params.get("feed_assay", 0.035), ("params", "feed_assay"))
    xp = parse_assay(params.get("product_assay", 0.1975), ("params", "product_assay"))
    xt = parse_assay(params.get("tails_assay", 0.004), ("params", "tails_assay"))
    unit = str(params.get("unit", issue_unit or "kg UF6"))
    per_kg_u = swu(1.0, xp, xf, xt)
    kg_u_per_year = capacity / per_kg_u
    per_year = kg_u_per_year / U_IN_UF6 if "uf6" in unit.lower() else kg_u_per_year
    offtake = _float(params.get("offtake", 0.0), ("params", "offtake"))
    return per_year * MONTHS_PER[time_unit] / 12.0 - offtake


def _float(v: Any, path: tuple[str | int, ...]) -> float:
    if isinstance(v, bool) or not isinstance(v, int | float):
        raise InputError(Problem("expected a number", path, v))
    return float(v)


@dataclass(frozen=True, eq=False)
class Dynamics:
    """A scenario's clocks compiled for fast evaluation at any time.

    ``rate`` and ``limit`` are per issue in issue units (rate per scenario time unit);
    ``actor_cost``/``seat_cost`` are utility per time unit with ``*_limit`` levels (NaN: none).
    """

    scenario: Scenario
    compiled: Compiled
    rate: FloatArray
    limit: FloatArray
    actor_cost: FloatArray
    actor_limit: FloatArray
    seat_cost: FloatArray
    seat_limit: FloatArray

    @classmethod
    def of(cls, scenario: Scenario, compiled: Compiled | None = None) -> Dynamics:
        """Compile the clocks of ``scenario`` (and the scenario itself unless given)."""
        c = compiled if compiled is not None else compile(scenario)
        k = c.k
        rate = np.zeros(k)
        up = c.hi.copy()
        down = c.lo.copy()
        a_cost = np.zeros(c.actors.n)
        a_lim = np.full(c.actors.n, np.nan)
        s_cost = np.zeros(c.seats.n)
        s_lim = np.full(c.seats.n, np.nan)
        for n, clock in enumerate(scenario.clocks):
            if isinstance(clock, DriftClock):
                i = c.issue_ids.index(clock.issue)
                if clock.model is None:
                    r = number(clock.rate)
                elif clock.model == "enrichment":
                    try:
                        r = enrichment_rate(
                            clock.params, scenario.issue(clock.issue).unit, c.time_unit
                        )
                    except InputError as e:
                        raise InputError(list(_under(e, ("clocks", n)))) from None
                else:
                    raise InputError(
                        Problem(
                            "unknown drift model; expected 'enrichment'",
                            ("clocks", n, "model"),
                            clock.model,
                        )
                    )
                rate[i] += r
                if clock.limit is not None:
                    up[i] = min(up[i], clock.limit) if r > 0 else up[i]
                    down[i] = max(down[i], clock.limit) if r < 0 else down[i]
            elif isinstance(clock, CostClock):
                r = number(clock.rate)
                lim = np.nan if clock.limit is None else clock.limit
                if clock.actor in c.seats.ids and clock.actor not in c.actors.ids:
                    j = c.seats.index(clock.actor)
                    s_cost[j] += r
                    s_lim[j] = lim
                else:
                    j = c.actors.index(clock.actor)
                    a_cost[j] += r
                    a_lim[j] = lim
        limit = np.where(rate > 0, up, np.where(rate < 0, down, np.nan))
        return cls(scenario, c, rate, limit, a_cost, a_lim, s_cost, s_lim)

    def _t(self, t: float, unit: str | None) -> float:
        if not (isinstance(t, int | float) and np.isfinite(t) and t >= 0):
            raise InputError(Problem("time must be a finite number ≥ 0", ("t",), t))
        return float(t) if unit is None else float(convert(t, unit, self.compiled.time_unit))

    def status_quo_units(self, t: float, unit: str | None = None) -> FloatArray:
        """The status quo (K,) in issue units at time ``t`` (``unit``: default the scenario's)."""
        tt = self._t(t, unit)
        c = self.compiled
        q0 = c.to_units(c.status_quo)
        moved = q0 + self.rate * tt
        out = np.where(self.rate > 0, np.minimum(moved, np.maximum(self.limit, q0)), moved)
        out = np.where(self.rate < 0, np.maximum(moved, np.minimum(self.limit, q0)), out)
        return np.clip(out, c.lo, c.hi)

    def status_quo_at(self, t: float, unit: str | None = None) -> FloatArray:
        """The status quo (K,) normalised to [0, 1] at time ``t``."""
        return self.compiled.normalize(self.status_quo_units(t, unit))

    def actor_reservations_at(self, t: float, unit: str | None = None) -> FloatArray:
        """Every actor's no-deal utility (A,) at time ``t``."""
        return self._actors(self._t(t, unit), self.status_quo_at(t, unit))

    def _actors(self, tt: float, q: FloatArray) -> FloatArray:
        c = self.compiled
        u0 = utility(c, c.actors, c.status_quo[None, :])[0]
        ut = utility(c, c.actors, q[None, :])[0]
        r = ut + (c.actors.reservation - u0)
        return _costed(r, self.actor_cost * tt, self.actor_limit)

    def reservations_at(self, t: float, unit: str | None = None) -> FloatArray:
        """Every seat's no-deal utility (S,) at time ``t`` (bloc members aggregated)."""
        tt = self._t(t, unit)
        c = self.compiled
        q = self.status_quo_at(t, unit)
        r_actor = self._actors(tt, q)
        u_actor = utility(c, c.actors, q[None, :])[0]
        u_seat = utility(c, c.seats, q[None, :])[0]
        out = np.empty(c.seats.n)
        for j, rows in enumerate(c.seat_members):
            idx = list(rows)
            cap = c.actors.capability[idx]
            w = cap / cap.sum() if cap.sum() > 0 else np.full(len(idx), 1 / len(idx))
            out[j] = u_seat[j] + float(w @ (r_actor[idx] - u_actor[idx]))
        return _costed(out, self.seat_cost * tt, self.seat_limit)


def _costed(r: FloatArray, change: FloatArray, limit: FloatArray) -> FloatArray:
    moved = r + change
    has = ~np.isnan(limit)
    lim = np.where(has, limit, 0.0)
    moved = np.where(has & (change < 0), np.maximum(moved, np.minimum(lim, r)), moved)
    moved = np.where(has & (change > 0), np.minimum(moved, np.maximum(lim, r)), moved)
    return np.clip(moved, 0.0, 1.0)


def _under(e: InputError, prefix: tuple[str | int, ...]) -> Sequence[Problem]:
    return [Problem(p.message, (*prefix, *p.path), p.value) for p in e.problems]


def dynamics(s: Scenario | Compiled | Dynamics) -> Dynamics:
    """`Dynamics` of a scenario, compiled or not (or the argument itself)."""
    if isinstance(s, Dynamics):
        return s
    if isinstance(s, Compiled):
        return Dynamics.of(s.scenario, s)
    return Dynamics.of(s)


def status_quo_at(
    s: Scenario | Compiled | Dynamics, t: float, unit: str | None = None
) -> FloatArray:
    """The normalised status quo (K,) of scenario ``s`` at time ``t`` (``unit``: default the
    scenario's time unit; use `Dynamics.status_quo_units` for issue units)."""
    return dynamics(s).status_quo_at(t, unit)


def reservations_at(
    s: Scenario | Compiled | Dynamics, t: float, unit: str | None = None
) -> FloatArray:
    """The seats' no-deal utilities (S,) of scenario ``s`` at time ``t``."""
    return dynamics(s).reservations_at(t, unit)
