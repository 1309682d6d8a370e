"""Decide input files (the Stokman exchange-model tool; forecast-models §4).

Records, one a line, fields separated by ``;`` or a tab, bare or quoted (Decide itself writes
every field in single quotes: ``'#A'<tab>'USA'<tab>'USA'<tab>''``)::

    #O;title                              the older dialect's title record
    #A;actor_id;name;comment
    #P;issue_id;name;comment
    #M;issue_id;position;description      a scale point; min and max give the issue's bounds
    #D;actor_id;issue_id;position;salience;power
    #/ …  or  #0 …                        comments (the older dialect heads columns with #/)

Decisions where the layout is silent:
- Any file whose first record is such a record is read as Decide, whatever its ending
  (`accord.io.sniff`); ``.decide.csv``/``.decide.txt`` are Decide by name. The delimiter is
  that of the first record: a tab when it has one, else ``;``; the quote character is ``'``
  when its first field starts with one, else ``"``. Trailing empty fields are ignored.
- An actor with no ``#D`` record on an issue has no stake in it: salience 0 and the low end of
  the scale as position, listed in the notes. Two ``#D`` records for one actor and issue, or
  an id on two ``#A``/``#P`` records, are errors naming both lines.
- An issue with fewer than two distinct ``#M`` points lies on [0, 100] (widened to hold a single
  point). Positions are kept in the units of the scale points; one outside them is an error.
- Salience and power must lie in [0, 100]; saliences on 0–1 or 0–100 are detected. Decide gives
  power per actor and issue, accord one capability per actor: the capability is the power when
  it is the same on every issue, else their mean, with a note naming the powers.
- Ids that are not schema ids (``1``, ``EU member``) are made valid and the original is kept as
  the name when there is no name. The status quo is the low end of the scale, with a note.
- The writer writes one ``#M`` point at each end of a scale (an options issue: one point per
  option, its label as the description), saliences on 0–1, and capabilities as power (scaled
  down to ≤ 100 when larger, which is reported).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from accord.errors import InputError, Problem
from accord.errors import Path as FieldPath
from accord.io import Format, register_format
from accord.io.fmt_common import (
    Problems,
    Where,
    build,
    check_actors,
    check_issues,
    check_rows,
    fmt_num,
    lost_features,
    make_id,
    no_status_quo,
    note,
    read_text,
    salience_scale,
    units,
    valid_id,
)
from accord.scenario import Scenario, number

MIN_FIELDS = {"#A": 2, "#P": 2, "#M": 3, "#D": 6, "#O": 1}
COMMENTS = ("#/", "#0")


def _dialect(lines: list[str]) -> tuple[str, str]:
    """(delimiter, quote character) from the first record: a tab when it has one, else ``;``;
    ``'`` when its first field is single-quoted, else ``"``."""
    first = next(
        (
            s
            for ln in lines
            if (s := ln.strip()) and not s.lstrip("'\"").upper().startswith(COMMENTS)
        ),
        "",
    )
    delim = "\t" if "\t" in first else ";"
    quote = "'" if first.startswith("'") else '"'
    return delim, quote


def _records(text: str, file: str) -> Iterator[tuple[int, list[str]]]:
    """(line, fields) of every record that is not a comment; counts them against the limit
    as it goes (one CSV reader over the record lines)."""
    delim, quote = _dialect(text[:65536].splitlines())
    at = [0]

    def record_lines() -> Iterator[str]:
        count = 0
        for n, raw in enumerate(io.StringIO(text), start=1):
            s = raw.strip()
            if s and not s.lstrip("'\"").upper().startswith(COMMENTS):
                count += 1
                check_rows(count, file)
                at[0] = n
                yield s

    reader = csv.reader(record_lines(), delimiter=delim, quotechar=quote)
    while True:
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as e:
            raise InputError(Problem(f"malformed record: {e}", file=file, line=at[0])) from None
        fields = [f.strip() for f in fields]
        while len(fields) > 1 and not fields[-1]:
            fields.pop()
        yield at[0], fields


