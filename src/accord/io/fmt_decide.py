"""Decide input files (the Stokman exchange-model tool; forecast-models §4).

Records, one a line, fields separated by ``;`` or a tab and optionally double-quoted::

    #A;actor_id;name;comment
    #P;issue_id;name;comment
    #M;issue_id;position;description      a scale point; min and max give the issue's bounds
    #D;actor_id;issue_id;position;salience;power
    #/ …  or  #0 …                        comments

Decisions where the layout is silent:
- Files end in ``.decide.csv`` or ``.decide.txt`` (a ``.csv`` whose first record is a ``#``
  record is recognised too). The delimiter is that of the first record: a tab when it has a tab
  and no ``;``, else ``;``.
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
from pathlib import Path
from typing import Any

from accord.errors import InputError, Problem
from accord.errors import Path as FieldPath
from accord.io import Format, register_format
from accord.io.fmt_common import (
    Problems,
    Where,
    build,
    fmt_num,
    lost_features,
    make_id,
    read_text,
    salience_scale,
    status_quo_default,
    units,
    valid_id,
)
from accord.scenario import Scenario, number

MIN_FIELDS = {"#A": 2, "#P": 2, "#M": 3, "#D": 6}


def _records(text: str, file: str) -> list[tuple[int, list[str]]]:
    lines = text.splitlines()
    first = next(
        (ln for ln in lines if ln.strip() and not ln.lstrip().startswith(("#/", "#0"))), ""
    )
    delim = "\t" if "\t" in first and ";" not in first else ";"
    out = []
    for n, raw in enumerate(lines, start=1):
        s = raw.strip()
        if not s or s.startswith(("#/", "#0")):
            continue
        try:
            fields = next(csv.reader(io.StringIO(s), delimiter=delim))
        except (csv.Error, StopIteration) as e:
            raise InputError(Problem(f"malformed record: {e}", file=file, line=n)) from None
        out.append((n, [f.strip() for f in fields]))
    return out


def read(path: Path) -> Scenario:
    """The scenario of a Decide input file."""
    file = str(path)
    pb = Problems(file)
    actor_ids: dict[str, str] = {}
    issue_ids: dict[str, str] = {}
    taken_a: set[str] = set()
    taken_i: set[str] = set()
    actors: dict[str, dict[str, Any]] = {}
    issues: dict[str, dict[str, Any]] = {}
    points: dict[str, list[float]] = {}
    powers: dict[str, list[float]] = {}
    lines: dict[FieldPath, Where] = {}
    d_rows: list[tuple[int, list[str]]] = []
    for line, f in _records(read_text(path), file):
        kind = f[0].upper()
        if kind not in MIN_FIELDS:
            pb.add("unknown record; expected #A, #P, #M, #D or a #/ comment", (), f[0], line)
            continue
        if len(f) < MIN_FIELDS[kind]:
            pb.add(
                f"a {kind} record needs {MIN_FIELDS[kind] - 1} fields or more",
                (kind,),
                ";".join(f),
                line,
            )
            continue
        f = f + [""] * (6 - len(f))
        if kind == "#A":
            if f[1] in actor_ids:
                pb.add("duplicate actor id", ("#A", "actor_id"), f[1], line)
                continue
            aid = f[1] if valid_id(f[1]) and f[1] not in taken_a else make_id(f[1], taken_a)
            taken_a.add(aid)
            actor_ids[f[1]] = aid
            name = f[2] or (f[1] if aid != f[1] else "")
            actors[aid] = {
                "id": aid,
                "name": name or None,
                "description": f[3] or None,
                "positions": {},
                "salience": {},
            }
            lines[("actors", len(actors) - 1)] = (file, line)
        elif kind == "#P":
            if f[1] in issue_ids:
                pb.add("duplicate issue id", ("#P", "issue_id"), f[1], line)
                continue
            iid = f[1] if valid_id(f[1]) and f[1] not in taken_i else make_id(f[1], taken_i, "i")
            taken_i.add(iid)
            issue_ids[f[1]] = iid
            name = f[2] or (f[1] if iid != f[1] else "")
            issues[iid] = {"id": iid, "name": name or None, "description": f[3] or None}
            lines[("issues", len(issues) - 1)] = (file, line)
        elif kind == "#M":
            if f[1] not in issue_ids:
                pb.add("unknown issue id (no #P record before it)", ("#M", "issue_id"), f[1], line)
                continue
            x = pb.number(f[2], ("#M", "position"), line)
            if x is not None:
                points.setdefault(issue_ids[f[1]], []).append(x)
        else:
            d_rows.append((line, f))
    saliences: list[float] = []
    for line, f in d_rows:
        ok = True
        if f[1] not in actor_ids:
            pb.add("unknown actor id (no #A record)", ("#D", "actor_id"), f[1], line)
            ok = False
        if f[2] not in issue_ids:
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
        aid, iid = actor_ids[f[1]], issue_ids[f[2]]
        a = actors[aid]
        if iid in a["positions"]:
            pb.add(f"a second #D record for actor {f[1]!r} on issue {f[2]!r}", ("#D",), None, line)
            continue
        a["positions"][iid] = pos
        a["salience"][iid] = sal
        saliences.append(sal)
        powers.setdefault(aid, []).append(power)
        k = list(actors).index(aid)
        lines[("actors", k, "positions", iid)] = (file, line)
        lines[("actors", k, "salience", iid)] = (file, line)
    pb.raise_any()
    if not actors or not issues:
        raise InputError(Problem("a Decide file needs #A actor and #P issue records", file=file))

    for iid, issue in issues.items():
        pts = points.get(iid, [])
        if len(set(pts)) < 2:
            pts = [*pts, 0.0, 100.0]
        lo, hi = min(pts), max(pts)
        issue["scale"] = [lo, hi]
        issue["status_quo"] = status_quo_default(lo)
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
    meta: dict[str, Any] = {"title": path.name.split(".")[0] or path.name}
    if salience_scale(saliences) == 100:
        meta["salience_scale"] = 100
    clean = [{k: v for k, v in d.items() if v is not None} for d in actors.values()]
    data = {
        "meta": meta,
        "issues": [{k: v for k, v in d.items() if v is not None} for d in issues.values()],
        "actors": clean,
    }
    return build(data, lines, (file, None))


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
