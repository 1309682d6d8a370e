"""Monte-Carlo draws applied to compiled arrays instead of to the pydantic scenario.

Every uncertain number of a scenario that `accord.scenario.compile` reads lands in one cell
of a compiled array: an actor's position or salience on an issue, its capability, reservation,
risk or discount, an issue's status quo, the round length, a red line's threshold or a metric
term's weight. `Targets` finds that cell for each `Uncertain` once, and then

- `to_batch` writes a whole chunk of drawn values (D, P) into a `Batch` (D variants of the
  actors' arrays, `accord.forecast.models.batched`) with a few fancy-index assignments (the
  forecast models read positions, saliences, capabilities and the status quo only);
- `compiled` / `reparam` give one `Compiled` with every drawn number set, built with
  `dataclasses.replace` (so fields added to `Compiled` later are kept), re-deriving what
  depends on them exactly as `accord.scenario.compile` does: salience and metric-term weights,
  the option value tables of options issues, reservation values and the seats (blocs).

Clock rates are the only numbers without a cell: `compile` does not read the clocks
(`accord.clocks` does). `Targets.unplaced` names them, so a task that reads the clocks can
fall back to the perturbed scenario instead of ignoring a drawn number.

The arrays are normalised as in `compile`: a value ``v`` of issue ``k`` becomes
``(v − lo_k)/span_k``, a salience or a metric-term weight ``v / meta.salience_scale``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypedDict, Unpack

import numpy as np

from accord.experiments.uncertain import Uncertain
from accord.forecast.models.batched import Batch
from accord.scenario import Compiled, Preferences
from accord.scenario.compile import FloatArray, _normalised, with_parties
from accord.scenario.preferences import Term

_ACTOR_FIELDS = ("capability", "reservation", "risk", "discount")
_KINDS = (
    "position",
    "salience",
    "status_quo",
    *_ACTOR_FIELDS,
    "round_length",
    "red_line",
    "term_weight",
)


@dataclass(frozen=True)
class Targets:
    """Where each uncertain number goes: (kind, actor, issue, item, scale, offset) per parameter.

    ``kind[j]`` is one of `_KINDS` or ``""`` (no array cell: a clock rate); ``item[j]`` is the
    row of a red line in ``Compiled.red_lines`` or of a term in ``Compiled.actors.terms``; the
    array value is ``(x − offset[j]) / scale[j]``.
    """

    kind: tuple[str, ...]
    actor: tuple[int, ...]
    issue: tuple[int, ...]
    item: tuple[int, ...]
    scale: tuple[float, ...]
    offset: tuple[float, ...]

    @property
    def complete(self) -> bool:
        """True when every uncertain number has an array cell."""
        return all(self.kind)

    def unplaced(self, params: Sequence[Uncertain]) -> list[Uncertain]:
        """The numbers of `params` (those `Targets.of` was built from) without a cell."""
        return [p for p, k in zip(params, self.kind, strict=True) if not k]

    @classmethod
    def of(cls, c: Compiled, params: Sequence[Uncertain]) -> Targets:
        """The cell of each of `params` in the arrays of `c`."""
        cols = [_cell(c, p.path) for p in params]
        if not cols:
            return cls((), (), (), (), (), ())
        kind, actor, issue, item, scale, offset = zip(*cols, strict=True)
        return cls(kind, actor, issue, item, scale, offset)

    def columns(self, kind: str) -> list[int]:
        """The parameters that land in array `kind`."""
        return [j for j, k in enumerate(self.kind) if k == kind]

    def normalised(self, values: FloatArray, kind: str) -> FloatArray:
        """The drawn `values` (D, P) of the parameters of `kind`, as array values (D, n)."""
        cols = self.columns(kind)
        off = np.array([self.offset[j] for j in cols])
        return (np.asarray(values, dtype=float)[:, cols] - off) / np.array(
            [self.scale[j] for j in cols]
        )

    def to_batch(self, c: Compiled, values: FloatArray) -> Batch:
        """A `Batch` of the D draws ``values`` (D, P) over the arrays of `c`."""
        values = np.asarray(values, dtype=float)
        b = Batch.of(c, len(values))
        for kind, arr in (
            ("position", b.position),
            ("salience", b.salience),
            ("capability", b.capability),
            ("status_quo", b.status_quo),
        ):
            cols = self.columns(kind)
            if not cols:
                continue
            x = self.normalised(values, kind)
            actors = [self.actor[j] for j in cols]
            issues = [self.issue[j] for j in cols]
            if kind in ("position", "salience"):
                arr[:, actors, issues] = x
            elif kind == "capability":
                arr[:, actors] = x
            else:
                arr[:, issues] = x
        return b

    def compiled_all(self, c: Compiled, values: FloatArray) -> list[Compiled]:
        """The scenario `c` with each draw of ``values`` (D, P) set (`compiled`); the metric
        values of the drawn status quos are computed in one call."""
        values = np.atleast_2d(np.asarray(values, dtype=float))
        m_q = None
        if self.columns("status_quo") and c.metrics.names:
            q = self.to_batch(c, values).status_quo
            m_q = c.metrics.values(c.to_units(q))
        return [
            self.compiled(c, row, None if m_q is None else m_q[d]) for d, row in enumerate(values)
        ]

    def compiled(
        self, c: Compiled, values: FloatArray, status_quo_metrics: FloatArray | None = None
    ) -> Compiled:
        """The scenario `c` with one draw ``values`` (P,) set in every cell (`reparam`);
        ``status_quo_metrics`` are the metric values of its status quo, when known."""
        row = np.asarray(values, dtype=float)[None, :]
        b = self.to_batch(c, row)
        a = c.actors
        fields: dict[str, FloatArray | None] = {
            "position": b.position[0] if self.columns("position") else None,
            "salience": b.salience[0] if self.columns("salience") else None,
            "capability": b.capability[0] if self.columns("capability") else None,
            "status_quo": b.status_quo[0] if self.columns("status_quo") else None,
        }
        given = {"reservation": np.full(a.n, np.nan), "risk": a.risk, "discount": a.discount}
        for name, base in given.items():
            if self.columns(name):
                arr = np.array(base, dtype=float)
                arr[[self.actor[j] for j in self.columns(name)]] = self.normalised(row, name)[0]
                fields[name] = arr
        thresholds = _items(self, row, "red_line", [r.threshold for r in c.red_lines])
        terms = _items(self, row, "term_weight", [t.raw for t in a.terms])
        length = self.normalised(row, "round_length")[0]
        return reparam(
            c,
            **fields,
            round_length=float(length[-1]) if len(length) else None,
            red_line_threshold=thresholds,
            term_weight=terms,
            status_quo_metrics=status_quo_metrics,
        )


def _items(t: Targets, row: FloatArray, kind: str, base: list[float]) -> FloatArray | None:
    """`base` (one number per red line or term) with the drawn ones of `kind` set, or None."""
    cols = t.columns(kind)
    if not cols:
        return None
    out = np.array(base, dtype=float)
    out[[t.item[j] for j in cols]] = t.normalised(row, kind)[0]
    return out


def _cell(c: Compiled, path: tuple[object, ...]) -> tuple[str, int, int, int, float, float]:
    """(kind, actor, issue, item, scale, offset) of the number at `path` (module docstring)."""
    s = c.scenario
    head = path[0]
    if head == "meta" and path[-1] == "round_length":
        return ("round_length", -1, -1, -1, 1.0, 0.0)
    if head == "issues" and path[-1] == "status_quo":
        k = int(path[1])  # type: ignore[call-overload]
        return ("status_quo", -1, k, -1, float(c.span[k]), float(c.lo[k]))
    if head != "actors":
        return ("", -1, -1, -1, 1.0, 0.0)
    a, field = int(path[1]), str(path[2])  # type: ignore[call-overload]
    if field in ("positions", "salience"):
        k = c.issue_ids.index(str(path[3]))
        if field == "positions":
            return ("position", a, k, -1, float(c.span[k]), float(c.lo[k]))
        return ("salience", a, k, -1, float(s.meta.salience_scale), 0.0)
    if field in _ACTOR_FIELDS:
        return (field, a, -1, -1, 1.0, 0.0)
    before = s.actors[:a]
    if field == "red_lines" and path[-1] == "value":
        j = int(path[3])  # type: ignore[call-overload]
        return ("red_line", a, -1, sum(len(x.red_lines) for x in before) + j, 1.0, 0.0)
    if field == "metric_terms" and path[-1] == "weight":
        row = sum(len(x.metric_terms) for x in before) + int(path[3])  # type: ignore[call-overload]
        return ("term_weight", a, -1, row, float(s.meta.salience_scale), 0.0)
    return ("", -1, -1, -1, 1.0, 0.0)


class Cells(TypedDict, total=False):
    """The arrays `reparam` may set, each optional (see `reparam`)."""

    position: FloatArray | None
    salience: FloatArray | None
    capability: FloatArray | None
    status_quo: FloatArray | None
    reservation: FloatArray | None
    risk: FloatArray | None
    discount: FloatArray | None
    round_length: float | None
    red_line_threshold: FloatArray | None
    term_weight: FloatArray | None
    status_quo_metrics: FloatArray | None


def reparam(c: Compiled, **cells: Unpack[Cells]) -> Compiled:
    """`c` with new actor positions (A, K), saliences (A, K), capabilities, given reservation
    values (NaN: the utility of the status quo), risks or discounts (A,), status quo (K,),
    round length, red-line thresholds (R,, issue or metric units) or raw metric-term weights
    (T,, on 0–1 like saliences), positions and status quo normalised; ``status_quo_metrics``
    (M,) passes the metric values of the new status quo when already known (a batch of draws
    computes them in one call: `Targets.compiled_all`). The dependent arrays are
    re-derived as `compile` derives them: the issue and metric-term weights, the option value
    tables, then reservations and seats by `accord.scenario.compile.with_parties`, the very
    function `compile` ends with.

    No pydantic model is built or validated: the inputs are trusted to be in range (Monte-Carlo
    draws are clamped to what each field allows, `accord.experiments.uncertain`). The
    `scenario` field still holds the original scenario (and a red line's ``text`` its original
    threshold).
    """
    position, salience = cells.get("position"), cells.get("salience")
    capability, status_quo = cells.get("capability"), cells.get("status_quo")
    reservation, term_weight = cells.get("reservation"), cells.get("term_weight")
    red_line_threshold, round_length = cells.get("red_line_threshold"), cells.get("round_length")
    status_quo_metrics = cells.get("status_quo_metrics")
    a = c.actors
    pos = a.position if position is None else np.asarray(position, dtype=float)
    sal = a.salience if salience is None else np.asarray(salience, dtype=float)
    q = c.status_quo if status_quo is None else np.asarray(status_quo, dtype=float)
    actors = dataclasses.replace(
        a,
        position=pos,
        salience=sal,
        capability=_or(capability, a.capability),
        risk=_or(cells.get("risk"), a.risk),
        discount=_or(cells.get("discount"), a.discount),
        tables=_tables(c, pos, a),
    )
    terms = list(a.terms)
    if term_weight is not None:
        terms = [_raw_weight(t, float(w)) for t, w in zip(terms, term_weight, strict=True)]
    actors = _normalised(actors, terms)
    red_lines = c.red_lines
    if red_line_threshold is not None:
        red_lines = tuple(
            dataclasses.replace(r, threshold=float(t))
            for r, t in zip(red_lines, red_line_threshold, strict=True)
        )
    partial = dataclasses.replace(
        c,
        status_quo=q,
        actors=actors,
        seats=actors,
        red_lines=red_lines,
        round_length=c.round_length if round_length is None else float(round_length),
    )
    given = np.array([_given_reservation(c, i) for i in range(a.n)], dtype=float)
    if reservation is not None:
        drawn = np.asarray(reservation, dtype=float)
        given = np.where(np.isnan(drawn), given, drawn)
    m_q = None if status_quo_metrics is None else np.asarray(status_quo_metrics)[None, :]
    return with_parties(partial, actors, given, m_q)


def _or(x: FloatArray | None, default: FloatArray) -> FloatArray:
    return default if x is None else np.asarray(x, dtype=float)


def _raw_weight(t: Term, raw: float) -> Term:
    """Term `t` with a new raw weight (its normalised weight is re-derived by `_normalised`)."""
    return dataclasses.replace(t, raw=raw, weight=raw)


def _given_reservation(c: Compiled, i: int) -> float:
    from accord.scenario import number

    return number(c.scenario.actors[i].reservation, np.nan)


def _tables(c: Compiled, pos: FloatArray, a: Preferences) -> dict[int, FloatArray]:
    """Option value tables from positions, explicit per-option utilities kept."""
    s = c.scenario
    exponent = (
        a.issue_exponent
        if a.issue_exponent is not None
        else np.repeat(a.exponent[:, None], c.k, axis=1)
    )
    out: dict[int, FloatArray] = {}
    for k, t in a.tables.items():
        m = int(c.n_options[k])
        grid = np.arange(m) / (m - 1)
        new = 1.0 - np.abs(grid[None, :] - pos[:, k : k + 1]) ** exponent[:, k : k + 1]
        issue = s.issues[k]
        for i, actor in enumerate(s.actors):
            if actor.utilities.get(issue.id):
                new[i] = t[i]
        out[k] = new
    return out