class _Decide:
    """What the records of one Decide file say, gathered record by record."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.pb = Problems(file)
        self.title: str | None = None
        self.actor_ids: dict[str, str] = {}
        self.issue_ids: dict[str, str] = {}
        self.first: dict[tuple[str, str], int] = {}
        self.taken_a: set[str] = set()
        self.taken_i: set[str] = set()
        self.actors: dict[str, dict[str, Any]] = {}
        self.actor_index: dict[str, int] = {}
        self.issues: dict[str, dict[str, Any]] = {}
        self.points: dict[str, list[float]] = {}
        self.lines: dict[FieldPath, Where] = {}
        self.d_rows: list[tuple[int, list[str]]] = []

    def record(self, line: int, f: list[str]) -> None:
        """Take one record."""
        kind = f[0].upper()
        if kind not in MIN_FIELDS:
            self.pb.add(
                "unknown record; expected #A, #P, #M, #D, #O or a #/ comment", (), f[0], line
            )
            return
        if len(f) < MIN_FIELDS[kind]:
            self.pb.add(
                f"a {kind} record needs {MIN_FIELDS[kind] - 1} fields or more",
                (kind,),
                ";".join(f),
                line,
            )
            return
        f = f + [""] * (6 - len(f))
        if kind == "#O":
            self.title = self.title or f[1] or None
        elif kind == "#A":
            self._actor(line, f)
        elif kind == "#P":
            self._issue(line, f)
        elif kind == "#M":
            if f[1] not in self.issue_ids:
                self.pb.add(
                    "unknown issue id (no #P record before it)", ("#M", "issue_id"), f[1], line
                )
                return
            x = self.pb.number(f[2], ("#M", "position"), line)
            if x is not None:
                self.points.setdefault(self.issue_ids[f[1]], []).append(x)
        else:
            self.d_rows.append((line, f))
            check_rows(len(self.d_rows), self.file)

    def _duplicate(self, kind: str, key: str, line: int) -> bool:
        first = self.first.get((kind, key))
        if first is not None:
            what = "actor" if kind == "#A" else "issue"
            self.pb.add(
                f"duplicate {what} id (first at line {first})", (kind, f"{what}_id"), key, line
            )
            return True
        self.first[(kind, key)] = line
        return False

    def _actor(self, line: int, f: list[str]) -> None:
        if self._duplicate("#A", f[1], line):
            return
        check_actors(len(self.actor_ids) + 1, self.file)
        aid = f[1] if valid_id(f[1]) and f[1] not in self.taken_a else make_id(f[1], self.taken_a)
        self.taken_a.add(aid)
        self.actor_ids[f[1]] = aid
        name = f[2] if f[2] and f[2] != aid else (f[1] if aid != f[1] else "")
        self.actor_index[aid] = len(self.actors)
        self.actors[aid] = {
            "id": aid,
            "name": name or None,
            "description": f[3] or None,
            "positions": {},
            "salience": {},
        }
        self.lines[("actors", len(self.actors) - 1)] = (self.file, line)

    def _issue(self, line: int, f: list[str]) -> None:
        if self._duplicate("#P", f[1], line):
            return
        check_issues(len(self.issue_ids) + 1, self.file)
        iid = (
            f[1]
            if valid_id(f[1]) and f[1] not in self.taken_i
            else make_id(f[1], self.taken_i, "i")
        )
        self.taken_i.add(iid)
        self.issue_ids[f[1]] = iid
        name = f[2] if f[2] and f[2] != iid else (f[1] if iid != f[1] else "")
        desc = f[3] if f[3] and f[3] not in (f[1], f[2]) else ""
        self.issues[iid] = {"id": iid, "name": name or None, "description": desc or None}
        self.lines[("issues", len(self.issues) - 1)] = (self.file, line)


def _read_d(dec: _Decide) -> tuple[list[float], list[Where], dict[str, list[float]]]:
    """Take the #D records once every #A and #P is known."""
    pb, file = dec.pb, dec.file
    saliences: list[float] = []
    places: list[Where] = []
    powers: dict[str, list[float]] = {}
    for line, f in dec.d_rows:
        ok = True
        if f[1] not in dec.actor_ids:
            pb.add("unknown actor id (no #A record)", ("#D", "actor_id"), f[1], line)
            ok = False
        if f[2] not in dec.issue_ids:
            pb.add("unknown issue id (no #P record)", ("#D", "issue_id"), f[2], line)
            ok = False
        pos = pb.number(f[3], ("#D", "position"), line)
        sal = pb.number(f[4], ("#D", "salience"), line)
        power = pb.number(f[5], ("#D", "power"), line)
        for name, v in (("salience", sal), ("power", power)):
            if v is not None and not 0 <= v <= 100:
                pb.add(f"{name} must lie in [0, 100]", ("#D", name), v, line)
                ok = False
        if not ok or pos is None or sal is None or power is None:
            continue
        aid, iid = dec.actor_ids[f[1]], dec.issue_ids[f[2]]
        a = dec.actors[aid]
        if iid in a["positions"]:
            first = dec.lines[("actors", dec.actor_index[aid], "positions", iid)][1]
            pb.add(
                f"a second #D record for actor {f[1]!r} on issue {f[2]!r} (first at line {first})",
                ("#D",),
                None,
                line,
            )
            continue
        a["positions"][iid] = pos
        a["salience"][iid] = sal
        saliences.append(sal)
        places.append((file, line))
        powers.setdefault(aid, []).append(power)
        k = dec.actor_index[aid]
        dec.lines[("actors", k, "positions", iid)] = (file, line)
        dec.lines[("actors", k, "salience", iid)] = (file, line)
    return saliences, places, powers


