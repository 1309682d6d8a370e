"""KTAB Spatial Model of Politics CSV (KAPSARC KTAB, ``smp`` input).

Layout::

    <scenario>,<description>,<nActors>,<nDims>
    Actor,Description,Influence,Pos1,Sal1,Pos2,Sal2,…
    <actor>,<description>,<influence>,<pos>,<sal>,…

Positions lie on 0–100, saliences on 0–100 with their sum over the dimensions at most 100 per
actor; influence is the actor's capability.

Decisions where the layout is silent:
- Files end in ``.ktab.csv`` (a plain ``.csv`` whose second line starts ``Actor,Description``
  is recognised too). Trailing empty fields, common in spreadsheet exports, are ignored.
- A position column named like ``Pos1``/``Pos 1`` gives the issue id ``dim1``; any other name
  is taken as the issue id (made schema-valid). The writer names position columns by issue id
  so ids survive a round trip; KTAB itself does not read the header names.
- ``Actor`` is the actor id (made schema-valid; the original text is kept as the name when it
  differs) and ``Description`` the actor's display name.
- Issues are on [0, 100]; the status quo is 0, with a note (KTAB has none). Saliences keep
  their 0–100 numbers (``meta.salience_scale: 100``).
- The writer rescales each issue to 0–100, writes options as ``100·j/(m−1)``, and, when some
  actor's saliences sum above 1, divides every salience by the largest such sum (one factor
  for all actors, so that the actors' relative saliences survive). Each change is reported.
"""

from __future__ import annotations

import csv
import re
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
    lost_features,
    make_id,
    not_percent_scale,
    read_text,
    status_quo_default,
    to_percent,
)
from accord.scenario import Scenario, number

TOLERANCE = 1e-6


def _trim(fields: list[str]) -> list[str]:
    while fields and not fields[-1]:
        fields = fields[:-1]
    return fields


