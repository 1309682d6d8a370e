"""DEU III (Decision-making in the European Union, Thomson et al.) wide CSV.

One row per controversial issue, ``;``-separated, with identifier columns (``prnrnmc`` the
proposal, ``isnrnmc`` the issue, …), a position ``p<ctr>`` and a salience ``s<ctr>`` per member
state on 0–100, ``pcom/scom`` and ``pep/sep`` for the Commission and the Parliament, the
reference point ``rp`` and the outcome ``out``. 999, an empty cell, ``.``, ``NA``, or any
number outside [0, 100] means missing.

Decisions where the layout is silent:
- Files end in ``.deu.csv`` (a ``.csv`` with a ``;`` header naming ``prnrnmc``, ``isnrnmc``,
  ``pcom`` or ``rp`` is recognised too). Column names are matched without regard to case.
- An actor is every ``<ctr>`` with both a ``p<ctr>`` and an ``s<ctr>`` column. A member state,
  the Commission or the Parliament with only one of its two columns is an error (never dropped).
- Every row is an issue on [0, 100] (id ``<isnrnmc>``, or ``<prnrnmc>_<isnrnmc>`` when the
  file holds several proposals; the title is the one proposal, else the file name): `read`
  returns one scenario with all of them; a row for the same proposal and issue twice is an
  error naming both lines.
  An actor whose position is missing on a row has no stake in that issue: salience 0, position
  at the reference point, listed in the notes. `read_deu` takes one row as a one-issue
  scenario (``issue=`` the ``isnrnmc`` value, ``row=`` 1-based; default the first) and leaves
  out the actors missing on it (named in the description).
- A position whose salience is missing gets salience 50, marked a judgement with a note.
- Capabilities are not in the file: every actor has capability 1, said in the description (use
  Council voting weights under the treaty regime of the proposal).
- ``rp`` is the status quo (missing: 0, with a note); ``out`` the outcome.
- The writer writes one row per issue (positions and status quo rescaled to 0–100, salience on
  0–100) and reports what DEU cannot hold, including capabilities that are not all equal.
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
    check_issues,
    csv_rows,
    fmt_num,
    header_index,
    lost_features,
    make_id,
    no_status_quo,
    not_percent_scale,
    note,
    parse_float,
    read_text,
    to_percent,
)
from accord.scenario import Scenario, number

MISSING_TEXT = {"", ".", "na", "n/a", "nan", "missing"}
NAMES = {"com": "European Commission", "ep": "European Parliament"}
EQUAL_CAPABILITY = (
    "DEU files hold no capabilities: every actor has capability 1 (use Council "
    "voting weights for the treaty regime of the proposal)."
)


def _cell(text: str, pb: Problems, field: str, line: int) -> float | None:
    """A value on 0–100, None when missing; unreadable text is a problem."""
    if text.strip().lower() in MISSING_TEXT:
        return None
    x = parse_float(text)
    if x is None:
        pb.add("expected a number on 0–100 (999 or empty for missing)", (field,), text, line)
        return None
    return x if 0 <= x <= 100 else None


MEMBERS = {
    "at",
    "be",
    "bg",
    "cy",
    "cz",
    "de",
    "dk",
    "ee",
    "el",
    "es",
    "fi",
    "fr",
    "gb",
    "gr",
    "hr",
    "hu",
    "ie",
    "it",
    "lt",
    "lu",
    "lv",
    "mt",
    "nl",
    "pl",
    "pt",
    "ro",
    "se",
    "si",
    "sk",
    "uk",
    "com",
    "ep",
}


def _header(path: Path) -> tuple[str, int, dict[str, int], list[str], list[tuple[int, list[str]]]]:
    """The file, header line, columns, actor codes and data rows; a half actor pair is an error."""
    file = str(path)
    rows_iter = csv_rows(read_text(path), delimiter=";")
    head = next(rows_iter, None)
    if head is None:
        raise InputError(
            Problem("expected a ;-separated header and at least one issue row", file=file, line=1)
        )
    hline, header = head
    col = header_index(header)
    codes = [h[1:] for h in col if h.startswith("p") and len(h) > 1 and "s" + h[1:] in col]
    half = sorted(
        h
        for h in col
        if len(h) > 1
        and h[0] in "ps"
        and h[1:] in MEMBERS
        and ("s" if h[0] == "p" else "p") + h[1:] not in col
    )
    if half:
        raise InputError(
            Problem(
                "an actor needs both its position and its salience column; missing the "
                + ", ".join(("s" if h[0] == "p" else "p") + h[1:] for h in half)
                + " column beside "
                + ", ".join(half),
                ("header",),
                ";".join(header),
                file=file,
                line=hline,
            )
        )
    if not codes:
        raise InputError(
            Problem(
                "no actor columns: expected pairs p<ctr>;s<ctr> (e.g. pde;sde, pcom;scom)",
                ("header",),
                ";".join(header),
                file=file,
                line=hline,
            )
        )
    check_actors(len(codes), file)
    data_rows: list[tuple[int, list[str]]] = []
    for line, f in rows_iter:
        data_rows.append((line, f))
        check_issues(len(data_rows), file)
    if not data_rows:
        raise InputError(Problem("expected at least one issue row", file=file, line=hline))
    return file, hline, col, codes, data_rows


def _row(
    f: list[str], line: int, col: dict[str, int], codes: list[str], pb: Problems
) -> tuple[dict[str, tuple[float, Any]], list[str]]:
    """Per actor code present on the row its (position, salience); and the codes absent."""
    present: dict[str, tuple[float, Any]] = {}
    absent: list[str] = []
    for code in codes:
        p = _cell(_get(f, col, "p" + code), pb, "p" + code, line)
        s = _cell(_get(f, col, "s" + code), pb, "s" + code, line)
        if p is None:
            absent.append(code)
            continue
        present[code] = (
            p,
            s
            if s is not None
            else {
                "value": 50.0,
                "judgement": True,
                "note": "salience missing in the DEU file; 50 assumed",
            },
        )
    return present, absent


def read(path: Path) -> Scenario:
    """The scenario of a DEU III file: every row is an issue."""
    file, hline, col, codes, data_rows = _header(path)
    if len(data_rows) == 1:
        return read_deu(path)
    pb = Problems(file)
    taken_a: set[str] = set()
    ids = {code: make_id(code, taken_a) for code in codes}
    actors: dict[str, dict[str, Any]] = {}
    for code in codes:
        actors[code] = {"id": ids[code], "capability": 1.0, "positions": {}, "salience": {}}
        if code in NAMES:
            actors[code]["name"] = NAMES[code]
    issues: list[dict[str, Any]] = []
    lines: dict[FieldPath, Where] = {}
    taken_i: set[str] = set()
    first: dict[tuple[str, str], int] = {}
    proposals = {_get(f, col, "prnrnmc") for _, f in data_rows}
    for line, f in data_rows:
        proposal, isn = _get(f, col, "prnrnmc"), _get(f, col, "isnrnmc")
        key = (proposal, isn)
        if key in first:
            pb.add(
                f"a second row for this issue (first at line {first[key]})", ("isnrnmc",), isn, line
            )
            continue
        first[key] = line
        label = (f"{proposal}_{isn}" if len(proposals) > 1 else isn) or f"row{line}"
        iid = make_id(label, taken_i, "i")
        present, absent = _row(f, line, col, codes, pb)
        rp = _cell(_get(f, col, "rp"), pb, "rp", line) if "rp" in col else None
        out = _cell(_get(f, col, "out"), pb, "out", line) if "out" in col else None
        issue: dict[str, Any] = {
            "id": iid,
            "name": f"{proposal or '?'}, issue {isn or '?'}",
            "scale": [0, 100],
            "status_quo": rp if rp is not None else no_status_quo(iid, 0.0),
        }
        if out is not None:
            issue["outcome"] = out
        lines[("issues", len(issues))] = (file, line)
        issues.append(issue)
        low = rp if rp is not None else 0.0
        for code in codes:
            p, sal = present.get(code, (low, 0.0))
            actors[code]["positions"][iid] = p
            actors[code]["salience"][iid] = sal
        if absent:
            note(
                f"issue {iid} (line {line}): no position for {', '.join(absent)}; salience 0 "
                "(no stake) and the reference point as position"
            )
        if not present:
            pb.add("no actor has a position on this row", (), None, line)
    pb.raise_any()
    note(EQUAL_CAPABILITY)
    note("DEU positions and saliences lie on 0–100: every issue has the scale 0–100")
    for k in range(len(codes)):
        lines[("actors", k)] = (file, hline)
    only = next(iter(proposals)) if len(proposals) == 1 else ""
    meta = {
        "title": only if only and parse_float(only) is None else path.name.split(".")[0],
        "description": f"{len(issues)} issue rows of {path.name}. {EQUAL_CAPABILITY}",
        "salience_scale": 100,
    }
    data = {"meta": meta, "issues": issues, "actors": list(actors.values())}
    return build(data, lines, (file, None))


def read_deu(path: Path, issue: str | None = None, row: int | None = None) -> Scenario:
    """The scenario of one issue row: the first, the row whose ``isnrnmc`` is `issue`, or the
    `row`-th (1-based) data row."""
    file, hline, col, codes, data_rows = _header(path)
    if issue is not None:
        if "isnrnmc" not in col:
            raise InputError(Problem("the file has no isnrnmc column", file=file, line=hline))
        pick = [r for r in data_rows if _get(r[1], col, "isnrnmc") == issue]
        if not pick:
            raise InputError(Problem("no row has this isnrnmc", ("isnrnmc",), issue, file=file))
        line, f = pick[0]
    elif row is not None:
        if not 1 <= row <= len(data_rows):
            raise InputError(
                Problem(f"the file has {len(data_rows)} issue rows", ("row",), row, file=file)
            )
        line, f = data_rows[row - 1]
    else:
        line, f = data_rows[0]

    pb = Problems(file)
    taken: set[str] = set()
    actors: list[dict[str, Any]] = []
    lines: dict[FieldPath, Where] = {}
    present, absent = _row(f, line, col, codes, pb)
    for code, (p, s) in present.items():
        actor: dict[str, Any] = {
            "id": make_id(code, taken),
            "capability": 1.0,
            "positions": {"issue": p},
            "salience": {"issue": s},
        }
        if code in NAMES:
            actor["name"] = NAMES[code]
        lines[("actors", len(actors))] = (file, line)
        actors.append(actor)
    rp = _cell(_get(f, col, "rp"), pb, "rp", line) if "rp" in col else None
    out = _cell(_get(f, col, "out"), pb, "out", line) if "out" in col else None
    pb.raise_any()
    if not actors:
        raise InputError(Problem("no actor has a position on this row", file=file, line=line))
    proposal, isn = _get(f, col, "prnrnmc"), _get(f, col, "isnrnmc")
    title = (
        proposal
        if proposal and parse_float(proposal) is None
        else f"DEU III proposal {proposal or '?'}, issue {isn or line}"
    )
    notes = [
        f"Row at line {line} of {path.name}; the file holds {len(data_rows)} issue rows."
        if len(data_rows) > 1
        else f"Issue row of {path.name}.",
        EQUAL_CAPABILITY,
    ]
    if absent:
        notes.append("No position on this issue: " + ", ".join(absent) + ".")
    issue_d: dict[str, Any] = {
        "id": "issue",
        "scale": [0, 100],
        "status_quo": rp if rp is not None else no_status_quo("issue", 0.0),
    }
    if isn:
        issue_d["name"] = f"issue {isn}"
    if out is not None:
        issue_d["outcome"] = out
    lines[("issues", 0)] = (file, line)
    data = {
        "meta": {"title": title, "description": " ".join(notes), "salience_scale": 100},
        "issues": [issue_d],
        "actors": actors,
    }
    return build(data, lines, (file, line))


def _get(fields: list[str], col: dict[str, int], name: str) -> str:
    k = col.get(name)
    return fields[k] if k is not None and k < len(fields) else ""


def write(s: Scenario, path: Path) -> list[str]:
    """Write one DEU row per issue; returns what the format cannot hold."""
    losses = lost_features(s, {"title", "outcome", "status_quo", "capability"})
    caps = {number(a.capability) for a in s.actors}
    if len(caps) > 1:
        losses.append("capabilities (DEU holds none; a reader gives every actor capability 1)")
    wide = not_percent_scale(s)
    if wide:
        losses.append(f"issue scales ({', '.join(wide)}): values rescaled to 0–100")
    if len(s.issues) == 1 and s.issue_ids != ["issue"]:
        losses.append("the issue id (a file of one row is read as the issue 'issue')")
    header = (
        ["prnrnmc", "isnrnmc"]
        + [f"p{a.id}" for a in s.actors]
        + [f"s{a.id}" for a in s.actors]
        + ["rp", "out"]
    )
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, delimiter=";", lineterminator="\n")
        w.writerow(header)
        for i in s.issues:
            row = [s.meta.title, i.id]
            row += [fmt_num(to_percent(s, a.positions[i.id], i.id)) for a in s.actors]
            row += [fmt_num(100 * s.salience_of(a, i.id)) for a in s.actors]
            row.append(fmt_num(to_percent(s, i.status_quo, i.id)))
            row.append("999" if i.outcome is None else fmt_num(to_percent(s, i.outcome, i.id)))
            w.writerow(row)
    return losses


register_format(
    Format(
        "deu",
        (".deu.csv",),
        read,
        write,
        False,
        "DEU III wide CSV (;): p<ctr>/s<ctr>, pcom/pep, rp, out; one issue a row",
    )
)
