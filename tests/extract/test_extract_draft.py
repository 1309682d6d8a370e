"""The draft scenario: valid, every number a marked judgement to fill, every item traced."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("spacy")

import accord
from accord.cli.scenario_cmds import unsourced_numbers
from accord.errors import InputError
from accord.extract import draft, extract
from accord.io.native import dumps_yaml, read_text
from accord.scenario import Estimate, Scenario

ARTICLES = Path(__file__).resolve().parents[1] / "data" / "articles"


@pytest.fixture(scope="module")
def almaty_draft() -> Scenario:
    text = (ARTICLES / "almaty-2013.txt").read_text("utf-8")
    return draft(extract(text, source="almaty-2013.txt"))


def test_draft_is_a_valid_scenario_that_compiles(almaty_draft: Scenario) -> None:
    assert almaty_draft.actor_ids == ["iran", "eu", "us", "israel"]
    assert almaty_draft.issue_ids == ["nuclear_limits", "sanctions", "enrichment"]
    c = accord.compile(almaty_draft)
    assert c.seats.ids == ("p5plus1", "iran", "israel")


def test_bloc_is_seated_through_the_eu(almaty_draft: Scenario) -> None:
    (bloc,) = almaty_draft.blocs
    assert bloc.id == "p5plus1" and bloc.seat == "eu" and set(bloc.members) == {"eu", "us"}


def test_every_number_is_a_judgement_to_fill(almaty_draft: Scenario) -> None:
    assert unsourced_numbers(almaty_draft) == []
    for a in almaty_draft.actors:
        values = [a.capability, *a.positions.values(), *a.salience.values()]
        for v in values:
            assert isinstance(v, Estimate)
            assert v.judgement and v.note is not None and v.note.startswith("to fill:")
    for i in almaty_draft.issues:
        assert isinstance(i.status_quo, Estimate) and i.status_quo.judgement


def test_numbers_in_the_report_set_the_scale(almaty_draft: Scenario) -> None:
    enrichment = almaty_draft.issue("enrichment")
    assert enrichment.scale == (0.0, 20.0)
    assert enrichment.unit == "%"
    assert almaty_draft.issue("sanctions").scale == (0.0, 100.0)


def test_quotes_are_sources_with_their_sentence(almaty_draft: Scenario) -> None:
    sources = {s.id: s.cite for s in almaty_draft.meta.sources}
    assert 'Catherine Ashton (eu), partial: "far apart"' in sources["q01"]
    assert 'said the positions were still "far apart."' in sources["q01"]
    assert "Yuval Steinitz (israel)" in sources["q16"]
    assert "run their course" in sources["q16"]
    assert "afp" in sources
    jalili = almaty_draft.actor("iran")
    note = jalili.positions["enrichment"].note  # type: ignore[union-attr]
    assert "q12" in note  # the quote that speaks of five or 20 percent


def test_items_cite_the_sentence_they_come_from(almaty_draft: Scenario) -> None:
    sources = {s.id: s.cite for s in almaty_draft.meta.sources}
    israel = almaty_draft.actor("israel")
    assert israel.source is not None
    assert "Yuval Steinitz" in sources[israel.source]
    enrichment = almaty_draft.issue("enrichment")
    assert enrichment.source is not None
    assert "right to enrich" in sources[enrichment.source]


def test_description_names_the_events(almaty_draft: Scenario) -> None:
    d = almaty_draft.meta.description or ""
    assert "Place: Almaty" in d
    assert "no agreement" in d and "no next date" in d
    assert '"far apart" (divergent)' in d
    assert "The report credits: AFP" in d


def test_yaml_round_trip(almaty_draft: Scenario) -> None:
    assert read_text(dumps_yaml(almaty_draft)) == almaty_draft


@pytest.mark.parametrize(
    "name", ["canada-eu-trade", "bonn-climate", "transit-strike", "havana-peace"]
)
def test_other_reports_draft(name: str) -> None:
    s = draft(extract((ARTICLES / f"{name}.txt").read_text("utf-8"), source=name))
    assert unsourced_numbers(s) == []
    accord.compile(s)


def test_a_text_without_parties_is_refused() -> None:
    text = (
        "The weather was mild on Tuesday and the market in the old town was busy with "
        "people who came to buy bread, fruit and flowers before the holiday."
    )
    with pytest.raises(InputError, match="no state or organisation"):
        draft(extract(text))


def test_full_date_sets_meta_date() -> None:
    text = (
        "GENEVA, 24 November 2013 (Reuters) - Iran and the P5+1 reached an agreement on "
        'Sunday. "This is a first step," the EU foreign policy chief Jane Moss said.'
    )
    s = draft(extract(text))
    assert str(s.meta.date) == "2013-11-24"


def test_docs_python_example_runs() -> None:
    found = extract((ARTICLES / "havana-peace.txt").read_text("utf-8"), source="report.txt")
    frame = found.to_frame()
    assert len(frame) == len(found.quotes)
    assert isinstance(draft(found), Scenario)
