"""Issues from any domain: the noun phrases that carry offers and demands, and their numbers.

Without a part-of-speech tagger (``spacy.blank("en")``), a noun phrase is read as a run of
lower-case content words (spaCy's stop words end it), with an optional determiner or amount
before it and one complement after it ("tariffs on steel", "cut in methane emissions",
"guarantee of no compulsory redundancies"). An issue is such a phrase when

- it is the topic of a negotiation word: "divided over tariffs on steel and access for beef",
  "split over recycling targets and a ban on …", "a pay dispute", "progress on land and revenue
  sharing" (each coordinated phrase is one issue);
- it is what an offer or demand asks for: "is asking for a 9 percent pay rise and a minimum
  staffing ratio";
- it carries a number: "a 4 percent rise", "a rise of at least 6 percent", "emissions cuts of
  40 %", "the royalty on copper from 6 percent to 10 percent", "a 24-storey tower", "the share
  should fall to 9 percent".

A phrase that holds a phrase of the gazetteer's issue lexicon is that issue (the gazetteer is a
boost, not a gate). Each stated number goes to one issue (see `cues.read_cues`), and a number
stated by a side ("The union is seeking 6 percent", "has offered 4 percent", a quote of the
side's speaker) is that side's position, cited to its sentence.
"""

from __future__ import annotations

from typing import Any

from accord.extract.actors import words
from accord.extract.mentions import Scan, slug

DETERMINERS = words(
    "a an the its their his her our this that these those any some no new further more less fewer"
)
QUALIFIERS = words(
    "at least most more than no about around some just nearly almost only roughly approximately"
)
COMPLEMENTS = frozenset({"on", "for", "of", "in", "per"})
NEGOTIATION = words(
    """talks talk dispute disputes split divided divide divides clash clashed clashes deadlock
    deadlocked odds agreement agree agreed deal negotiations negotiation row stall stalled
    stalls differences difference gap compromise disagreement apart progress offer impasse
    standoff fight battle rift tensions wrangle"""
)
TOPIC_PREPS = frozenset({"over", "on", "about"})
DISPUTE_HEADS = frozenset({"dispute", "row", "strike", "talks", "deal"})
DEMANDS = words(
    """wants want wanted seeking seeks sought seek demanding demands demand demanded offered
    offers offer proposed proposes propose asking asks pressing press calls called insists
    insisting"""
)
NEED_FOR = frozenset({"asked", "asks", "asking", "calls", "called", "press", "pressing"})
NOT_ISSUES = words(
    """table substance agenda issue issues matter matters point points side sides way hope time
    question questions position positions ground detail details idea ideas percentage
    percentages mechanism thing things end future people persons members residents citizens
    customers passengers patients students workers subscribers users employees staff drivers
    pilots teachers nurses doctors farmers voters viewers fans number level amount figure
    figures"""
)
STATES = words(
    """wants want wanted seeking seeks sought seek demanding demands demand demanded offered
    offers offer proposed proposes propose asking asks asked pressing calls called insists
    accept accepts accepted says say said argued argues plans plan planned refusing refused
    refuses backs backed favours favors"""
)
CHANGES = words(
    "fall rise cut raise increase reduce lower lift drop go grow keep fell rose raised "
    "reduced lowered lifted"
)
VERBS = DEMANDS | STATES
ADJECTIVE_ENDINGS = ("al", "ous", "ive", "ic", "ful", "less", "ed", "ing")
LONG_WORDS = words("long bitter lengthy ongoing current latest fresh new old")
TIME_WORDS = words("day days week weeks month months year years hour decade decades night morning")
CLAUSE_BREAKS = frozenset({";", "while", "whereas", "but", "against", "although", ":"})
VEHICLES = words(
    """offer offers deal deals proposal proposals claim agreement pact plan package settlement
    accord treaty talks contract round meeting conference session compromise demand demands
    terms way progress step"""
)
MAX_WORDS = 5


def _content(tok: Any) -> bool:
    """A word that can be part of a noun phrase: lower case, not a stop word, a time word or a
    verb of offering, demanding or saying ("offered")."""
    word = tok.lower_
    if not (tok.is_alpha and tok.is_lower) or tok.is_stop or word in TIME_WORDS:
        return False
    return word in VEHICLES or word not in VERBS


