"""Who is mentioned: parties, places, news agencies, offices and people, and whom people speak for.

Rules (a spaCy ``entity_ruler`` for the gazetteer, then token rules over each sentence):

- A gazetteer state or organisation after "in", "at" or "near", or before "city" or "capital",
  is a place, not an actor ("talks in Kazakhstan", "the Kazakh city of Almaty").
- An organisation the gazetteer does not know is a run of capitalised words ending in an
  organisation word ("Transit Workers Union", "Metro Transit Authority"); later "the union",
  "the authority" refer to it.
- A person is a run of capitalised words (honorifics such as "Dr." or "Ayatollah" stripped) that
  is introduced as one: after a title or an office ("foreign policy chief Catherine Ashton"),
  before or after a reporting verb ("said Jane Roe"), before an appositive with a title
  ("Jane Roe, president of ..."), or tagged PERSON by an installed spaCy model. Later a bare
  surname ("Ashton said") refers to the person.
- Whom a person speaks for, in order of trust: an office in the words before the name
  (the gazetteer's offices, e.g. Israel's "Minister of Strategic and Intelligence Affairs"),
  else the party nearest before the name in the same noun phrase ("Iran's chief nuclear
  negotiator", "EU foreign policy chief"), else a party in an appositive after the name. When
  none is found the party is left open (None) for the analyst.

The passes that need every mention first (organisations from cues, possessors, governments,
"its" and a second look for missing parties) and `scan` itself are in `parties.py`; the general
patterns they use are in `actors.py`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from accord.extract import actors
from accord.extract.pipeline import Gazetteer, Paragraph

_ORG_WORDS = (
    "Union Authority Association Federation Confederation Corporation Company Council "
    "Party Front Workers Group Commission Board Alliance Coalition Syndicate Guild "
    "Institute League University College Academy Hospital Service Brotherhood Club "
    "Tribunal Fund Organisation Organization Developments Mines Industries Airlines Airways "
    "Holdings Committee Parliament Movement Society Foundation Chamber Cooperative Ministry "
    "Department Agency Bank Lobby Forum Assembly Network Consortium Ltd Inc plc Corp"
)
ORG_WORDS = frozenset(_ORG_WORDS.split())
COMPANY_WORDS = {
    w: "company"
    for w in actors.words(
        "Developments Mines Industries Airlines Airways Holdings Ltd Inc plc Corp"
    )
}
RULER_LABELS = frozenset({"PARTY", "GROUP", "MEDIA", "PLACE", "OFFICE"})
GOVERNMENT = frozenset({"government", "administration"})
LOCATIVE_BEFORE = frozenset({"in", "at", "near"})
LOCATIVE_AFTER = frozenset({"city", "capital"})
BREAK_WORDS = frozenset(
    {
        "that",
        "who",
        "which",
        "with",
        "to",
        "by",
        "from",
        "between",
        "for",
        "than",
        "about",
        "after",
        "before",
        "during",
        "whether",
        "while",
        "when",
    }
)
NAME_PARTICLES = frozenset({"de", "la", "del", "van", "von", "der", "bin", "al", "el", "da", "le"})
_NOT_NAME = """
    The A An But And Or Instead Unlike After Before Now We It They He She This That These Those
    If When While As In On At For From With Without Trust Our Their His Her Its Yes No Not
    Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May
    June July August September October November December Affairs Relations International
    Strategic Intelligence Ministry Foreign Policy Talks Government State States Nations Agency
    Supreme National Security Nuclear Trade Climate Summit Conference Round Deal Agreement Plan
    Minister Secretary President Prime Chief Senior Western Northern Southern Eastern Central
    Asked Speaking Meanwhile However Still Even Although Despite Later Earlier Today Yesterday
    Photo Reporting Editing Left Right Both All Some Many Most Several Local Union"""
NOT_NAME = frozenset(_NOT_NAME.split())


@dataclass
class Mention:
    """A stretch of tokens that names a party, group, place, news agency, office or person."""

    para: int
    start: int
    end: int
    kind: str
    key: str
    text: str


@dataclass
class PersonDraft:
    """What is known about a person so far (mutable while the text is read)."""

    id: str
    name: str
    surname: str
    party: str | None
    title: str
    evidence: str
    para: int
    sent: Any
    anonymous: bool = False
    where: tuple[int, int, int] = (-1, -1, -1)


@dataclass
class Scan:
    """Every mention found, per paragraph, with the people and unknown organisations."""

    paras: list[Paragraph]
    mentions: list[list[Mention]]
    persons: dict[str, PersonDraft] = field(default_factory=dict)
    orgs: dict[str, str] = field(default_factory=dict)
    org_nouns: dict[str, str] = field(default_factory=dict)
    kinds: dict[str, str] = field(default_factory=dict)

    by_token: list[dict[int, Mention]] = field(default_factory=list)

    def add(self, m: Mention) -> None:
        """Record a mention (tokens already covered keep their first mention)."""
        while len(self.by_token) <= m.para:
            self.by_token.append({})
        self.mentions[m.para].append(m)
        for k in range(m.start, m.end):
            old = self.by_token[m.para].get(k)
            if old is None or (old.end - old.start < m.end - m.start and old.kind != "person"):
                self.by_token[m.para][k] = m

    def at(self, para: int, token: int) -> Mention | None:
        """The mention covering a token, if any."""
        if para >= len(self.by_token):
            return None
        return self.by_token[para].get(token)

    def within(self, para: int, start: int, end: int) -> list[Mention]:
        """Mentions lying inside tokens [start, end), in order."""
        out: list[Mention] = []
        for k in range(start, end):
            m = self.at(para, k)
            if (
                m is not None
                and m.start >= start
                and m.end <= end
                and (not out or out[-1] is not m)
            ):
                out.append(m)
        return out


def slug(text: str) -> str:
    """An ASCII id for a name: "Saeed Jalili" → "saeed_jalili"."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    s = re.sub(r"[^a-z0-9]+", "_", ascii_text.lower()).strip("_")
    if not s or not s[0].isalpha():
        s = "x_" + s
    return s[:60]


