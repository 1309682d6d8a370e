"""Actors without a gazetteer: organisations, parties and governments from general patterns.

The gazetteer finds the actors it knows; these rules find the others from how news reports
introduce them (in the spirit of the appositive and relative-clause cues of Pareti et al., EMNLP
2013, and of the organisation-suffix rules of classic rule-based named-entity recognisers):

- a capitalised run followed by ", which …" is an organisation or a state, not a person
  ("The Coach Operators Association, which represents …", "Kenya, which hosted the talks");
- a capitalised run in apposition with a common organisation noun is an organisation
  ("Te Whatu Ora, the public health agency …", "EUROPEN, the packaging industry association",
  "a farm lobby, the Cattle Council of Australia,"), and the noun is how the report refers
  to it later ("the agency's chief people officer");
- a run ending in a legal suffix (Ltd, Inc, plc, GmbH, …) is a company;
- "the Philippine government" names a government party;
- "Nordair's chief executive", "Nigeria's environment minister": the possessor of a title is
  the party its holder speaks for;
- "its chief executive, …" refers to the organisation named last before it in the paragraph,
  or else to the one the sentence names after it;
- a minister (or a "Transport Secretary") with no party speaks for the report's government: the
  party most often written before "government", else the only state the report names, else a
  party "Government"; a councillor or mayor speaks for the council.
"""

from __future__ import annotations

from typing import Any

from accord.extract.pipeline import Gazetteer, Paragraph


def words(text: str) -> frozenset[str]:
    """The words of a text, as a set (for the word lists of these rules)."""
    return frozenset(text.split())


ORG_NOUNS = words(
    """union association agency company group lobby body federation organisation organization
    firm regulator council committee board coalition alliance authority operator developer
    carrier airline ministry department bank movement party network charity miner producer
    employer guild syndicate front confederation chamber cooperative institute foundation
    commission parliament insurer manufacturer consortium university hospital service society
    exporter importer utility broadcaster retailer platform lender supplier drugmaker
    carmaker"""
)
LEGAL_SUFFIXES = words("Ltd Ltd. Inc Inc. plc PLC LLC GmbH AG SA NV Corp Corp. Limited")
HEAD_ENDS = words("that which with for in of representing whose who based and at on") | {""}
JOINERS = frozenset({"of", "and", "for", "'s", "'", "&"})
GOVERNMENT_TITLES = frozenset({"minister", "premier", "secretary"})
NOT_GOVERNMENT = frozenset({"general", "party", "union"})
COUNCIL_TITLES = frozenset({"councillor", "councilor", "mayor", "councilman", "councilwoman"})
STATE_SUFFIXES = ("an", "ian", "ese", "ish", "i", "n", "ic")


def name_like(tok: Any) -> bool:
    """A capitalised word ("Nordair") or an acronym of three letters or more ("EUROPEN")."""
    text = tok.text
    if not text[:1].isupper() or text[-1] == ".":
        return False
    return any(c.islower() for c in text) or (len(text) >= 3 and text.isalpha())


def run_before(doc: Any, end: int, lo: int) -> int:
    """The start of the run of name-like words (with inner "of", "and", "'s") ending at `end`."""
    k = end
    while k - 1 >= lo:
        t = doc[k - 1]
        if name_like(t) or (t.lower_ in JOINERS and k < end and name_like(doc[k])):
            k -= 1
            continue
        break
    while k < end and doc[k].lower_ in JOINERS:
        k += 1
    if k < end and doc[k].text in {"The", "A", "An"}:
        k += 1
    return k


def run_after(doc: Any, start: int, hi: int) -> int:
    """The end of the run of name-like words (with inner joiners) starting at `start`."""
    k = start
    while k < hi:
        t = doc[k]
        if name_like(t) or (t.lower_ in JOINERS and k + 1 < hi and name_like(doc[k + 1])):
            k += 1
            continue
        break
    while k > start and doc[k - 1].lower_ in JOINERS:
        k -= 1
    return k