def _core(doc: Any, k: int, end: int) -> int:
    """The end of a run of content words from k (hyphenated words count as one)."""
    j = k
    while j < end and j - k < MAX_WORDS * 2:
        hyphen = doc[j].text == "-" and j > k and j + 1 < end and doc[j + 1].is_alpha
        timed = j > k and doc[j].lower_ in TIME_WORDS and doc[j].is_lower  # "paid sick days"
        if not (_content(doc[j]) or hyphen or timed):
            break
        j += 1
    while j > k and doc[j - 1].text == "-":
        j -= 1
    return j


def noun_phrase(doc: Any, k: int, end: int, amounts: set[int]) -> tuple[int, int] | None:
    """The noun phrase starting at token k: (first content token, end), or None."""
    while k < end and (doc[k].lower_ in DETERMINERS or k in amounts):
        k += 1
    while k + 1 < end and doc[k].text[:1].isupper() and doc[k + 1].text == "'s":
        k += 2  # "Tehran's nuclear program"
    j = _core(doc, k, end)
    while j - 1 > k and doc[j - 1].lower_.endswith("ed"):
        j -= 1  # "the number capped": a participle ends the phrase
    if j == k:
        return None
    complement = j + 1 < end and doc[j].lower_ in COMPLEMENTS and _content(doc[j + 1])
    if doc[j - 1].lower_ in NOT_ISSUES and not complement:
        return None  # "60 million people"; but "students per class" is an issue
    vehicle = doc[j - 1].lower_ in VEHICLES
    if j + 1 < end and doc[j].lower_ in COMPLEMENTS:
        c = j + 1
        while c < end and doc[c].lower_ in DETERMINERS:
            c += 1
        if c < end and doc[c].text[:1].isupper() and doc[c].is_alpha and c + 1 < end:
            c += 1  # "access for Australian beef"
        jj = _core(doc, c, end)
        if jj > c:
            if vehicle:  # "an agreement on pensions": the issue is pensions
                return c, jj
            j = jj
    if vehicle:
        return None
    return k, j


def coordinated(doc: Any, k: int, end: int, amounts: set[int]) -> list[tuple[int, int]]:
    """Noun phrases joined by "and" or commas from token k. A stretch that is no issue ("the
    number capped at 4,000") is passed over up to the next "and" in the clause."""
    out: list[tuple[int, int]] = []
    while True:
        np = noun_phrase(doc, k, end, amounts)
        if np is None:
            k = _next_and(doc, k, end)
            if k < 0:
                return out
            continue
        out.append(np)
        k = np[1]
        if k < end and doc[k].text == ",":
            k += 1
        if k < end and doc[k].lower_ in {"and", "or"}:
            k += 1
        elif k < end and doc[k - 1].text == ",":
            continue
        else:
            k = _next_and(doc, k, end)  # "fees frozen at this year's level and more money"
            if k < 0:
                return out


def _next_and(doc: Any, k: int, end: int) -> int:
    """The token after the next "and" within eight words and no punctuation, or -1."""
    for j in range(k, min(k + 8, end)):
        if doc[j].is_punct or doc[j].lower_ in VERBS:
            return -1
        if doc[j].lower_ == "and":
            return j + 1
    return -1


