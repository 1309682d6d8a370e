"""Who said what: direct, partial and indirect quotes, each attributed to its speaker.

Quotations are found at the character level of each paragraph, following newspaper practice: a
paragraph that ends inside a quotation and a next paragraph that opens with a quotation mark
continue the same quote (the mark is not closed before the paragraph break). Each quote is then
attributed by rules over the spaCy tokens of its sentence:

- after the closing mark: ``"…," SPEAKER VERB`` or ``"…," VERB SPEAKER`` ("a senior U.S.
  official said", "said Jalili, a hardline …", "he added");
- before the opening mark: ``SPEAKER VERB … "…"`` ("Ashton said the positions were still
  "far apart""), skipping a ", who …," clause between speaker and verb;
- otherwise a quote continues the previous speaker when it follows another quote in the same
  paragraph, or opens a paragraph right after one that held a quote ("continued") — but only
  when no reporting verb or other person stands in its sentence or the one before, and never
  after a quote left ``unknown``: the explicit speaker always wins, and a quote whose speaker
  cannot be established stays ``unknown`` rather than being guessed.

A quotation embedded in a reported clause is ``partial``: the sentence is the quote and the
quoted words are its ``fragments`` (one record per sentence). A sentence with no quotation mark
but a reporting verb whose subject is a person, an official, a party or a group is an
``indirect`` quote. A news agency in the subject slot ("AFP reported") is the report's own
source, not a speaker; "according to AFP" after a quote is recorded as the quote's ``via``.
The speaker slot prefers a named person, then a pronoun (the speaker or person named last as
the first person of a sentence earlier in the paragraph, else the last speaker of the
paragraph before), then an unnamed
official ("a senior U.S. official": one speaker per party and title, so "the U.S. official"
later is the same one), then a party or group itself ("Iran said").
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import Any

from accord.extract.mentions import PersonDraft, Scan, slug
from accord.extract.pipeline import Gazetteer
from accord.extract.result import Quote

PRONOUNS = frozenset({"he", "she", "they"})
NOT_SUBJECT = frozenset(
    {
        "that",
        "to",
        "on",
        "in",
        "at",
        "by",
        "for",
        "it",
        "this",
        "there",
        "not",
        "was",
        "is",
        "were",
        "they",
        "he",
        "she",
        "we",
        "i",
        "what",
        "how",
    }
)
INVERTING = frozenset(
    {
        "said",
        "says",
        "added",
        "adds",
        "wrote",
        "writes",
        "reported",
        "replied",
        "asked",
        "explained",
        "noted",
        "insisted",
        "argued",
        "stated",
        "continued",
        "warned",
        "tweeted",
    }
)
AUXILIARIES = frozenset({"has", "have", "had", "is", "was", "were", "will", "would", "also"})
PLURAL_TITLES = {"spokespeople": "spokesperson"}


@dataclass
class Span:
    """A quotation: its segments (paragraph, first char, end char) and its marks."""

    segments: list[tuple[int, int, int]]
    open_mark: tuple[int, int]
    close_mark: tuple[int, int] | None = None


@dataclass
class Reader:
    """State while quotes are read in order: the last speaker and the records made."""

    scan: Scan
    gaz: Gazetteer
    quotes: list[Quote] = field(default_factory=list)
    last_speaker: str | None = None
    quote_paras: set[int] = field(default_factory=set)
    last_para: int = -1
    said_at: dict[int, list[tuple[int, str]]] = field(default_factory=dict)
    report_sources: list[str] = field(default_factory=list)
    ranges: list[tuple[int, int, int, str]] = field(default_factory=list)


def find_spans(texts: list[str]) -> list[Span]:
    """Quotations in paragraphs, joining one continued over a paragraph break."""
    spans: list[Span] = []
    carry: Span | None = None
    for p, text in enumerate(texts):
        marks = [m.start() for m in re.finditer('"', text)]
        k = 0
        if carry is not None:
            if marks and marks[0] == 0:
                k = 1
                if len(marks) > 1:
                    carry.segments.append((p, 1, marks[1]))
                    carry.close_mark = (p, marks[1])
                    spans.append(carry)
                    carry = None
                    k = 2
                else:
                    carry.segments.append((p, 1, len(text)))
                    continue
            else:
                spans.append(carry)
                carry = None
        while k < len(marks):
            o = marks[k]
            if k + 1 < len(marks):
                c = marks[k + 1]
                spans.append(Span([(p, o + 1, c)], (p, o), (p, c)))
                k += 2
            else:
                carry = Span([(p, o + 1, len(text))], (p, o))
                k += 1
    if carry is not None:
        spans.append(carry)
    return spans


def read_quotes(scan: Scan, gaz: Gazetteer) -> Reader:
    """Every quote in the report, in order, with the report's own sources."""
    reader = Reader(scan, gaz)
    spans = find_spans([p.text for p in scan.paras])
    for p in scan.paras:
        doc = p.doc
        mine = [s for s in spans if s.open_mark[0] == p.index]
        inside = _quoted_tokens(doc, p.index, spans)
        items: list[tuple[int, str, Any]] = [(s.open_mark[1], "span", s) for s in mine]
        for sent in doc.sents:
            if not any(t.i in inside or t.text == '"' for t in sent):
                items.append((sent.start_char, "sent", sent))
        items.sort(key=lambda x: x[0])
        partial_done: dict[int, Quote] = {}
        for _, what, obj in items:
            if what == "span":
                _read_span(reader, obj, partial_done)
            else:
                _read_indirect(reader, p.index, obj)
        for m in scan.mentions[p.index]:
            if m.kind == "media" and m.key not in reader.report_sources:
                reader.report_sources.append(m.key)
    return reader


