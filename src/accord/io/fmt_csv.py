"""Canonical long CSV: one row per actor × issue, with an issue sidecar (forecast-models §3.2).

Main file ``<stem>.csv``::

    case_id,issue_id,actor_id,actor_name,capability,position,salience

Issue sidecar ``<stem>.issues.csv`` beside it (optional)::

    case_id,issue_id,scale_min,scale_max,status_quo,outcome,outcome_date,source[,issue_name,unit,options]

Decisions where the specification is silent:
- The sidecar of ``talks.csv`` is ``talks.issues.csv`` in the same folder. The last three
  sidecar columns are accord's optional extension: an issue's display name, its unit, and its
  options joined by ``|`` (an options issue then takes option labels as positions and status
  quo; its scale columns may be empty).
- Without a sidecar an issue's scale is the span of the positions given (widened by one when
  everybody agrees) and its status quo is the low end of that scale, with a note.
- ``case_id`` is the scenario title. A file holding several cases is read as its first case;
  the scenario's description names the others. `read_csv` takes ``case=`` to pick one.
- ``actor_name`` may be missing or empty; capability must be the same on every row of an actor.
- Salience on 0–1 or 0–100 is detected (any value above 1 means 0–100).
- ``outcome_date`` is kept as the note ``outcome_date: …`` of the issue's outcome.
- A ``.csv`` file whose header is a BDM (``Actor,Capability,…``), KTAB, Decide or DEU III
  layout is handed to that reader, so a user need not rename files.
"""

from __future__ import annotations

import csv
import functools
from collections.abc import Callable
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
    check_issues,
    check_rows,
    csv_rows,
    fmt_num,
    header_index,
    lost_features,
    no_status_quo,
    note,
    parse_float,
    read_text,
    salience_scale,
)
from accord.scenario import Estimate, Scenario

MAIN = ["case_id", "issue_id", "actor_id", "actor_name", "capability", "position", "salience"]
SIDECAR = [
    "case_id",
    "issue_id",
    "scale_min",
    "scale_max",
    "status_quo",
    "outcome",
    "outcome_date",
    "source",
    "issue_name",
    "unit",
    "options",
]
OUTCOME_DATE = "outcome_date: "


def sidecar_path(path: Path) -> Path:
    """``talks.issues.csv`` for ``talks.csv``."""
    name = path.name
    stem = name[:-4] if name.lower().endswith(".csv") else name
    return path.with_name(f"{stem}.issues.csv")


def read(path: Path) -> Scenario:
    """The scenario in a canonical long CSV (and its sidecar), or in a sniffed table format."""
    from accord.io.sniff import sniff

    text = read_text(path)
    other = sniff(path)
    if other is not None and other != "csv":
        from accord.io import FORMATS

        reader = FORMATS[other].reader
        assert reader is not None
        return reader(path)
    return read_csv(path, text=text)


def read_csv(path: Path, case: str | None = None, text: str | None = None) -> Scenario:
    """The scenario of one case (the first, or `case`) of a canonical long CSV.

    Read the rows of the case (`_Rows`), check them, take the issues from the sidecar or from
    the span of the positions, then validate the whole as one scenario.
    """
    file = str(path)
    rows = csv_rows(read_text(path) if text is None else text)
    empty = "the file is empty; expected a header " + ",".join(MAIN)
    need = [c for c in MAIN if c != "actor_name"]
    hline, cols = _header(next(rows, None), file, empty, need, MAIN)
    got = _Rows(file, cols, case)
    for n, (line, fields) in enumerate(rows, start=1):
        check_rows(n, file)
        got.add(line, fields)
    chosen = got.finish(case, hline)
    issues = _issues(path, chosen, got)
    options = {i["id"]: i.get("options") for i in issues}
    for a in got.actors.values():
        for iid, cell in a["positions"].items():
            a["positions"][iid] = _value(cell, options.get(iid))
    data = {
        "meta": _meta(path, chosen, got),
        "issues": issues,
        "actors": [{k: v for k, v in a.items() if v is not None} for a in got.actors.values()],
    }
    return build(data, got.lines, (file, None))


