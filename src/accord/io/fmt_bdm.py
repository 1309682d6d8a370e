"""BDM / Predictioneer single-issue CSV: ``Actor,Capability,Position,Salience``.

The layout of Bueno de Mesquita (1994) as reproduced in Scholz, Calbert & Smith (2011),
Table 1, and of the open re-implementations (jmckib, dmasad). See
``shared/data/ec-emissions-1994.csv``.

Decisions where the layout is silent:
- Files end in ``.bdm.csv``; any file with this header is recognised too (`accord.io.sniff`),
  and ``--from bdm`` reads any name. Column names are matched without regard to case, with the
  aliases of published replications: ``Stakeholder``/``Player``/``Name`` for Actor and
  ``Resources``/``Influence``/``Power``/``Clout`` for Capability (each alias used is a note).
- A name on two rows is an error naming both lines (never renamed and kept).
- The actor's name is kept as its ``name``; its id is made from the name (`fmt_common`).
- The one issue is called ``issue``; its scale is the span of the positions (widened by one
  when everybody agrees) and its status quo the low end of the scale, with a note: the format
  holds neither; ``--scale LO,HI`` gives the scale instead. Both are notes. The scenario title
  is the file name without its endings.
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
    assumed_scale,
    build,
    check_actors,
    check_rows,
    csv_rows,
    fmt_num,
    header_index,
    lost_features,
    make_id,
    no_status_quo,
    note,
    read_text,
    salience_scale,
    units,
)
from accord.scenario import Scenario, number

COLUMNS = ["actor", "capability", "position", "salience"]
ALIASES = {
    "actor": ("actor", "stakeholder", "player", "name"),
    "capability": ("capability", "resources", "influence", "power", "clout"),
    "position": ("position",),
    "salience": ("salience",),
}


def _title(path: Path) -> str:
    name = path.name
    for end in (".bdm.csv", ".csv"):
        if name.lower().endswith(end):
            return name[: -len(end)] or name
    return path.stem or name


def _columns(header: list[str], file: str, line: int) -> dict[str, int]:
    """Column → position, by the names BDM replications use (case-insensitive)."""
    col = header_index(header)
    found: dict[str, int] = {}
    for canon, names in ALIASES.items():
        hit = next((n for n in names if n in col), None)
        if hit is not None:
            found[canon] = col[hit]
            if hit != canon:
                note(f"column {header[col[hit]]!r} read as {canon}")
    missing = [c for c in COLUMNS if c not in found]
    if missing:
        raise InputError(
            Problem(
                f"missing columns {missing}; expected Actor,Capability,Position,Salience "
                "(or Stakeholder, Resources/Influence/Power for Capability)",
                ("header",),
                header,
                file=file,
                line=line,
            )
        )
    return found


def read(path: Path) -> Scenario:
    """The single-issue scenario of a BDM CSV file."""
    file = str(path)
    rows = csv_rows(read_text(path))
    head = next(rows, None)
    if head is None:
        raise InputError(
            Problem(
                "the file is empty; expected the header Actor,Capability,Position,Salience",
                file=file,
                line=1,
            )
        )
    hline, header = head
    col = _columns(header, file, hline)
    pb = Problems(file)
    lines: dict[FieldPath, Where] = {}
    taken: set[str] = set()
    first_line: dict[str, int] = {}
    actors: list[dict[str, Any]] = []
    positions: list[float] = []
    saliences: list[float] = []
    places: list[Where] = []
    for n, (line, f) in enumerate(rows, start=1):
        check_rows(n, file)
        cell = {c: (f[col[c]] if col[c] < len(f) else "") for c in COLUMNS}
        name = cell["actor"]
        if not name:
            pb.add("an actor name is required", ("Actor",), None, line)
            continue
        if name in first_line:
            pb.add(f"duplicate actor (first at line {first_line[name]})", ("Actor",), name, line)
            continue
        first_line[name] = line
        check_actors(len(first_line), file)
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
        places.append((file, line))
        lines[("actors", k)] = (file, line)
    pb.raise_any()
    if not actors:
        raise InputError(Problem("no actor rows", file=file, line=hline))
    lo, hi = assumed_scale("issue", positions)
    meta: dict[str, Any] = {"title": _title(path)}
    if salience_scale(saliences, places) == 100:
        meta["salience_scale"] = 100
    note("capabilities are the Capability column as written (any unit)")
    data = {
        "meta": meta,
        "issues": [{"id": "issue", "scale": [lo, hi], "status_quo": no_status_quo("issue", lo)}],
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