def read(path: Path) -> Scenario:
    """The scenario of a Decide input file."""
    file = str(path)
    dec = _Decide(file)
    for line, f in _records(read_text(path), file):
        dec.record(line, f)
    saliences, places, powers = _read_d(dec)
    dec.pb.raise_any()
    actors, issues = dec.actors, dec.issues
    if not actors or not issues:
        raise InputError(Problem("a Decide file needs #A actor and #P issue records", file=file))
    for iid, issue in issues.items():
        pts = dec.points.get(iid, [])
        if len(set(pts)) < 2:
            pts = [*pts, 0.0, 100.0]
            note(f"issue {iid}: fewer than two #M scale points; the scale 0–100 is taken")
        lo, hi = min(pts), max(pts)
        issue["scale"] = [lo, hi]
        issue["status_quo"] = no_status_quo(iid, lo)
    _fill_missing(actors, issues)
    _capabilities(actors, powers)
    meta: dict[str, Any] = {"title": dec.title or path.name.split(".")[0] or path.name}
    scale = salience_scale(saliences, places)
    if scale == 100:
        meta["salience_scale"] = 100
    clean = [{k: v for k, v in d.items() if v is not None} for d in actors.values()]
    data = {
        "meta": meta,
        "issues": [{k: v for k, v in d.items() if v is not None} for d in issues.values()],
        "actors": clean,
    }
    return build(data, dec.lines, (file, None))


def _fill_missing(actors: dict[str, dict[str, Any]], issues: dict[str, dict[str, Any]]) -> None:
    """An actor without a #D record on an issue has no stake in it: salience 0, position at
    the low end of the scale (it then weighs nothing in any model). Listed in a note."""
    for aid, a in actors.items():
        missing = [iid for iid in issues if iid not in a["positions"]]
        for iid in missing:
            a["positions"][iid] = issues[iid]["scale"][0]
            a["salience"][iid] = 0.0
        if missing:
            note(
                f"actor {aid} has no #D record on {', '.join(missing)}: salience 0 "
                "(no stake), position at the low end of the scale"
            )


def _capabilities(actors: dict[str, dict[str, Any]], powers: dict[str, list[float]]) -> None:
    """Decide gives power per actor and issue; accord one capability per actor."""
    for aid, a in actors.items():
        ps = powers.get(aid, [])
        if not ps:
            a["capability"] = None
        elif len(set(ps)) == 1:
            a["capability"] = ps[0]
        else:
            a["capability"] = {
                "value": sum(ps) / len(ps),
                "note": "mean of the Decide powers per issue " + ", ".join(fmt_num(p) for p in ps),
            }
            note(f"actor {aid}: its powers differ by issue; the capability is their mean")
    note("capabilities are the Decide power (the same on every issue, else the mean)")


def write(s: Scenario, path: Path) -> list[str]:
    """Write a Decide file (``;``-separated); returns what the format cannot hold."""
    losses = lost_features(
        s, {"actor_name", "actor_description", "issue_name", "issue_description", "capability"}
    )
    caps = [number(a.capability) for a in s.actors]
    factor = 100.0 / max(caps) if max(caps) > 100 else 1.0
    if factor != 1.0:
        losses.append(
            f"capability magnitudes: Decide power lies in [0, 100], so every "
            f"capability was multiplied by {factor:g}"
        )
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=";", lineterminator="\n")
    buf.write(f"#/ {s.meta.title}\n")
    for a in s.actors:
        w.writerow(["#A", a.id, a.name or "", a.description or ""])
    for i in s.issues:
        w.writerow(["#P", i.id, i.name or "", i.description or ""])
        if i.options:
            for j, o in enumerate(i.options):
                w.writerow(["#M", i.id, j, o])
        else:
            lo, hi = i.bounds
            w.writerow(["#M", i.id, fmt_num(lo), "min"])
            w.writerow(["#M", i.id, fmt_num(hi), "max"])
    for a, cap in zip(s.actors, caps, strict=True):
        for i in s.issues:
            w.writerow(
                [
                    "#D",
                    a.id,
                    i.id,
                    fmt_num(units(s, a.positions[i.id], i.id)),
                    fmt_num(s.salience_of(a, i.id)),
                    fmt_num(cap * factor),
                ]
            )
    path.write_text(buf.getvalue(), encoding="utf-8")
    return losses


register_format(
    Format(
        "decide",
        (".decide.csv", ".decide.txt"),
        read,
        write,
        False,
        "Decide (Stokman exchange model) #A/#P/#M/#D records",
    )
)
