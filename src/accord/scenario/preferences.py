"""Compiled red lines, metric terms and utility shapes (docs/preferences.md).

`accord.scenario.compile` turns the schema's ``red_lines``, ``metric_terms`` and ``shapes`` into
the arrays here, binding each metric named by the scenario to its vectorised function
(`accord.metrics`). Engines then evaluate them on whole package arrays:

- `MetricSet.values(units)` — metric values (N, M) of packages in issue units (N, K);
- `Term.value(m)` — a metric term's shape, in [0, 1];
- `CompiledRedLine.breach(units, metrics)` — by how much each package breaks the red line
  (0 = kept; issue or metric units; 1 for an option outside the allowed set).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from accord.metrics import MetricContext, bind_metric
from accord.scenario.schema import RedLine, Scenario, Shape, _raw, number

FloatArray = NDArray[np.float64]
BREACH_TOL = 1e-9


def metric_context(s: Scenario, name: str) -> MetricContext:
    """What metric `name` may read of scenario `s`."""
    return MetricContext(
        issue_ids=tuple(s.issue_ids),
        issue_units=tuple(i.unit for i in s.issues),
        date=s.meta.date,
        params=dict(s.metrics.get(name, {})),
    )


def used_metrics(s: Scenario) -> tuple[str, ...]:
    """Metric names the scenario's red lines and terms use, in first-use order."""
    names: list[str] = []
    for a in s.actors:
        for n in [t.metric for t in a.metric_terms] + [r.metric for r in a.red_lines if r.metric]:
            if n not in names:
                names.append(n)
    return tuple(names)


@dataclass(frozen=True, eq=False)
class MetricSet:
    """The metrics a scenario uses, bound to it: names, units and vectorised functions."""

    names: tuple[str, ...] = ()
    units: tuple[str, ...] = ()
    fns: tuple[Callable[[FloatArray], FloatArray], ...] = ()
    labels: tuple[str, ...] = ()
    """Each metric's name for people (its ``label``, else the name with spaces)."""

    def index(self, name: str) -> int:
        """Column of metric `name`."""
        return self.names.index(name)

    def values(self, units: FloatArray) -> FloatArray:
        """Metric values (N, M) of packages in issue units (N, K)."""
        units = np.atleast_2d(np.asarray(units, dtype=float))
        if not self.fns:
            return np.zeros((len(units), 0))
        return np.column_stack([f(units) for f in self.fns])


def bind_metrics(s: Scenario) -> MetricSet:
    """Bind every metric the scenario uses (validated by `accord.scenario.checks`)."""
    names = used_metrics(s)
    from accord.metrics import METRICS

    fns = tuple(bind_metric(n, metric_context(s, n)) for n in names)
    objs = [METRICS.get(n).obj for n in names]
    units = tuple(str(getattr(o, "unit", "")) for o in objs)
    labels = tuple(
        str(getattr(o, "label", n.replace("_", " "))) for o, n in zip(objs, names, strict=True)
    )
    return MetricSet(names, units, fns, labels)


@dataclass(frozen=True, eq=False)
class Term:
    """A metric term of one party: raw weight (salience scale 0–1), normalised weight, shape."""

    party: int
    metric: int
    raw: float
    weight: float
    kind: str
    xs: FloatArray = field(default_factory=lambda: np.zeros(0))
    us: FloatArray = field(default_factory=lambda: np.zeros(0))
    at: float = 0.0
    above: bool = True

    def value(self, m: FloatArray) -> FloatArray:
        """The shape in [0, 1] of metric values `m` (N,)."""
        if self.kind == "threshold":
            return ((m >= self.at) if self.above else (m <= self.at)).astype(float)
        finite = np.where(np.isposinf(m), self.xs[-1], np.where(np.isneginf(m), self.xs[0], m))
        return np.interp(finite, self.xs, self.us)


def compile_term(party: int, metric: int, raw: float, shape: Shape) -> Term:
    """A `Term` from the schema's shape (weight normalised later by the party's total)."""
    if shape.kind == "threshold":
        return Term(party, metric, raw, raw, "threshold", at=number(shape.at), above=shape.above)
    pts = np.asarray(shape.points, dtype=float)
    return Term(party, metric, raw, raw, "piecewise", xs=pts[:, 0], us=pts[:, 1])