def org_cues(p: Paragraph, taken: Any, not_name: frozenset[str]) -> list[tuple[int, int, str]]:
    """Organisations introduced by a relative clause, an appositive or a legal suffix:
    (first token, end token, the noun the report uses for it or ""). A run already known as
    a mention is returned too, for its noun."""
    doc = p.doc
    out: list[tuple[int, int, str]] = []

    def add(a: int, b: int, noun: str) -> None:
        if b <= a or (any(taken(k) for k in range(a, b)) and not taken(b - 1)):
            return
        if all(t.text in not_name or t.lower_ in JOINERS for t in doc[a:b]):
            return
        out.append((a, b, noun))

    for t in doc:
        i = t.i
        if t.text == "," and i + 1 < len(doc):
            sent = t.sent
            nxt = doc[i + 1].lower_
            noun = head = ""
            end = i
            if i > 0 and doc[i - 1].lower_ in ORG_NOUNS and doc[i - 1].is_lower:
                noun, end = doc[i - 1].lower_, i - 1
            if nxt == "which":
                add(run_before(doc, end, sent.start), end, noun)
            elif nxt in {"the", "a", "an"}:
                head = _appositive_noun(doc, i + 2, sent.end)
                if head:
                    add(run_before(doc, i, sent.start), i, head)
            if not head and _indefinite_org(doc, i - 1, sent.start):
                a = i + 2 if nxt == "the" else i + 1  # "a farm lobby, (the) Cattle Council,"
                b = run_after(doc, a, sent.end)
                if b < len(doc) and doc[b].text == "," and name_like(doc[a]):
                    add(a, b, doc[i - 1].lower_)
        if t.text in LEGAL_SUFFIXES and i > 0:
            add(run_before(doc, i, t.sent.start), i + 1, "company")
    return out


def _indefinite_org(doc: Any, noun: int, lo: int) -> bool:
    """Whether the words before a comma are "a/an [content words] <organisation noun>" ("a
    patient charity,", "Ukraine's state energy company,"), not "a spokesman for the
    committee,"."""
    if noun < lo or not (doc[noun].is_lower and doc[noun].lower_ in ORG_NOUNS):
        return False
    k = noun - 1
    while k >= lo and noun - k <= 4 and doc[k].is_alpha and not doc[k].is_stop:
        k -= 1
    return k >= lo and doc[k].lower_ in {"a", "an", "'s", "its", "their"}


def _appositive_noun(doc: Any, start: int, end: int) -> str:
    """The organisation noun that heads ", the packaging industry association," if any."""
    for k in range(start, min(start + 5, end)):
        t = doc[k]
        if t.text in {",", ".", ";", "(", '"'} or t.lower_ in {"that", "which", "who", "of"}:
            return ""
        if t.lower_ in ORG_NOUNS and t.is_lower:
            nxt = doc[k + 1].lower_ if k + 1 < end else ""
            if nxt in HEAD_ENDS or not nxt.isalpha():
                return t.lower_ if nxt != "'s" else ""
    return ""


def government_names(p: Paragraph, taken: Any) -> list[tuple[int, int]]:
    """ "the Philippine government" (the words and "government") and "Zambia's government"
    (the possessor only): a state's government named by the report."""
    doc = p.doc
    out = []
    for t in doc:
        if t.lower_ not in {"government", "administration"} or t.i < 2:
            continue
        if doc[t.i - 1].text == "'s" and not taken(t.i - 2):
            a = run_before(doc, t.i - 1, t.sent.start)
            if a < t.i - 1:
                out.append((a, t.i - 1))
        elif not taken(t.i - 1):
            a = run_before(doc, t.i, t.sent.start)
            if a < t.i and doc[a - 1].lower_ == "the":
                out.append((a, t.i + 1))
    return out


