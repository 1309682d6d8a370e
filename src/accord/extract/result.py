"""What `accord extract` finds in a report: parties, people, quotes, cues and events.

Every record carries the sentence it was read from (``sentence``) and its paragraph number
(1-based), so an analyst can trace each item of the draft scenario back to the report.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from accord.results import jsonable


@dataclass(frozen=True)
class Party:
    """A state, organisation or group the report mentions as an actor.

    ``kind`` is state, organisation or group; ``members`` lists a group's member parties (from
    the gazetteer) and ``seat`` the member that speaks for it.
    """

    id: str
    name: str
    kind: str
    mentions: int
    sentence: str
    paragraph: int
    members: tuple[str, ...] = ()
    seat: str | None = None


@dataclass(frozen=True)
class Person:
    """A person (or an unnamed official) and the party they speak for.

    ``party`` is None when the report gives no clue; ``evidence`` says how it was found
    (office, descriptor, appositive, model entity, ...).
    """

    id: str
    name: str
    party: str | None
    title: str
    anonymous: bool
    sentence: str
    paragraph: int
    evidence: str


@dataclass(frozen=True)
class Quote:
    """A statement attributed to a speaker.

    ``kind``: ``direct`` (the speaker's words in quotation marks), ``partial`` (a reported
    sentence with quoted fragments, listed in ``fragments``) or ``indirect`` (reported speech).
    ``attribution``: ``explicit`` (named in the sentence), ``pronoun`` ("he added"),
    ``continued`` (a quote with no new attribution, given to the previous speaker).
    ``via`` names the news agency the report credits ("according to AFP").
    """

    id: str
    speaker: str
    speaker_name: str
    party: str | None
    kind: str
    text: str
    sentence: str
    paragraph: int
    attribution: str
    fragments: tuple[str, ...] = ()
    via: str | None = None


@dataclass(frozen=True)
class Cue:
    """A phrase found in a sentence: an issue, value, stance, outcome, date, place, number.

    ``key`` is the issue or value id, the stance or outcome label, or the normalised number;
    ``speaker`` and ``party`` are set when the phrase lies inside an attributed quote.
    ``unit`` is a number's unit, or for a place whether it is a city or a country.
    """

    kind: str
    key: str
    text: str
    sentence: str
    paragraph: int
    speaker: str | None = None
    party: str | None = None
    unit: str | None = None


@dataclass(frozen=True)
class IssueFound:
    """An issue on the table, how often it is mentioned and the numbers given for it.

    ``positions`` holds each side's stated numbers: (party id, value, the sentence stating it,
    its paragraph), in the order stated.
    """

    id: str
    name: str
    mentions: int
    sentence: str
    paragraph: int
    numbers: tuple[float, ...] = ()
    unit: str | None = None
    positions: tuple[tuple[str, float, str, int], ...] = ()


@dataclass(frozen=True)
class Extraction:
    """Everything read from one report; `accord.extract.draft` turns it into a scenario."""

    source: str
    title: str
    parties: tuple[Party, ...]
    people: tuple[Person, ...]
    quotes: tuple[Quote, ...]
    issues: tuple[IssueFound, ...]
    cues: tuple[Cue, ...]
    report_sources: tuple[str, ...]
    model: str
    notes: tuple[str, ...] = field(default=())

    def party(self, party_id: str) -> Party:
        """The party with id `party_id`."""
        for p in self.parties:
            if p.id == party_id:
                return p
        raise KeyError(party_id)

    def person(self, person_id: str) -> Person:
        """The person or unnamed official with id `person_id`."""
        for p in self.people:
            if p.id == person_id:
                return p
        raise KeyError(person_id)

    def cues_of(self, kind: str) -> tuple[Cue, ...]:
        """The cues of one kind (issue, value, stance, outcome, date, place, number)."""
        return tuple(c for c in self.cues if c.kind == kind)

    @property
    def outcomes(self) -> tuple[str, ...]:
        """The outcome labels found, in order of first mention, without repeats."""
        return tuple(dict.fromkeys(c.key for c in self.cues_of("outcome")))

    @property
    def places(self) -> tuple[str, ...]:
        """Places named, most mentioned first; cities before countries on a tie."""
        counts: dict[str, int] = {}
        city: dict[str, bool] = {}
        for c in self.cues_of("place"):
            counts[c.key] = counts.get(c.key, 0) + 1
            city[c.key] = c.unit == "city"
        return tuple(sorted(counts, key=lambda k: (-counts[k], not city[k])))

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready copy of every table."""
        return {
            "source": self.source,
            "title": self.title,
            "model": self.model,
            "parties": [jsonable(vars(p)) for p in self.parties],
            "people": [jsonable(vars(p)) for p in self.people],
            "quotes": [jsonable(vars(q)) for q in self.quotes],
            "issues": [jsonable(vars(i)) for i in self.issues],
            "cues": [jsonable(vars(c)) for c in self.cues],
            "outcomes": list(self.outcomes),
            "places": list(self.places),
            "report_sources": list(self.report_sources),
            "notes": list(self.notes),
        }

    def to_frame(self, table: str = "quotes") -> pd.DataFrame:
        """One table as a tidy frame: quotes (default), people, parties, issues or cues."""
        rows = {
            "quotes": self.quotes,
            "people": self.people,
            "parties": self.parties,
            "issues": self.issues,
            "cues": self.cues,
        }
        if table not in rows:
            raise KeyError(f"unknown table {table!r}; expected one of {sorted(rows)}")
        return pd.DataFrame([jsonable(vars(r)) for r in rows[table]])