def capitalised(tok: Any) -> bool:
    """A word that starts with a capital and has lower-case letters ("McDonald", not "EU")."""
    text = tok.text
    return bool(text[:1].isupper()) and any(c.islower() for c in text) and text[-1] != "."


def entity_mentions(p: Paragraph, gaz: Gazetteer) -> list[Mention]:
    out = []
    doc = p.doc
    for ent in doc.ents:
        label = ent.label_
        if label not in RULER_LABELS:
            continue
        kind = label.lower()
        before = doc[ent.start - 1].lower_ if ent.start > 0 else ""
        after = doc[ent.end].lower_ if ent.end < len(doc) else ""
        if label == "PARTY" and (before in LOCATIVE_BEFORE or after in LOCATIVE_AFTER):
            kind = "place"
        out.append(Mention(p.index, ent.start, ent.end, kind, ent.ent_id_, ent.text))
    return out


def org_mentions(p: Paragraph, result: Scan) -> list[Mention]:
    """Runs of capitalised words ending in an organisation word, with inner "of", "and" or
    "'s" ("Indonesian Iron and Steel Industry Association", "Norwegian Fishermen's
    Association"), a state's adjective before ("European Parliament") and "of" a place after
    ("Cattle Council of Australia")."""
    out = []
    doc = p.doc

    def free(k: int) -> bool:
        return k < len(doc) and capitalised(doc[k]) and doc[k].ent_type_ not in RULER_LABELS

    i = 0
    while i < len(doc):
        if not free(i):
            i += 1
            continue
        j = i
        while free(j) or (
            j + 1 < len(doc) and doc[j].lower_ in actors.JOINERS and free(j + 1) and j > i
        ):
            j += 1
        words = [t.text for t in doc[i:j]]
        a = i
        while words and words[0] in {"The", "A", "An"}:
            words.pop(0)
            a += 1
        last = max((k for k in range(a, j) if doc[k].text in ORG_WORDS), default=-1)
        of_name = last + 2 < len(doc) and doc[last + 1].lower_ == "of" and doc[last + 2].is_title
        if last >= 0 and (last > a or of_name or (a > 0 and doc[a - 1].ent_type_ == "PARTY")):
            b = last + 1
            if b + 1 < len(doc) and doc[b].lower_ == "of" and doc[b + 1].text[:1].isupper():
                b = actors.run_after(doc, b + 1, len(doc)) if free(b + 1) else b + 1
                while b < len(doc) and doc[b].ent_type_ == "PARTY" and doc[b].text[:1].isupper():
                    b += 1
            if a > 0 and doc[a - 1].ent_type_ == "PARTY" and doc[a - 1].text.endswith("an"):
                a -= 1
            name = " ".join(t.text for t in doc[a:b]).replace(" 's", "'s").replace(" ' ", "' ")
            oid = slug(name)
            result.orgs.setdefault(oid, name)
            out.append(Mention(p.index, a, b, "party", oid, name))
            i = max(j, b)
        else:
            i = j
    return out