def topic_phrases(doc: Any, amounts: set[int]) -> list[tuple[int, int]]:
    """Issues named as the topic of a negotiation word, or before "dispute"."""
    out: list[tuple[int, int]] = []
    for t in doc:
        end = t.sent.end
        lo = max(t.sent.start, t.i - 3)
        if t.lower_ in TOPIC_PREPS and any(doc[k].lower_ in NEGOTIATION for k in range(lo, t.i)):
            out.extend(coordinated(doc, t.i + 1, end, amounts))
        elif t.lower_ in DEMANDS and doc[t.i - 1].lower_ in DETERMINERS | {"same"}:
            continue  # "the same demands", "its offer": a noun, not a verb
        elif (t.lower_ in DEMANDS and t.lower_ not in NEED_FOR) or (
            t.lower_ in NEED_FOR and doc[t.i + 1 : t.i + 2].text == "for"
        ):
            k = t.i + 1
            direct = not (k < end and doc[k].lower_ in {"for", "on"})
            k += 0 if direct else 1
            found = coordinated(doc, k, end, amounts)
            if direct and found and found[-1][1] < end and doc[found[-1][1]].lower_ == "to":
                continue  # "wants member states to recycle": an actor, not an issue
            out.extend(found)
        elif t.lower_ in DISPUTE_HEADS and t.i > t.sent.start and _noun_like(doc[t.i - 1]):
            k = t.i - 1
            while k - 1 >= t.sent.start and _content(doc[k - 1]) and t.i - k < 3:
                k -= 1
            if t.lower_ in {"dispute", "row"}:
                out.append((k, t.i))
    return out


def _noun_like(tok: Any) -> bool:
    """A content word that does not look like an adjective ("pay" dispute, not "commercial")."""
    word = tok.lower_
    return _content(tok) and word not in LONG_WORDS and not word.endswith(ADJECTIVE_ENDINGS)


def base_phrase(doc: Any, start: int, end: int, amounts: set[int]) -> tuple[int, int] | None:
    """The phrase after "of" in "15 percent of its revenue" (what the share is taken of)."""
    if end + 1 < doc[start].sent.end and doc[end].lower_ == "of":
        return noun_phrase(doc, end + 1, doc[start].sent.end, amounts)
    return None


def number_phrase(doc: Any, start: int, end: int, amounts: set[int]) -> tuple[int, int] | None:
    """The noun phrase a number at tokens [start, end) is about, if the wording says."""
    sent = doc[start].sent
    after = noun_phrase(doc, end, sent.end, amounts)
    if after is not None and after[0] == end:
        return after  # "a 4 percent rise", "its 10 percent duty on steel"
    k = start - 1
    while k >= sent.start and doc[k].lower_ in QUALIFIERS:
        k -= 1
    if k > sent.start and doc[k - 1 : k + 1].text.lower() == "up to":
        k -= 2
    prep = doc[k].lower_ if k >= sent.start else ""
    if prep in {"of", "to", "from", "below", "above", "at", "by", "under", "over"}:
        k -= 1
        if k >= sent.start and k in amounts:  # "from 6 percent to 10 percent"
            while k >= sent.start and (k in amounts or doc[k].lower_ in {"from", "to"}):
                k -= 1
        while (
            prep != "of"
            and k >= sent.start
            and (doc[k].lower_ in CHANGES or doc[k].is_stop)
            and start - k < 8
        ):
            if doc[k].lower_ in DETERMINERS or doc[k].text in {",", '"'}:
                break
            k -= 1
        return _phrase_ending(doc, k, sent.start)
    return None


def _phrase_ending(doc: Any, k: int, lo: int) -> tuple[int, int] | None:
    """The noun phrase ending at token k (inclusive), with a complement before the head."""
    if k < lo or not _content(doc[k]):
        return None
    a = k
    while a - 1 >= lo and (_content(doc[a - 1]) or doc[a - 1].text == "-") and k - a < MAX_WORDS:
        a -= 1
    if a - 2 >= lo and doc[a - 1].lower_ in COMPLEMENTS - {"of"} and _content(doc[a - 2]):
        b = a - 2
        while b - 1 >= lo and _content(doc[b - 1]) and a - b < MAX_WORDS:
            b -= 1
        a = b
    while a < k and doc[a].text == "-":
        a += 1
    return a, k + 1


def phrase_key(doc: Any, a: int, b: int) -> tuple[str, str]:
    """An id and a name for a phrase; the id keys on its head word ("rise", "cut_week")."""
    name = doc[a:b].text.replace(" - ", "-")
    words = [t.lower_ for t in doc[a:b] if t.is_alpha]
    split = next((n for n, w in enumerate(words) if w in COMPLEMENTS), len(words))
    head = words[split - 1] if split else words[-1]
    head = head[:-1] if head.endswith("s") and not head.endswith("ss") else head
    rest = [w for w in words[split + 1 :] if w not in DETERMINERS]
    return slug(" ".join([head, *rest[-1:]])), name


