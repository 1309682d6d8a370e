"""BDM / Predictioneer single-issue CSV: ``Actor,Capability,Position,Salience``.

The layout of Bueno de Mesquita (1994) as reproduced in Scholz, Calbert & Smith (2011),
Table 1, and of the open re-implementations (jmckib, dmasad). See
``shared/data/ec-emissions-1994.csv``.

Decisions where the layout is silent:
- Files end in ``.bdm.csv``; a plain ``.csv`` with this header is recognised too, and
  ``--from bdm`` reads any name. Column names are matched without regard to case.
- The actor's name is kept as its ``name``; its id is made from the name (`fmt_common`).
- The one issue is called ``issue``; its scale is the span of the positions (widened by one
  when everybody agrees) and its status quo the low end of the scale, with a note: the format
  holds neither. The scenario title is the file name without its endings.
- Salience on 0–1 or 0–100 is detected. The writer writes salience on 0–1, positions in issue
  units (an options issue as option indices), and the first issue only; everything else is
  reported as not kept.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from accord.errors import InputError, Problem
from accord.errors import Path as FieldPath
from accord.io import Format, register_format
from accord.io.fmt_common import (
    Problems,
    Where,
    build,
    csv_rows,
    fmt_num,
    header_index,
    lost_features,
    make_id,
    read_text,
    salience_scale,
    status_quo_default,
    units,
)
from accord.scenario import Scenario, number

COLUMNS = ["actor", "capability", "position", "salience"]


def _title(path: Path) -> str:
    name = path.name
    for end in (".bdm.csv", ".csv"):
        if name.lower().endswith(end):
            return name[: -len(end)] or name
    return path.stem or name


def read(path: Path) -> Scenario:
    """The single-issue scenario of a BDM CSV file."""
    file = str(path)
    rows = list(csv_rows(read_text(path)))
    if not rows:
        raise InputError(
            Problem(
                "the file is empty; expected the header Actor,Capability,Position,Salience",
                file=file,
                line=1,
            )
        )
    hline, header = rows[0]
    col = header_index(header)
    missing = [c for c in COLUMNS if c not in col]
    if missing:
        raise InputError(
            Problem(
                f"missing columns {missing}; expected Actor,Capability,Position,Salience",
                ("header",),
                header,
                file=file,
                line=hline,
            )
        )
    pb = Problems(file)
    lines: dict[FieldPath, Where] = {}
    taken: set[str] = set()
    actors: list[dict[str, Any]] = []
    positions: list[float] = []
    saliences: list[float] = []
    for line, f in rows[1:]:
        cell = {c: (f[col[c]] if col[c] < len(f) else "") for c in COLUMNS}
        name = cell["actor"]
        if not name:
            pb.add("an actor name is required", ("Actor",), None, line)
            continue
        cap = pb.number(cell["capability"], ("Capability",), line)
        pos = pb.number(cell["position"], ("Position",), line)
        sal = pb.number(cell["salience"], ("Salience",), line)
        if cap is None or pos is None or sal is None:
            continue
        aid = make_id(name, taken)
        k = len(actors)
        actor: dict[str, Any] = {
            "id": aid,
            "capability": cap,
            "positions": {"issue": pos},
            "salience": {"issue": sal},
        }
        if name != aid:
            actor["name"] = name
        actors.append(actor)
        positions.append(pos)
        saliences.append(sal)
        lines[("actors", k)] = (file, line)
    pb.raise_any()
    if not actors:
        raise InputError(Problem("no actor rows", file=file, line=hline))
    lo, hi = min(positions), max(positions)
    if lo == hi:
        hi = lo + 1
    meta: dict[str, Any] = {"title": _title(path)}
    if salience_scale(saliences) == 100:
        meta["salience_scale"] = 100
    data = {
        "meta": meta,
        "issues": [{"id": "issue", "scale": [lo, hi], "status_quo": status_quo_default(lo)}],
        "actors": actors,
    }
    return build(data, lines, (file, None))


def write(s: Scenario, path: Path) -> list[str]:
    """Write the first issue as a BDM CSV; returns what the format cannot hold."""
    issue = s.issues[0]
    taken: set[str] = set()
    renamed = False
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["Actor", "Capability", "Position", "Salience"])
        for a in s.actors:
            renamed |= make_id(a.label, taken) != a.id
            pos = units(s, a.positions[issue.id], issue.id)
            w.writerow(
                [
                    a.label,
                    fmt_num(number(a.capability)),
                    fmt_num(pos),
                    fmt_num(s.salience_of(a, issue.id)),
                ]
            )
    losses = lost_features(s, {"actor_name", "capability"})
    if len(s.issues) > 1:
        losses.insert(
            0,
            f"issues other than the first ({', '.join(s.issue_ids[1:])}): "
            "the format holds one issue",
        )
    spread = [units(s, a.positions[issue.id], issue.id) for a in s.actors]
    lo, hi = min(spread), max(spread)
    if issue.scale is not None and tuple(issue.scale) != (lo, hi if hi > lo else lo + 1):
        losses.append(
            f"the scale of issue {issue.id} ({issue.scale[0]:g}–{issue.scale[1]:g}); "
            "a reader takes the span of the positions"
        )
    if renamed:
        losses.append("actor ids (the format has names; ids are made from the names)")
    if issue.id != "issue":
        losses.append(f"the issue id {issue.id!r}")
    return losses


register_format(
    Format(
        "bdm",
        (".bdm.csv",),
        read,
        write,
        False,
        "BDM/Predictioneer single-issue CSV: Actor,Capability,Position,Salience",
    )
)
