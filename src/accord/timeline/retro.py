"""The retrodiction: for every round with a recorded outcome, did accord's verdict match it?

Scoring rule (written before the Iran data were run; docs/iran-2012-2015.md):

- a round that ended with **no agreement** is a hit when no tabled package is acceptable to
  every party; a round where nothing was tabled is not scored (there is no verdict to check);
- a round that ended in a **deal** (interim or final) is a hit when the agreed package is
  acceptable to every party.

"Every party" is read two ways, each with its own hit rate: every *seat*, each bloc deciding by
its own declared rule (`accord.scenario.decide`: ``weighted``, ``consensus`` or ``quorum``; red
lines always hold), and every *member* of every seated bloc (``consensus`` read for every
bloc; a seat that is a single actor counts as its own member). Events are not scored.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from accord.results import jsonable

if TYPE_CHECKING:
    from accord.timeline.run import Verdict


class Judged(Protocol):
    """What scoring needs of a round (a `RoundResult`, or a round with only verdicts)."""

    @property
    def id(self) -> str: ...
    @property
    def label(self) -> str: ...
    @property
    def date(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def outcome(self) -> str | None: ...
    @property
    def agreed(self) -> str | None: ...
    @property
    def verdicts(self) -> tuple[Verdict, ...]: ...


RULES = ("seats", "members")


@dataclass(frozen=True)
class Score:
    """One scored round: what happened, what accord said under each rule, hit or miss."""

    round: str
    label: str
    date: str
    outcome: str
    expected: str
    said_seats: str
    said_members: str
    hit_seats: bool
    hit_members: bool

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready record."""
        return jsonable(self.__dict__)


@dataclass(frozen=True)
class Retrodiction:
    """The hit table and its hit rates under both rules."""

    scores: tuple[Score, ...]
    unscored: tuple[tuple[str, str], ...]

    def hits(self, rule: str = "seats") -> int:
        """Number of hits under `rule` (``seats`` or ``members``)."""
        return sum(getattr(s, f"hit_{rule}") for s in self.scores)

    def rate(self, rule: str = "seats") -> float | None:
        """Hit rate under `rule` (None when no round is scored)."""
        return self.hits(rule) / len(self.scores) if self.scores else None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready record."""
        return jsonable(
            {
                "scored": len(self.scores),
                "hits": {r: self.hits(r) for r in RULES},
                "hit_rate": {r: self.rate(r) for r in RULES},
                "scores": [s.to_dict() for s in self.scores],
                "unscored": [{"round": r, "why": why} for r, why in self.unscored],
            }
        )


def retrodict(rounds: Sequence[Judged]) -> Retrodiction:
    """Score every round with a recorded outcome (rules in the module docstring)."""
    scores: list[Score] = []
    unscored: list[tuple[str, str]] = []
    for r in rounds:
        if r.kind == "event" or r.outcome is None:
            unscored.append((r.id, "an event" if r.kind == "event" else "no outcome recorded"))
            continue
        if not r.verdicts:
            unscored.append((r.id, "nothing tabled"))
            continue
        if r.agreed is not None:
            v = next(v for v in r.verdicts if v.id == r.agreed)
            expected = f"{v.label} acceptable to all"
            seats = _said(v.all_seats, v.refused_by, v.label)
            members = _said(v.all_members, v.members_refusing, v.label)
            hit_s, hit_m = v.all_seats, v.all_members
        else:
            expected = "no tabled package acceptable to all"
            ok_s = [v.label.split(" (")[0] for v in r.verdicts if v.all_seats]
            ok_m = [v.label.split(" (")[0] for v in r.verdicts if v.all_members]
            seats = f"acceptable to all: {', '.join(ok_s)}" if ok_s else "none acceptable to all"
            members = f"acceptable to all: {', '.join(ok_m)}" if ok_m else "none acceptable to all"
            hit_s, hit_m = not ok_s, not ok_m
        scores.append(
            Score(r.id, r.label, r.date, r.outcome, expected, seats, members, hit_s, hit_m)
        )
    return Retrodiction(tuple(scores), tuple(unscored))


def _said(ok: bool, refusing: list[str], label: str) -> str:
    short = label.split(" (")[0]
    return f"{short} acceptable to all" if ok else f"{short} refused by {', '.join(refusing)}"