def stated_by(
    scan: Scan, para: int, doc: Any, start: int, speaker_party: str | None = None
) -> str | None:
    """The side that states a number: the last party (or person with a party) before it in its
    clause, when a verb of offering, demanding or saying lies between; or the party after
    "offered by". Inside a quote (`speaker_party` given) only "we" or "I" before such a verb
    makes it the speaker's own number ("we could accept 7 percent")."""
    sent = doc[start].sent
    verb = False
    for k in range(start - 1, sent.start - 1, -1):
        t = doc[k]
        if t.lower_ in CLAUSE_BREAKS or t.text == '"':
            break
        if t.lower_ in STATES or t.lower_ in CHANGES:
            verb = True
        if speaker_party is not None:
            if verb and t.lower_ in {"we", "i"}:
                return speaker_party
            continue
        m = scan.at(para, k)
        modifier = m is not None and m.end < sent.end and _content(doc[m.end])
        if m is not None and m.kind in {"party", "person"} and verb and not modifier:
            if m.kind == "party":
                return m.key
            person = scan.persons.get(m.key)
            return person.party if person else None
    for k in range(start + 1, min(start + 6, sent.end - 1)):
        if doc[k].lower_ == "by" and doc[k - 1].lower_ in STATES:
            m = scan.at(para, k + 1)
            if m is not None and m.kind == "party":
                return m.key
    return None


def overlap_issue(doc: Any, start: int, end: int, words: dict[str, set[str]]) -> str | None:
    """The one issue whose words share a stem (first five letters) with the content words
    before the number in its clause, else after it ("recycle 75 percent" → recycling targets)."""
    sent = doc[start].sent
    lo = start
    while lo > sent.start and doc[lo - 1].lower_ not in CLAUSE_BREAKS | {"which"}:
        lo -= 1
    hi = end
    while hi < sent.end and doc[hi].lower_ not in CLAUSE_BREAKS:
        hi += 1
    for side in (doc[lo:start], doc[end:hi]):
        stems = {t.lower_[:5] for t in side if _content(t) and len(t) >= 4}
        scores = {iid: len(stems & {w[:5] for w in ws}) for iid, ws in words.items()}
        best = max(scores.values(), default=0)
        top = [iid for iid, v in scores.items() if v == best]
        if best > 0 and len(top) == 1:
            return top[0]
    return None


CHANGE_NOUNS = words("rise increase cut reduction raise fall drop hike boost freeze")


def bare_change(doc: Any, a: int, b: int) -> bool:
    """Whether a phrase only names a change ("a gradual reduction"), not what changes."""
    return doc[b - 1].lower_ in CHANGE_NOUNS and not any(t.lower_ in COMPLEMENTS for t in doc[a:b])


OFFERS = DEMANDS | STATES | words("plans issue build give cap limit allow approve")


def counted_numbers(doc: Any, amounts: set[int]) -> list[tuple[int, int]]:
    """Numbers of things offered or demanded ("plans to issue up to 8,000 licences"), and bare
    numbers that continue them ("wants the number capped at 4,000"): (first, end) tokens."""
    out: list[tuple[int, int]] = []
    seen = False
    for t in doc:
        if t.i in amounts or not t.like_num or not any(c.isdigit() for c in t.text):
            continue
        if t.text.isdigit() and 1900 <= int(t.text) <= 2100:
            continue  # a year
        sent = t.sent
        clause = doc[sent.start : t.i]
        offered = any(x.lower_ in OFFERS for x in clause)
        nxt = doc[t.i + 1] if t.i + 1 < sent.end else None
        if nxt is not None and offered and _content(nxt) and nxt.lower_.endswith("s"):
            if nxt.lower_ not in NOT_ISSUES:
                out.append((t.i, t.i + 2))
                seen = True
        elif seen and t.i > 0 and doc[t.i - 1].lower_ in {"at", "to", "of", "than", "below"}:
            out.append((t.i, t.i + 1))
    return out