def person_mentions(p: Paragraph, sent: Any, gaz: Gazetteer, result: Scan) -> None:
    doc = p.doc
    i = sent.start
    while i < sent.end:
        tok = doc[i]
        if not (capitalised(tok) or tok.text in gaz.honorifics) or result.at(p.index, i):
            i += 1
            continue
        j = i
        while (
            j < sent.end
            and not result.at(p.index, j)
            and (
                capitalised(doc[j])
                or doc[j].text in gaz.honorifics
                or (
                    doc[j].lower_ in NAME_PARTICLES and j + 1 < sent.end and capitalised(doc[j + 1])
                )
            )
        ):
            j += 1
        if j == i:
            j = i + 1
        _consider_run(p, sent, i, j, gaz, result)
        i = j


def _consider_run(p: Paragraph, sent: Any, i: int, j: int, gaz: Gazetteer, result: Scan) -> None:
    doc = p.doc
    start = i
    for k in range(i, j):
        if doc[k].text in gaz.honorifics:
            start = k + 1
    name_toks = list(doc[start:j])
    if len(name_toks) > 4:
        name_toks = name_toks[-3:]
        start = j - 3
    if not name_toks or any(t.text in NOT_NAME for t in name_toks):
        return
    if name_toks[0].lower_ in NAME_PARTICLES:
        return
    prev = doc[start - 1] if start > sent.start else None
    nxt = doc[j] if j < sent.end else None
    honorific = start > i
    cue = honorific or (
        prev is not None
        and (prev.lower_ in gaz.titles or prev.ent_type_ == "OFFICE" or prev.text in gaz.honorifics)
    )
    titled_aside = (
        prev is not None and prev.text == "," and _title_before(doc, start - 1, sent, gaz)
    )
    cue = cue or (titled_aside and len(name_toks) >= 2)
    several = len(name_toks) >= 2
    if several and not cue:
        cue = bool(
            (nxt is not None and nxt.lower_ in gaz.speech_verbs)
            or (prev is not None and prev.lower_ in gaz.speech_verbs)
            or (  # "said goaltender Henrik Lundqvist"
                prev is not None
                and prev.is_lower
                and start - 2 >= sent.start
                and doc[start - 2].lower_ in gaz.speech_verbs
            )
            or (nxt is not None and nxt.text == "," and _appositive_title(doc, j, sent, gaz))
            or (  # "Max Schrems, whose lawsuits …": "who" follows a person
                nxt is not None
                and nxt.text == ","
                and j + 1 < sent.end
                and doc[j + 1].lower_ in {"who", "whose"}
            )
            or any(t.ent_type_ == "PERSON" for t in name_toks)
        )
    if not cue or (not several and not honorific):
        return
    name = " ".join(t.text for t in name_toks)
    pid = slug(name)
    result.add(Mention(p.index, start, j, "person", pid, name))
    if titled_aside and not honorific:
        party, title, evidence = descriptor(p, sent, start - 1, start - 1, gaz, result)
    else:
        party, title, evidence = descriptor(p, sent, i, start, gaz, result)
    if party is None:
        party, evidence, aside = appositive_party(p, sent, j, gaz, result)
        title = title or aside
    known = result.persons.get(pid)
    if known is None:
        result.persons[pid] = PersonDraft(
            pid,
            name,
            name_toks[-1].text,
            party,
            title,
            evidence,
            p.index,
            sent,
            where=(start - 1, start - 1, j) if titled_aside and not honorific else (i, start, j),
        )
    elif known.party is None and party is not None:
        known.party, known.evidence = party, evidence
        known.title = known.title or title