@dataclass(frozen=True, eq=False)
class CompiledRedLine:
    """One actor's red line on an issue column or a metric column."""

    actor: int
    actor_id: str
    subject: str
    on_metric: bool
    column: int
    op: str
    threshold: float
    allowed: NDArray[np.bool_] | None
    text: str
    source: str | None = None
    note: str | None = None
    label: str = ""
    """The subject for people: the issue's label, or the metric's (``breakout time``)."""
    unit: str = ""

    def breach(self, units: FloatArray, metrics: FloatArray) -> FloatArray:
        """By how much each package (N,) breaks the red line: 0 when kept."""
        v = metrics[:, self.column] if self.on_metric else units[:, self.column]
        if self.allowed is not None:
            idx = np.clip(np.rint(v).astype(np.int64), 0, len(self.allowed) - 1)
            return (~self.allowed[idx]).astype(float)
        with np.errstate(invalid="ignore"):
            over = v - self.threshold if self.op == "<=" else self.threshold - v
        over = np.nan_to_num(over, nan=0.0, posinf=np.inf, neginf=0.0)
        return np.where(over > BREACH_TOL * (1 + abs(self.threshold)), over, 0.0)

    def relaxed(self, by: float) -> str:
        """The red line moved by `by` toward acceptance, as text."""
        t = self.threshold + by if self.op == "<=" else self.threshold - by
        return f"{self.label or self.subject} {OPS[self.op]} {_fmt(t)} {self.unit}".strip()

    def amount(self, by: float) -> str | None:
        """How far past this line a package is, for people (``15 % U-235``); None for a line on
        options, which a package keeps or breaks."""
        return None if self.allowed is not None else f"{_fmt(by)} {self.unit}".strip()


OPS = {"<=": "≤", ">=": "≥"}
"""How a red line's comparison reads."""


def _fmt(x: float) -> str:
    return f"{x:,.0f}" if abs(x) >= 1000 else f"{x:.3g}"


def compile_red_lines(s: Scenario, metrics: MetricSet) -> tuple[CompiledRedLine, ...]:
    """Every actor's red lines as `CompiledRedLine` records, actors in scenario order."""
    out: list[CompiledRedLine] = []
    for a_row, a in enumerate(s.actors):
        for rl in a.red_lines:
            out.append(_red_line(s, a_row, a.id, rl, metrics))
    return tuple(out)


def _red_line(
    s: Scenario, row: int, actor_id: str, rl: RedLine, metrics: MetricSet
) -> CompiledRedLine:
    if rl.metric is not None:
        col = metrics.index(rl.metric)
        t = number(rl.value)  # type: ignore[arg-type]
        unit, label = metrics.units[col], metrics.labels[col]
        text = f"{label} {OPS[rl.op]} {_fmt(t)} {unit}".strip()
        return CompiledRedLine(
            row, actor_id, rl.metric, True, col, rl.op, t, None, text, rl.source, rl.note,
            label, unit,
        )  # fmt: skip
    issue = s.issue(str(rl.issue))
    col = s.issue_ids.index(issue.id)
    allowed = None
    if rl.options is not None:
        assert issue.options is not None
        inside = np.array([o in rl.options for o in issue.options])
        allowed = inside if rl.op == "in" else ~inside
        t = float("nan")
        listed = " or ".join(rl.options)
        text = f"{issue.label}: {listed}" if rl.op == "in" else f"{issue.label} not {listed}"
    else:
        raw = _raw(rl.value)  # type: ignore[arg-type]
        t = issue.to_units(raw)
        if issue.options is not None:
            text = f"{issue.label} {OPS[rl.op]} {issue.show(t)}"
        else:
            text = f"{issue.label} {OPS[rl.op]} {_fmt(t)}{' ' + issue.unit if issue.unit else ''}"
    unit = "" if issue.options is not None else (issue.unit or "")
    return CompiledRedLine(
        row, actor_id, issue.id, False, col, rl.op, t, allowed, text, rl.source, rl.note,
        issue.label, unit,
    )  # fmt: skip


def linear_additive(s: Scenario) -> Scenario:
    """The same scenario without red lines, metric terms, shapes and bloc rules (all weighted).

    The model of design.md §1 alone: what the analysis said before preferences were richer, for
    comparing the two ("what do the red lines change?").
    """
    data = s.model_dump()
    for a in data["actors"]:
        a.update(red_lines=(), metric_terms=(), shapes={})
    for b in data["blocs"]:
        b.update(rule="weighted", threshold=None)
    data["metrics"] = {}
    return Scenario.model_validate(data)