class _Columns:
    """A CSV header: the columns it has, and a row's cell by column name."""

    def __init__(self, header: list[str]) -> None:
        self.index = header_index(header)

    def __contains__(self, name: object) -> bool:
        return name in self.index

    def cell(self, fields: list[str], name: str) -> str:
        """The cell of column `name`, or "" when the column or the cell is absent."""
        k = self.index.get(name)
        return fields[k] if k is not None and k < len(fields) else ""


def _header(
    head: tuple[int, list[str]] | None, file: str, empty: str, need: list[str], expected: list[str]
) -> tuple[int, _Columns]:
    """The header's line and columns; an `InputError` when there is none or it lacks `need`."""
    if head is None:
        raise InputError(Problem(empty, file=file, line=1))
    hline, header = head
    cols = _Columns(header)
    missing = [c for c in need if c not in cols]
    if missing:
        raise InputError(
            Problem(
                f"missing columns {missing}; expected {','.join(expected)}",
                ("header",),
                header,
                file=file,
                line=hline,
            )
        )
    return hline, cols


class _Rows:
    """The actor × issue rows of the chosen case as they are read, with each field's line."""

    def __init__(self, file: str, cols: _Columns, case: str | None) -> None:
        self.file, self.cols, self.chosen = file, cols, case
        self.pb = Problems(file)
        self.cases: dict[str, None] = {}
        self.lines: dict[FieldPath, Where] = {}
        self.actors: dict[str, dict[str, Any]] = {}
        self.index: dict[str, int] = {}
        self.issue_order: dict[str, None] = {}
        self.raw_positions: dict[str, list[float]] = {}
        self.saliences: list[float] = []
        self.places: list[Where] = []

    def add(self, line: int, fields: list[str]) -> None:
        """Read one row: the case it belongs to, its actor, and its position and salience."""
        cell = functools.partial(self.cols.cell, fields)
        c = cell("case_id")
        self.cases.setdefault(c, None)
        if self.chosen is None:
            self.chosen = c
        if c != self.chosen:
            return
        aid, iid = cell("actor_id"), cell("issue_id")
        if not aid:
            self.pb.add("an actor id is required", ("actor_id",), None, line)
            return
        if not iid:
            self.pb.add("an issue id is required", ("issue_id",), None, line)
            return
        if aid in self.actors:
            self._same_actor(aid, cell, line)
        else:
            self._new_actor(aid, cell, line)
        k = self.index[aid]
        if iid in self.actors[aid]["positions"]:
            first = self.lines[("actors", k, "positions", iid)][1]
            self.pb.add(
                f"a second row for actor {aid!r} on issue {iid!r} (first at line {first})",
                ("issue_id",),
                iid,
                line,
            )
            return
        self._position(aid, iid, cell, line)

    def _new_actor(self, aid: str, cell: Callable[[str], str], line: int) -> None:
        k = len(self.index)
        check_actors(k + 1, self.file)
        self.index[aid] = k
        self.actors[aid] = {
            "id": aid,
            "name": cell("actor_name") or None,
            "capability": self.pb.number(cell("capability"), ("capability",), line),
            "positions": {},
            "salience": {},
        }
        for where in (("actors", k), ("actors", k, "capability"), ("actors", k, "id")):
            self.lines[where] = (self.file, line)

    def _same_actor(self, aid: str, cell: Callable[[str], str], line: int) -> None:
        """A further row of an actor: its capability and name must be those of its first."""
        a = self.actors[aid]
        first = self.lines[("actors", self.index[aid])][1]
        cap = parse_float(cell("capability"))
        if cap is not None and a["capability"] is not None and cap != a["capability"]:
            self.pb.add(
                f"capability differs from this actor's first row ({a['capability']:g}, "
                f"line {first})",
                ("capability",),
                cell("capability"),
                line,
            )
        name = cell("actor_name") or None
        if name and a["name"] and name != a["name"]:
            self.pb.add(
                f"actor_name differs from this actor's first row ({a['name']!r})",
                ("actor_name",),
                name,
                line,
            )

    def _position(self, aid: str, iid: str, cell: Callable[[str], str], line: int) -> None:
        """An actor's position (kept as written until the options are known) and salience."""
        a, k = self.actors[aid], self.index[aid]
        if iid not in self.issue_order:
            check_issues(len(self.issue_order) + 1, self.file)
            self.issue_order[iid] = None
        ptext = cell("position")
        pos = parse_float(ptext)
        if pos is None and not ptext:
            self.pb.add("a position is required", ("position",), None, line)
        a["positions"][iid] = ptext
        if pos is not None:
            self.raw_positions.setdefault(iid, []).append(pos)
        sal = self.pb.number(cell("salience"), ("salience",), line)
        if sal is not None:
            a["salience"][iid] = sal
            self.saliences.append(sal)
            self.places.append((self.file, line))
        self.lines[("actors", k, "positions", iid)] = (self.file, line)
        self.lines[("actors", k, "salience", iid)] = (self.file, line)

    def finish(self, case: str | None, hline: int) -> str:
        """The case read; an `InputError` for no rows, an unknown `case` or any problem."""
        if not self.cases:
            raise InputError(Problem("no data rows", file=self.file, line=hline))
        if case is not None and case not in self.cases:
            raise InputError(
                Problem(
                    f"no such case; cases: {list(self.cases)[:20]}",
                    ("case_id",),
                    case,
                    file=self.file,
                )
            )
        assert self.chosen is not None
        self.pb.raise_any()
        return self.chosen