def read(path: Path) -> Scenario:
    """The scenario of a KTAB SMP CSV file."""
    file = str(path)
    rows = [(ln, _trim(f)) for ln, f in csv_rows(read_text(path))]
    if len(rows) < 2:
        raise InputError(
            Problem(
                "expected a first line scenario,description,nActors,nDims "
                "and a header line Actor,Description,Influence,Pos1,Sal1,…",
                file=file,
                line=1,
            )
        )
    pb = Problems(file)
    (l1, first), (l2, header) = rows[0], rows[1]
    if len(first) < 4:
        raise InputError(
            Problem(
                "the first line needs scenario,description,nActors,nDims",
                (),
                ",".join(first),
                file=file,
                line=l1,
            )
        )
    n_actors = pb.number(first[2], ("nActors",), l1)
    n_dims = pb.number(first[3], ("nDims",), l1)
    pairs = header[3:]
    if len(header) < 5 or len(pairs) % 2:
        raise InputError(
            Problem(
                "the header needs Actor,Description,Influence and a Pos,Sal pair per dimension",
                ("header",),
                ",".join(header),
                file=file,
                line=l2,
            )
        )
    dims = len(pairs) // 2
    if n_dims is not None and n_dims != dims:
        pb.add(
            f"nDims says {n_dims:g} but the header has {dims} Pos/Sal pairs",
            ("nDims",),
            first[3],
            l1,
        )
    if n_actors is not None and n_actors != len(rows) - 2:
        pb.add(
            f"nActors says {n_actors:g} but the file has {len(rows) - 2} actor rows",
            ("nActors",),
            first[2],
            l1,
        )
    issue_taken: set[str] = set()
    issue_ids = []
    for d in range(dims):
        name = pairs[2 * d].strip()
        m = re.fullmatch(r"pos(?:ition)?\s*_?(\d+)", name, flags=re.IGNORECASE)
        label = f"dim{m.group(1)}" if m else (name or f"dim{d + 1}")
        issue_ids.append(make_id(label, issue_taken, "i"))
    lines: dict[FieldPath, Where] = {}
    taken: set[str] = set()
    actors: list[dict[str, Any]] = []
    for line, f in rows[2:]:
        f = f + [""] * (3 + 2 * dims - len(f))
        if len(f) > 3 + 2 * dims:
            pb.add(f"expected {3 + 2 * dims} fields, found {len(f)}", (), None, line)
            continue
        name, desc = f[0], f[1]
        k = len(actors)
        cap = pb.number(f[2], ("Influence",), line)
        positions: dict[str, float] = {}
        salience: dict[str, float] = {}
        for d, iid in enumerate(issue_ids):
            p = pb.number(f[3 + 2 * d], (f"Pos{d + 1}",), line)
            s = pb.number(f[4 + 2 * d], (f"Sal{d + 1}",), line)
            if p is not None:
                if not 0 <= p <= 100:
                    pb.add("a KTAB position lies in [0, 100]", (f"Pos{d + 1}",), p, line)
                positions[iid] = p
            if s is not None:
                if not 0 <= s <= 100:
                    pb.add("a KTAB salience lies in [0, 100]", (f"Sal{d + 1}",), s, line)
                salience[iid] = s
        total = sum(salience.values())
        if total > 100 + TOLERANCE:
            pb.add(
                f"the saliences of an actor sum to at most 100, these sum to {total:g}",
                ("Sal",),
                total,
                line,
            )
        if not name:
            pb.add("an actor name is required", ("Actor",), None, line)
            continue
        aid = make_id(name, taken)
        actor: dict[str, Any] = {
            "id": aid,
            "capability": cap,
            "positions": positions,
            "salience": salience,
        }
        if desc or name != aid:
            actor["name"] = desc or name
        actors.append(actor)
        lines[("actors", k)] = (file, line)
    pb.raise_any()
    if not actors:
        raise InputError(Problem("no actor rows", file=file, line=l2))
    meta: dict[str, Any] = {"title": first[0] or path.stem, "salience_scale": 100}
    if first[1]:
        meta["description"] = first[1]
    issues = [
        {"id": iid, "scale": [0, 100], "status_quo": status_quo_default(0.0)} for iid in issue_ids
    ]
    return build({"meta": meta, "issues": issues, "actors": actors}, lines, (file, None))


def write(s: Scenario, path: Path) -> list[str]:
    """Write a KTAB SMP CSV; returns what the format cannot hold."""
    losses = lost_features(s, {"title", "description", "actor_name", "capability"})
    sal = {a.id: [s.salience_of(a, i) for i in s.issue_ids] for a in s.actors}
    top = max(sum(v) for v in sal.values())
    factor = 100.0 / top if top > 1 + TOLERANCE else 100.0
    if top > 1 + TOLERANCE:
        losses.append(
            f"salience magnitudes: KTAB needs each actor's saliences to sum to ≤ 100, "
            f"so every salience was divided by {top:g}"
        )
    wide = not_percent_scale(s)
    if wide:
        losses.append(f"issue scales ({', '.join(wide)}): positions rescaled to 0–100")
    if any(a.description for a in s.actors):
        losses.append("actor descriptions (the Description column holds the actor's name)")
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow([s.meta.title, s.meta.description or "", len(s.actors), len(s.issues)])
        head = ["Actor", "Description", "Influence"]
        for k, iid in enumerate(s.issue_ids):
            head += [iid, f"Sal{k + 1}"]
        w.writerow(head)
        for a in s.actors:
            row = [a.id, a.name or "", fmt_num(number(a.capability))]
            for k, iid in enumerate(s.issue_ids):
                row += [
                    fmt_num(to_percent(s, a.positions[iid], iid)),
                    fmt_num(sal[a.id][k] * factor),
                ]
            w.writerow(row)
    return losses


register_format(
    Format(
        "ktab",
        (".ktab.csv",),
        read,
        write,
        False,
        "KTAB SMP CSV: scenario line, Actor,Description,Influence,Pos1,Sal1,…",
    )
)
