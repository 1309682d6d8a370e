"""Scoring `accord extract` against a hand-made answer key.

A key (JSON) names its report, the report's domain, whether it is held out, and what a careful
reader finds in it::

    {"report": "labour-bus-pay.txt", "domain": "labour", "heldout": false,
     "speakers": [{"name": "Siobhan Kearney", "aliases": [], "party": ["National Bus Workers
                   Union"]}, ...],            # party: accepted names of the party, or null
     "quotes": [{"words": "Four percent does not", "speaker": "Siobhan Kearney"}, ...],
                                              # speaker null: nobody can be named
     "issues": [{"name": "pay", "terms": ["pay", "rise"], "numbers": [4, 6],
                 "positions": {"National Bus Workers Union": 6}}]}

Measures (counts are kept so that scores over several reports are micro-averaged):

- **speakers**: precision and recall of who speaks (a speaker is anyone an extracted quote is
  given to; names match after lower-casing and dropping articles, honorifics and punctuation,
  or through the key's aliases);
- **speaker→party**: of the key's speakers that were found, the share mapped to the right
  party (null is right only when nothing was given);
- **quote attribution**: an extracted quote matches the key quote whose ``words`` it holds (in
  its words, fragments or sentence). Precision is the share of matched quotes given a speaker
  whose speaker is right — a quote the key leaves without a speaker is wrong whenever it is
  given one; recall is the share of key quotes found with the right speaker (or, for a key
  quote without a speaker, not given one). Extracted quotes that match no key quote are
  counted apart as ``unmatched``;
- **issues**: recall of the key's issues (an extracted issue matches when one of the key's
  terms is a word or phrase of its name or of a sentence span it was read from); the recall of
  the stated numbers of matched issues, and of each side's stated position.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from accord.errors import InputError, Problem
from accord.extract.result import Extraction

_DROP = {"a", "an", "one", "the", "dr", "mr", "mrs", "ms", "prof"}


def norm(text: str) -> str:
    """A name reduced for comparison: "the Transit Workers' Union" → "transit workers union"."""
    words = re.findall(r"[a-z0-9]+", text.lower().replace("'s", "").replace("'", ""))
    while words and words[0] in _DROP:
        words.pop(0)
    return " ".join(words)


@dataclass(frozen=True)
class KeySpeaker:
    """A speaker of the key: name, other names, accepted party names (None: no party)."""

    name: str
    aliases: tuple[str, ...]
    party: tuple[str, ...] | None


@dataclass(frozen=True)
class KeyIssue:
    """An issue of the key: terms that name it, numbers stated, positions by party name."""

    name: str
    terms: tuple[str, ...]
    numbers: tuple[float, ...]
    positions: dict[str, float]


@dataclass(frozen=True)
class Key:
    """A hand-made answer key for one report."""

    path: Path
    report: Path
    domain: str
    heldout: bool
    speakers: tuple[KeySpeaker, ...]
    quotes: tuple[tuple[str, str | None], ...]
    issues: tuple[KeyIssue, ...]


def _need(data: dict[str, Any], name: str, kind: type | tuple[type, ...], file: str) -> Any:
    if name not in data:
        raise InputError(Problem("missing field", path=(name,), file=file))
    value = data[name]
    if not isinstance(value, kind):
        raise InputError(Problem("wrong type", path=(name,), value=value, file=file))
    return value


def load_key(path: Path) -> Key:
    """Read and check an answer key; a bad key raises `InputError` naming the field."""
    file = str(path)
    if not path.is_file():
        raise InputError(Problem("no such file", file=file))
    try:
        data = json.loads(path.read_text("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        line = getattr(e, "lineno", None)
        raise InputError(Problem(f"not a JSON answer key ({e})", file=file, line=line)) from None
    if not isinstance(data, dict):
        raise InputError(Problem("an answer key is a JSON object", file=file))
    try:
        speakers = tuple(
            KeySpeaker(
                str(s["name"]),
                tuple(str(a) for a in s.get("aliases", ())),
                None if s.get("party") is None else tuple(str(p) for p in s["party"]),
            )
            for s in _need(data, "speakers", list, file)
        )
        quotes = tuple(
            (str(q["words"]), None if q.get("speaker") is None else str(q["speaker"]))
            for q in _need(data, "quotes", list, file)
        )
        issues = tuple(
            KeyIssue(
                str(i["name"]),
                tuple(str(t) for t in i["terms"]),
                tuple(float(n) for n in i.get("numbers", ())),
                {str(k): float(v) for k, v in i.get("positions", {}).items()},
            )
            for i in _need(data, "issues", list, file)
        )
    except (KeyError, TypeError, ValueError, AttributeError) as e:
        raise InputError(Problem(f"malformed entry ({e!r})", file=file)) from None
    known = {norm(n) for s in speakers for n in (s.name, *s.aliases)}
    for n, (_, who) in enumerate(quotes):
        if who is not None and norm(who) not in known:
            raise InputError(
                Problem("not one of the key's speakers", ("quotes", n, "speaker"), who, file)
            )
    report = path.parent / str(_need(data, "report", str, file))
    return Key(
        path,
        report,
        str(data.get("domain", "")),
        bool(data.get("heldout", False)),
        speakers,
        quotes,
        issues,
    )


@dataclass
class Score:
    """Counts for every measure, over one report or summed over several."""

    name: str = ""
    domain: str = ""
    heldout: bool = False
    found_speakers: int = 0
    right_speakers: int = 0
    key_speakers: int = 0
    recalled_speakers: int = 0
    right_parties: int = 0
    attributed: int = 0
    right_attributions: int = 0
    key_quotes: int = 0
    recalled_quotes: int = 0
    unmatched: int = 0
    key_issues: int = 0
    recalled_issues: int = 0
    key_numbers: int = 0
    recalled_numbers: int = 0
    key_positions: int = 0
    recalled_positions: int = 0
    errors: list[str] = field(default_factory=list)

    def __iadd__(self, other: Score) -> Score:
        for k, v in vars(other).items():
            if isinstance(v, int) and not isinstance(v, bool):
                setattr(self, k, getattr(self, k) + v)
        self.errors.extend(other.errors)
        return self

    def measures(self) -> dict[str, float | None]:
        """Every measure as a share in [0, 1] (None when there is nothing to measure)."""

        def share(a: int, b: int) -> float | None:
            return a / b if b else None

        return {
            "speaker_precision": share(self.right_speakers, self.found_speakers),
            "speaker_recall": share(self.recalled_speakers, self.key_speakers),
            "speaker_party": share(self.right_parties, self.recalled_speakers),
            "attribution_precision": share(self.right_attributions, self.attributed),
            "attribution_recall": share(self.recalled_quotes, self.key_quotes),
            "issue_recall": share(self.recalled_issues, self.key_issues),
            "number_recall": share(self.recalled_numbers, self.key_numbers),
            "position_recall": share(self.recalled_positions, self.key_positions),
        }


def _party_ok(got: tuple[str | None, str], want: tuple[str, ...] | None) -> bool:
    pid, pname = got
    if want is None:
        return pid is None
    if pid is None:
        return False
    names = {norm(w) for w in want}
    return norm(pid.replace("_", " ")) in names or norm(pname) in names


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace('"', "")).strip().lower()


def score(ex: Extraction, key: Key) -> Score:
    """Compare one extraction with its answer key."""
    s = Score(key.path.name.removesuffix(".key.json"), key.domain, key.heldout)
    names = {pid: p.name for pid, p in ((p.id, p) for p in ex.parties)}
    by_norm: dict[str, KeySpeaker] = {}
    for sp in key.speakers:
        for n in (sp.name, *sp.aliases):
            by_norm.setdefault(norm(n), sp)
    spoke: dict[str, tuple[str | None, str]] = {}
    for q in ex.quotes:
        if q.speaker != "unknown":
            spoke.setdefault(q.speaker_name, (q.party, names.get(q.party or "", q.party or "")))
    matched: dict[str, tuple[str | None, str]] = {}
    for name, party in spoke.items():
        found = by_norm.get(norm(name))
        s.found_speakers += 1
        if found is None:
            s.errors.append(f"speaker not in the key: {name}")
            continue
        s.right_speakers += 1
        matched.setdefault(found.name, party)
    s.key_speakers = len(key.speakers)
    for sp in key.speakers:
        if sp.name not in matched:
            s.errors.append(f"speaker missed: {sp.name}")
            continue
        s.recalled_speakers += 1
        if _party_ok(matched[sp.name], sp.party):
            s.right_parties += 1
        else:
            s.errors.append(f"party of {sp.name}: got {matched[sp.name][0]}, want {sp.party}")
    _score_quotes(ex, key, by_norm, s)
    _score_issues(ex, key, names, s)
    return s


def _quote_key(q: Any, key: Key) -> int | None:
    """The key quote an extracted quote holds: the longest key words found in its own words,
    else in its sentence."""
    for texts in ([q.text, *q.fragments], [q.sentence]):
        own = [_clean(x) for x in texts]
        hits = [n for n, (w, _) in enumerate(key.quotes) if any(_clean(w) in t for t in own)]
        if hits:
            return max(hits, key=lambda n: len(key.quotes[n][0]))
    return None


def _score_quotes(ex: Extraction, key: Key, by_norm: dict[str, KeySpeaker], s: Score) -> None:
    s.key_quotes = len(key.quotes)
    right: set[int] = set()
    wrong: set[int] = set()
    for q in ex.quotes:
        n = _quote_key(q, key)
        if n is None:
            if q.speaker != "unknown":
                s.unmatched += 1
                s.errors.append(f"quote not in the key: {q.speaker_name}: {q.text[:50]}")
            continue
        want = key.quotes[n][1]
        if q.speaker == "unknown":
            continue
        s.attributed += 1
        sp = by_norm.get(norm(q.speaker_name))
        if want is not None and sp is not None and norm(sp.name) == norm(want):
            s.right_attributions += 1
            right.add(n)
        else:
            wrong.add(n)
            s.errors.append(f"WRONG attribution: {key.quotes[n][0]!r} to {q.speaker_name}")
    for n, (words, want) in enumerate(key.quotes):
        if (want is None and n not in wrong) or (want is not None and n in right):
            s.recalled_quotes += 1
        elif n not in wrong:
            s.errors.append(f"quote missed: {words!r} ({want})")


def _score_issues(ex: Extraction, key: Key, names: dict[str, str], s: Score) -> None:
    texts: dict[str, str] = {}
    for i in ex.issues:
        texts[i.id] = " " + norm(f"{i.name} {i.id.replace('_', ' ')}") + " "
    for c in ex.cues_of("issue"):
        if c.key in texts:
            texts[c.key] += " " + norm(c.text) + " "
    s.key_issues = len(key.issues)
    for ki in key.issues:
        s.key_numbers += len(ki.numbers)
        s.key_positions += len(ki.positions)
        hits = [i for i in ex.issues if any(f" {norm(t)} " in texts[i.id] for t in ki.terms)]
        if not hits:
            s.errors.append(f"issue missed: {ki.name}")
            continue
        s.recalled_issues += 1
        numbers = {v for i in hits for v in i.numbers}
        s.recalled_numbers += sum(1 for v in ki.numbers if v in numbers)
        stated = [(pos[0], pos[1]) for i in hits for pos in i.positions]
        for party, value in ki.positions.items():
            accepted = next(
                (s.party for s in key.speakers if s.party and norm(party) in map(norm, s.party)),
                (party,),
            )
            if any(
                v == value and _party_ok((pid, names.get(pid, pid)), accepted) for pid, v in stated
            ):
                s.recalled_positions += 1
            else:
                s.errors.append(f"position missed: {party} {value:g} on {ki.name}")


def key_files(paths: list[Path]) -> list[Path]:
    """Answer keys from files and folders (a folder gives its ``*.key.json``), sorted."""
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(path.glob("*.key.json"))
            if not found:
                raise InputError(
                    Problem("no answer key (*.key.json) in this folder", file=str(path))
                )
            out.extend(found)
        else:
            out.append(path)
    return out


def score_keys(paths: list[Path]) -> list[Score]:
    """Read the report of every key, extract it and score it against the key."""
    from accord.extract import extract
    from accord.extract.pipeline import read_article

    scores = []
    for path in key_files(paths):
        key = load_key(path)
        found = extract(read_article(key.report), source=key.report.name)
        scores.append(score(found, key))
    return scores


def totals(scores: list[Score]) -> dict[str, Score]:
    """Micro-averaged totals: over the reports used to write the rules ("dev"), the held-out
    reports ("held-out") and all of them."""
    out = {"dev": Score("dev"), "held-out": Score("held-out"), "all": Score("all")}
    for s in scores:
        out["held-out" if s.heldout else "dev"] += s
        out["all"] += s
    return {k: v for k, v in out.items() if v.key_speakers or v.key_quotes or k == "all"}