def _issues(path: Path, case: str, got: _Rows) -> list[dict[str, Any]]:
    """The case's issues from the sidecar, or each one's scale assumed from its positions."""
    side = sidecar_path(path)
    if not side.is_file():
        issues = []
        for iid in got.issue_order:
            lo, hi = assumed_scale(iid, got.raw_positions.get(iid, [0.0]))
            issues.append({"id": iid, "scale": [lo, hi], "status_quo": no_status_quo(iid, lo)})
        return issues
    issues = _read_sidecar(side, case, got.lines)
    known = {i["id"] for i in issues}
    for iid in got.issue_order:
        if iid not in known:
            got.pb.add(
                f"issue {iid!r} has rows here but none in the sidecar {side.name}",
                ("issue_id",),
                iid,
            )
    got.pb.raise_any()
    return issues


def _meta(path: Path, chosen: str, got: _Rows) -> dict[str, Any]:
    """Title (the case), a description naming the other cases, and the salience scale."""
    meta: dict[str, Any] = {"title": chosen or path.stem}
    cases = got.cases
    if len(cases) > 1:
        others = [c for c in cases if c != chosen]
        note(f"case {chosen!r} read; the file holds {len(cases)} cases (--case picks another)")
        meta["description"] = (
            f"Case {chosen!r} of {got.file}; the file holds {len(cases)} cases "
            f"(others: {', '.join(others[:10])}{' …' if len(others) > 10 else ''})."
        )
    if salience_scale(got.saliences, got.places) == 100:
        meta["salience_scale"] = 100
    return meta


def _read_sidecar(path: Path, case: str, lines: dict[FieldPath, Where]) -> list[dict[str, Any]]:
    """The issues of `case` in the sidecar `path`, each field's line recorded in `lines`."""
    file = str(path)
    pb = Problems(file)
    rows = list(csv_rows(read_text(path)))
    _, cols = _header(
        rows[0] if rows else None,
        file,
        "the issue sidecar is empty",
        ["issue_id", "status_quo"],
        SIDECAR[:8],
    )
    get = cols.cell

    issues: list[dict[str, Any]] = []
    first: dict[str, int] = {}
    for n, (line, f) in enumerate(rows[1:], start=1):
        check_rows(n, file)
        if "case_id" in cols and get(f, "case_id") != case:
            continue
        if get(f, "issue_id") in first:
            pb.add(
                f"a second row for this issue (first at line {first[get(f, 'issue_id')]})",
                ("issue_id",),
                get(f, "issue_id"),
                line,
            )
            continue
        first[get(f, "issue_id")] = line
        check_issues(len(issues) + 1, file)
        k = len(issues)
        issue: dict[str, Any] = {"id": get(f, "issue_id")}
        lines[("issues", k)] = (file, line)
        for field in ("id", "scale", "status_quo", "outcome", "options", "source"):
            lines[("issues", k, field)] = (file, line)
        options = [o.strip() for o in get(f, "options").split("|")] if get(f, "options") else None
        if options:
            issue["options"] = options
        else:
            lo = pb.number(get(f, "scale_min"), ("scale_min",), line)
            hi = pb.number(get(f, "scale_max"), ("scale_max",), line)
            issue["scale"] = [lo, hi]
        issue["status_quo"] = _value(get(f, "status_quo"), options)
        if issue["status_quo"] == "":
            pb.add("a status quo is required", ("status_quo",), None, line)
        out = _value(get(f, "outcome"), options)
        date = get(f, "outcome_date")
        if out != "":
            issue["outcome"] = {"value": out, "note": OUTCOME_DATE + date} if date else out
        elif date:
            pb.add("an outcome date without an outcome", ("outcome_date",), date, line)
        for src, dst in (("source", "source"), ("issue_name", "name"), ("unit", "unit")):
            if get(f, src):
                issue[dst] = get(f, src)
        issues.append(issue)
    pb.raise_any()
    return issues


