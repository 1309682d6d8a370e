"""The timeline format: a base scenario plus dated rounds, each an overlay of what changed.

A timeline (``format: accord-timeline/1``) names a base scenario (a built-in name, a file next
to the timeline, or an inline scenario) and a list of dated rounds. Each round is an *overlay*:
it names only what changed since the previous round —

- ``issues``: an existing issue's ``status_quo`` (e.g. the IAEA's latest stock figure), name,
  description or known outcome;
- ``add_issues``: new issues, each with its status quo and, per actor, a position and a
  salience (an actor given none is placed at the status quo with salience 0: no stake);
- ``actors``: an actor's capability, positions, saliences, reservation, … (only the keys given);
- ``add_actors`` / ``remove_actors``: new stakeholders; ``succeeds: jalili`` makes a new actor
  take the predecessor's place in its bloc, seat, clocks and accumulated costs;
- ``blocs``, ``table``: membership, seats;
- ``clocks`` (patch by id), ``add_clocks``, ``remove_clocks``;
- ``proposals``: packages defined this round (they join a library kept across rounds; the
  base scenario's proposals start it); ``tabled``: the ids on the table this round (default:
  the proposals defined this round). A package silent on an issue leaves it at the round's
  status quo;
- ``outcome``: what was recorded (``no agreement``, ``interim deal``, ``framework``: agreed
  parameters not yet in force, ``final deal``) and, for a deal, ``agreed``: the package agreed.

The semantics of carrying state between rounds (clocks, deals) live in `accord.timeline.build`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import Field, model_validator

from accord.scenario.schema import (
    Actor,
    Clock,
    Frozen,
    Id,
    Issue,
    MetricTerm,
    Number,
    Proposal,
    RedLine,
    Shape,
    Source,
    Value,
)

Outcome = Literal["no agreement", "interim deal", "framework", "final deal"]
DEALS: tuple[str, ...] = ("interim deal", "framework", "final deal")
"""Outcomes that agree a package (``agreed`` names it)."""
IN_FORCE: tuple[str, ...] = ("interim deal", "final deal")
"""Deals that take effect: the agreed package becomes the status quo of later rounds."""
MAX_ROUNDS = 200


class IssuePatch(Frozen):
    """What a round may change on an existing issue (its scale and options stay fixed)."""

    name: str | None = None
    description: str | None = None
    status_quo: Value | None = None
    outcome: Value | None = None
    source: str | None = None


class NewIssue(Issue):
    """An issue that enters the talks in this round, with every actor's stake in it."""

    positions: dict[str, Value] = Field(default_factory=dict)
    salience: dict[str, Number] = Field(default_factory=dict)


class ActorPatch(Frozen):
    """What a round may change on an existing actor: only the fields and keys given.

    ``positions``, ``salience``, ``utilities`` and ``shapes`` change per issue key;
    ``red_lines`` and ``metric_terms``, when given, replace the actor's whole list (an empty
    list drops them)."""

    name: str | None = None
    description: str | None = None
    capability: Number | None = None
    positions: dict[str, Value] = Field(default_factory=dict)
    salience: dict[str, Number] = Field(default_factory=dict)
    utilities: dict[str, dict[str, float]] = Field(default_factory=dict)
    reservation: Number | None = None
    risk: Number | None = None
    discount: Number | None = None
    exponent: float | None = Field(default=None, gt=0, le=10)
    strategy: str | None = None
    shapes: dict[str, Shape] = Field(default_factory=dict)
    metric_terms: tuple[MetricTerm, ...] | None = None
    red_lines: tuple[RedLine, ...] | None = None
    source: str | None = None


class NewActor(Actor):
    """A stakeholder that enters in this round; ``succeeds`` names the actor it replaces."""

    succeeds: str | None = None


class BlocPatch(Frozen):
    """What a round may change on a bloc."""

    name: str | None = None
    members: tuple[str, ...] | None = None
    seat: str | None = None
    rule: Literal["weighted", "consensus", "quorum"] | None = None
    threshold: float | None = Field(default=None, gt=0, le=1)
    quorum_by: Literal["capability", "members"] | None = None
    rule_source: str | None = None
    rule_note: str | None = None
    strategy: str | None = None
    source: str | None = None


class ClockPatch(Frozen):
    """What a round may change on a clock (by its id): its rate and limit."""

    rate: Number | None = None
    limit: float | None = None
    source: str | None = None


class Overlay(Frozen):
    """The changes one round makes to the scenario of the round before (see module doc)."""

    issues: dict[str, IssuePatch] = Field(default_factory=dict)
    add_issues: tuple[NewIssue, ...] = ()
    actors: dict[str, ActorPatch] = Field(default_factory=dict)
    add_actors: tuple[NewActor, ...] = ()
    remove_actors: tuple[str, ...] = ()
    blocs: dict[str, BlocPatch] = Field(default_factory=dict)
    table: tuple[str, ...] | None = None
    clocks: dict[str, ClockPatch] = Field(default_factory=dict)
    add_clocks: tuple[Clock, ...] = ()
    remove_clocks: tuple[str, ...] = ()


class Round(Frozen):
    """One dated round of talks (or an event between rounds) and the changes it brought."""

    id: Id
    name: str | None = None
    date: dt.date
    kind: Literal["round", "event"] = "round"
    place: str | None = None
    changes: Overlay = Field(default_factory=Overlay)
    proposals: tuple[Proposal, ...] = ()
    tabled: tuple[str, ...] | None = None
    outcome: Outcome | None = None
    agreed: str | None = None
    source: str | None = None
    note: str | None = None

    @model_validator(mode="after")
    def _outcome(self) -> Round:
        if self.agreed is not None and self.outcome not in DEALS:
            raise ValueError("'agreed' names the package of a deal: set outcome to a deal")
        if self.outcome in DEALS and self.agreed is None:
            raise ValueError(
                f"a round whose outcome is {self.outcome!r} names the 'agreed' package"
            )
        if self.kind == "event" and (self.proposals or self.tabled or self.outcome):
            raise ValueError("an event tables no proposals and records no outcome")
        return self

    @property
    def label(self) -> str:
        """The display name."""
        return self.name or self.id

    @property
    def tabled_ids(self) -> tuple[str, ...]:
        """Ids of the packages on the table this round."""
        if self.tabled is not None:
            return self.tabled
        return tuple(p.id for p in self.proposals)


class TimelineMeta(Frozen):
    """Title, description and the sources the rounds cite (added to the base's sources)."""

    title: str = Field(min_length=1, max_length=300)
    description: str | None = None
    sources: tuple[Source, ...] = ()


class Timeline(Frozen):
    """A base scenario and its rounds in date order."""

    format: Literal["accord-timeline/1"] = "accord-timeline/1"
    meta: TimelineMeta
    base: str | dict[str, Any]
    rounds: tuple[Round, ...] = Field(min_length=1, max_length=MAX_ROUNDS)

    @model_validator(mode="after")
    def _ordered(self) -> Timeline:
        ids = [r.id for r in self.rounds]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"round ids must be distinct: {', '.join(dupes)} repeated")
        dates = [r.date for r in self.rounds]
        for a, b, r in zip(dates, dates[1:], self.rounds[1:], strict=False):
            if b < a:
                raise ValueError(f"rounds must be in date order: {r.id} ({b}) comes before {a}")
        return self

    def round(self, round_id: str) -> Round:
        """The round with id `round_id`."""
        for r in self.rounds:
            if r.id == round_id:
                return r
        raise KeyError(round_id)