def _quoted_tokens(doc: Any, para: int, spans: list[Span]) -> set[int]:
    out: set[int] = set()
    for s in spans:
        for sp, a, b in s.segments:
            if sp == para:
                out.update(range(_token_at(doc, a), _token_at(doc, max(a, b - 1)) + 1))
    return out


def _token_at(doc: Any, char: int) -> int:
    """The token holding character `char` (the next token when it falls on a space)."""
    starts = doc.user_data.get("accord_starts")
    if starts is None:
        starts = [t.idx for t in doc]
        doc.user_data["accord_starts"] = starts
    return max(0, min(bisect.bisect_right(starts, char) - 1, len(doc) - 1))


def _read_span(reader: Reader, span: Span, partial_done: dict[int, Quote]) -> None:
    scan = reader.scan
    p0, o_char = span.open_mark
    doc = scan.paras[p0].doc
    o = _token_at(doc, o_char)
    first = min(o + 1, len(doc) - 1)
    sent = doc[first].sent
    partial = o > sent.start and doc[o - 1].text not in {":", ",", '"'}
    speaker: str | None = None
    how = "explicit"
    close_para, close_tok = None, None
    if span.close_mark is not None:
        close_para = span.close_mark[0]
        close_tok = _token_at(scan.paras[close_para].doc, span.close_mark[1])
    order = ("before", "after") if partial else ("after", "before")
    for side in order:
        if speaker is not None:
            break
        if side == "after" and close_tok is not None and close_para is not None:
            speaker, how = _after_slot(reader, close_para, close_tok)
        elif side == "before" and o >= sent.start:
            speaker, how = _before_slot(reader, p0, sent.start, o)
    if speaker is None and not _named_near(reader, span, sent):
        prev_same = p0 in reader.quote_paras
        opens_para = o_char == 0 and (p0 - 1) in reader.quote_paras
        if (prev_same or opens_para) and reader.last_speaker is not None:
            speaker, how = reader.last_speaker, "continued"
    speaker = speaker or "unknown"
    text = " ".join(scan.paras[sp].text[a:b].strip() for sp, a, b in span.segments).strip()
    sentences = _sentences(reader, span)
    via = _via(reader, span)
    if partial:
        fragment = text.strip(" ,.")
        prior = partial_done.get(sent.start)
        if prior is not None and prior.speaker == speaker:
            merged = Quote(**{**vars(prior), "fragments": (*prior.fragments, fragment)})
            reader.quotes[reader.quotes.index(prior)] = merged
            partial_done[sent.start] = merged
            return
        q = _add(reader, _Said(speaker, "partial", sent.text, sent.text, p0, how, (fragment,), via))
        reader.said_at.setdefault(p0, []).append((o, speaker))
        partial_done[sent.start] = q
        reader.ranges.append((p0, sent.start_char, sent.end_char, q.id))
    else:
        q = _add(reader, _Said(speaker, "direct", text.rstrip(","), sentences, p0, how, via=via))
        reader.said_at.setdefault(p0, []).append((o, speaker))
        for sp, a, b in span.segments:
            reader.ranges.append((sp, a, b, q.id))


