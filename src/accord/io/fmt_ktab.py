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
  differs) and ``Description`` the actor's display name. A name on two rows is an error naming
  both lines.
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
    check_actors,
    check_issues,
    check_rows,
    csv_rows,
    fmt_num,
    lost_features,
    make_id,
    no_status_quo,
    not_percent_scale,
    note,
    options,
    read_text,
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
    rows = ((ln, _trim(f)) for ln, f in csv_rows(read_text(path)))
    head = [r for _, r in zip(range(2), rows, strict=False)]
    if len(head) < 2:
        raise InputError(
            Problem(
                "expected a first line scenario,description,nActors,nDims "
                "and a header line Actor,Description,Influence,Pos1,Sal1,…",
                file=file,
                line=1,
            )
        )
    pb = Problems(file)
    (l1, first), (l2, header) = head
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
    issue_ids = _dimensions(header, file, l2)
    dims = len(issue_ids)
    if n_dims is not None and n_dims != dims:
        pb.add(
            f"nDims says {n_dims:g} but the header has {dims} Pos/Sal pairs",
            ("nDims",),
            first[3],
            l1,
        )
    builder = ActorRows(file, issue_ids, pb, [_name(header[3 + 2 * d]) for d in range(dims)])
    count = 0
    for line, f in rows:
        count += 1
        check_rows(count, file)
        f = f + [""] * (3 + 2 * dims - len(f))
        if len(f) > 3 + 2 * dims:
            pb.add(f"expected {3 + 2 * dims} fields, found {len(f)}", (), None, line)
            continue
        pos = [f[3 + 2 * d] for d in range(dims)]
        sal = [f[4 + 2 * d] for d in range(dims)]
        builder.add(line, f[0], f[1], f[2], pos, sal)
    if n_actors is not None and n_actors != count:
        pb.add(
            f"nActors says {n_actors:g} but the file has {count} actor rows",
            ("nActors",),
            first[2],
            l1,
        )
    return builder.scenario(first[0] or path.stem, first[1], l2)


GENERIC_DIM = r"pos(?:ition)?\s*_?(\d+)"
"""A dimension named only by its number (``Pos1``, ``Position 2``): its id is ``dim1``."""


def _name(header: str) -> str:
    """A dimension's name for people, "" for a generic ``Pos1``."""
    name = header.strip()
    return "" if re.fullmatch(GENERIC_DIM, name, flags=re.IGNORECASE) else name


