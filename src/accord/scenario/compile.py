"""`compile(scenario)`: the numeric arrays every engine works on.

Engines never read the pydantic models; they read a `Compiled` record of numpy arrays:

- issue bounds, kinds and the status quo, with positions normalised to [0, 1] on each issue
  (an options issue maps option *j* of *m* to ``j / (m - 1)``);
- `Preferences` for the actors and, separately, for the seated parties (blocs derived from their
  members: capability summed, positions capability × salience weighted, saliences capability
  weighted, option utilities averaged);
- the utility of design.md §1::

      u_a(x) = 1 − Σ_k s_ak · d_k(x_k, p_ak)^e_a / Σ_k s_ak

  with ``d_k`` the distance normalised to the issue's range and ``e_a`` the actor's exponent.
  On an options issue the per-option value ``1 − d^e`` is tabulated, and explicit per-option
  utilities replace it. Utility is therefore additive across issues:
  ``u_a(x) = Σ_k w_ak · v_ak(x_k)`` with weights ``w_ak = s_ak / Σ_j s_aj``.
- reservation values: an actor's utility of the status quo unless the scenario gives one.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
from numpy.typing import NDArray

from accord.scenario.schema import Actor, Scenario, number

FloatArray = NDArray[np.float64]


@dataclass(frozen=True, eq=False)
class Preferences:
    """Preferences of a set of parties (actors or seats) over the issues, as arrays.

    Shapes: ``A`` parties, ``K`` issues. ``position`` is normalised to [0, 1]; ``salience`` is
    on 0–1; ``weight`` is salience normalised to sum to one per party; ``tables[k]`` is the
    (A, m_k) per-option value table of options issue ``k``.
    """

    ids: tuple[str, ...]
    labels: tuple[str, ...]
    position: FloatArray
    salience: FloatArray
    weight: FloatArray
    capability: FloatArray
    exponent: FloatArray
    reservation: FloatArray
    risk: FloatArray
    discount: FloatArray
    tables: dict[int, FloatArray] = field(default_factory=dict)

    @property
    def n(self) -> int:
        """Number of parties."""
        return len(self.ids)

    def index(self, party_id: str) -> int:
        """Row of party `party_id`."""
        return self.ids.index(party_id)

    def take(self, rows: list[int] | NDArray[np.int64]) -> Preferences:
        """The preferences of a subset (or a reordering) of the parties."""
        r = np.asarray(rows, dtype=np.int64)
        return Preferences(
            ids=tuple(self.ids[i] for i in r),
            labels=tuple(self.labels[i] for i in r),
            position=self.position[r],
            salience=self.salience[r],
            weight=self.weight[r],
            capability=self.capability[r],
            exponent=self.exponent[r],
            reservation=self.reservation[r],
            risk=self.risk[r],
            discount=self.discount[r],
            tables={k: t[r] for k, t in self.tables.items()},
        )


@dataclass(frozen=True, eq=False)
class Compiled:
    """A scenario as arrays: issues, status quo, actor and seat preferences."""

    issue_ids: tuple[str, ...]
    issue_labels: tuple[str, ...]
    lo: FloatArray
    hi: FloatArray
    n_options: NDArray[np.int64]
    status_quo: FloatArray
    actors: Preferences
    seats: Preferences
    seat_members: tuple[tuple[int, ...], ...]
    time_unit: str
    round_length: float
    scenario: Scenario = field(repr=False)

    @cached_property
    def digest(self) -> str:
        """The scenario hash (`scenario_digest`), computed on first use: Monte-Carlo compiles
        a scenario per draw and rarely needs it."""
        return scenario_digest(self.scenario)

    @property
    def k(self) -> int:
        """Number of issues."""
        return len(self.issue_ids)

    @property
    def continuous(self) -> NDArray[np.bool_]:
        """Which issues are continuous (no options)."""
        return self.n_options == 0

    @property
    def span(self) -> FloatArray:
        """The range of each issue in its own units."""
        return self.hi - self.lo

    def to_units(self, x: FloatArray) -> FloatArray:
        """Normalised outcomes (…, K) to issue units (option index for options issues)."""
        return self.lo + np.asarray(x, dtype=float) * self.span

    def normalize(self, x_units: FloatArray) -> FloatArray:
        """Outcomes in issue units (…, K) to [0, 1] per issue."""
        return (np.asarray(x_units, dtype=float) - self.lo) / self.span

    def utility(self, prefs: Preferences, x: FloatArray) -> FloatArray:
        """Utilities (N, A) of normalised outcomes ``x`` (N, K) for every party in `prefs`."""
        return utility(self, prefs, x)


def _salience_matrix(s: Scenario, actors: tuple[Actor, ...]) -> FloatArray:
    return np.array([[s.salience_of(a, i) for i in s.issue_ids] for a in actors], dtype=float)


def _weights(salience: FloatArray) -> FloatArray:
    total = salience.sum(axis=1, keepdims=True)
    k = salience.shape[1]
    return np.divide(salience, total, out=np.full_like(salience, 1.0 / k), where=total > 0)


def utility(c: Compiled, prefs: Preferences, x: FloatArray) -> FloatArray:
    """Utilities (N, A) of normalised outcomes ``x`` (N, K): design.md §1, additive in issues."""
    x = np.atleast_2d(np.asarray(x, dtype=float))
    out = np.zeros((x.shape[0], prefs.n))
    for k in range(c.k):
        out += issue_values(c, prefs, k, x[:, k]) * prefs.weight[:, k]
    return out


def issue_values(c: Compiled, prefs: Preferences, k: int, xk: FloatArray) -> FloatArray:
    """Per-issue values v_ak(x_k) in [0, 1], shape (N, A), for normalised values ``xk`` (N,)."""
    xk = np.asarray(xk, dtype=float)
    m = int(c.n_options[k])
    if m:
        idx = np.clip(np.rint(xk * (m - 1)).astype(np.int64), 0, m - 1)
        return prefs.tables[k][:, idx].T
    d = np.abs(xk[:, None] - prefs.position[None, :, k])
    return 1.0 - d ** prefs.exponent[None, :]


def _option_tables(
    s: Scenario, actors: tuple[Actor, ...], position: FloatArray, exponent: FloatArray
) -> dict[int, FloatArray]:
    tables: dict[int, FloatArray] = {}
    for k, issue in enumerate(s.issues):
        if issue.options is None:
            continue
        m = len(issue.options)
        grid = np.arange(m) / (m - 1)
        t = 1.0 - np.abs(grid[None, :] - position[:, k : k + 1]) ** exponent[:, None]
        for a, actor in enumerate(actors):
            explicit = actor.utilities.get(issue.id)
            if explicit:
                t[a] = [explicit[o] for o in issue.options]
        tables[k] = t
    return tables


def _actor_preferences(s: Scenario, lo: FloatArray, span: FloatArray) -> Preferences:
    actors = s.actors
    position = np.array([[s.position_of(a, i) for i in s.issue_ids] for a in actors], dtype=float)
    position = (position - lo) / span
    salience = _salience_matrix(s, actors)
    exponent = np.array([a.exponent for a in actors], dtype=float)
    return Preferences(
        ids=tuple(a.id for a in actors),
        labels=tuple(a.label for a in actors),
        position=position,
        salience=salience,
        weight=_weights(salience),
        capability=np.array([number(a.capability) for a in actors], dtype=float),
        exponent=exponent,
        reservation=np.full(len(actors), np.nan),
        risk=np.array([number(a.risk, np.nan) for a in actors], dtype=float),
        discount=np.array([number(a.discount, 1.0) for a in actors], dtype=float),
        tables=_option_tables(s, actors, position, exponent),
    )


def _with_reservation(c_partial: Compiled, prefs: Preferences, given: FloatArray) -> Preferences:
    u_q = utility(c_partial, prefs, c_partial.status_quo[None, :])[0]
    res = np.where(np.isnan(given), u_q, given)
    return Preferences(**{**prefs.__dict__, "reservation": res})


def _bloc(prefs: Preferences, rows: tuple[int, ...], bloc_id: str, label: str) -> Preferences:
    """One derived party from member rows: capability summed, the rest weighted means."""
    sub = prefs.take(list(rows))
    c = sub.capability
    cw = c / c.sum() if c.sum() > 0 else np.full(len(rows), 1.0 / len(rows))
    cs = c[:, None] * sub.salience
    tot = cs.sum(axis=0)
    mean_pos = sub.position.mean(axis=0)
    position = np.divide((cs * sub.position).sum(axis=0), tot, out=mean_pos, where=tot > 0)
    salience = (cw[:, None] * sub.salience).sum(axis=0)
    if not np.isfinite(sub.risk).any():
        risk = np.nan
    else:
        ok = np.isfinite(sub.risk)
        w = cw[ok] if cw[ok].sum() > 0 else np.ones(ok.sum())
        risk = float(np.average(sub.risk[ok], weights=w))
    tables = {}
    for k, t in sub.tables.items():
        wk = cs[:, k] if cs[:, k].sum() > 0 else cw
        tables[k] = (np.average(t, axis=0, weights=wk))[None, :]
    sal = salience[None, :]
    return Preferences(
        ids=(bloc_id,),
        labels=(label,),
        position=position[None, :],
        salience=sal,
        weight=_weights(sal),
        capability=np.array([c.sum()]),
        exponent=np.array([float(cw @ sub.exponent)]),
        reservation=np.array([np.nan]),
        risk=np.array([risk]),
        discount=np.array([float(cw @ sub.discount)]),
        tables=tables,
    )


def _stack(parts: list[Preferences]) -> Preferences:
    return Preferences(
        ids=tuple(i for p in parts for i in p.ids),
        labels=tuple(i for p in parts for i in p.labels),
        position=np.vstack([p.position for p in parts]),
        salience=np.vstack([p.salience for p in parts]),
        weight=np.vstack([p.weight for p in parts]),
        capability=np.concatenate([p.capability for p in parts]),
        exponent=np.concatenate([p.exponent for p in parts]),
        reservation=np.concatenate([p.reservation for p in parts]),
        risk=np.concatenate([p.risk for p in parts]),
        discount=np.concatenate([p.discount for p in parts]),
        tables={k: np.vstack([p.tables[k] for p in parts]) for k in parts[0].tables},
    )


def scenario_digest(s: Scenario) -> str:
    """SHA-256 of the scenario's canonical JSON: the scenario hash of run manifests."""
    text = json.dumps(s.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def compile(s: Scenario) -> Compiled:
    """The arrays of scenario `s`: issues, status quo, actor and seat preferences."""
    lo = np.array([i.bounds[0] for i in s.issues], dtype=float)
    hi = np.array([i.bounds[1] for i in s.issues], dtype=float)
    span = hi - lo
    n_opt = np.array([len(i.options) if i.options else 0 for i in s.issues], dtype=np.int64)
    q = (np.array([s.status_quo_of(i) for i in s.issue_ids], dtype=float) - lo) / span
    actors = _actor_preferences(s, lo, span)

    blocs = {b.id: b for b in s.blocs}
    parts: list[Preferences] = []
    members: list[tuple[int, ...]] = []
    offsets: list[float] = []
    partial = Compiled(
        issue_ids=tuple(s.issue_ids),
        issue_labels=tuple(i.label for i in s.issues),
        lo=lo,
        hi=hi,
        n_options=n_opt,
        status_quo=q,
        actors=actors,
        seats=actors,
        seat_members=(),
        time_unit=s.meta.time_unit,
        round_length=number(s.meta.round_length, 1.0),
        scenario=s,
    )
    given = np.array([number(a.reservation, np.nan) for a in s.actors], dtype=float)
    actors = _with_reservation(partial, actors, given)
    u_q = utility(partial, actors, q[None, :])[0]
    for seat in s.seats:
        if seat in blocs:
            b = blocs[seat]
            rows = tuple(actors.index(m) for m in b.members)
            parts.append(_bloc(actors, rows, b.id, b.label))
            c = actors.capability[list(rows)]
            w = c / c.sum() if c.sum() > 0 else np.full(len(rows), 1 / len(rows))
            offsets.append(float(w @ (actors.reservation[list(rows)] - u_q[list(rows)])))
        else:
            r = actors.index(seat)
            rows = (r,)
            parts.append(actors.take([r]))
            offsets.append(float(actors.reservation[r] - u_q[r]))
        members.append(rows)
    seats = _stack(parts)
    seat_uq = utility(partial, seats, q[None, :])[0]
    seats = Preferences(
        **{**seats.__dict__, "reservation": np.clip(seat_uq + np.array(offsets), 0.0, 1.0)}
    )
    return Compiled(
        **{**partial.__dict__, "actors": actors, "seats": seats, "seat_members": tuple(members)}
    )
