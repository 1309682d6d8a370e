"""Score-table games: per-party point tables per option with a minimum acceptable total, as in
multi-party LLM negotiation benchmarks (each party scores every option of every issue and
accepts a deal whose points reach its minimum).

Layout (``.scores.csv``; any CSV whose header starts ``party,issue,option,points`` is one)::

    party,issue,option,points
    SportCo,Infrastructure,A1 full build,35
    SportCo,Infrastructure,A2 partial,20
    …
    SportCo,minimum total,,55

One row per party × issue × option; the options of an issue are listed in the order they first
appear. The row whose issue is ``minimum total`` (option empty) gives the party's minimum
acceptable total (an issue cannot be called ``minimum total``).

Mapping to accord (exact: the scenario's utility of a deal is the party's points rescaled):
- Each party is an actor with capability 1 and explicit option utilities. On issue k with points
  p_k(o), utility u_k(o) = (p_k(o) − min_k)/(max_k − min_k) and salience s_k ∝ max_k − min_k,
  so that Σ_k s_k u_k / Σ_k s_k = (points − Σ min_k)/(Σ max_k − Σ min_k): utility is the
  party's total points on that affine scale. An issue on which a party scores every option the
  same gets salience 0.
- The minimum total becomes the reservation value on the same scale, clipped to [0, 1] with a
  note; a party with no minimum row has reservation 0 (accepts any deal), with a note.
- The position on each issue is the party's best option; the status quo is each issue's first
  option (the format has none), with a note.
- Every party must score every option of every issue once: a missing or repeated row is an error
  naming the line(s).
- The writer writes points = 100 · normalised salience · utility per option (continuous issues
  discretised as in the GENIUS writer) and minimum = 100 · reservation.
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
    check_actors,
    check_count,
    check_issues,
    check_rows,
    csv_rows,
    fmt_num,
    make_id,
    note,
    read_text,
)
from accord.io.fmt_genius_model import losses_for_parties, party_tables
from accord.scenario import Scenario, compile
from accord.scenario.schema import MAX_OPTIONS

HEADER = ["party", "issue", "option", "points"]
MINIMUM = "minimum total"


class _Table:
    """Points per party, issue and option, gathered row by row."""

    def __init__(self, file: str) -> None:
        self.file, self.pb = file, Problems(file)
        self.options: dict[str, dict[str, None]] = {}
        self.points: dict[str, dict[tuple[str, str], float]] = {}
        self.first: dict[tuple[str, str, str], int] = {}
        self.minimum: dict[str, float] = {}
        self.party_line: dict[str, int] = {}

    def row(self, line: int, f: list[str]) -> None:
        party, issue, option, text = [*f, "", "", "", ""][:4]
        if not party or not issue:
            self.pb.add("party and issue are required", (), ",".join(f), line)
            return
        key = (party, issue, option)
        if key in self.first:
            self.pb.add(f"a second row (first at line {self.first[key]})", ("points",), key, line)
            return
        self.first[key] = line
        if party not in self.points:
            check_actors(len(self.points) + 1, self.file)
            self.points[party], self.party_line[party] = {}, line
        x = self.pb.number(text, ("points",), line)
        if x is None:
            return
        if issue.lower() == MINIMUM:
            self.minimum[party] = x
            return
        if issue not in self.options:
            check_issues(len(self.options) + 1, self.file)
            self.options[issue] = {}
        if not option:
            self.pb.add("an option is required", ("option",), None, line)
            return
        opts = self.options[issue]
        if option not in opts:
            opts[option] = None
            check_count(
                f"options of issue {issue!r}",
                len(opts),
                MAX_OPTIONS,
                "accord.scenario.schema.MAX_OPTIONS",
                self.file,
            )
        self.points[party][(issue, option)] = x


def read(path: Path) -> Scenario:
    """The scenario of a score-table game."""
    file = str(path)
    rows = csv_rows(read_text(path))
    head = next(rows, None)
    if head is None or [h.lower() for h in head[1][:4]] != HEADER:
        raise InputError(
            Problem("expected the header party,issue,option,points", file=file, line=1)
        )
    t = _Table(file)
    for n, (line, f) in enumerate(rows, start=1):
        check_rows(n, file)
        t.row(line, f)
    for party, pts in t.points.items():
        missing = [(i, o) for i, opts in t.options.items() for o in opts if (i, o) not in pts]
        if missing:
            t.pb.add(
                f"no points for {len(missing)} options, e.g. {missing[0][0]} / {missing[0][1]}",
                ("party",),
                party,
                t.party_line[party],
            )
    t.pb.raise_any()
    if not t.options or not t.points:
        raise InputError(Problem("no scored options", file=file))
    return _scenario(t, path)


def _scenario(t: _Table, path: Path) -> Scenario:
    taken_i: set[str] = set()
    ids = {i: make_id(i, taken_i, "i") for i in t.options}
    issues = []
    for i, opts in t.options.items():
        labels = list(opts)
        if len(labels) < 2:
            raise InputError(
                Problem("an issue needs two or more options", ("issue",), i, file=t.file)
            )
        issues.append(
            {
                "id": ids[i],
                "name": i,
                "options": labels,
                "status_quo": {
                    "value": labels[0],
                    "note": "the format has no status quo; the first option is assumed",
                },
            }
        )
        note(f"issue {ids[i]}: the format has no status quo; its first option is assumed")
    taken_a: set[str] = set()
    actors: list[dict[str, Any]] = []
    lines: dict[FieldPath, Where] = {}
    for party, pts in t.points.items():
        lo = {i: min(pts[(i, o)] for o in opts) for i, opts in t.options.items()}
        hi = {i: max(pts[(i, o)] for o in opts) for i, opts in t.options.items()}
        span = sum(hi[i] - lo[i] for i in t.options)
        actor: dict[str, Any] = {
            "id": make_id(party, taken_a),
            "name": party,
            "capability": 1.0,
            "positions": {},
            "salience": {},
            "utilities": {},
        }
        for i, opts in t.options.items():
            w = hi[i] - lo[i]
            actor["salience"][ids[i]] = w / span if span > 0 else 0.0
            actor["utilities"][ids[i]] = {
                o: ((pts[(i, o)] - lo[i]) / w if w > 0 else 1.0) for o in opts
            }
            scored = {o: pts[(i, o)] for o in opts}
            actor["positions"][ids[i]] = max(scored, key=scored.__getitem__)
        actor["reservation"] = _reservation(party, t.minimum.get(party), sum(lo.values()), span)
        lines[("actors", len(actors))] = (t.file, t.party_line[party])
        actors.append(actor)
    note("every party has capability 1 (score tables hold no power)")
    meta = {"title": path.name.split(".")[0] or path.name}
    return build({"meta": meta, "issues": issues, "actors": actors}, lines, (t.file, None))


def _reservation(party: str, minimum: float | None, base: float, span: float) -> float:
    if minimum is None:
        note(f"party {party}: no minimum total; reservation 0 (accepts any deal)")
        return 0.0
    r = (minimum - base) / span if span > 0 else 0.0
    if not 0 <= r <= 1:
        note(
            f"party {party}: minimum total {fmt_num(minimum)} outside its reachable points; clipped"
        )
    return min(max(r, 0.0), 1.0)


def write(s: Scenario, path: Path) -> list[str]:
    """Write a score-table game; returns what the format cannot hold."""
    labels, tables, discretised = party_tables(s)
    c = compile(s)
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(HEADER)
        for r, sid in enumerate(c.seats.ids):
            weights = c.seats.weight[r]
            total = float(weights.sum()) or 1.0
            for k, issue in enumerate(s.issues):
                for j, lab in enumerate(labels[k]):
                    pts = 100 * float(weights[k]) / total * tables[sid][k][j]
                    w.writerow([sid, issue.id, lab, fmt_num(round(pts, 9))])
            w.writerow([sid, MINIMUM, "", fmt_num(round(100 * float(c.seats.reservation[r]), 9))])
    out = [x for x in losses_for_parties(s, tables, discretised) if "salience magnitudes" not in x]
    return [*out, "the status quo (a reader takes each issue's first option)"]


register_format(
    Format(
        "scores",
        (".scores.csv",),
        read,
        write,
        False,
        "score-table game: party,issue,option,points rows and a 'minimum total' per party",
    )
)