def _dimensions(header: list[str], file: str, line: int) -> list[str]:
    """Issue ids from the Pos/Sal header pairs (``Pos1`` → ``dim1``, else the name)."""
    pairs = header[3:]
    if len(header) < 5 or len(pairs) % 2:
        raise InputError(
            Problem(
                "the header needs Actor,Description,Influence and a Pos,Sal pair per dimension",
                ("header",),
                ",".join(header),
                file=file,
                line=line,
            )
        )
    check_issues(len(pairs) // 2, file)
    taken: set[str] = set()
    ids = []
    for d in range(len(pairs) // 2):
        name = pairs[2 * d].strip()
        m = re.fullmatch(GENERIC_DIM, name, flags=re.IGNORECASE)
        label = f"dim{m.group(1)}" if m else (name or f"dim{d + 1}")
        ids.append(make_id(label, taken, "i"))
    return ids


class ActorRows:
    """The actors of a KTAB scenario (CSV rows or XML ``<Actor>`` elements), checked as they
    come: positions and saliences in [0, 100], saliences summing to at most 100, no name twice,
    at most `MAX_ACTORS` actors."""

    def __init__(
        self, file: str, issue_ids: list[str], pb: Problems, names: list[str] | None = None
    ) -> None:
        self.file, self.issue_ids, self.pb = file, issue_ids, pb
        self.names = dict(zip(issue_ids, names or issue_ids, strict=True))
        """Each issue's name as the file writes it (``Policy Position`` for ``Policy_Position``)."""
        self.taken: set[str] = set()
        self.first_line: dict[str, int | None] = {}
        self.actors: list[dict[str, Any]] = []
        self.lines: dict[FieldPath, Where] = {}

    def add(
        self, line: int | None, name: str, desc: str, cap_text: str, pos: list[str], sal: list[str]
    ) -> None:
        """Check and keep one actor."""
        pb = self.pb
        if not name:
            pb.add("an actor name is required", ("Actor",), None, line)
            return
        if name in self.first_line:
            pb.add(
                f"duplicate actor (first at line {self.first_line[name]})", ("Actor",), name, line
            )
            return
        self.first_line[name] = line
        check_actors(len(self.first_line), self.file)
        cap = pb.number(cap_text, ("Influence",), line)
        positions: dict[str, float] = {}
        salience: dict[str, float] = {}
        for d, iid in enumerate(self.issue_ids):
            p = pb.number(pos[d] if d < len(pos) else "", (f"Pos{d + 1}",), line)
            s = pb.number(sal[d] if d < len(sal) else "", (f"Sal{d + 1}",), line)
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
        aid = make_id(name, self.taken)
        actor: dict[str, Any] = {
            "id": aid,
            "capability": cap,
            "positions": positions,
            "salience": salience,
        }
        if desc or name != aid:
            actor["name"] = desc or name
        self.lines[("actors", len(self.actors))] = (self.file, line)
        self.actors.append(actor)

    def _salience_scale(self) -> int:
        """KTAB writes saliences on 0–100; ``--salience-scale 1`` reads a file that uses 0–1."""
        values = [v for a in self.actors for v in a["salience"].values()]
        if options().salience_scale == 1:
            big = [v for v in values if v > 1]
            if big:
                self.pb.add(
                    "a salience above 1 cannot be read on the 0–1 scale (--salience-scale 1)",
                    ("Sal",),
                    big[0],
                )
                self.pb.raise_any()
            note("KTAB saliences read on 0–1 (--salience-scale 1)")
            return 1
        note("KTAB saliences are read on 0–100 (meta.salience_scale: 100)")
        if values and max(values) <= 1:
            note(
                "every salience is at most 1, tiny on KTAB's 0–100 scale; if the file means "
                "0–1, read it with --salience-scale 1"
            )
        return 100

    def scenario(self, title: str, description: str, line: int | None) -> Scenario:
        """The scenario of the actors kept; raises with every problem found."""
        self.pb.raise_any()
        if not self.actors:
            raise InputError(Problem("no actor rows", file=self.file, line=line))
        scale = self._salience_scale()
        meta: dict[str, Any] = {"title": title, "salience_scale": scale}
        if description:
            meta["description"] = description
        note("KTAB positions lie on 0–100: every issue has the scale 0–100")
        note("capabilities are KTAB's influence as written")
        issues = [
            {"id": iid, "scale": [0, 100], "status_quo": no_status_quo(iid, 0.0)}
            | ({"name": self.names[iid]} if self.names[iid] not in ("", iid) else {})
            for iid in self.issue_ids
        ]
        data = {"meta": meta, "issues": issues, "actors": self.actors}
        return build(data, self.lines, (self.file, None))


def ktab_rows(s: Scenario) -> tuple[list[str], list[tuple[str, str, str, list[str], list[str]]]]:
    """What KTAB cannot hold, and per actor (id, name, influence, positions, saliences) as
    KTAB text: positions on 0–100, saliences on 0–100 summing to at most 100 per actor."""
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
    rows = []
    for a in s.actors:
        pos = [fmt_num(to_percent(s, a.positions[iid], iid)) for iid in s.issue_ids]
        sl = [fmt_num(sal[a.id][k] * factor) for k in range(len(s.issue_ids))]
        rows.append((a.id, a.name or "", fmt_num(number(a.capability)), pos, sl))
    return losses, rows


def write(s: Scenario, path: Path) -> list[str]:
    """Write a KTAB SMP CSV; returns what the format cannot hold."""
    losses, rows = ktab_rows(s)
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow([s.meta.title, s.meta.description or "", len(s.actors), len(s.issues)])
        head = ["Actor", "Description", "Influence"]
        for k, iid in enumerate(s.issue_ids):
            head += [iid, f"Sal{k + 1}"]
        w.writerow(head)
        for aid, name, cap, pos, sal in rows:
            row = [aid, name, cap]
            for p, sl in zip(pos, sal, strict=True):
                row += [p, sl]
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
