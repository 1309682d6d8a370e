"""Unit tests and properties of the pieces: quotation spans, numbers, ids, attribution."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytest.importorskip("spacy")

from accord.errors import InputError
from accord.extract import extract
from accord.extract.cues import number_value
from accord.extract.mentions import slug
from accord.extract.quotes import find_spans
from accord.scenario.schema import ID_PATTERN


def test_spans_pair_marks_within_a_paragraph() -> None:
    (a, b) = find_spans(['"One," he said. "Two."'])
    assert a.segments == [(0, 1, 5)] and a.close_mark == (0, 5)
    assert b.segments == [(0, 17, 21)]


def test_a_quote_continues_when_the_next_paragraph_opens_with_a_mark() -> None:
    (span,) = find_spans(['She said: "First part.', '"Second part," she added.'])
    assert [s[0] for s in span.segments] == [0, 1]
    assert span.close_mark == (1, 13)


def test_an_unclosed_quote_ends_at_the_paragraph_when_none_follows() -> None:
    (span, other) = find_spans(['"Left open.', 'No mark here "but one later".'])
    assert span.segments == [(0, 1, 11)] and span.close_mark is None
    assert other.segments == [(1, 14, 27)]


@given(st.lists(st.text(alphabet='ab "\n,.', max_size=30), max_size=6))
def test_spans_never_hold_a_mark_and_stay_in_bounds(texts: list[str]) -> None:
    for span in find_spans(texts):
        for p, a, b in span.segments:
            assert 0 <= a <= b <= len(texts[p])
            assert '"' not in texts[p][a:b]


@pytest.mark.parametrize(
    ("text", "value"), [("five", 5.0), ("20", 20.0), ("3.5", 3.5), ("1,000", 1000.0), ("x", None)]
)
def test_number_value(text: str, value: float | None) -> None:
    assert number_value(text) == value


@given(st.text(min_size=0, max_size=40))
def test_slug_is_always_a_valid_id(name: str) -> None:
    assert re.fullmatch(ID_PATTERN, slug(name))
    assert len(slug(name)) <= 64


FIRST = ["Elena", "Tomas", "Amina", "Rafael", "Ingrid", "Kofi"]
LAST = ["Moreau", "Tanaka", "Okoye", "Lindqvist", "Varga", "Haddad"]
COUNTRIES = {
    "Canada": "canada",
    "Japan": "japan",
    "Brazil": "brazil",
    "Turkey": "turkey",
    "India": "india",
    "Mexico": "mexico",
}
TITLES = ["foreign minister", "chief negotiator", "trade minister", "envoy"]
WORDS = [
    "we",
    "will",
    "keep",
    "working",
    "on",
    "the",
    "text",
    "until",
    "it",
    "is",
    "done",
    "nobody",
    "wants",
    "to",
    "leave",
    "empty",
    "handed",
]


@st.composite
def reports(draw: st.DrawFn) -> tuple[str, list[tuple[str, str]]]:
    """A report introducing speakers in full, then quoting them by surname or "he said"."""
    n = draw(st.integers(2, 4))
    people = [(f"{FIRST[i]} {LAST[i]}", LAST[i]) for i in range(n)]
    countries = draw(st.permutations(list(COUNTRIES)))[:n]
    titles = [draw(st.sampled_from(TITLES)) for _ in range(n)]
    paras, expected = ["Talks between the delegations went on late into the night."], []
    for (full, _), country, title in zip(people, countries, titles, strict=True):
        words = " ".join(draw(st.lists(st.sampled_from(WORDS), min_size=3, max_size=8)))
        paras.append(f'"{words.capitalize()}," {country}\'s {title} {full} said.')
        expected.append((full, COUNTRIES[country]))
    for _ in range(draw(st.integers(1, 4))):
        k = draw(st.integers(0, n - 1))
        words = " ".join(draw(st.lists(st.sampled_from(WORDS), min_size=3, max_size=8)))
        if draw(st.booleans()) and expected[-1][0] == people[k][0]:
            paras.append(f'"{words.capitalize()}," he added.')
        else:
            paras.append(f'"{words.capitalize()}," {people[k][1]} said.')
        expected.append((people[k][0], COUNTRIES[countries[k]]))
    return "\n\n".join(paras), expected


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(reports())
def test_generated_reports_attribute_every_quote(report: tuple[str, list[tuple[str, str]]]) -> None:
    text, expected = report
    ex = extract(text)
    assert [(q.speaker_name, q.party) for q in ex.quotes] == expected


def test_a_report_over_the_size_limit_is_refused() -> None:
    from accord.errors import LimitError

    with pytest.raises(LimitError, match="article size"):
        extract("the talks went on " * 60_000)


def test_a_named_but_unknown_speaker_stops_continuation() -> None:
    text = (
        "Talks on pay broke down on Tuesday between the two sides in the long dispute.\n\n"
        '"We will not move," said Jane Roe, president of the Dock Workers Union. "Never."\n\n'
        '"The offer stands," Moran said. "It is final."'
    )
    quotes = extract(text, source="t.txt").quotes
    by_words = {q.text.rstrip(".,"): q for q in quotes}
    assert by_words["Never"].speaker_name == "Jane Roe"
    assert by_words["Never"].attribution == "continued"
    assert by_words["The offer stands"].speaker == "unknown"
    assert by_words["It is final"].speaker == "unknown"  # no guess after an unknown speaker


def test_the_explicit_speaker_wins_over_continuation() -> None:
    text = (
        "Officials met again on Friday to discuss the terms of the long-running dispute.\n\n"
        '"We want a deal," said Jane Roe, president of the Dock Workers Union.\n\n'
        '"A deal is close," said John Doe, chairman of the Port Authority.'
    )
    quotes = extract(text, source="t.txt").quotes
    assert [(q.speaker_name, q.attribution) for q in quotes] == [
        ("Jane Roe", "explicit"),
        ("John Doe", "explicit"),
    ]
    assert [q.party for q in quotes] == ["dock_workers_union", "port_authority"]


def test_a_pronoun_refers_to_the_person_named_last_not_the_last_speaker() -> None:
    text = (
        "The union and the company met on Monday to discuss the pay offer again.\n\n"
        '"We are far apart," said Jane Roe, president of the Dock Workers Union.\n\n'
        "The company's chief executive, John Doe, called the demand excessive. "
        '"We cannot pay that," he said.'
    )
    quotes = extract(text, source="t.txt").quotes
    last = quotes[-1]
    assert last.text.startswith("We cannot pay that")
    assert last.speaker_name == "John Doe" and last.attribution == "pronoun"


def test_issues_and_positions_come_from_the_numbers_each_side_states() -> None:
    text = (
        "Steel tariffs divide the two governments as talks stall.\n\n"
        "The two sides are divided over tariffs on steel and access for beef. "
        "The Steel Producers Association wants a tariff of 25 percent. "
        "The Importers Federation has offered 10 percent."
    )
    ex = extract(text, source="t.txt")
    (tariffs,) = [i for i in ex.issues if i.id == "tariffs"]
    assert tariffs.numbers == (25.0, 10.0) and tariffs.unit == "%"
    assert [(p, v) for p, v, _, _ in tariffs.positions] == [
        ("steel_producers_association", 25.0),
        ("importers_federation", 10.0),
    ]
    assert any(i.name == "access for beef" for i in ex.issues)


_EVAL = sorted(
    (
        p.read_text("utf-8")
        for p in (Path(__file__).parents[1] / "data" / "extract-eval").glob("*.txt")
    ),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, len(_EVAL) - 1), st.integers(0, 3000), st.integers(1, 3000))
def test_any_cut_of_a_report_is_read_or_refused_cleanly(n: int, start: int, length: int) -> None:
    text = _EVAL[n][start : start + length]
    try:
        ex = extract(text, source="cut.txt")
    except InputError:
        return
    for q in ex.quotes:
        assert q.speaker == "unknown" or q.speaker_name


def test_counted_things_shares_and_bare_numbers_find_their_issue() -> None:
    text = (
        "City and taxi drivers split over ride-hailing licences.\n\n"
        "The city plans to issue up to 8,000 licences next year. The Taxi Drivers Federation "
        "wants the number capped at 4,000 and a minimum fare for every trip.\n\n"
        "The Songwriters Society wants the platform to pay 15 percent of its revenue."
    )
    ex = extract(text, source="t.txt")
    by_id = {i.id: i for i in ex.issues}
    assert by_id["licence"].numbers == (8000.0, 4000.0)
    assert [(p, v) for p, v, _, _ in by_id["licence"].positions][-1] == (
        "taxi_drivers_federation",
        4000.0,
    )
    assert any(i.name.startswith("minimum fare") for i in ex.issues)
    assert by_id["revenue"].numbers == (15.0,)


def test_a_verb_with_an_object_does_not_name_its_object_as_speaker() -> None:
    text = (
        "Rich nations raised their offer on Friday at the summit in the city.\n\n"
        "Developing nations called the figure an insult and the UN summit ran late."
    )
    assert [q.speaker for q in extract(text, source="t.txt").quotes] == []
