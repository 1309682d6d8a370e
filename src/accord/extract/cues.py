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

from dataclasses import dataclass, field
from typing import Any

from accord.extract import issues
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
    "pounds": "GBP",
    "yen": "JPY",
    "rupees": "INR",
    "francs": "CHF",
    "tonnes": "t",
    "tons": "t",
    "kg": "kg",
    "years": "years",
    "billion": "bn",
    "million": "m",
    "degrees": "°C",
    "storey": "storeys",
    "storeys": "storeys",
    "stories": "storeys",
    "head": "head",
    "cubic": "m3",
    "square": "m2",
    "metres": "m",
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
                {"LOWER": {"IN": ["cent", "metres", "meters", "kilometres", "miles"]}, "OP": "?"},
            ],
            [{"LIKE_NUM": True}, {"TEXT": "-"}, {"LOWER": {"IN": list(UNITS)}}],
            [
                {"TEXT": {"IN": ["$", "€", "£"]}},
                {"LIKE_NUM": True},
                {"LOWER": {"IN": ["billion", "million"]}, "OP": "?"},
            ],
        ],
    )
    return phrases, tokens


@dataclass
class _Issues:
    """Issues while the report is read: mentions, numbers and stated positions."""

    gaz: Gazetteer
    hits: dict[str, list[Cue]] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    numbers: dict[str, list[tuple[float, str]]] = field(default_factory=dict)
    positions: dict[str, list[tuple[str, float, str, int]]] = field(default_factory=dict)
    last_by_unit: dict[str, tuple[int, str]] = field(default_factory=dict)
    words: dict[str, set[str]] = field(default_factory=dict)
    last_count: tuple[int, str] | None = None

    def build(self) -> list[IssueFound]:
        out = []
        for iid, hits in self.hits.items():
            nums = self.numbers.get(iid, [])
            units = {u for _, u in nums if u}
            name = self.gaz.issues[iid]["name"] if iid in self.gaz.issues else self.names[iid]
            out.append(
                IssueFound(
                    id=iid,
                    name=str(name),
                    mentions=len(hits),
                    sentence=hits[0].sentence,
                    paragraph=hits[0].paragraph,
                    numbers=tuple(v for v, _ in nums),
                    unit=units.pop() if len(units) == 1 else None,
                    positions=tuple(dict.fromkeys(self.positions.get(iid, []))),
                )
            )
        return out


def read_cues(
    scan: Scan,
    gaz: Gazetteer,
    nlp: Any,
    quotes: list[Quote],
    ranges: list[tuple[int, int, int, str]],
) -> tuple[list[Cue], list[IssueFound]]:
    """Every cue in the report and the issues found, in order of first mention.

    Two passes: every paragraph's cues other than numbers first (so that a number can take an
    issue named later in the report), then the numbers.
    """
    phrases, tokens = _matchers(nlp, gaz)
    per_para: dict[int, list[tuple[int, int, str]]] = {}
    for para, a, b, qid in ranges:
        per_para.setdefault(para, []).append((a, b, qid))
    reading = _Reading(scan, gaz, per_para, {q.id: q for q in quotes}, _Issues(gaz))
    paragraphs = [
        _read_paragraph(p, _spans(p.doc, nlp, phrases, tokens, scan, gaz), reading)
        for p in scan.paras
    ]
    for p, read in zip(scan.paras, paragraphs, strict=True):
        for span, kind, _ in read.found:
            if kind == "number":
                _read_number(p, span, read, reading)
    return reading.cues, reading.acc.build()


@dataclass
class _Reading:
    """What reading the report's cues builds up, and the quotes a cue may lie in."""

    scan: Scan
    gaz: Gazetteer
    per_para: dict[int, list[tuple[int, int, str]]]
    by_id: dict[str, Quote]
    acc: _Issues
    cues: list[Cue] = field(default_factory=list)

    def quote_at(self, para: int, char: int) -> Quote | None:
        """The quote holding character `char` of paragraph `para`, if any."""
        return _quote_at(self.per_para, self.by_id, para, char)

    def cue(self, para: int, span: Any, kind: str, key: str, unit: str | None = None) -> Cue:
        """A cue, with the speaker and party of the quote it lies in."""
        q = self.quote_at(para, span.start_char)
        return Cue(
            kind,
            key,
            span.text,
            span.sent.text,
            para + 1,
            q.speaker if q else None,
            q.party if q else None,
            unit,
        )


@dataclass(frozen=True, eq=False)
class _Paragraph:
    """A paragraph's spans and what its numbers need to find their issue: the tokens inside
    amounts, the lexicon issues' spans, and the issues each sentence names (by start token)."""

    found: list[tuple[Any, str, str]]
    amounts: set[int]
    lexicon: list[tuple[int, int, str]]
    sentence_issues: dict[int, list[tuple[int, str]]]


def _spans(
    doc: Any, nlp: Any, phrases: Any, tokens: Any, scan: Scan, gaz: Gazetteer
) -> list[tuple[Any, str, str]]:
    """Lexicon, date and number spans of a paragraph (longest wins within a kind)."""
    from spacy.util import filter_spans

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
    found.sort(key=lambda x: x[0].start)
    return found


