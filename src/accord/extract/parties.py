"""The parties of a report and whom its people speak for: the passes of the scan that need
every mention found first.

`scan` reads a report in passes: the gazetteer's entities and organisation names, then the
organisations introduced by cues (`actors.org_cues`), what "the union" or "the government"
refers to, the people, the possessors of titles ("Nordair's chief executive"), the parties
acting as subjects ("Ethiopia has offered"), bare surnames, and last a second look for the
party of everyone still without one (descriptors, appositives, a state's adjective, a
government or council title).
"""

from __future__ import annotations

from accord.extract import actors, mentions
from accord.extract.mentions import Mention, Scan, slug
from accord.extract.pipeline import Gazetteer, Paragraph


def scan(paras: list[Paragraph], gaz: Gazetteer) -> Scan:
    """Find every mention in the report and the people in it."""
    result = Scan(paras, [[] for _ in paras])
    for p in paras:
        for m in [*mentions.entity_mentions(p, gaz), *mentions.org_mentions(p, result)]:
            result.add(m)
    for p in paras:
        _cued_orgs(p, result)
    _repeat_orgs(result)
    governments = _governments(result)
    for p in paras:
        _party_references(p, result, governments)
    for p in paras:
        for sent in p.doc.sents:
            mentions.person_mentions(p, sent, gaz, result)
    proper = {
        t.text for p in paras for t in p.doc if not t.is_sent_start and mentions.capitalised(t)
    }
    for p in paras:
        _possessors(p, gaz, result)
        _acting_parties(p, result, proper)
    _repeat_orgs(result)
    for p in paras:
        mentions.surnames(p, result)
        result.mentions[p.index].sort(key=lambda m: m.start)
    _fill_parties(result, gaz, governments)
    return result


def _repeat_orgs(result: Scan) -> None:
    """Every other place an organisation found by a pattern is named again ("Unison, the
    largest union, …" then "Unison regional organiser Helen Ashby")."""
    seqs: dict[tuple[str, ...], str] = {}
    for p in result.paras:
        for m in result.mentions[p.index]:
            if m.kind == "party" and m.key in result.orgs and m.text[:1].isupper():
                seqs.setdefault(tuple(t.text for t in p.doc[m.start : m.end]), m.key)
    for p in result.paras:
        doc = p.doc
        for seq, key in seqs.items():
            n = len(seq)
            for i in range(len(doc) - n + 1):
                if doc[i].text != seq[0] or any(result.at(p.index, k) for k in range(i, i + n)):
                    continue
                if tuple(t.text for t in doc[i : i + n]) == seq:
                    result.add(Mention(p.index, i, i + n, "party", key, doc[i : i + n].text))


def _new_org(result: Scan, p: Paragraph, a: int, b: int, noun: str = "", kind: str = "") -> None:
    """Record an organisation found by a cue, and a mention of it."""
    words = [t.text for t in p.doc[a:b]]
    name = " ".join(words).replace(" 's", "'s").replace(" ' ", "' ")
    oid = slug(name)
    result.orgs.setdefault(oid, name)
    if noun:
        result.org_nouns.setdefault(noun, oid)
    if kind:
        result.kinds.setdefault(oid, kind)
    result.add(Mention(p.index, a, b, "party", oid, name))


def _cued_orgs(p: Paragraph, result: Scan) -> None:
    def taken(k: int) -> bool:
        return result.at(p.index, k) is not None

    for a, b, noun in actors.org_cues(p, taken, mentions.NOT_NAME - mentions.ORG_WORDS):
        known = result.at(p.index, b - 1)
        if known is not None:
            if known.kind == "party" and noun:
                result.org_nouns.setdefault(noun, known.key)
            continue
        _new_org(result, p, a, b, noun)
    for a, b in actors.government_names(p, taken):
        _new_org(result, p, a, b, "", "state")


def _acting_parties(p: Paragraph, result: Scan, proper: set[str]) -> None:
    """Parties found as the subject of an offer or a demand, once people are known."""
    from accord.extract.issues import DEMANDS

    names = {x.surname for x in result.persons.values()} | {
        x.name.split()[0] for x in result.persons.values()
    }

    def taken(k: int) -> bool:
        return result.at(p.index, k) is not None or p.doc[k].text in names | mentions.NOT_NAME

    for a, b in actors.acting_subjects(p, taken, DEMANDS, proper):
        _new_org(result, p, a, b)


