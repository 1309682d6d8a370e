"""Monte-Carlo draws applied to compiled arrays instead of to the pydantic scenario.

Most uncertain numbers of a scenario land in one cell of a compiled array: an actor's position
or salience on an issue, its capability, an issue's status quo. `Targets` finds that cell for
each `Uncertain` once, and then

- `to_batch` writes a whole chunk of drawn values (D, P) into a `Batch` (D variants of the
  actors' arrays, `accord.forecast.models.batched`) with a few fancy-index assignments;
- `reparam` gives one `Compiled` with new positions, saliences, capabilities or status quo,
  built with `dataclasses.replace` (so fields added to `Compiled` later are kept), re-deriving
  what depends on them exactly as `accord.scenario.compile` does: salience weights, the option
  value tables of options issues, reservation values and the seats (blocs).

Numbers that live elsewhere (reservation, risk, discount, round length, clock rates) have no
cell here: `Targets.complete` is False when the scenario has one, and the batched path is only
taken by tasks that read none of them (the forecast models read positions, saliences,
capabilities and the status quo only).

The arrays are normalised as in `compile`: a value ``v`` of issue ``k`` becomes
``(v − lo_k)/span_k``, a salience ``v / meta.salience_scale``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from accord.experiments.uncertain import Uncertain
from accord.forecast.models.batched import Batch
from accord.scenario import Compiled, Preferences
from accord.scenario.compile import FloatArray, _normalised, with_parties

_KINDS = ("position", "salience", "capability", "status_quo")


@dataclass(frozen=True)
class Targets:
    """Where each uncertain number goes: (kind, actor, issue, scale, offset) per parameter.

    ``kind[j]`` is one of ``position``, ``salience``, ``capability``, ``status_quo`` or ``""``
    (no array cell); the array value is ``(x − offset[j]) / scale[j]``.
    """

    kind: tuple[str, ...]
    actor: tuple[int, ...]
    issue: tuple[int, ...]
    scale: tuple[float, ...]
    offset: tuple[float, ...]

    @property
    def complete(self) -> bool:
        """True when every uncertain number has an array cell."""
        return all(self.kind)

    @classmethod
    def of(cls, c: Compiled, params: Sequence[Uncertain]) -> Targets:
        """The cell of each of `params` in the arrays of `c`."""
        cols: list[tuple[str, int, int, float, float]] = []
        s = c.scenario
        for p in params:
            path = p.path
            if path[0] == "issues" and path[-1] == "status_quo":
                k = int(path[1])
                cols.append(("status_quo", -1, k, float(c.span[k]), float(c.lo[k])))
            elif path[0] == "actors" and path[2] in ("positions", "salience"):
                a, k = int(path[1]), c.issue_ids.index(str(path[3]))
                if path[2] == "positions":
                    cols.append(("position", a, k, float(c.span[k]), float(c.lo[k])))
                else:
                    cols.append(("salience", a, k, float(s.meta.salience_scale), 0.0))
            elif path[0] == "actors" and path[2] == "capability":
                cols.append(("capability", int(path[1]), -1, 1.0, 0.0))
            else:
                cols.append(("", -1, -1, 1.0, 0.0))
        if not cols:
            return cls((), (), (), (), ())
        kind, actor, issue, scale, offset = zip(*cols, strict=True)
        return cls(kind, actor, issue, scale, offset)

    def columns(self, kind: str) -> list[int]:
        """The parameters that land in array `kind`."""
        return [j for j, k in enumerate(self.kind) if k == kind]

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
            x = (values[:, cols] - np.array([self.offset[j] for j in cols])) / np.array(
                [self.scale[j] for j in cols]
            )
            actors = [self.actor[j] for j in cols]
            issues = [self.issue[j] for j in cols]
            if kind in ("position", "salience"):
                arr[:, actors, issues] = x
            elif kind == "capability":
                arr[:, actors] = x
            else:
                arr[:, issues] = x
        return b

    def compiled(self, c: Compiled, values: FloatArray) -> Compiled:
        """The scenario `c` with one draw ``values`` (P,) set (`reparam`)."""
        b = self.to_batch(c, np.asarray(values, dtype=float)[None, :])
        return reparam(
            c,
            position=b.position[0] if self.columns("position") else None,
            salience=b.salience[0] if self.columns("salience") else None,
            capability=b.capability[0] if self.columns("capability") else None,
            status_quo=b.status_quo[0] if self.columns("status_quo") else None,
        )


def reparam(
    c: Compiled,
    *,
    position: FloatArray | None = None,
    salience: FloatArray | None = None,
    capability: FloatArray | None = None,
    status_quo: FloatArray | None = None,
) -> Compiled:
    """`c` with new actor positions (A, K), saliences (A, K), capabilities (A,) or status quo
    (K,), all normalised; the dependent arrays are re-derived as `compile` derives them: the
    issue and metric-term weights, the option value tables, then reservations and seats by
    `accord.scenario.compile.with_parties`, the very function `compile` ends with.

    No pydantic model is built or validated: the inputs are trusted to be in range (Monte-Carlo
    draws are clamped to what each field allows, `accord.experiments.uncertain`). The
    `scenario` field still holds the original scenario.
    """
    a = c.actors
    pos = a.position if position is None else np.asarray(position, dtype=float)
    sal = a.salience if salience is None else np.asarray(salience, dtype=float)
    cap = a.capability if capability is None else np.asarray(capability, dtype=float)
    q = c.status_quo if status_quo is None else np.asarray(status_quo, dtype=float)
    actors = dataclasses.replace(
        a, position=pos, salience=sal, capability=cap, tables=_tables(c, pos, a)
    )
    actors = _normalised(actors, list(a.terms))
    partial = dataclasses.replace(c, status_quo=q, actors=actors, seats=actors)
    given = np.array([_given_reservation(c, i) for i in range(a.n)], dtype=float)
    return with_parties(partial, actors, given)


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