def _title_before(doc: Any, comma: int, sent: Any, gaz: Gazetteer) -> bool:
    """Whether the words right before a comma hold a title ("the union's general secretary,",
    "Vantara's head of market access,"), within six words and no other punctuation."""
    for k in range(comma - 1, max(sent.start, comma - 7) - 1, -1):
        if not doc[k].is_alpha and doc[k].text not in {"'s", "'"}:
            return False
        if doc[k].lower_ in gaz.titles:
            return True
    return False


def _appositive_title(doc: Any, j: int, sent: Any, gaz: Gazetteer) -> bool:
    for k in range(j + 1, min(j + 9, sent.end)):
        if doc[k].text == ",":
            return False
        if doc[k].lower_ in gaz.titles:
            return True
    return False


def descriptor(
    p: Paragraph, sent: Any, run_start: int, name_start: int, gaz: Gazetteer, result: Scan
) -> tuple[str | None, str, str]:
    """The party, title and evidence from the words before a name (honorifics included)."""
    doc = p.doc
    k = run_start - 1
    while k >= sent.start and run_start - k <= 14:
        t = doc[k]
        m = result.at(p.index, k)
        if m is not None and m.kind == "person":
            break
        if (
            t.text == ","
            and k > sent.start
            and doc[k - 1].lower_ in gaz.titles
            and k < run_start - 1
        ):
            k -= 1
            continue
        if m is None and (
            t.text in {",", ";", "(", ":", '"'}
            or t.lower_ in gaz.speech_verbs
            or t.lower_ in BREAK_WORDS
        ):
            break
        if t.lower_ == "and" and doc[k + 1].text[:1].islower():
            break
        k -= 1
    lo = k + 1
    window = result.within(p.index, lo, run_start)
    words = [t.text for t in doc[lo:name_start]]
    while words and words[0].lower() in {"the", "a", "an"}:
        words.pop(0)
    title = re.sub(r" (?='s\b)", "", " ".join(words))
    for m in window:
        if m.kind == "office":
            return m.key, title, "office"
    parties = [m for m in window if m.kind in {"party", "group"}]
    if parties:
        return parties[-1].key, title, "descriptor"
    return None, title, "none"


def appositive_party(
    p: Paragraph, sent: Any, end: int, gaz: Gazetteer, result: Scan
) -> tuple[str | None, str, str]:
    """A party named in ", president of the Transit Workers Union," after a name, the
    evidence, and the aside as a title when it holds a title word."""
    doc = p.doc
    if end >= sent.end or doc[end].text != ",":
        return None, "none", ""
    k = end + 1
    while (
        k < sent.end
        and k - end <= 14
        and doc[k].text not in {",", ";"}
        and doc[k].lower_ not in gaz.speech_verbs
    ):
        k += 1
    window = result.within(p.index, end + 1, k)
    aside = doc[end + 1 : k].text
    if not any(t.lower_ in gaz.titles for t in doc[end + 1 : k]):
        aside = ""
    for m in window:
        if m.kind == "office":
            return m.key, "office", aside
    for m in window:
        if m.kind in {"party", "group"}:
            return m.key, "appositive", aside
    return None, "none", aside


def surnames(p: Paragraph, result: Scan) -> None:
    """Bare names ("Ashton said", "Liu said") referring to a person introduced in full."""
    short: dict[str, str] = {}
    for pid, person in result.persons.items():
        if person.anonymous:
            continue
        short.setdefault(person.surname, pid)
    for pid, person in result.persons.items():
        first = person.name.split()[0]
        if not person.anonymous and first != person.surname:
            short.setdefault(first, pid)
    for t in p.doc:
        if not result.at(p.index, t.i) and t.text in short:
            pid = short[t.text]
            result.add(Mention(p.index, t.i, t.i + 1, "person", pid, t.text))