def _sentences(reader: Reader, span: Span) -> str:
    out: list[str] = []
    for sp, a, b in span.segments:
        doc = reader.scan.paras[sp].doc
        k, last = _token_at(doc, a), _token_at(doc, max(a, b - 1))
        while k <= last:
            sent = doc[k].sent
            text = sent.text.removesuffix(' "').strip()
            if text not in out:
                out.append(text)
            k = sent.end
    return " ".join(out)


def _via(reader: Reader, span: Span) -> str | None:
    if span.close_mark is None:
        return None
    para, c = span.close_mark
    doc = reader.scan.paras[para].doc
    sent = doc[_token_at(doc, c)].sent
    for m in reader.scan.within(para, sent.start, sent.end):
        if (
            m.kind == "media"
            and m.start >= 2
            and doc[m.start - 2 : m.start].text.lower() in {"according to"}
        ):
            return reader.gaz.name_of(m.key)
    return None


@dataclass(frozen=True)
class _Said:
    """A quote as read, before it is numbered: who said it (and how that was found), its
    kind (direct, partial or indirect), its words, the sentence(s) it stands in, its paragraph
    (from 0), the fragments of a partial quote and the agency it came through."""

    speaker: str
    kind: str
    text: str
    sentence: str
    para: int
    how: str
    fragments: tuple[str, ...] = ()
    via: str | None = None


def _add(reader: Reader, said: _Said) -> Quote:
    """Number the quote, give it its speaker's name and party, and make its speaker the last."""
    speaker, para = said.speaker, said.para
    person = reader.scan.persons.get(speaker)
    q = Quote(
        id=f"q{len(reader.quotes) + 1:02d}",
        speaker=speaker,
        speaker_name=person.name if person else speaker,
        party=person.party if person else None,
        kind=said.kind,
        text=said.text,
        sentence=said.sentence,
        paragraph=para + 1,
        attribution=said.how,
        fragments=said.fragments,
        via=said.via,
    )
    reader.quotes.append(q)
    reader.quote_paras.add(para)
    reader.last_speaker = None if speaker == "unknown" else speaker
    reader.last_para = para
    return q


def _named_near(reader: Reader, span: Span, sent: Any) -> bool:
    """Whether a reporting verb or a person other than the last speaker stands in the quote's
    sentence or in the sentence before it: then the quote does not continue the last speaker
    (a quote whose speaker cannot be established is left unknown)."""
    scan = reader.scan
    para = span.open_mark[0]
    doc = scan.paras[para].doc
    inside = _quoted_tokens(doc, para, [span])
    start = sent.start
    if start > 0 and doc[start - 1].sent.start not in {s for s, _ in reader.said_at.get(para, [])}:
        before = doc[start - 1].sent
        if not any(t.text == '"' for t in before):
            start = before.start
    end = sent.end
    if span.close_mark is not None and span.close_mark[0] == para:
        end = max(end, doc[_token_at(doc, span.close_mark[1])].sent.end)
    for k in range(start, end):
        if k in inside:
            continue
        if k >= sent.start and doc[k].lower_ in reader.gaz.speech_verbs:
            return True
        m = scan.at(para, k)
        if m is not None and m.kind == "person" and m.key != reader.last_speaker:
            return True
    return False


def _pronoun(reader: Reader, para: int, tok: int) -> str | None:
    """Whom "he", "she" or "they" refers to: the latest speaker or person named as the first
    person of a sentence earlier in the paragraph, else the last speaker when the previous
    paragraph held their quote, else nobody."""
    doc = reader.scan.paras[para].doc
    cands = [(k, who) for k, who in reader.said_at.get(para, []) if k < tok and who != "unknown"]
    for sent in doc.sents:
        if sent.start >= tok:
            break
        persons = [
            m
            for m in reader.scan.within(para, sent.start, min(sent.end, tok))
            if m.kind == "person"
        ]
        if persons:
            cands.append((persons[0].start, persons[0].key))
    if cands:
        return max(cands)[1]
    if reader.last_speaker is not None and reader.last_para >= para - 1:
        return reader.last_speaker
    return None