def acting_subjects(
    p: Paragraph, taken: Any, verbs: frozenset[str], proper: set[str]
) -> list[tuple[int, int]]:
    """ "Ethiopia has offered 31 billion", "Turkey insists": a capitalised run that opens its
    sentence or clause and acts with a verb of offering or demanding is a party. A single word
    opening a sentence must be written capitalised inside a sentence somewhere in the report
    (`proper`), so that a headline's "Regulator demands …" is no party."""
    doc = p.doc
    out = []
    for t in doc:
        if t.lower_ not in verbs or t.i == 0:
            continue
        end = t.i - 1 if doc[t.i - 1].lower_ in {"has", "have", "had", "is", "was"} else t.i
        a = run_before(doc, end, t.sent.start)
        opens = (
            a == t.sent.start or doc[a - 1].text in {",", ";", "and"} or doc[a - 1].lower_ == "the"
        )
        free = a < end and opens and not any(taken(k) for k in range(a, end))
        if free and (end - a > 1 or a != t.sent.start or doc[a].text in proper):
            out.append((a, end))
    return out


def possessors(p: Paragraph, taken: Any, gaz: Gazetteer) -> list[tuple[int, int, bool]]:
    """ "Nordair's chief executive": possessors of a title (first, end, a government title)."""
    doc = p.doc
    out = []
    for t in doc:
        if t.text != "'s" or t.i == 0 or taken(t.i - 1):
            continue
        words = []
        for k in range(t.i + 1, min(t.i + 5, len(doc))):
            if not doc[k].is_lower and doc[k].text[:1].isalpha():
                break
            words.append(doc[k].lower_)
            if doc[k].lower_ in gaz.titles:
                a = run_before(doc, t.i, t.sent.start)
                if a < t.i and not any(taken(j) for j in range(a, t.i)):
                    out.append((a, t.i, bool(set(words) & GOVERNMENT_TITLES)))
                break
    return out


def its_refs(
    p: Paragraph, gaz: Gazetteer, parties: list[tuple[int, str]], previous: list[str]
) -> list[tuple[int, str]]:
    """ "its chief executive": the token of "its" and the party it refers to: the last named
    before it in the paragraph, else the first named after it in its sentence, else the last
    named in the paragraph before."""
    doc = p.doc
    out = []
    for t in doc:
        if t.lower_ != "its":
            continue
        if not any(doc[k].lower_ in gaz.titles for k in range(t.i + 1, min(t.i + 4, len(doc)))):
            continue
        before = [key for start, key in parties if start < t.i]
        after = [
            key for start, key in parties if t.sent.start <= start < t.sent.end and start > t.i
        ]
        if before:
            out.append((t.i, before[-1]))
        elif after:
            out.append((t.i, after[0]))
        elif previous:
            out.append((t.i, previous[0]))
    return out


def government_title(title: str) -> str | None:
    """ "government" for a minister's title, "council" for a councillor's, else None."""
    parts = set(title.lower().replace("-", " ").split())
    if parts & COUNCIL_TITLES:
        return "council"
    if parts & GOVERNMENT_TITLES and not parts & NOT_GOVERNMENT:
        return "government"
    return None


def adjective_party(title: str, names: dict[str, str]) -> str | None:
    """ "Kenyan Environment Secretary": the party whose name the adjective grows from;
    "Greek Cypriot leader": the party named in the plural ("Greek Cypriots")."""
    for pid, name in names.items():
        if " " in name and name.endswith("s") and title.startswith(name[:-1] + " "):
            return pid
    for word in title.split():
        if not word[:1].isupper():
            continue
        for pid, name in names.items():
            stem = name.split()[0]
            if word == stem and name.endswith(" government"):
                return pid
            if len(stem) >= 4 and word != stem and word.startswith(stem[:-1]):
                rest = word[len(stem) :] if word.startswith(stem) else word[len(stem) - 1 :]
                if rest in STATE_SUFFIXES or word[len(stem) - 1 :] in STATE_SUFFIXES:
                    return pid
    return None
