"""Put the readings together: parties, people, quotes, issues and cues of one report.

A party is listed when the report mentions it other than as a place (or a speaker speaks for
it); it is counted once per mention, including mentions through an office or a person's name.
People are the persons named and the unnamed officials who speak; a party speaking as itself
("the Alliance of Small Island States said") is a speaker but not a person.
"""

from __future__ import annotations

from accord.extract.cues import read_cues
from accord.extract.parties import scan
from accord.extract.pipeline import build_nlp, gazetteer, paragraphs
from accord.extract.quotes import read_quotes
from accord.extract.result import Extraction, Party, Person

TITLE_CHARS = 120


def assemble(text: str, source: str) -> Extraction:
    """Everything found in a checked text."""
    gaz = gazetteer()
    nlp, model = build_nlp()
    paras = paragraphs(text)
    found = scan(paras, gaz)
    reader = read_quotes(found, gaz)
    cues, issues = read_cues(found, gaz, nlp, reader.quotes, reader.ranges)

    counts: dict[str, int] = {}
    first: dict[str, tuple[str, int]] = {}
    for p in paras:
        for m in found.mentions[p.index]:
            key = m.key
            if m.kind == "person":
                person = found.persons.get(m.key)
                if person is None or person.party is None:
                    continue
                key = person.party
            elif m.kind not in {"party", "group", "office"}:
                continue
            counts[key] = counts.get(key, 0) + 1
            first.setdefault(key, (p.doc[m.start].sent.text, p.index + 1))
    for q in reader.quotes:
        if q.party is not None and q.party not in counts:
            counts[q.party] = 1
            first[q.party] = (q.sentence, q.paragraph)

    parties = []
    for pid in sorted(counts, key=lambda k: (first[k][1], -counts[k])):
        sentence, para = first[pid]
        if pid in gaz.groups:
            g = gaz.groups[pid]
            parties.append(
                Party(
                    pid,
                    g["name"],
                    "group",
                    counts[pid],
                    sentence,
                    para,
                    tuple(g.get("members", ())),
                    g.get("seat"),
                )
            )
        elif pid in gaz.parties:
            entry = gaz.parties[pid]
            parties.append(Party(pid, entry["name"], entry["kind"], counts[pid], sentence, para))
        else:
            name = found.orgs.get(pid, pid)
            parties.append(Party(pid, name, "organisation", counts[pid], sentence, para))

    speakers = {q.speaker for q in reader.quotes}
    people = [
        Person(d.id, d.name, d.party, d.title, d.anonymous, d.sent.text, d.para + 1, d.evidence)
        for d in found.persons.values()
        if not d.anonymous or (d.id in speakers and d.evidence != "party")
    ]
    notes = []
    unknown = [q.id for q in reader.quotes if q.speaker == "unknown"]
    if unknown:
        notes.append(f"no speaker found for quotes {', '.join(unknown)}")
    open_party = [p.name for p in people if p.party is None]
    if open_party:
        notes.append(f"no party found for {', '.join(open_party)}")
    title = next((line.strip() for line in text.split("\n") if line.strip()), source)
    if len(title) > TITLE_CHARS:
        title = title[: TITLE_CHARS - 1].rstrip() + "…"
    return Extraction(
        source=source,
        title=title,
        parties=tuple(parties),
        people=tuple(people),
        quotes=tuple(reader.quotes),
        issues=tuple(issues),
        cues=tuple(cues),
        report_sources=tuple(gaz.name_of(s) for s in reader.report_sources),
        model=model,
        notes=tuple(notes),
    )
