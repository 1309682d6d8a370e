"""The drafting rules on an `Extraction` written by hand (no language model needed)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

import pytest

from accord.errors import InputError
from accord.extract.draft import draft, full_date
from accord.extract.result import Cue, Extraction, IssueFound, Party, Person, Quote
from accord.scenario import Estimate

IRAN = Party("iran", "Iran", "state", 5, "Iran met the powers.", 1)
US = Party("us", "United States", "state", 3, "The US spoke.", 2)
EU = Party("eu", "European Union", "organisation", 2, "The EU chaired.", 2)
P5 = Party("p5", "P5+1", "group", 4, "The P5+1 offered.", 3, ("us", "eu", "china"), "eu")
LONE = Party("g2", "Two", "group", 9, "Two met.", 3, ("iran", "mars"))
LEVEL = IssueFound(
    "enrichment", "Enrichment", 3, "Iran enriches to 20 percent.", 2, (5.0, 20.0), "%",
    (("iran", 20.0, "Iran wants 20 percent.", 4),),
)  # fmt: skip
JALILI = Person("jalili", "Saeed Jalili", "iran", "negotiator", False, "Jalili said.", 4, "title")
QUOTE = Quote(
    "q01", "jalili", "Saeed Jalili", "iran", "direct", "We enrich", "Jalili said.", 4, "explicit"
)


def extraction(**changes: Any) -> Extraction:
    ex = Extraction(
        source="news/almaty.txt",
        title="Talks in Almaty",
        parties=(IRAN, US, EU, P5, LONE),
        people=(JALILI,),
        quotes=(QUOTE,),
        issues=(LEVEL,),
        cues=(
            Cue("date", "month", "6 April 2013", "On 6 April 2013 …", 1),
            Cue("issue", "enrichment", "enrich", "Jalili said.", 4, "jalili", "iran"),
        ),
        report_sources=("Reuters",),
        model="hand",
    )
    return replace(ex, **changes)


def test_no_party_no_draft() -> None:
    with pytest.raises(InputError, match="no state or organisation found"):
        draft(extraction(parties=(P5,)))


def test_a_stated_number_is_the_position_cited_to_its_sentence() -> None:
    s = draft(extraction())
    (issue,) = s.issues
    assert issue.scale == (0.0, 20.0) and issue.unit == "%"
    assert issue.source == "p02s1"  # issues are cited first
    iran, us = s.actor("iran"), s.actor("us")
    stated = iran.positions["enrichment"]
    assert isinstance(stated, Estimate) and not stated.judgement
    assert (stated.value, stated.source) == (20.0, "p04s1")
    assert isinstance(us.positions["enrichment"], Estimate)
    assert us.positions["enrichment"].value == 10.0 and us.positions["enrichment"].judgement
    assert "its quotes do not name this issue" in (us.positions["enrichment"].note or "")
    sal = iran.salience["enrichment"]
    assert isinstance(sal, Estimate) and "see q01" in (sal.note or "")
    assert iran.description == (
        "mentioned 5 times; speaking for it: Saeed Jalili (negotiator); quotes: q01"
    )
    ids = [src.id for src in s.meta.sources]
    assert ids[:4] == ["article", "reuters", "p02s1", "p04s1"]
    assert ids[-1] == "q01"


def test_a_group_with_two_named_members_is_a_bloc_seated_through_its_seat() -> None:
    s = draft(extraction())
    (bloc,) = s.blocs
    assert bloc.id == "p5" and bloc.members == ("us", "eu") and bloc.seat == "eu"


def test_without_issues_one_issue_is_left_to_fill() -> None:
    s = draft(extraction(issues=()))
    (issue,) = s.issues
    assert issue.id == "issue_to_fill" and issue.scale == (0.0, 100.0)
    position = s.actor("iran").positions["issue_to_fill"]
    assert isinstance(position, Estimate) and position.value == 50.0


@pytest.mark.parametrize(
    ("texts", "date"),
    [
        (["6 April 2013"], dt.date(2013, 4, 6)),
        (["April 31, 2013", "May 2, 2013"], dt.date(2013, 5, 2)),
        (["Friday", "6 Smarch 2013"], None),
    ],
)
def test_the_first_full_date(texts: list[str], date: dt.date | None) -> None:
    cues = tuple(Cue("date", "month", t, t, 1) for t in texts)
    assert full_date(extraction(cues=cues)) == date
    assert draft(extraction(cues=cues)).meta.date == date