def _possessors(p: Paragraph, gaz: Gazetteer, result: Scan) -> None:
    def taken(k: int) -> bool:
        return result.at(p.index, k) is not None

    for a, b, government in actors.possessors(p, taken, gaz):
        name = " ".join(t.text for t in p.doc[a:b])
        if name in mentions.NOT_NAME or any(x.surname == name for x in result.persons.values()):
            continue
        _new_org(result, p, a, b, "", "state" if government else "")
    parties = [(m.start, m.key) for m in result.within(p.index, 0, len(p.doc)) if m.kind == "party"]
    previous = []
    if p.index:
        before = result.paras[p.index - 1].doc
        previous = [m.key for m in result.within(p.index - 1, 0, len(before)) if m.kind == "party"]
    for i, key in actors.its_refs(p, gaz, sorted(parties), previous):
        if result.at(p.index, i) is None:
            result.add(Mention(p.index, i, i + 1, "party", key, p.doc[i].text))


def _fill_parties(result: Scan, gaz: Gazetteer, governments: dict[str, str]) -> None:
    """A second look for people left without a party, once every organisation is known."""
    names = {**{k: str(v["name"]) for k, v in gaz.parties.items()}, **result.orgs}
    states = {
        m.key
        for ms in result.mentions
        for m in ms
        if m.kind == "party" and gaz.parties.get(m.key, {}).get("kind") == "state"
    }
    councils = [k for k, v in result.orgs.items() if "Council" in v.split()]
    for person in result.persons.values():
        if person.party is not None or person.anonymous or person.where[0] < 0:
            continue
        p = result.paras[person.para]
        run_start, start, end = person.where
        party, title, evidence = mentions.descriptor(p, person.sent, run_start, start, gaz, result)
        if party is None:
            party, evidence, _ = mentions.appositive_party(p, person.sent, end, gaz, result)
        if party is None:
            party, evidence = actors.adjective_party(person.title, names), "adjective"
        role = actors.government_title(person.title) if party is None else None
        govs = states | {k for k, v in result.kinds.items() if v == "state"}
        named = governments.get("government")
        if role == "government" and (named or len(govs) <= 1):
            party = named or (next(iter(govs)) if govs else None)
            if party is None:
                result.orgs.setdefault("government", "Government")
                result.kinds["government"] = "state"
                party = "government"
            evidence = "government title"
        elif role == "council":
            party = councils[0] if len(councils) == 1 else "council"
            result.orgs.setdefault(party, "Council")
            evidence = "council title"
        if party is not None:
            person.party, person.evidence = party, evidence
            person.title = person.title or title


def _governments(result: Scan) -> dict[str, str]:
    """What "the government" (or "the administration") refers to: the party most often named
    right before that word ("the Colombian government")."""
    counts: dict[str, dict[str, int]] = {}
    for p in result.paras:
        doc = p.doc
        for m in result.mentions[p.index]:
            word = doc[m.end - 1].lower_ if m.key in result.kinds else ""
            nxt = m.end + 1 if m.end < len(doc) and doc[m.end].text == "'s" else m.end
            if m.kind == "party" and nxt < len(doc) and doc[nxt].lower_ in mentions.GOVERNMENT:
                word = doc[nxt].lower_
            if word in mentions.GOVERNMENT:
                counts.setdefault(word, {})
                counts[word][m.key] = counts[word].get(m.key, 0) + 1
    return {w: max(c, key=lambda k: c[k]) for w, c in counts.items()}


def _party_references(p: Paragraph, result: Scan, governments: dict[str, str]) -> None:
    """ "the union", "the authority", "the government" referring to a party named elsewhere;
    also an organisation word opening a sentence before a title ("League commissioner")."""
    org_words: dict[str, str] = dict(result.org_nouns)
    for oid, name in result.orgs.items():
        for word in reversed(name.split()):
            if word in mentions.ORG_WORDS:
                org_words.setdefault(mentions.COMPANY_WORDS.get(word, word.lower()), oid)
                org_words.setdefault(word.lower().removesuffix("s"), oid)  # Mines: "the mine"
                break
    doc = p.doc
    for t in doc:
        if result.at(p.index, t.i):
            continue
        named = t.text in mentions.ORG_WORDS and (
            t.i + 1 == len(doc) or not mentions.capitalised(doc[t.i + 1])
        )
        after_the = t.i > 0 and doc[t.i - 1].lower_ in {"the", "their"}
        opening = named and t.is_sent_start and t.i + 1 < len(doc) and doc[t.i + 1].is_lower
        if not ((after_the and (t.is_lower or named)) or opening):
            continue
        key = org_words.get(t.lower_) or governments.get(t.lower_)
        if key is not None:
            result.add(Mention(p.index, t.i, t.i + 1, "party", key, t.text))
