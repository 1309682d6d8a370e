"""The scenario schema: one description of a negotiation that every engine reads.

A scenario has issues, actors, blocs, clocks, named proposals and meta (design.md §1). The models
are frozen pydantic v2 models; `Scenario` validates every cross-reference when it is built and
raises `InputError` with one `Problem` per defect, each naming its field path.

Every number may be written plainly (``capability: 100``) or as an `Estimate`
(``capability: {value: 100, source: iaea-2013-05, range: [80, 120]}``) which says where it came
from, whether it is a judgement, and how uncertain it is. Monte-Carlo reads the uncertainty;
reports read the sources.

Decisions where design.md is silent:
- Salience is on 0–1; a scenario may write it on 0–100 with ``meta.salience_scale: 100``.
- The seated parties are ``table`` (bloc or actor ids). When omitted, every bloc and every actor
  that belongs to no bloc is seated.
- A bloc's capability is the sum of its members'; its position per issue is the
  capability × salience weighted mean of its members' positions and its salience the capability
  weighted mean of their saliences (computed in `accord.scenario.compile`).
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import re
from typing import Annotated, Any, Literal

from pydantic import Field, field_validator, model_validator

from accord.errors import InputError, improper_unicode
from accord.results import NotebookView
from accord.scenario.estimate import (
    Estimate,
    Frozen,
    Number,
    Value,
    _raw,
)
from accord.scenario.estimate import number as number  # re-exported for older imports

ID_PATTERN = r"^[A-Za-z][A-Za-z0-9_.\-]*$"
Id = Annotated[str, Field(pattern=ID_PATTERN, max_length=64)]

MAX_ACTORS = 1000
MAX_ISSUES = 200
MAX_OPTIONS = 1000


class Source(Frozen):
    """A citable source: an id used by estimates, a citation a reader can follow and its grade.

    ``title``, ``publisher`` and ``date`` (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``) name the
    document; ``url`` is its public http(s) address (any other scheme, e.g. ``javascript:``, is
    refused); ``document`` is the path, relative to the accord repository, of a copy shipped with
    accord (the project's fact sheet, say). ``cite`` says which part of it supports which numbers.
    """

    id: Id
    cite: str
    title: str | None = Field(default=None, max_length=500)
    publisher: str | None = Field(default=None, max_length=300)
    date: str | None = Field(default=None, pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$")
    url: str | None = Field(
        default=None,
        description="public http(s) address of the document",
        json_schema_extra={"pattern": "^[Hh][Tt][Tt][Pp][Ss]?://[^\\s<>\"'`]+$"},
    )
    document: str | None = Field(default=None, pattern=r"^[\w][\w./\-]*$", max_length=300)
    grade: str | None = Field(
        default=None, description="F firm, R reported, E estimate, J judgement (fact sheet legend)"
    )

    @field_validator("date", mode="before")
    @classmethod
    def _date_text(cls, v: Any) -> Any:
        """YAML reads ``2013-04-06`` as a date and ``1994`` as an int; keep them as text."""
        return v.isoformat() if isinstance(v, dt.date) else str(v) if isinstance(v, int) else v

    @field_validator("url")
    @classmethod
    def _http_only(cls, v: str | None) -> str | None:
        if v is not None and not re.fullmatch(r"(?i)https?://[^\s<>\"'`]+", v):
            raise ValueError(f"url {v!r} must be an http:// or https:// address")
        return v

    @field_validator("document")
    @classmethod
    def _inside_repo(cls, v: str | None) -> str | None:
        if v is not None and ".." in v.split("/"):
            raise ValueError(f"document {v!r} must be a path inside the accord repository")
        return v

    def reference(self) -> str:
        """The citation as people read it: title, publisher, date, then what it supports."""
        head = ", ".join(x for x in (self.title, self.publisher, self.date) if x)
        return f"{head}. {self.cite}" if head else self.cite


class Meta(Frozen):
    """Title, date, time unit and sources of a scenario."""

    title: str = Field(min_length=1, max_length=300)
    date: dt.date | None = None
    description: str | None = None
    time_unit: Literal["day", "week", "month", "quarter", "year"] = "month"
    round_length: Number = Field(
        default=1.0, description="time units that one round of talks takes"
    )
    salience_scale: Literal[1, 100] = 1
    sources: tuple[Source, ...] = ()


class Issue(Frozen):
    """One issue: continuous on ``scale`` (with ``unit``) or ordered ``options``.

    ``status_quo`` is the outcome if no deal is made; ``outcome`` the known result where there is
    one (used by `accord evaluate`). ``exponent`` shapes the distance on this issue.
    """

    id: Id
    name: str | None = None
    description: str | None = None
    scale: tuple[float, float] | None = None
    unit: str | None = None
    options: tuple[str, ...] | None = None
    status_quo: Value
    outcome: Value | None = None
    source: str | None = None

    @model_validator(mode="after")
    def _kind(self) -> Issue:
        if (self.scale is None) == (self.options is None):
            raise ValueError("an issue has either a scale [lo, hi] or a list of options")
        if self.scale is not None:
            lo, hi = self.scale
            if not (math.isfinite(lo) and math.isfinite(hi)) or not lo < hi:
                raise ValueError(f"scale {list(self.scale)} must be finite with lo < hi")
            if not math.isfinite(hi - lo):
                raise ValueError(f"scale {list(self.scale)} is too wide: hi − lo overflows")
        if self.options is not None:
            if len(self.options) < 2:
                raise ValueError("an options issue needs at least two options")
            if len(self.options) > MAX_OPTIONS:
                raise ValueError(f"at most {MAX_OPTIONS} options per issue")
            if len(set(self.options)) != len(self.options):
                raise ValueError("options must be distinct")
        return self

    @property
    def continuous(self) -> bool:
        """True for an issue on a numeric scale."""
        return self.scale is not None

    @property
    def label(self) -> str:
        """The display name."""
        return self.name or self.id

    @property
    def bounds(self) -> tuple[float, float]:
        """The issue's range in its own units (option indices for an options issue)."""
        if self.scale is not None:
            return self.scale
        assert self.options is not None
        return 0.0, float(len(self.options) - 1)

    def to_units(self, value: float | str) -> float:
        """A position in issue units: the number itself, or the index of an option label."""
        if isinstance(value, str):
            if self.options is None or value not in self.options:
                raise ValueError(f"{value!r} is not an option of issue {self.id!r}")
            return float(self.options.index(value))
        return float(value)

    def show(self, value: float) -> str:
        """A value in issue units as a person reads it: the nearest option or the number."""
        if self.options is not None:
            i = min(max(round(value), 0), len(self.options) - 1)
            return self.options[i]
        return _readable(value)


def _readable(x: float) -> str:
    """A number with the digits a reader needs and no exponent (`accord.present.format`)."""
    from accord.present.format import number as readable

    return readable(x)


class Shape(Frozen):
    """How a value maps to utility on one issue or one metric (docs/preferences.md).

    - ``linear`` (issues only): today's ``1 − d`` with the actor's ``exponent``;
    - ``power``: ``1 − d^exponent`` on an issue (exponent < 1 concave loss, > 1 convex);
    - ``piecewise``: linear interpolation through ``points`` ``[[x, u], …]`` (x in issue or
      metric units, strictly increasing; u in [0, 1]; flat beyond the end points);
    - ``threshold`` (metrics only): u = 1 when the metric is ``above`` (or, with
      ``above: false``, below) ``at``, else 0.
    """

    kind: Literal["linear", "power", "piecewise", "threshold"] = "linear"
    exponent: float | None = Field(default=None, gt=0, le=10)
    points: tuple[tuple[float, float], ...] | None = None
    at: Number | None = None
    above: bool = True

    @model_validator(mode="after")
    def _parameters(self) -> Shape:
        if self.kind == "power" and self.exponent is None:
            raise ValueError("a power shape needs an exponent")
        if self.kind == "threshold" and self.at is None:
            raise ValueError("a threshold shape needs 'at'")
        if self.kind == "piecewise":
            pts = self.points or ()
            if len(pts) < 2:
                raise ValueError("a piecewise shape needs at least two points [x, u]")
            xs = [p[0] for p in pts]
            if any(b <= a for a, b in itertools.pairwise(xs)):
                raise ValueError(f"piecewise x values {xs} must be strictly increasing")
            if any(not 0 <= p[1] <= 1 for p in pts):
                raise ValueError("piecewise utilities must lie in [0, 1]")
            if any(not math.isfinite(v) for p in pts for v in p):
                raise ValueError("piecewise points must be finite numbers")
        return self

    @property
    def monotone(self) -> bool:
        """Whether the shape never changes direction (threshold and linear always are)."""
        if self.kind != "piecewise" or self.points is None:
            return True
        d = [b[1] - a[1] for a, b in itertools.pairwise(self.points)]
        return all(x >= 0 for x in d) or all(x <= 0 for x in d)


class MetricTerm(Frozen):
    """A utility term over a registered metric: ``weight`` (on the salience scale) × shape(metric).

    The metric term's shape must be monotone (``piecewise`` or ``threshold``): a metric term
    states which direction of the metric the actor prefers.
    """

    metric: str
    weight: Number
    shape: Shape
    source: str | None = None
    note: str | None = None


class RedLine(Frozen):
    """A hard constraint of one actor: a package that breaks it is unacceptable to the actor.

    On an issue: ``op`` ``<=``/``>=`` with ``value`` in issue units (or an option label), or
    ``in``/``not_in`` with a set of ``options``. On a metric: ``<=``/``>=`` with ``value`` in the
    metric's units. ``value`` may be an `Estimate` with a range, so Monte-Carlo varies it.
    """

    issue: str | None = None
    metric: str | None = None
    op: Literal["<=", ">=", "in", "not_in"]
    value: Value | None = None
    options: tuple[str, ...] | None = None
    source: str | None = None
    note: str | None = None

    @model_validator(mode="after")
    def _consistent(self) -> RedLine:
        if (self.issue is None) == (self.metric is None):
            raise ValueError("a red line is on exactly one of 'issue' or 'metric'")
        if self.op in ("in", "not_in"):
            if self.metric is not None:
                raise ValueError("a red line on a metric uses '<=' or '>='")
            if not self.options or self.value is not None:
                raise ValueError(f"'{self.op}' needs a list of options and no value")
        elif self.value is None or self.options is not None:
            raise ValueError(f"'{self.op}' needs a value and no options")
        return self

    @property
    def subject(self) -> str:
        """The issue or metric id the red line is on."""
        return self.issue if self.issue is not None else str(self.metric)


class Actor(Frozen):
    """A stakeholder: capability, and per issue a position and a salience.

    Optional: ``utilities`` per option (0–1) overriding the distance utility on that issue,
    ``reservation`` overriding the utility of the status quo, ``risk`` attitude (−1 … 1, used by
    the models that have one), time ``discount`` per round (0 < δ ≤ 1), ``exponent`` of the
    distance, and the bargaining ``strategy`` used when this actor takes a seat.
    """

    id: Id
    name: str | None = None
    description: str | None = None
    capability: Number
    positions: dict[str, Value]
    salience: dict[str, Number]
    utilities: dict[str, dict[str, float]] = Field(default_factory=dict)
    reservation: Number | None = None
    risk: Number | None = None
    discount: Number = 1.0
    exponent: float = Field(default=1.0, gt=0, le=10)
    strategy: str | None = None
    strategy_params: dict[str, Any] = Field(default_factory=dict)
    shapes: dict[str, Shape] = Field(default_factory=dict)
    metric_terms: tuple[MetricTerm, ...] = ()
    red_lines: tuple[RedLine, ...] = ()
    source: str | None = None

    @property
    def label(self) -> str:
        """The display name."""
        return self.name or self.id


class Bloc(Frozen):
    """Actors that negotiate through one seat (the P5+1 speaks through the EU's Ashton).

    ``rule`` says how the bloc decides (docs/preferences.md): ``weighted`` (default, the
    capability × salience mean of its members), ``consensus`` (every member must accept) or
    ``quorum`` (members holding at least ``threshold`` of the bloc's capability — or of its
    members with ``quorum_by: members`` — must accept).
    """

    id: Id
    name: str | None = None
    members: tuple[str, ...] = Field(min_length=1)
    seat: str
    rule: Literal["weighted", "consensus", "quorum"] = "weighted"
    threshold: float | None = Field(default=None, gt=0, le=1)
    quorum_by: Literal["capability", "members"] = "capability"
    rule_source: str | None = None
    rule_note: str | None = None
    strategy: str | None = None
    strategy_params: dict[str, Any] = Field(default_factory=dict)
    source: str | None = None

    @property
    def label(self) -> str:
        """The display name."""
        return self.name or self.id


class DriftClock(Frozen):
    """The status quo of ``issue`` moves by ``rate`` issue units per time unit, up to ``limit``.

    ``model`` names a driver that computes the rate instead (for example ``enrichment``, see
    `accord.clocks`), with its ``params``.
    """

    kind: Literal["drift"] = "drift"
    id: Id | None = None
    issue: str
    rate: Number = 0.0
    limit: float | None = None
    model: str | None = None
    params: dict[str, Any] = Field(default_factory=dict)
    source: str | None = None


class CostClock(Frozen):
    """The no-deal utility of ``actor`` changes by ``rate`` (utility) per time unit."""

    kind: Literal["cost"] = "cost"
    id: Id | None = None
    actor: str
    rate: Number
    limit: float | None = None
    source: str | None = None


Clock = Annotated[DriftClock | CostClock, Field(discriminator="kind")]


class Proposal(Frozen):
    """A named package on the table (an offer, a plan, or a later agreement), issue by issue."""

    id: Id
    name: str | None = None
    by: str | None = None
    date: dt.date | None = None
    outcome: dict[str, float | str]
    source: str | None = None
    note: str | None = None

    @property
    def label(self) -> str:
        """The display name."""
        return self.name or self.id


class Scenario(Frozen, NotebookView):
    """A negotiation: issues, actors, blocs, seats at the table, clocks, proposals and meta."""

    format: Literal["accord/1"] = "accord/1"
    meta: Meta
    issues: tuple[Issue, ...]
    actors: tuple[Actor, ...]
    blocs: tuple[Bloc, ...] = ()
    table: tuple[str, ...] | None = None
    clocks: tuple[Clock, ...] = ()
    proposals: tuple[Proposal, ...] = ()
    metrics: dict[str, dict[str, Any]] = Field(
        default_factory=dict, description="parameters of registered metrics, by metric name"
    )

    @model_validator(mode="before")
    @classmethod
    def _proper_unicode(cls, data: Any) -> Any:
        InputError.collect(improper_unicode(data))
        return data

    @field_validator("issues", "actors")
    @classmethod
    def _not_empty(cls, v: tuple[Any, ...]) -> tuple[Any, ...]:
        if not v:
            raise ValueError("a scenario needs at least one entry here")
        return v

    @model_validator(mode="after")
    def _cross_check(self) -> Scenario:
        from accord.scenario.checks import check

        InputError.collect(check(self))
        return self

    # --- look-ups -------------------------------------------------------------------
    def issue(self, issue_id: str) -> Issue:
        """The issue with id `issue_id`."""
        for i in self.issues:
            if i.id == issue_id:
                return i
        raise KeyError(issue_id)

    def actor(self, actor_id: str) -> Actor:
        """The actor with id `actor_id`."""
        for a in self.actors:
            if a.id == actor_id:
                return a
        raise KeyError(actor_id)

    def proposal(self, proposal_id: str) -> Proposal:
        """The proposal with id `proposal_id`."""
        for p in self.proposals:
            if p.id == proposal_id:
                return p
        raise KeyError(proposal_id)

    @property
    def issue_ids(self) -> list[str]:
        """Issue ids in order."""
        return [i.id for i in self.issues]

    @property
    def actor_ids(self) -> list[str]:
        """Actor ids in order."""
        return [a.id for a in self.actors]

    @property
    def seats(self) -> list[str]:
        """The parties at the table: bloc or actor ids."""
        if self.table is not None:
            return list(self.table)
        in_bloc = {m for b in self.blocs for m in b.members}
        return [b.id for b in self.blocs] + [a.id for a in self.actors if a.id not in in_bloc]

    def salience_of(self, actor: Actor, issue_id: str) -> float:
        """The actor's salience on an issue on the 0–1 scale."""
        s = actor.salience[issue_id]
        value = s.number() if isinstance(s, Estimate) else float(s)
        return value / self.meta.salience_scale

    def position_of(self, actor: Actor, issue_id: str) -> float:
        """The actor's position on an issue in issue units (option index for options)."""
        return self.issue(issue_id).to_units(_raw(actor.positions[issue_id]))

    def status_quo_of(self, issue_id: str) -> float:
        """The status quo of an issue in issue units."""
        issue = self.issue(issue_id)
        return issue.to_units(_raw(issue.status_quo))