def _value(text: str, options: list[str] | None = None) -> float | str:
    """An option label as written, else a number, else the text (for the schema to judge)."""
    if options and text in options:
        return text
    x = parse_float(text)
    return x if x is not None else text


def _cell(v: Any, options: tuple[str, ...] | None) -> str:
    raw = v.value if isinstance(v, Estimate) else v
    if options is not None and not isinstance(raw, str):
        return options[int(raw)]
    return raw if isinstance(raw, str) else fmt_num(raw)


def write(s: Scenario, path: Path) -> list[str]:
    """Write the long CSV and its ``.issues.csv`` sidecar; returns what they cannot hold."""
    _write_rows(s, path)
    _write_sidecar(s, sidecar_path(path))
    return _losses(s)


def _write_rows(s: Scenario, path: Path) -> None:
    """One row per actor × issue, saliences on the scenario's own scale."""
    scale = s.meta.salience_scale
    if scale == 100 and not any(s.salience_of(a, i) > 0.01 for a in s.actors for i in s.issue_ids):
        scale = 1  # 0–100 numbers all ≤ 1 would read back as 0–1: write them on 0–1
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(MAIN)
        for a in s.actors:
            for i in s.issues:
                w.writerow(
                    [
                        s.meta.title,
                        i.id,
                        a.id,
                        a.name or "",
                        _cell(a.capability, None),
                        _cell(a.positions[i.id], i.options),
                        fmt_num(s.salience_of(a, i.id) * scale),
                    ]
                )


def _write_sidecar(s: Scenario, path: Path) -> None:
    """One row per issue: scale, status quo, outcome (with its date), source, name, options."""
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(SIDECAR)
        for i in s.issues:
            lo, hi = ("", "") if i.options else (fmt_num(i.bounds[0]), fmt_num(i.bounds[1]))
            out, date = "", ""
            if i.outcome is not None:
                out = _cell(i.outcome, i.options)
                note = i.outcome.note if isinstance(i.outcome, Estimate) else None
                if note and note.startswith(OUTCOME_DATE):
                    date = note[len(OUTCOME_DATE) :]
            w.writerow(
                [
                    s.meta.title,
                    i.id,
                    lo,
                    hi,
                    _cell(i.status_quo, i.options),
                    out,
                    date,
                    i.source or "",
                    i.name or "",
                    i.unit or "",
                    "|".join(i.options) if i.options else "",
                ]
            )


def _losses(s: Scenario) -> list[str]:
    """What the two files cannot hold (an outcome's date note is held by the sidecar)."""
    keeps = {
        "title",
        "issue_name",
        "unit",
        "issue_source",
        "options",
        "outcome",
        "status_quo",
        "actor_name",
        "capability",
    }
    kept_dates = tuple(
        i.model_copy(update={"outcome": i.outcome.value})
        if isinstance(i.outcome, Estimate)
        and (i.outcome.note or "").startswith(OUTCOME_DATE)
        and not (i.outcome.source or i.outcome.judgement or i.outcome.range or i.outcome.dist)
        else i
        for i in s.issues
    )
    losses = lost_features(s.model_copy(update={"issues": kept_dates}), keeps)
    if any("|" in o for i in s.issues for o in i.options or ()):
        losses.append("option labels containing '|' (the sidecar separates options with '|')")
    return losses


register_format(
    Format(
        "csv",
        (".csv",),
        read,
        write,
        False,
        "canonical long CSV (actor × issue rows) + <stem>.issues.csv sidecar",
    )
)
