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
    """The scenario of one case (the first, or `case`) of a canonical long CSV."""
    file = str(path)
    text = read_text(path) if text is None else text
    pb = Problems(file)
    rows = csv_rows(text)
    head = next(rows, None)
    if head is None:
        raise InputError(
            Problem("the file is empty; expected a header " + ",".join(MAIN), file=file, line=1)
        )
    hline, header = head
    col = header_index(header)
    missing = [c for c in MAIN if c not in col and c != "actor_name"]
    if missing:
        raise InputError(
            Problem(
                f"missing columns {missing}; expected {','.join(MAIN)}",
                ("header",),
                header,
                file=file,
                line=hline,
            )
        )

    def get(fields: list[str], name: str) -> str:
        k = col.get(name)
        return fields[k] if k is not None and k < len(fields) else ""

    cases: dict[str, None] = {}
    chosen = case
    lines: dict[FieldPath, Where] = {}
    actors: dict[str, dict[str, Any]] = {}
    index: dict[str, int] = {}
    issue_order: dict[str, None] = {}
    raw_positions: dict[str, list[float]] = {}
    saliences: list[float] = []
    places: list[Where] = []
    for n, (line, f) in enumerate(rows, start=1):
        check_rows(n, file)
        c = get(f, "case_id")
        cases.setdefault(c, None)
        if chosen is None:
            chosen = c
        if c != chosen:
            continue
        aid, iid = get(f, "actor_id"), get(f, "issue_id")
        if not aid:
            pb.add("an actor id is required", ("actor_id",), None, line)
            continue
        if not iid:
            pb.add("an issue id is required", ("issue_id",), None, line)
            continue
        if aid not in actors:
            k = len(index)
            check_actors(k + 1, file)
            index[aid] = k
            name = get(f, "actor_name") or None
            cap = pb.number(get(f, "capability"), ("capability",), line)
            actors[aid] = {
                "id": aid,
                "name": name,
                "capability": cap,
                "positions": {},
                "salience": {},
            }
            lines[("actors", k)] = (file, line)
            lines[("actors", k, "capability")] = (file, line)
            lines[("actors", k, "id")] = (file, line)
        else:
            k = index[aid]
            a = actors[aid]
            cap = parse_float(get(f, "capability"))
            if cap is not None and a["capability"] is not None and cap != a["capability"]:
                pb.add(
                    f"capability differs from this actor's first row ({a['capability']:g}, "
                    f"line {lines[('actors', k)][1]})",
                    ("capability",),
                    get(f, "capability"),
                    line,
                )
            name = get(f, "actor_name") or None
            if name and a["name"] and name != a["name"]:
                pb.add(
                    f"actor_name differs from this actor's first row ({a['name']!r})",
                    ("actor_name",),
                    name,
                    line,
                )
        a = actors[aid]
        if iid in a["positions"]:
            first = lines[("actors", k, "positions", iid)][1]
            pb.add(
                f"a second row for actor {aid!r} on issue {iid!r} (first at line {first})",
                ("issue_id",),
                iid,
                line,
            )
            continue
        if iid not in issue_order:
            check_issues(len(issue_order) + 1, file)
            issue_order[iid] = None
        ptext = get(f, "position")
        pos = parse_float(ptext)
        if pos is None and not ptext:
            pb.add("a position is required", ("position",), None, line)
        a["positions"][iid] = ptext
        if pos is not None:
            raw_positions.setdefault(iid, []).append(pos)
        sal = pb.number(get(f, "salience"), ("salience",), line)
        if sal is not None:
            a["salience"][iid] = sal
            saliences.append(sal)
            places.append((file, line))
        lines[("actors", k, "positions", iid)] = (file, line)
        lines[("actors", k, "salience", iid)] = (file, line)
    if not cases:
        raise InputError(Problem("no data rows", file=file, line=hline))
    if case is not None and case not in cases:
        raise InputError(
            Problem(f"no such case; cases: {list(cases)[:20]}", ("case_id",), case, file=file)
        )
    assert chosen is not None
    pb.raise_any()
    order = list(actors)

    side = sidecar_path(path)
    if side.is_file():
        issues = _read_sidecar(side, chosen, lines)
        known = {i["id"] for i in issues}
        for iid in issue_order:
            if iid not in known:
                pb.add(
                    f"issue {iid!r} has rows here but none in the sidecar {side.name}",
                    ("issue_id",),
                    iid,
                )
        pb.raise_any()
    else:
        issues = []
        for iid in issue_order:
            lo, hi = assumed_scale(iid, raw_positions.get(iid, [0.0]))
            issues.append({"id": iid, "scale": [lo, hi], "status_quo": no_status_quo(iid, lo)})

    options = {i["id"]: i.get("options") for i in issues}
    for a in actors.values():
        for iid, text in a["positions"].items():
            a["positions"][iid] = _value(text, options.get(iid))

    desc = None
    if len(cases) > 1:
        others = [c for c in cases if c != chosen]
        note(f"case {chosen!r} read; the file holds {len(cases)} cases (--case picks another)")
        desc = (
            f"Case {chosen!r} of {file}; the file holds {len(cases)} cases "
            f"(others: {', '.join(others[:10])}{' …' if len(others) > 10 else ''})."
        )
    meta: dict[str, Any] = {"title": chosen or path.stem}
    if desc:
        meta["description"] = desc
    if salience_scale(saliences, places) == 100:
        meta["salience_scale"] = 100
    data = {
        "meta": meta,
        "issues": issues,
        "actors": [{k: v for k, v in actors[a].items() if v is not None} for a in order],
    }
    return build(data, lines, (file, None))


def _read_sidecar(path: Path, case: str, lines: dict[FieldPath, Where]) -> list[dict[str, Any]]:
    file = str(path)
    pb = Problems(file)
    rows = list(csv_rows(read_text(path)))
    if not rows:
        raise InputError(Problem("the issue sidecar is empty", file=file, line=1))
    hline, header = rows[0]
    col = header_index(header)
    need = ["issue_id", "status_quo"]
    missing = [c for c in need if c not in col]
    if missing:
        raise InputError(
            Problem(
                f"missing columns {missing}; expected {','.join(SIDECAR[:8])}",
                ("header",),
                header,
                file=file,
                line=hline,
            )
        )

    def get(fields: list[str], name: str) -> str:
        k = col.get(name)
        return fields[k] if k is not None and k < len(fields) else ""

    issues: list[dict[str, Any]] = []
    first: dict[str, int] = {}
    for n, (line, f) in enumerate(rows[1:], start=1):
        check_rows(n, file)
        if "case_id" in col and get(f, "case_id") != case:
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
    with sidecar_path(path).open("w", encoding="utf-8", newline="") as fh:
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