def _read_indirect(reader: Reader, para: int, sent: Any) -> None:
    doc = reader.scan.paras[para].doc
    for t in sent:
        if t.lower_ not in reader.gaz.speech_verbs or t.i == sent.start:
            continue
        speaker, how = _before_slot(reader, para, sent.start, t.i + 1, verb=t.i)
        if speaker is None:
            speaker = _inverted(reader, para, t.i, sent.end)
            how = "inverted"
        if speaker is not None:
            said = _reported_clause(doc, t.i, sent.end) if how != "inverted" else sent.text
            q = _add(reader, _Said(speaker, "indirect", said, sent.text, para, "explicit"))
            reader.ranges.append((para, sent.start_char, sent.end_char, q.id))
            return


def _reported_clause(doc: Any, verb: int, end: int) -> str:
    """What was said: the words after the reporting verb, from "that" on when it is near."""
    start = verb + 1
    for k in range(start, min(start + 4, end)):
        if doc[k].lower_ == "that":
            start = k + 1
            break
    text = doc[start:end].text.strip()
    return text or str(doc[verb].sent.text)


def _inverted(reader: Reader, para: int, verb: int, end: int) -> str | None:
    """The speaker named right after the verb ("said Jalili", "reported AFP"), if any. Only
    verbs that put their subject after them do so: "called the figure an insult" or "urged
    the union" name an object, not a speaker."""
    doc = reader.scan.paras[para].doc
    if verb + 1 >= end or doc[verb + 1].lower_ in NOT_SUBJECT:
        return None
    if doc[verb].lower_ not in INVERTING:
        return None
    hi = min(_clause_end(doc, verb + 1, end), verb + 11)
    found = reader.scan.within(para, verb + 1, hi)
    if hi + 1 < end and doc[hi].text == "," and not any(m.kind == "person" for m in found):
        m = reader.scan.at(para, hi + 1)
        if m is not None and m.kind == "person":  # "said its chair, Margaret Oyelaran"
            return m.key
    speaker, _ = _resolve(reader, para, verb + 1, hi, nearest_last=False, pronouns=False)
    return speaker


def _clause_end(doc: Any, start: int, end: int) -> int:
    k = start
    while k < end and doc[k].text not in {",", ";", ".", '"'}:
        k += 1
    return k


def _after_slot(reader: Reader, para: int, close: int) -> tuple[str | None, str]:
    doc = reader.scan.paras[para].doc
    sent = doc[close].sent
    k = close + 1
    end = k
    while end < sent.end and doc[end].text != '"':
        end += 1
    for v in range(k, min(end, k + 12)):
        if doc[v].lower_ in reader.gaz.speech_verbs:
            lo = k + 1 if doc[k].text == "," else k
            if v > lo:
                return _resolve(reader, para, lo, v, nearest_last=False)
            return _inverted(reader, para, v, end), "explicit"
    return None, "explicit"


def _before_slot(
    reader: Reader, para: int, start: int, stop: int, verb: int | None = None
) -> tuple[str | None, str]:
    """The speaker of the last reporting verb in tokens [start, stop) that has one."""
    doc = reader.scan.paras[para].doc
    verbs = (
        [verb]
        if verb is not None
        else [v for v in range(stop - 1, start - 1, -1) if doc[v].lower_ in reader.gaz.speech_verbs]
    )
    for v in verbs:
        lo, hi = _clause_start(doc, start, v, reader.scan, para)
        if lo < hi:
            speaker, how = _resolve(reader, para, lo, hi, nearest_last=True)
            if speaker is not None:
                return speaker, how
    return None, "explicit"


