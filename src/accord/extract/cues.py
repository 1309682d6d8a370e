"""What is on the table and what happened: issues, values, stance and outcome cues, dates,
places and numbers.

Lexicon phrases from the gazetteer are matched case-insensitively with spaCy's PhraseMatcher
(``attr="LOWER"``); overlapping matches keep the longest. Dates and amounts are found with a
token Matcher. A cue inside an attributed quote carries that quote's speaker and party. A number
counts for an issue only when it has a unit (percent, per cent, %, dollars, hours, …) and stands
in a sentence that names the issue; it goes to the issue mentioned nearest to it. Number words up
to twenty and the tens are read ("five percent" → 5).
"""

from __future__ import annotations

from typing import Any

from accord.extract.mentions import Scan
from accord.extract.pipeline import Gazetteer
from accord.extract.result import Cue, IssueFound, Quote

_NUMBER_WORDS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen "
    "fourteen fifteen sixteen seventeen eighteen nineteen twenty"
)
NUMBER_WORDS = {w: float(i) for i, w in enumerate(_NUMBER_WORDS.split())}
NUMBER_WORDS.update(
    {
        "thirty": 30,
        "forty": 40,
        "fifty": 50,
        "sixty": 60,
        "seventy": 70,
        "eighty": 80,
        "ninety": 90,
        "hundred": 100,
    }
)
UNITS = {
    "percent": "%",
    "%": "%",
    "per": "%",
    "hours": "hours",
    "hour": "hours",
    "days": "days",
    "dollars": "USD",
    "euros": "EUR",
    "tonnes": "t",
    "tons": "t",
    "kg": "kg",
    "years": "years",
    "billion": "bn",
    "million": "m",
    "degrees": "°C",
}
DURATIONS = frozenset({"days", "years"})
_MONTHS = (
    "january february march april may june july august september october november "
    "december jan feb mar apr jun jul aug sep sept oct nov dec"
)
MONTHS = _MONTHS.split()
_WEEKDAYS = "monday tuesday wednesday thursday friday saturday sunday"
WEEKDAYS = _WEEKDAYS.split()


def number_value(text: str) -> float | None:
    """A number from digits ("3.5", "1,000") or a number word ("five")."""
    t = text.lower().replace(",", "")
    if t in NUMBER_WORDS:
        return float(NUMBER_WORDS[t])
    try:
        return float(t)
    except ValueError:
        return None


def _matchers(nlp: Any, gaz: Gazetteer) -> tuple[Any, Any]:
    from spacy.matcher import Matcher, PhraseMatcher

    phrases = PhraseMatcher(nlp.vocab, attr="LOWER")
    for iid, issue in gaz.issues.items():
        phrases.add(f"issue|{iid}", [nlp.make_doc(s) for s in issue["phrases"]])
    for vid, words in gaz.values.items():
        phrases.add(f"value|{vid}", [nlp.make_doc(s) for s in words])
    for phrase, stance in gaz.stances.items():
        phrases.add(f"stance|{stance}", [nlp.make_doc(phrase)])
    for phrase, outcome in gaz.outcomes.items():
        phrases.add(f"outcome|{outcome}", [nlp.make_doc(phrase)])

    tokens = Matcher(nlp.vocab)
    tokens.add(
        "date|weekday",
        [
            [
                {"LOWER": {"IN": WEEKDAYS}},
                {"LOWER": {"IN": ["morning", "evening", "night", "afternoon"]}, "OP": "?"},
            ]
        ],
    )
    tokens.add(
        "date|month",
        [
            [
                {"LIKE_NUM": True, "OP": "?"},
                {"LOWER": {"IN": MONTHS}, "IS_TITLE": True},
                {"LIKE_NUM": True, "OP": "?"},
                {"TEXT": ",", "OP": "?"},
                {"TEXT": {"REGEX": r"^(19|20)\d\d$"}, "OP": "?"},
            ],
        ],
    )
    tokens.add(
        "date|relative",
        [
            [
                {"LOWER": {"IN": ["last", "next", "this"]}},
                {"LOWER": {"IN": ["year", "month", "week"]}},
            ],
            [{"LOWER": {"IN": ["yesterday", "today", "tomorrow"]}}],
        ],
    )
    tokens.add("date|year", [[{"TEXT": {"REGEX": r"^(19|20)\d\d$"}}]])
    tokens.add(
        "number|amount",
        [
            [
                {"TEXT": {"IN": ["$", "€", "£"]}, "OP": "?"},
                {"LIKE_NUM": True},
                {"LOWER": {"IN": ["billion", "million"]}, "OP": "?"},
                {"LOWER": {"IN": list(UNITS)}},
                {"LOWER": "cent", "OP": "?"},
            ],
            [
                {"TEXT": {"IN": ["$", "€", "£"]}},
                {"LIKE_NUM": True},
                {"LOWER": {"IN": ["billion", "million"]}, "OP": "?"},
            ],
        ],
    )
    return phrases, tokens


