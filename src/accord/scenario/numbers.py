"""One walk over a scenario's numbers: where each one is, what it is for and what it may be.

Every number-bearing field of the schema is declared once in `FIELDS` (its dotted name pattern,
the model that holds it, what it is for, the range it allows, whether it may be an option label,
whether the sources listing cites it and whether Monte-Carlo may vary it). `numbers` walks a
scenario in document order and yields each number as written (a float, an option label or an
`Estimate`) with its field path, its readable name (``actors.iran.positions.fordow``), the bounds
the field allows there and the source it inherits from the issue, actor, term, red line, clock or
proposal that holds it. `set_numbers` sets numbers at field paths and rebuilds the scenario (or
its plain data) with each model on the way copied once.

The users, each reading this one declaration:
- `cited_numbers`: the numbers the sources listing shows (`accord validate`, the report);
- `source_refs`: every source a scenario names, checked against ``meta.sources``;
- `accord.scenario.checks`: the allowed range of every field (`NumberField.problem`);
- `accord.experiments.uncertain`: the uncertain numbers, clamped to the same ranges;
- `accord.web.edits`: the numbers the editor may change, set with `set_numbers`;
- `accord.io.fmt_common.lost_features`: whether a format would drop estimates' provenance.

Decisions where the design is silent:
- Float fields that shape the model rather than state a fact (an issue's scale, exponents,
  shape points, a quorum threshold, a clock's limit) are listed in `SETTINGS` with the reason;
  the contract test fails on any float field in neither list.
- A plain number inherits the source of the nearest holder that names one: a red line's or a
  metric term's own source, else its actor's.
- A clock without an id is named by its kind and index (``clocks.drift0.rate``), so that two
  such clocks never share a name.
- Risk, discount and a shape's threshold ``at`` are facts or judgements about an actor, so the
  sources listing shows them like every other such number (before this module it skipped them).
- ``meta.round_length > 0`` is checked here with every other bound (it was a field validator
  of `Meta`), so a bad round length is reported together with the scenario's other problems.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Literal, NamedTuple

from pydantic import BaseModel

from accord.errors import Path, Problem
from accord.scenario.estimate import Estimate, Value
from accord.scenario.schema import (
    Actor,
    Bloc,
    CostClock,
    DriftClock,
    Issue,
    Meta,
    MetricTerm,
    Proposal,
    RedLine,
    Scenario,
    Shape,
)

TINY = 1e-9
"""How far inside an open bound (``discount > 0``, ``round_length > 0``) values are clamped."""


@dataclass(frozen=True)
class Bounds:
    """An allowed range ``[lo, hi]``, open at ``lo`` when `lo_open`."""

    lo: float = -math.inf
    hi: float = math.inf
    lo_open: bool = False

    def admits(self, x: float) -> bool:
        """Whether `x` lies in the range."""
        return (self.lo < x if self.lo_open else self.lo <= x) and x <= self.hi

    @property
    def clamp_lo(self) -> float:
        """The lowest value clamping may give (just inside an open bound)."""
        return self.lo + TINY if self.lo_open else self.lo

    def text(self) -> str:
        """The range as people write it: ``[0, 1]``, ``(0, 1]``, ``≥ 0``."""
        if self.hi == math.inf:
            return f"{'>' if self.lo_open else '≥'} {self.lo:g}"
        return f"{'(' if self.lo_open else '['}{self.lo:g}, {self.hi:g}]"


UNBOUNDED = Bounds()
Scope = Bounds | Literal["issue", "salience"]


@dataclass(frozen=True)
class NumberField:
    """One number-bearing field of the schema, declared once.

    ``name`` is the dotted pattern (``*`` for an id or key); ``owners`` the models holding
    ``attr``; ``scope`` the allowed range: fixed `Bounds`, the issue's own scale (``issue``,
    whole option indices on an options issue) or ``[0, meta.salience_scale]`` (``salience``).
    ``label`` names the field in a validation message; a field without one is checked by its
    holder (a red line's threshold depends on its ``op``: ``checked`` False) or needs none.
    ``numeric`` is False where an option label may stand for the number.
    """

    name: str
    owners: tuple[type[BaseModel], ...]
    attr: str
    purpose: str
    scope: Scope = UNBOUNDED
    label: str = ""
    message: str = ""
    numeric: bool = True
    cited: bool = True
    varied: bool = True
    checked: bool = True

    def bounds(self, s: Scenario, issue: Issue | None = None) -> Bounds:
        """The range this field allows in scenario `s` (on `issue` for an issue-scale field)."""
        if self.scope == "salience":
            return Bounds(0.0, float(s.meta.salience_scale))
        if self.scope == "issue":
            return Bounds(*issue.bounds) if issue is not None else UNBOUNDED
        return self.scope

    def problem(self, path: Path, x: float, b: Bounds) -> Problem | None:
        """The validation problem of value `x` at `path`, or None when `b` admits it."""
        if b.admits(x):
            return None
        if self.message:
            return Problem(self.message, path, x)
        verb = "be a number" if b.hi == math.inf else "lie in"
        return Problem(f"{self.label} must {verb} {b.text()}", path, x)


FIELDS: tuple[NumberField, ...] = (
    NumberField(
        "meta.round_length", (Meta,), "round_length", "time units that one round of talks takes",
        Bounds(0.0, math.inf, lo_open=True), "round_length",
        "a round must last a positive time (round_length > 0)",
    ),
    NumberField(
        "issues.*.status_quo", (Issue,), "status_quo", "the outcome if no deal is made",
        "issue", numeric=False,
    ),
    NumberField(
        "issues.*.outcome", (Issue,), "outcome", "the known result of the talks (data)",
        "issue", numeric=False, varied=False,
    ),
    NumberField(
        "actors.*.capability", (Actor,), "capability", "the actor's power",
        Bounds(0.0), "capability",
    ),
    NumberField(
        "actors.*.positions.*", (Actor,), "positions", "the outcome the actor asks for",
        "issue", numeric=False,
    ),
    NumberField(
        "actors.*.salience.*", (Actor,), "salience", "how much the issue matters to the actor",
        "salience", "salience",
    ),
    NumberField(
        "actors.*.utilities.*.*", (Actor,), "utilities", "the actor's utility of an option",
        Bounds(0.0, 1.0), "an option utility", cited=False, varied=False,
    ),
    NumberField(
        "actors.*.reservation", (Actor,), "reservation", "the utility of no deal, if given",
        Bounds(0.0, 1.0), "reservation",
    ),
    NumberField(
        "actors.*.risk", (Actor,), "risk", "risk attitude (models that have one)",
        Bounds(-1.0, 1.0), "risk",
    ),
    NumberField(
        "actors.*.discount", (Actor,), "discount", "time discount per round",
        Bounds(0.0, 1.0, lo_open=True), "discount",
    ),
    NumberField(
        "actors.*.shapes.*.at", (Shape,), "at", "threshold of a threshold shape",
        varied=False,
    ),
    NumberField(
        "actors.*.metric_terms.*.weight", (MetricTerm,), "weight", "weight of a metric term",
        "salience", "a metric weight",
    ),
    NumberField(
        "actors.*.metric_terms.*.shape.at", (Shape,), "at", "threshold of a metric term",
        varied=False,
    ),
    NumberField(
        "actors.*.red_lines.*.value", (RedLine,), "value", "threshold of a red line",
        "issue", numeric=False, checked=False,
    ),
    NumberField(
        "clocks.*.rate", (DriftClock, CostClock), "rate", "how fast the no-deal point moves",
    ),
    NumberField(
        "proposals.*.outcome.*", (Proposal,), "outcome", "a tabled package, issue by issue",
        "issue", numeric=False, cited=False, varied=False,
    ),
)  # fmt: skip

SETTINGS: dict[tuple[type[BaseModel], str], str] = {
    (Issue, "scale"): "defines the issue's range; every issue-scale number is checked against it",
    (Actor, "exponent"): "shapes the distance utility; bounded by the schema",
    (Shape, "exponent"): "shapes a power utility; bounded by the schema",
    (Shape, "points"): "a piecewise shape's knots; checked with the shape",
    (Bloc, "threshold"): "a quorum rule's share; bounded by the schema",
    (DriftClock, "limit"): "where a drift stops; checked with its clock",
    (CostClock, "limit"): "where a cost stops; checked with its clock",
}
"""Float fields that set the model up rather than state a number with a source, and why."""

_BY_NAME = {f.name: f for f in FIELDS}


def number_field(name: str) -> NumberField:
    """The declared field with dotted pattern `name` (``actors.*.capability``)."""
    return _BY_NAME[name]


class Number(NamedTuple):
    """One number of a scenario as written, where it is and what it may be (a named tuple:
    validation builds one for every number of a scenario).

    ``issue`` is the issue whose scale an issue-scale number is on. ``known`` is False when an id
    on its path names nothing (an unknown issue or option); such a number is reported by the
    reference checks and its range is not checked.
    """

    path: Path
    holder: str
    depth: int
    value: Value
    field: NumberField
    bounds: Bounds
    inherited: str | None
    issue: Issue | None = None
    known: bool = True
    written: bool = True
    """False for a default the file did not write (an actor's risk or discount)."""

    @property
    def name(self) -> str:
        """The readable name: ids instead of indices (``actors.iran.positions.fordow``)."""
        return ".".join([self.holder, *map(str, self.path[self.depth :])])

    @property
    def integer(self) -> bool:
        """Whether the number is an option index (on an options issue)."""
        return self.field.scope == "issue" and self.issue is not None and not self.issue.continuous


def numbers(s: Scenario) -> Iterator[Number]:
    """Every number of `s`, in document order (see the module docstring).

    >>> import accord
    >>> trade = accord.load("teaching-trade")
    >>> [n.name for n in numbers(trade)][:3]
    ['meta.round_length', 'issues.price.status_quo', 'issues.delivery.status_quo']
    >>> n = next(n for n in numbers(trade) if n.name == "actors.buyer.salience.price")
    >>> n.path, n.bounds.text(), n.field.purpose
    (('actors', 0, 'salience', 'price'), '[0, 1]', 'how much the issue matters to the actor')
    """
    return (x for x in _walk(s) if isinstance(x, Number))


class _Holder(NamedTuple):
    """A model that may name a source for the numbers it holds."""

    path: Path
    model: BaseModel


@dataclass(frozen=True)
class _Place:
    """Where the walk is: a holder's field path, its readable name and the source it gives.

    ``bounds`` is shared by every place of one walk: each field's bounds on each issue, built
    once.
    """

    s: Scenario
    path: Path
    name: str
    source: str | None
    bounds: dict[tuple[str, str | None], Bounds]

    def inside(self, rest: Path, source: str | None = None) -> _Place:
        """A holder inside this one; a plain number there inherits `source`, else ours."""
        name = ".".join([self.name, *map(str, rest)])
        return _Place(self.s, (*self.path, *rest), name, source or self.source, self.bounds)

    def at(
        self, pattern: str, rest: Path, value: Value, issue: Issue | None = None, known: bool = True
    ) -> Number:
        """The number `value` at `rest` below this holder, declared by field `pattern`."""
        f = _BY_NAME[pattern]
        key = (pattern, issue.id if issue is not None else None)
        bounds = self.bounds.get(key)
        if bounds is None:
            bounds = self.bounds[key] = f.bounds(self.s, issue)
        path = (*self.path, *rest)
        return Number(path, self.name, len(self.path), value, f, bounds, self.source, issue, known)


def _walk(s: Scenario) -> Iterator[Number | _Holder]:
    """Numbers and their holders in document order (a holder before its numbers)."""
    issues = {i.id: i for i in s.issues}
    shared: dict[tuple[str, str | None], Bounds] = {}

    def place(path: Path, name: str, source: str | None) -> _Place:
        return _Place(s, path, name, source, shared)

    yield place(("meta",), "meta", None).at(
        "meta.round_length", ("round_length",), s.meta.round_length
    )
    for k, i in enumerate(s.issues):
        here = place(("issues", k), f"issues.{i.id}", i.source)
        yield _Holder(here.path, i)
        for attr in ("status_quo", "outcome"):
            v = getattr(i, attr)
            if v is not None:
                yield here.at(f"issues.*.{attr}", (attr,), v, i)
    for k, a in enumerate(s.actors):
        yield from _actor(place(("actors", k), f"actors.{a.id}", a.source), a, issues)
    for k, b in enumerate(s.blocs):
        yield _Holder(("blocs", k), b)
    for k, c in enumerate(s.clocks):
        here = place(("clocks", k), f"clocks.{c.id or f'{c.kind}{k}'}", c.source)
        yield _Holder(here.path, c)
        yield here.at("clocks.*.rate", ("rate",), c.rate)
    for k, p in enumerate(s.proposals):
        here = place(("proposals", k), f"proposals.{p.id}", p.source)
        yield _Holder(here.path, p)
        for iid, v in p.outcome.items():
            issue = issues.get(iid)
            yield here.at("proposals.*.outcome.*", ("outcome", iid), v, issue, issue is not None)


def _actor(here: _Place, a: Actor, issues: dict[str, Issue]) -> Iterator[Number | _Holder]:
    """The numbers of actor `a`, with its metric terms and red lines as holders."""
    yield _Holder(here.path, a)
    yield here.at("actors.*.capability", ("capability",), a.capability)
    for part in ("positions", "salience"):
        for iid, v in getattr(a, part).items():
            issue = issues.get(iid)
            yield here.at(f"actors.*.{part}.*", (part, iid), v, issue, issue is not None)
    for iid, table in a.utilities.items():
        opts = issues[iid].options if iid in issues else None
        for opt, u in table.items():
            known = opts is not None and opt in opts
            yield here.at("actors.*.utilities.*.*", ("utilities", iid, opt), u, known=known)
    for attr in ("reservation", "risk", "discount"):
        v = getattr(a, attr)
        if v is not None:
            n = here.at(f"actors.*.{attr}", (attr,), v)
            yield n._replace(written=attr in a.model_fields_set)
    for iid, shape in a.shapes.items():
        if shape.at is not None:
            yield here.at("actors.*.shapes.*.at", ("shapes", iid, "at"), shape.at)
    for j, t in enumerate(a.metric_terms):
        term = here.inside(("metric_terms", j), t.source)
        yield _Holder(term.path, t)
        yield term.at("actors.*.metric_terms.*.weight", ("weight",), t.weight)
        if t.shape.at is not None:
            yield term.at("actors.*.metric_terms.*.shape.at", ("shape", "at"), t.shape.at)
    for j, r in enumerate(a.red_lines):
        line = here.inside(("red_lines", j), r.source)
        yield _Holder(line.path, r)
        if r.value is not None:
            issue = issues.get(r.issue) if r.issue is not None else None
            yield line.at("actors.*.red_lines.*.value", ("value",), r.value, issue)


def cited_numbers(s: Scenario) -> list[tuple[str, Value, str | None]]:
    """Every number the sources listing cites, as ``(name, value, inherited source)``.

    Shared by `accord validate` (numbers with no source) and the report's sources table.
    """
    return [(n.name, n.value, n.inherited) for n in numbers(s) if n.field.cited and n.written]


def source_refs(s: Scenario) -> list[tuple[Path, str]]:
    """Every source a scenario names, with its field path, in document order.

    A holder's own ``source`` (and a bloc's ``rule_source``) comes before the sources of the
    estimates it holds.
    """
    refs: list[tuple[Path, str]] = []
    for x in _walk(s):
        if isinstance(x, _Holder):
            for key in ("source", "rule_source"):
                src = getattr(x.model, key, None)
                if isinstance(src, str) and src:
                    refs.append(((*x.path, key), src))
        elif isinstance(x.value, Estimate) and x.value.source:
            refs.append(((*x.path, "source"), x.value.source))
    return refs


def set_numbers(obj: Any, values: Iterable[tuple[Path, Any]]) -> Any:
    """`obj` (a scenario, or its plain data) with the number at each path set to its value.

    An `Estimate` (or an estimate written as a mapping with a ``value``) keeps its source, note
    and uncertainty; only its value changes. The paths are gathered into one tree first, so every
    model on the way is copied once with ``model_copy``: a scenario is *not* validated again
    (Monte-Carlo clamps its values to the declared bounds instead); plain data is validated by
    whoever reads it.
    """
    tree: dict[Any, Any] = {}
    for path, x in values:
        node = tree
        for part in path[:-1]:
            node = node.setdefault(part, {})
        node[path[-1]] = _Leaf(x)
    return _apply(obj, tree)


class _Leaf:
    """A value to set (told apart from the tree of paths leading to it)."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value


def _apply(obj: Any, tree: dict[Any, Any] | _Leaf) -> Any:
    if isinstance(tree, _Leaf):
        if isinstance(obj, Estimate):
            return obj.model_copy(update={"value": tree.value})
        if isinstance(obj, dict) and "value" in obj:
            return {**obj, "value": tree.value}
        return tree.value
    if isinstance(obj, BaseModel):
        return obj.model_copy(update={k: _apply(getattr(obj, k), sub) for k, sub in tree.items()})
    if isinstance(obj, dict) or obj is None:
        old = obj or {}
        return {**old, **{k: _apply(old.get(k), sub) for k, sub in tree.items()}}
    if isinstance(obj, tuple | list):
        items = list(obj)
        for k, sub in tree.items():
            items[k] = _apply(obj[k], sub)
        return type(obj)(items)
    raise TypeError(f"cannot set a number inside a {type(obj).__name__}")
