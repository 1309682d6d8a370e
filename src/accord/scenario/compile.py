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

Preferences beyond design.md §1 (docs/preferences.md): per (actor, issue) ``shapes`` (a power
exponent, or piecewise-linear values through points), weighted *metric terms* over registered
metrics, and red lines. With terms, the normalisation becomes
``u_a(x) = [Σ_k s_ak v_ak(x_k) + Σ_m w_am f_am(metric_m(x))] / (Σ_k s_ak + Σ_m w_am)``, still
in [0, 1] but no longer additive across issues. Seats of ``consensus`` and ``quorum`` blocs are a
*mix*: their utility is the capability-weighted mean of their members' utilities and their
reservation the same mean of the members' reservations, so a package every member accepts is
one the seat accepts. ``weighted`` blocs keep the derived synthetic party of today.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
from numpy.typing import NDArray

from accord.scenario.preferences import (
    CompiledRedLine,
    MetricSet,
    Term,
    bind_metrics,
    compile_red_lines,
    compile_term,
)
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
    issue_exponent: FloatArray | None = None
    pieces: dict[tuple[int, int], tuple[FloatArray, FloatArray]] = field(default_factory=dict)
    terms: tuple[Term, ...] = ()
    mix: FloatArray | None = None

    @property
    def mixed(self) -> NDArray[np.int64]:
        """Rows whose utility is a mix of actor utilities (consensus and quorum seats)."""
        if self.mix is None:
            return np.zeros(0, dtype=np.int64)
        return np.flatnonzero(self.mix.sum(axis=1) > 0)

    @property
    def additive(self) -> bool:
        """Whether utility is a sum of per-issue values (no metric terms of its own)."""
        return not self.terms

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
            issue_exponent=None if self.issue_exponent is None else self.issue_exponent[r],
            pieces={
                (new, k): v
                for new, old in enumerate(r)
                for (a, k), v in self.pieces.items()
                if a == old
            },
            terms=tuple(
                _moved(t, new) for new, old in enumerate(r) for t in self.terms if t.party == old
            ),
            mix=None if self.mix is None else self.mix[r],
        )


def _moved(t: Term, party: int, scale: float = 1.0) -> Term:
    return Term(party, t.metric, t.raw * scale, t.weight, t.kind, t.xs, t.us, t.at, t.above)


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
    metrics: MetricSet = field(default_factory=MetricSet)
    red_lines: tuple[CompiledRedLine, ...] = ()
    seat_rules: tuple[tuple[str, float, str], ...] = ()

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

    def utility(
        self,
        prefs: Preferences,
        x: FloatArray,
        *,
        metrics: FloatArray | None = None,
        actor_utility: FloatArray | None = None,
    ) -> FloatArray:
        """Utilities (N, A) of normalised outcomes ``x`` (N, K) for every party in `prefs`.

        `metrics` (N, M) and `actor_utility` (N, actors) pass values already computed for the
        same outcomes (metric values; the actors' utilities that mixed seats average).
        """
        return utility(self, prefs, x, metrics=metrics, actor_utility=actor_utility)


def _salience_matrix(s: Scenario, actors: tuple[Actor, ...]) -> FloatArray:
    return np.array([[s.salience_of(a, i) for i in s.issue_ids] for a in actors], dtype=float)


def _weights(salience: FloatArray, extra: FloatArray | None = None) -> FloatArray:
    total = salience.sum(axis=1, keepdims=True)
    if extra is not None:
        total = total + extra[:, None]
    k = salience.shape[1]
    return np.divide(salience, total, out=np.full_like(salience, 1.0 / k), where=total > 0)


def _normalised(prefs: Preferences, terms: list[Term]) -> Preferences:
    """`prefs` with `terms`, issue and term weights normalised to sum to one per party."""
    extra = np.zeros(prefs.n)
    for t in terms:
        extra[t.party] += t.raw
    total = prefs.salience.sum(axis=1) + extra
    weight = _weights(prefs.salience, extra)
    normed = tuple(
        Term(
            t.party,
            t.metric,
            t.raw,
            t.raw / total[t.party] if total[t.party] > 0 else 0.0,
            t.kind,
            t.xs,
            t.us,
            t.at,
            t.above,
        )
        for t in terms
    )
    return Preferences(**{**prefs.__dict__, "weight": weight, "terms": normed})