def _read_paragraph(p: Any, found: list[tuple[Any, str, str]], reading: _Reading) -> _Paragraph:
    """The paragraph's cues other than numbers; what the numbers need to find their issue."""
    doc, acc = p.doc, reading.acc
    for m in reading.scan.mentions[p.index]:
        if m.kind == "place":
            found.append((doc[m.start : m.end], "place", _place_name(m.text, reading.gaz)))
    found.sort(key=lambda x: x[0].start)
    amounts = {
        k for span, kind, _ in found if kind == "number" for k in range(span.start, span.end)
    }
    for a, b in issues.counted_numbers(doc, amounts):
        found.append((doc[a:b], "number", "counted"))
        amounts.update(range(a, b))
    lexicon = [(span.start, span.end, key) for span, kind, key in found if kind == "issue"]
    for a, b in issues.topic_phrases(doc, amounts):
        if not any(x < b and a < y for x, y, _ in lexicon):
            iid, name = issues.phrase_key(doc, a, b)
            acc.names.setdefault(iid, name)
            found.append((doc[a:b], "issue", iid))
    found.sort(key=lambda x: x[0].start)

    sentence_issues: dict[int, list[tuple[int, str]]] = {}
    for span, kind, key in found:
        if kind == "number":
            continue
        unit = None
        if kind == "place":
            unit = "city" if span.text == key and key not in _countries(reading.gaz) else "country"
        c = reading.cue(p.index, span, kind, key, unit)
        reading.cues.append(c)
        if kind == "issue":
            acc.hits.setdefault(key, []).append(c)
            acc.words.setdefault(key, set()).update(
                t.lower_ for t in span if t.is_alpha and not t.is_stop
            )
            sentence_issues.setdefault(span.sent.start, []).append((span.start, key))
    return _Paragraph(found, amounts, lexicon, sentence_issues)


def _read_number(p: Any, span: Any, para: _Paragraph, reading: _Reading) -> None:
    """A number's cue, the issue it is about and, when a side states it, its position."""
    doc, acc = p.doc, reading.acc
    value, unit = _amount(span)
    if value is None:
        return
    reading.cues.append(reading.cue(p.index, span, "number", f"{value:g}", unit))
    if unit in DURATIONS:
        return
    iid = _number_issue(p, span, unit, para, reading)
    if iid is None:
        return
    acc.numbers.setdefault(iid, []).append((value, unit))
    acc.last_by_unit[unit] = (p.index, iid)
    if unit and unit.isalpha() and unit not in UNITS.values():
        acc.last_count = (p.index, iid)
    if span.start > 0 and doc[span.start - 1].lower_ == "from":
        return  # "from 6 percent to 10 percent": 6 is where things stand
    q = reading.quote_at(p.index, span.start_char)
    if q is not None and q.kind == "indirect":
        q = None  # reported speech: the sentence's own subject states the number
    if q is not None and q.party is None:
        return
    party = issues.stated_by(reading.scan, p.index, doc, span.start, q.party if q else None)
    if party is not None:
        acc.positions.setdefault(iid, []).append((party, value, span.sent.text, p.index + 1))


def _number_issue(p: Any, span: Any, unit: str, para: _Paragraph, reading: _Reading) -> str | None:
    """The issue a number is about: the phrase the wording ties it to ("a rise of 6
    percent"; a lexicon issue when the phrase holds one), else the issue of the last number
    with the same unit in this or the previous paragraph ("25 % is the most they can promise
    without finance" continues the emissions cut of 40 %; a bare number continues the last
    count), else the issue named nearest to it in its sentence, else the one issue whose words
    hold a count's unit ("8,000 licences"), else the one issue sharing a word stem with its
    clause, else for a share the phrase it is taken of ("15 percent of its revenue")."""
    doc, acc, amounts = p.doc, reading.acc, para.amounts
    near = para.sentence_issues.get(span.sent.start)
    np = issues.number_phrase(doc, span.start, span.end, amounts)
    last = acc.last_by_unit.get(unit)
    if last is None and unit in {"bn", "m"}:  # "31 billion" after "40 billion cubic metres"
        last = next((v for u, v in acc.last_by_unit.items() if u.startswith(unit + " ")), None)
    if not unit:  # a bare number continues the last count ("capped at 4,000")
        last = acc.last_count
    if last is not None and last[0] < p.index - 1 and unit in {"%", ""}:
        last = None
    if np is not None and last is not None and issues.bare_change(doc, *np):
        return last[1]  # "a gradual reduction to 52 percent" of the share given before
    if np is not None:
        inside = [key for a, b, key in para.lexicon if a < np[1] and np[0] < b]
        if inside:
            return inside[0]
        iid, name = issues.phrase_key(doc, *np)
        acc.names.setdefault(iid, name)
        acc.words.setdefault(iid, set()).update(t.lower_ for t in doc[np[0] : np[1]] if t.is_alpha)
        if iid not in acc.hits:
            acc.hits[iid] = [reading.cue(p.index, doc[np[0] : np[1]], "issue", iid)]
        return iid
    if last is not None:
        return last[1]
    if near:
        return min(near, key=lambda x: abs(x[0] - span.start))[1]
    named = [iid for iid, ws in acc.words.items() if unit and unit in ws]
    if len(named) == 1:  # "8,000 licences" and the issue of ride-hailing licences
        return named[0]
    found = issues.overlap_issue(doc, span.start, span.end, acc.words)
    base = issues.base_phrase(doc, span.start, span.end, amounts)
    if found is None and base is not None and unit == "%":  # "15 percent of its revenue"
        found, name = issues.phrase_key(doc, *base)
        acc.names.setdefault(found, name)
        if found not in acc.hits:
            acc.hits[found] = [reading.cue(p.index, doc[base[0] : base[1]], "issue", found)]
    return found


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
        elif t.i > span.start and t.doc[t.i - 1].lower_ in {"cubic", "square"}:
            continue  # "cubic metres" is one unit
        elif t.lower_ in UNITS:
            unit_words.append(UNITS[t.lower_])
        elif t.text in {"$", "€", "£"}:
            unit_words.insert(0, {"$": "USD", "€": "EUR", "£": "GBP"}[t.text])
        elif t.is_alpha and t.is_lower:
            unit_words.append(t.lower_)  # a count: "8,000 licences"
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