def read_cues(
    scan: Scan,
    gaz: Gazetteer,
    nlp: Any,
    quotes: list[Quote],
    ranges: list[tuple[int, int, int, str]],
) -> tuple[list[Cue], list[IssueFound]]:
    """Every cue in the report and the issues found, in order of first mention."""
    from spacy.util import filter_spans

    phrases, tokens = _matchers(nlp, gaz)
    by_id = {q.id: q for q in quotes}
    per_para: dict[int, list[tuple[int, int, str]]] = {}
    for para, a, b, qid in ranges:
        per_para.setdefault(para, []).append((a, b, qid))
    cues: list[Cue] = []
    issue_hits: dict[str, list[Cue]] = {}
    numbers: dict[str, list[tuple[float, str]]] = {}
    for p in scan.paras:
        doc = p.doc
        spans = []
        for match_id, start, end in [*phrases(doc), *tokens(doc)]:
            span = doc[start:end]
            if span[-1].text == "," and len(span) > 1:
                span = doc[start : end - 1]
            span.label_ = nlp.vocab.strings[match_id]
            spans.append(span)
        groups: dict[str, list[Any]] = {}
        for s in spans:
            groups.setdefault(s.label_.split("|")[0], []).append(s)
        found: list[tuple[Any, str, str]] = []
        for kind, group in groups.items():
            for s in filter_spans(group):
                found.append((s, kind, s.label_.split("|")[1]))
        for m in scan.mentions[p.index]:
            if m.kind == "place":
                found.append((doc[m.start : m.end], "place", _place_name(m.text, gaz)))
        found.sort(key=lambda x: x[0].start)
        sentence_issues: dict[int, list[tuple[int, str]]] = {}
        for span, kind, key in found:
            if kind == "number":
                continue
            q = _quote_at(per_para, by_id, p.index, span.start_char)
            unit = None
            if kind == "place":
                unit = "city" if span.text == key and key not in _countries(gaz) else "country"
            cue = Cue(
                kind,
                key,
                span.text,
                span.sent.text,
                p.index + 1,
                q.speaker if q else None,
                q.party if q else None,
                unit,
            )
            cues.append(cue)
            if kind == "issue":
                issue_hits.setdefault(key, []).append(cue)
                sentence_issues.setdefault(span.sent.start, []).append((span.start, key))
        for span, kind, _ in found:
            if kind != "number":
                continue
            value, unit = _amount(span)
            if value is None:
                continue
            q = _quote_at(per_para, by_id, p.index, span.start_char)
            cues.append(
                Cue(
                    "number",
                    f"{value:g}",
                    span.text,
                    span.sent.text,
                    p.index + 1,
                    q.speaker if q else None,
                    q.party if q else None,
                    unit,
                )
            )
            near = sentence_issues.get(span.sent.start)
            if near and unit not in DURATIONS:
                iid = min(near, key=lambda x: abs(x[0] - span.start))[1]
                numbers.setdefault(iid, []).append((value, unit))
    issues = []
    for iid, hits in issue_hits.items():
        nums = numbers.get(iid, [])
        units = {u for _, u in nums}
        issues.append(
            IssueFound(
                id=iid,
                name=gaz.issues[iid]["name"],
                mentions=len(hits),
                sentence=hits[0].sentence,
                paragraph=hits[0].paragraph,
                numbers=tuple(v for v, _ in nums),
                unit=units.pop() if len(units) == 1 else None,
            )
        )
    return cues, issues


def _countries(gaz: Gazetteer) -> set[str]:
    return {str(e["name"]) for e in gaz.parties.values()}


def _place_name(text: str, gaz: Gazetteer) -> str:
    """A place as named, or its country for an adjective ("Kazakh" → Kazakhstan)."""
    for entry in gaz.parties.values():
        if text in entry.get("adjectives", ()):
            return str(entry["name"])
    return text


def _amount(span: Any) -> tuple[float | None, str]:
    value = None
    unit_words = []
    for t in span:
        v = number_value(t.text)
        if value is None and v is not None:
            value = v
        elif t.lower_ in UNITS:
            unit_words.append(UNITS[t.lower_])
        elif t.text in {"$", "€", "£"}:
            unit_words.insert(0, {"$": "USD", "€": "EUR", "£": "GBP"}[t.text])
    if value is None:
        return None, ""
    return value, " ".join(dict.fromkeys(unit_words))


def _quote_at(
    ranges: dict[int, list[tuple[int, int, str]]], by_id: dict[str, Quote], para: int, char: int
) -> Quote | None:
    for a, b, qid in ranges.get(para, ()):
        if a <= char < b:
            return by_id.get(qid)
    return None