def utility(
    c: Compiled,
    prefs: Preferences,
    x: FloatArray,
    *,
    metrics: FloatArray | None = None,
    actor_utility: FloatArray | None = None,
) -> FloatArray:
    """Utilities (N, A) of normalised outcomes ``x`` (N, K): design.md §1, additive in issues."""
    x = np.atleast_2d(np.asarray(x, dtype=float))
    out = np.zeros((x.shape[0], prefs.n))
    for k in range(c.k):
        out += issue_values(c, prefs, k, x[:, k]) * prefs.weight[:, k]
    if prefs.terms:
        m = c.metrics.values(c.to_units(x)) if metrics is None else metrics
        out += term_values(c, prefs, m)
    rows = prefs.mixed
    if rows.size and prefs.mix is not None:
        ua = utility(c, c.actors, x, metrics=metrics) if actor_utility is None else actor_utility
        out[:, rows] = ua @ prefs.mix[rows].T
    return out


def term_values(c: Compiled, prefs: Preferences, metrics: FloatArray) -> FloatArray:
    """The weighted metric terms (N, A) of packages with metric values `metrics` (N, M)."""
    out = np.zeros((len(metrics), prefs.n))
    for t in prefs.terms:
        out[:, t.party] += t.weight * t.value(metrics[:, t.metric])
    return out


def issue_values(c: Compiled, prefs: Preferences, k: int, xk: FloatArray) -> FloatArray:
    """Per-issue values v_ak(x_k) in [0, 1], shape (N, A), for normalised values ``xk`` (N,)."""
    xk = np.asarray(xk, dtype=float)
    m = int(c.n_options[k])
    if m:
        idx = np.clip(np.rint(xk * (m - 1)).astype(np.int64), 0, m - 1)
        return prefs.tables[k][:, idx].T
    d = np.abs(xk[:, None] - prefs.position[None, :, k])
    e = prefs.exponent if prefs.issue_exponent is None else prefs.issue_exponent[:, k]
    v = 1.0 - d ** e[None, :]
    for (a, kk), (xs, us) in prefs.pieces.items():
        if kk == k:
            v[:, a] = np.interp(xk, xs, us)
    return v


def _option_tables(
    s: Scenario, actors: tuple[Actor, ...], position: FloatArray, exponent: FloatArray
) -> dict[int, FloatArray]:
    tables: dict[int, FloatArray] = {}
    for k, issue in enumerate(s.issues):
        if issue.options is None:
            continue
        m = len(issue.options)
        grid = np.arange(m) / (m - 1)
        t = 1.0 - np.abs(grid[None, :] - position[:, k : k + 1]) ** exponent[:, k : k + 1]
        for a, actor in enumerate(actors):
            explicit = actor.utilities.get(issue.id)
            if explicit:
                t[a] = [explicit[o] for o in issue.options]
        tables[k] = t
    return tables


def _actor_preferences(
    s: Scenario, lo: FloatArray, span: FloatArray, metrics: MetricSet
) -> Preferences:
    actors = s.actors
    position = np.array([[s.position_of(a, i) for i in s.issue_ids] for a in actors], dtype=float)
    position = (position - lo) / span
    salience = _salience_matrix(s, actors)
    exponent = np.array([a.exponent for a in actors], dtype=float)
    issue_exp = np.repeat(exponent[:, None], len(s.issues), axis=1)
    pieces: dict[tuple[int, int], tuple[FloatArray, FloatArray]] = {}
    terms: list[Term] = []
    ids = s.issue_ids
    for a_row, a in enumerate(actors):
        for iid, shape in a.shapes.items():
            k = ids.index(iid)
            if shape.kind == "power" and shape.exponent is not None:
                issue_exp[a_row, k] = shape.exponent
            elif shape.kind == "piecewise" and shape.points:
                pts = np.asarray(shape.points, dtype=float)
                pieces[(a_row, k)] = ((pts[:, 0] - lo[k]) / span[k], pts[:, 1])
        for t in a.metric_terms:
            raw = number(t.weight) / s.meta.salience_scale
            terms.append(compile_term(a_row, metrics.index(t.metric), raw, t.shape))
    prefs = Preferences(
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
        tables=_option_tables(s, actors, position, issue_exp),
        issue_exponent=issue_exp,
        pieces=pieces,
    )
    return _normalised(prefs, terms)


def _shares(c: FloatArray) -> FloatArray:
    """Capabilities as shares summing to one (equal shares when all are 0), scaled by the
    largest first so that tiny or huge capabilities neither underflow nor overflow: the shares
    depend only on the ratios, so rescaling every capability changes no bloc."""
    top = float(c.max()) if c.size else 0.0
    if not top > 0:
        return np.full(len(c), 1.0 / len(c))
    rel = c / top
    return rel / rel.sum()


