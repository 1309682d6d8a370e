"""An `Extraction` as a draft `Scenario`: every item traced to its sentence, every number a
judgement to fill.

Decisions (the task is silent on them):
- Actors are the states and organisations found; a group from the gazetteer (the P5+1, "world
  powers") becomes a bloc of the members the report names, seated through the gazetteer's seat
  (the EU for the P5+1) when it is among them; a group with fewer than two named members is only
  listed in the description.
- A report gives no capabilities, saliences or positions, so none is invented: each is an
  `Estimate` with ``judgement: true`` and a note that starts with "to fill:" and names the quotes
  that bear on it. Placeholders are neutral: capability 1 for everyone, salience 0.5, positions
  and status quo at mid-scale.
- An issue's scale is [0, the largest number the report gives for it] with its unit ("five
  percent or 20 percent" → [0, 20] %); without numbers it is [0, 100] with the unit to fill.
- ``meta.sources`` holds the article, the news agencies it credits, one entry per cited
  sentence (``p03s1``: paragraph 3, first cited sentence) and one entry per quote (``q01`` …)
  whose citation gives the speaker, the party, the words and the sentence.
- ``meta.date`` is the first full date in the report (e.g. "6 April 2013"); weekdays and
  relative dates are listed in the description only.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import PurePath
from typing import Any

from pydantic import ValidationError

from accord.errors import InputError, Problem
from accord.extract.mentions import slug
from accord.extract.result import Extraction, Party, Quote
from accord.scenario import Scenario

NEUTRAL_CAPABILITY = 1.0
NEUTRAL_SALIENCE = 0.5
DEFAULT_SCALE = (0.0, 100.0)
MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]


def _fill(value: float, note: str) -> dict[str, Any]:
    return {"value": value, "judgement": True, "note": f"to fill: {note}"}


class _Sources:
    """The `meta.sources` list, one id per cited sentence."""

    def __init__(self, ex: Extraction) -> None:
        self.entries: list[dict[str, Any]] = [
            {"id": "article", "cite": f"{ex.source}: {ex.title}", "grade": "R"}
        ]
        self.ids: dict[tuple[int, str], str] = {}
        self.per_para: dict[int, int] = {}
        for name in ex.report_sources:
            self.entries.append(
                {"id": slug(name), "cite": f"{name}, credited by the report", "grade": "R"}
            )

    def sentence(self, para: int, text: str) -> str:
        key = (para, text)
        if key not in self.ids:
            n = self.per_para.get(para, 0) + 1
            self.per_para[para] = n
            sid = f"p{para:02d}s{n}"
            self.ids[key] = sid
            self.entries.append({"id": sid, "cite": f"¶{para}: {text}", "grade": "R"})
        return self.ids[key]

    def quote(self, q: Quote) -> None:
        words = " … ".join(q.fragments) if q.fragments else q.text
        via = f", via {q.via}" if q.via else ""
        party = q.party or "party to fill"
        self.entries.append(
            {
                "id": q.id,
                "cite": f'{q.speaker_name} ({party}), {q.kind}{via}: "{words}" — ¶{q.paragraph}: '
                f"{q.sentence}",
                "grade": "R",
            }
        )


def full_date(ex: Extraction) -> dt.date | None:
    """The first full date (day, month and year) the report gives."""
    for c in ex.cues_of("date"):
        m = re.search(
            r"(\d{1,2})\s+([A-Za-z]+),?\s+(\d{4})|([A-Za-z]+)\s+(\d{1,2}),?\s+(\d{4})", c.text
        )
        if not m:
            continue
        day, month, year = (
            (m.group(1), m.group(2), m.group(3))
            if m.group(1)
            else (m.group(5), m.group(4), m.group(6))
        )
        if month.lower() in MONTHS:
            try:
                return dt.date(int(year), MONTHS.index(month.lower()) + 1, int(day))
            except ValueError:
                continue
    return None


def draft(ex: Extraction) -> Scenario:
    """A scenario drafted from what a report says, with every number a marked judgement.

    Issues first, then the actors (their stated numbers cited), the blocs and the quotes: the
    order in which sentences are cited numbers them (``p03s1``, ``p03s2`` …).
    """
    actors = [p for p in ex.parties if p.kind != "group"]
    if not actors:
        raise InputError(
            Problem(
                "no state or organisation found in the report, so there is no party to draft; "
                "accord extract reads reports of negotiations that name their parties",
                file=ex.source,
            )
        )
    src = _Sources(ex)
    issues = _issue_rows(ex, src)
    actor_rows = [_actor_row(ex, p, issues, src) for p in actors]
    blocs = _bloc_rows(ex, {p.id for p in actors}, src)
    for q in ex.quotes:
        src.quote(q)
    data = {
        "format": "accord/1",
        "meta": {
            "title": f"Draft from {PurePath(ex.source).name}: {ex.title}"[:300],
            "date": full_date(ex),
            "description": _description(ex),
            "sources": src.entries,
        },
        "issues": issues,
        "actors": actor_rows,
        "blocs": blocs,
    }
    try:
        return Scenario.model_validate(data)
    except (ValidationError, InputError) as e:  # a defect of the drafting rules, not the input
        raise InputError(Problem(f"the draft does not validate: {e}", file=ex.source)) from None


def _issue_rows(ex: Extraction, src: _Sources) -> list[dict[str, Any]]:
    """One issue per issue found, scaled by the report's numbers, status quo at mid-scale; one
    issue to fill when none is found."""
    issues: list[dict[str, Any]] = []
    for it in ex.issues or ():
        positive = [v for v in it.numbers if v > 0]
        scale = (0.0, max(positive)) if positive else DEFAULT_SCALE
        mid = (scale[0] + scale[1]) / 2
        given = (
            f"the report gives {', '.join(f'{v:g}' for v in it.numbers)} {it.unit or ''}".strip()
            if it.numbers
            else "the report gives no number"
        )
        issues.append(
            {
                "id": it.id,
                "name": it.name,
                "scale": list(scale),
                "unit": it.unit if positive and it.unit else None,
                "description": f"to fill: scale, unit and status quo ({given}); mentioned "
                f"{it.mentions} times",
                "status_quo": _fill(mid, f"the status quo of {it.name}; placeholder at mid-scale"),
                "source": src.sentence(it.paragraph, it.sentence),
            }
        )
    if not issues:
        issues.append(
            {
                "id": "issue_to_fill",
                "name": "Issue to fill",
                "scale": [0, 100],
                "description": "to fill: the report names no issue from the gazetteer",
                "status_quo": _fill(50.0, "the status quo"),
                "source": "article",
            }
        )
    return issues


def _actor_row(
    ex: Extraction, p: Party, issues: list[dict[str, Any]], src: _Sources
) -> dict[str, Any]:
    """An actor with placeholder capability, saliences and positions (at the issues' status
    quo), each naming the quotes that bear on it; a number the side states is its position,
    cited to its sentence."""
    issue_quotes = _issue_quotes(ex)
    stated = {
        (pid, it.id): (value, sentence, para)
        for it in ex.issues
        for pid, value, sentence, para in it.positions
    }
    positions, salience = {}, {}
    for row in issues:
        iid = row["id"]
        seen = issue_quotes.get((p.id, iid), [])
        see = f"; see {', '.join(seen)}" if seen else "; its quotes do not name this issue"
        positions[iid] = _fill(
            row["status_quo"]["value"], f"{p.name}'s position on {row['name']}{see}"
        )
        if (p.id, iid) in stated:  # the side's own number, cited to its sentence
            value, sentence, para = stated[(p.id, iid)]
            positions[iid] = {
                "value": value,
                "source": src.sentence(para, sentence),
                "note": f"the number {p.name} states in the report",
            }
        salience[iid] = _fill(NEUTRAL_SALIENCE, f"how much {row['name']} matters to {p.name}{see}")
    return {
        "id": p.id,
        "name": p.name,
        "description": _actor_description(ex, p),
        "capability": _fill(
            NEUTRAL_CAPABILITY, f"capability (power) of {p.name}; the report gives no number"
        ),
        "positions": positions,
        "salience": salience,
        "source": src.sentence(p.paragraph, p.sentence),
    }


def _actor_description(ex: Extraction, p: Party) -> str:
    """How often the actor is mentioned, who speaks for it and its quotes."""
    speakers = [
        f"{x.name} ({x.title})" if x.title and not x.anonymous else x.name
        for x in ex.people
        if x.party == p.id
    ]
    qids = [q.id for q in ex.quotes if q.party == p.id]
    desc = [f"mentioned {p.mentions} times"]
    if speakers:
        desc.append("speaking for it: " + "; ".join(speakers))
    if qids:
        desc.append("quotes: " + ", ".join(qids))
    return "; ".join(desc)


def _bloc_rows(ex: Extraction, actor_ids: set[str], src: _Sources) -> list[dict[str, Any]]:
    """Each group with two or more named members not in a bloc already, most mentioned first,
    seated through its gazetteer seat when that member is named."""
    blocs, used = [], set()
    for g in sorted((p for p in ex.parties if p.kind == "group"), key=lambda g: -g.mentions):
        members = [m for m in g.members if m in actor_ids and m not in used]
        if len(members) < 2:
            continue
        used.update(members)
        seat = g.seat if g.seat in members else members[0]
        blocs.append(
            {
                "id": g.id,
                "name": g.name,
                "members": members,
                "seat": seat,
                "source": src.sentence(g.paragraph, g.sentence),
            }
        )
    return blocs


def _issue_quotes(ex: Extraction) -> dict[tuple[str, str], list[str]]:
    out: dict[tuple[str, str], list[str]] = {}
    for c in ex.cues_of("issue"):
        if c.party is None:
            continue
        for q in ex.quotes:
            if q.party == c.party and c.sentence in q.sentence:
                ids = out.setdefault((c.party, c.key), [])
                if q.id not in ids:
                    ids.append(q.id)
    return out


def _description(ex: Extraction) -> str:
    lines = [f"Drafted by accord extract from {ex.source}; every number is a judgement to fill."]
    if ex.places:
        lines.append("Place: " + ", ".join(ex.places) + ".")
    dates = list(dict.fromkeys(c.text for c in ex.cues_of("date")))
    if dates:
        lines.append("Dates mentioned: " + ", ".join(dates) + ".")
    if ex.outcomes:
        lines.append("Outcome: " + ", ".join(o.replace("_", " ") for o in ex.outcomes) + ".")
    stances = list(dict.fromkeys(f'"{c.text}" ({c.key})' for c in ex.cues_of("stance")))
    if stances:
        lines.append("Stance cues: " + ", ".join(stances) + ".")
    values = list(dict.fromkeys(c.key for c in ex.cues_of("value")))
    if values:
        lines.append("Values: " + ", ".join(values) + ".")
    open_party = [
        f"{p.name} ({p.title})" if p.title else p.name for p in ex.people if p.party is None
    ]
    if open_party:
        lines.append("Speaking for no party found (to fill): " + ", ".join(open_party) + ".")
    groups = [p.name for p in ex.parties if p.kind == "group"]
    if groups:
        lines.append("Groups mentioned: " + ", ".join(groups) + ".")
    if ex.report_sources:
        lines.append("The report credits: " + ", ".join(ex.report_sources) + ".")
    return " ".join(lines)
