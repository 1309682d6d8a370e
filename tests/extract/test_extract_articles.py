"""Reading reports: every quote's speaker and every person's party, on the April 2013 report and
four short reports written for these tests (trade, climate, labour, a peace process)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

pytest.importorskip("spacy")

from accord.extract import Extraction, extract

ARTICLES = Path(__file__).resolve().parents[1] / "data" / "articles"
NAMES = sorted(p.name.removesuffix(".txt") for p in ARTICLES.glob("*.txt"))


def read(name: str) -> Extraction:
    return extract((ARTICLES / f"{name}.txt").read_text("utf-8"), source=f"{name}.txt")


@pytest.fixture(scope="module")
def found() -> dict[str, Extraction]:
    return {name: read(name) for name in NAMES}


def expected(name: str) -> dict:
    return yaml.safe_load((ARTICLES / f"{name}.expected.yaml").read_text("utf-8"))


def test_there_are_five_reports() -> None:
    assert len(NAMES) == 5
    assert "almaty-2013" in NAMES


@pytest.mark.parametrize("name", NAMES)
def test_every_quote_has_the_right_speaker_and_party(name: str, found) -> None:
    ex = found[name]
    got = [[q.paragraph, q.speaker_name, q.party, q.kind] for q in ex.quotes]
    assert got == expected(name)["quotes"]


@pytest.mark.parametrize("name", NAMES)
def test_every_person_speaks_for_the_right_party(name: str, found) -> None:
    ex = found[name]
    people = {p.name: p.party for p in ex.people}
    assert people == expected(name)["people"]


@pytest.mark.parametrize("name", NAMES)
def test_parties_issues_and_events(name: str, found) -> None:
    ex, want = found[name], expected(name)
    assert [p.id for p in ex.parties if p.kind != "group"] == want["parties"]
    assert [p.id for p in ex.parties if p.kind == "group"] == want["groups"]
    assert [i.id for i in ex.issues] == want["issues"]
    assert list(ex.outcomes) == want["outcomes"]
    assert (ex.places[0] if ex.places else None) == want["place"]
    assert list(ex.report_sources) == want["report_sources"]


@pytest.mark.parametrize("name", NAMES)
def test_every_quote_lies_in_its_sentence(name: str, found) -> None:
    for q in found[name].quotes:
        words = q.fragments or (q.text,)
        for w in words:
            assert w.strip(" .,")[:40] in q.sentence.replace('"', "")


def test_almaty_multi_paragraph_quote_is_one_quote(found) -> None:
    last = found["almaty-2013"].quotes[-1]
    assert last.text.startswith("Israel has already warned")
    assert last.text.endswith("run their course.")
    assert "Israel believes that without a significant and tangible threat" in last.text
    assert last.attribution == "continued"


def test_almaty_attributions(found) -> None:
    quotes = found["almaty-2013"].quotes
    by_para = {q.paragraph: q for q in quotes}
    assert by_para[3].fragments == ("far apart",)
    assert by_para[8].attribution == "continued"
    assert by_para[9].fragments == ("comprehensive", "gain the confidence")
    assert by_para[12].via == "AFP"
    assert by_para[20].attribution == "pronoun"
    assert by_para[18].speaker == "saeed_jalili"  # not Khamenei, named in the same sentence
    assert by_para[15].text.startswith("Ashton would be calling Jalili")


def test_almaty_issues_values_and_stances(found) -> None:
    ex = found["almaty-2013"]
    enrichment = next(i for i in ex.issues if i.id == "enrichment")
    assert enrichment.numbers == (5.0, 20.0)
    assert enrichment.unit == "%"
    stances = {(c.text, c.speaker) for c in ex.cues_of("stance")}
    assert ("far apart", "catherine_ashton") in stances
    assert ("minimal ideas", "us_official") in stances
    assert ("inalienable right", "saeed_jalili") in stances
    assert ("playing for time", "yuval_steinitz") in stances
    values = {c.key for c in ex.cues_of("value")}
    assert {"rights", "trust", "security"} <= values
    dates = [c.text for c in ex.cues_of("date")]
    assert dates[:2] == ["Saturday", "Friday"]


def test_almaty_people_and_blocs(found) -> None:
    ex = found["almaty-2013"]
    steinitz = ex.person("yuval_steinitz")
    assert steinitz.evidence == "office"
    assert "Minister of Strategic and Intelligence Affairs" in steinitz.title
    p5 = ex.party("p5plus1")
    assert p5.seat == "eu" and "us" in p5.members
    assert not any(p.id == "kazakhstan" for p in ex.parties)  # a place, not an actor


def test_result_tables(found) -> None:
    ex = found["almaty-2013"]
    frame = ex.to_frame()
    assert list(frame["id"]) == [q.id for q in ex.quotes]
    assert {"speaker", "party", "kind", "sentence"} <= set(frame.columns)
    assert len(ex.to_frame("people")) == len(ex.people)
    data = ex.to_dict()
    assert data["quotes"][0]["fragments"] == ["far apart"]
    with pytest.raises(KeyError, match="unknown table"):
        ex.to_frame("nope")


def test_reading_is_deterministic(found) -> None:
    assert read("havana-peace") == found["havana-peace"]