def _bloc(prefs: Preferences, rows: tuple[int, ...], bloc_id: str, label: str) -> Preferences:
    """One derived party from member rows: capability summed, the rest weighted means."""
    sub = prefs.take(list(rows))
    c = sub.capability
    cw = _shares(c)
    cs = cw[:, None] * sub.salience
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
    iexp = None if sub.issue_exponent is None else (cw @ sub.issue_exponent)[None, :]
    terms = [_moved(t, 0, float(cw[t.party])) for t in sub.terms]
    bloc = Preferences(
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
        issue_exponent=iexp,
    )
    return _normalised(bloc, terms)


def _stack(parts: list[Preferences], n_mix: int = 0) -> Preferences:
    offsets = list(np.cumsum([0] + [p.n for p in parts[:-1]]))
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
        issue_exponent=None
        if any(p.issue_exponent is None for p in parts)
        else np.vstack([p.issue_exponent for p in parts if p.issue_exponent is not None]),
        pieces={
            (a + off, k): v
            for p, off in zip(parts, offsets, strict=True)
            for (a, k), v in p.pieces.items()
        },
        terms=tuple(
            _moved_norm(t, t.party + off)
            for p, off in zip(parts, offsets, strict=True)
            for t in p.terms
        ),
        mix=None
        if all(p.mix is None for p in parts)
        else np.vstack([p.mix if p.mix is not None else np.zeros((p.n, n_mix)) for p in parts]),
    )


def _moved_norm(t: Term, party: int) -> Term:
    return Term(party, t.metric, t.raw, t.weight, t.kind, t.xs, t.us, t.at, t.above)


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
    metrics = bind_metrics(s)
    actors = _actor_preferences(s, lo, span, metrics)

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
        metrics=metrics,
        red_lines=compile_red_lines(s, metrics),
    )
    given = np.array([number(a.reservation, np.nan) for a in s.actors], dtype=float)
    return with_parties(partial, actors, given)


def with_parties(
    partial: Compiled, actors: Preferences, given: FloatArray, m_q: FloatArray | None = None
) -> Compiled:
    """`partial` completed from its actors' preferences: their reservation values (``given``
    where not NaN, else the utility of the status quo) and the seated parties, each bloc by its
    decision rule. `compile` ends here, and Monte-Carlo re-parameterisation
    (`accord.experiments.arrays.reparam`) calls it with new actor arrays, so both derive the
    seats in one way. ``m_q`` (1, M) passes the status quo's metric values when known."""
    s = partial.scenario
    q = partial.status_quo
    blocs = {b.id: b for b in s.blocs}
    parts: list[Preferences] = []
    members: list[tuple[int, ...]] = []
    offsets: list[float] = []
    if m_q is None:
        m_q = partial.metrics.values(partial.to_units(q[None, :]))  # once: metrics can be slow
    u_q = utility(partial, actors, q[None, :], metrics=m_q)[0]
    res = np.where(np.isnan(given), u_q, given)
    actors = Preferences(**{**actors.__dict__, "reservation": res})
    rules: list[tuple[str, float, str]] = []
    for seat in s.seats:
        if seat in blocs:
            b = blocs[seat]
            rows = tuple(actors.index(m) for m in b.members)
            c = actors.capability[list(rows)]
            w = _shares(c)
            part = _bloc(actors, rows, b.id, b.label)
            if b.rule != "weighted":
                mix = np.zeros((1, actors.n))
                mix[0, list(rows)] = w
                weight = _weights(part.salience)
                part = Preferences(**{**part.__dict__, "terms": (), "mix": mix, "weight": weight})
            parts.append(part)
            offsets.append(float(w @ (actors.reservation[list(rows)] - u_q[list(rows)])))
            rules.append((b.rule, float(b.threshold or 1.0), b.quorum_by))
        else:
            r = actors.index(seat)
            rows = (r,)
            parts.append(actors.take([r]))
            offsets.append(float(actors.reservation[r] - u_q[r]))
            rules.append(("actor", 1.0, "capability"))
        members.append(rows)
    seats = _stack(parts, actors.n)
    seat_uq = utility(partial, seats, q[None, :], metrics=m_q, actor_utility=u_q[None, :])[0]
    res = np.clip(seat_uq + np.array(offsets), 0.0, 1.0)
    for row in seats.mixed:
        assert seats.mix is not None
        res[row] = float(seats.mix[row] @ actors.reservation)
    seats = Preferences(**{**seats.__dict__, "reservation": res})
    return Compiled(
        **{
            **partial.__dict__,
            "actors": actors,
            "seats": seats,
            "seat_members": tuple(members),
            "seat_rules": tuple(rules),
        }
    )