def _clause_start(doc: Any, start: int, verb: int, scan: Scan, para: int) -> tuple[int, int]:
    """Walk back from a verb to its subject: the tokens [lo, hi) that hold it.

    A stretch between commas right before the verb (and its auxiliary) is an aside: ", who
    …,", ", speaking on condition of anonymity," or ", which is owned by a Canadian group,"
    is skipped and left out of the subject, but an aside that opens with a name (", Thomas
    Whitaker,") is the subject itself.
    """
    k = verb - 1
    while k > start and doc[k].lower_ in AUXILIARIES and doc[k - 1].text == ",":
        k -= 1  # ", which …, has said"
    if k >= start and doc[k].text == ",":
        j = k - 1
        while j >= start and doc[j].text not in {",", ";", '"'}:
            j -= 1
        if j < start or doc[j].text != ",":
            return verb, verb
        m = scan.at(para, j + 1)
        if m is None and j + 2 < verb and doc[j + 1].lower_ == "the":
            m = scan.at(para, j + 2)
            m = m if m is not None and m.kind == "party" else None
        if m is not None and m.kind in {"person", "party"}:
            return j + 1, verb
        first = doc[j + 1]
        clause = first.is_lower and first.lower_ not in {"the", "a", "an", "its", "their"}
        if not clause and any(x.kind == "person" for x in scan.within(para, j + 1, k)):
            return j + 1, verb  # ", Dutch lawmaker Pieter de Vries, said"
        k = j - 1
    hi = k + 1
    while k >= start:
        t = doc[k]
        if t.lower_ in {"which", "that", "who"} or t.text in {";", ":", '"', ","}:
            return k + 1, hi
        k -= 1
    return start, hi


def _resolve(
    reader: Reader, para: int, lo: int, hi: int, nearest_last: bool, pronouns: bool = True
) -> tuple[str | None, str]:
    """The speaker named in tokens [lo, hi)."""
    scan = reader.scan
    doc = scan.paras[para].doc
    found = scan.within(para, lo, hi)
    persons = [m for m in found if m.kind == "person"]
    if persons:
        m = persons[-1] if nearest_last else persons[0]
        return m.key, "explicit"
    for t in doc[lo:hi]:
        if pronouns and t.lower_ in PRONOUNS:
            who = _pronoun(reader, para, t.i)
            return (who, "pronoun") if who else (None, "explicit")
    for t in doc[lo:hi]:
        if t.lower_ in reader.gaz.titles and scan.at(para, t.i) is None and t.is_lower:
            return _anonymous(reader, para, lo, hi, t.i), "explicit"
    parties = [m for m in found if m.kind in {"party", "group"} and not _governed(doc, m.start)]
    if parties:
        m = parties[-1] if nearest_last else parties[0]
        if m.key not in scan.persons:
            scan.persons[m.key] = PersonDraft(
                m.key,
                _party_name(reader, m.key),
                "",
                m.key,
                "",
                "party",
                para,
                doc[m.start].sent,
                anonymous=True,
            )
        return m.key, "explicit"
    media = [m for m in found if m.kind == "media"]
    if media and media[0].key not in reader.report_sources:
        reader.report_sources.append(media[0].key)
    return None, "explicit"


def _governed(doc: Any, start: int) -> bool:
    """Whether a party stands after a noun and a preposition ("a nurse at Wellington
    Hospital"): then it describes the speaker, who is not the party itself."""
    k = start - 1
    if k >= 0 and doc[k].lower_ in {"the", "a", "an"}:
        k -= 1
    return (
        k >= 1
        and doc[k].lower_ in {"at", "from", "of", "for", "with", "in"}
        and doc[k - 1].is_lower
    )


def _party_name(reader: Reader, key: str) -> str:
    return reader.scan.orgs.get(key) or reader.gaz.name_of(key)


def _anonymous(reader: Reader, para: int, lo: int, hi: int, noun: int) -> str:
    """An unnamed official, one per party and title ("a senior U.S. official")."""
    scan = reader.scan
    doc = scan.paras[para].doc
    found = [m for m in scan.within(para, lo, hi) if m.kind in {"party", "group", "office"}]
    before = [m for m in found if m.end <= noun]
    party = before[-1].key if before else (found[0].key if found else None)
    word = doc[noun].lower_
    word = PLURAL_TITLES.get(word, word[:-1] if word.endswith("s") else word)
    key = slug(f"{party or 'unnamed'}_{word}")
    if key not in scan.persons:
        words = [t.text for t in doc[lo : noun + 1]]
        while words and words[0].lower() in {"the", "a", "an", ","}:
            words.pop(0)
        label = re.sub(r" (?='s\b)", "", " ".join(words))
        scan.persons[key] = PersonDraft(
            key,
            label,
            "",
            party,
            label,
            "descriptor" if party else "none",
            para,
            doc[noun].sent,
            anonymous=True,
        )
    return key
