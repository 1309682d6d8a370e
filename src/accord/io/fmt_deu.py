"""DEU III (Decision-making in the European Union, Thomson et al.) wide CSV.

One row per controversial issue, ``;``-separated, with identifier columns (``prnrnmc`` the
proposal, ``isnrnmc`` the issue, …), a position ``p<ctr>`` and a salience ``s<ctr>`` per member
state on 0–100, ``pcom/scom`` and ``pep/sep`` for the Commission and the Parliament, the
reference point ``rp`` and the outcome ``out``. 999, an empty cell, ``.``, ``NA``, or any
number outside [0, 100] means missing.

Decisions where the layout is silent:
- Files end in ``.deu.csv`` (a ``.csv`` with a ``;`` header naming ``prnrnmc``, ``isnrnmc``,
  ``pcom`` or ``rp`` is recognised too). Column names are matched without regard to case.
- An actor is every ``<ctr>`` with both a ``p<ctr>`` and an ``s<ctr>`` column.
- One row is one scenario with one issue on [0, 100]. `read` takes the first row; the scenario
  description then says how many rows the file holds. `read_deu` takes ``issue=`` (the
  ``isnrnmc`` value) or ``row=`` (1-based) to pick another.
- Actors whose position is missing on the row are left out (named in the description). A
  position whose salience is missing gets salience 50, marked a judgement with a note.
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
    csv_rows,
    fmt_num,
    header_index,
    lost_features,
    make_id,
    not_percent_scale,
    parse_float,
    read_text,
    status_quo_default,
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


def read(path: Path) -> Scenario:
    """The scenario of the first issue row of a DEU III file."""
    return read_deu(path)


def read_deu(path: Path, issue: str | None = None, row: int | None = None) -> Scenario:
    """The scenario of one issue row: the first, the row whose ``isnrnmc`` is `issue`, or the
    `row`-th (1-based) data row."""
    file = str(path)
    rows = list(csv_rows(read_text(path), delimiter=";"))
    if len(rows) < 2:
        raise InputError(
            Problem("expected a ;-separated header and at least one issue row", file=file, line=1)
        )
    hline, header = rows[0]
    col = header_index(header)
    codes = [h[1:] for h in col if h.startswith("p") and len(h) > 1 and "s" + h[1:] in col]
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
    data_rows = rows[1:]
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
    absent: list[str] = []
    lines: dict[FieldPath, Where] = {}
    for code in codes:
        p = _cell(_get(f, col, "p" + code), pb, "p" + code, line)
        s = _cell(_get(f, col, "s" + code), pb, "s" + code, line)
        if p is None:
            absent.append(code)
            continue
        aid = make_id(code, taken)
        actor: dict[str, Any] = {
            "id": aid,
            "capability": 1.0,
            "positions": {"issue": p},
            "salience": {
                "issue": s
                if s is not None
                else {
                    "value": 50.0,
                    "judgement": True,
                    "note": "salience missing in the DEU file; 50 assumed",
                }
            },
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
        "status_quo": rp if rp is not None else status_quo_default(0.0),
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
    if len(s.issues) > 1:
        losses.append(
            "the joint scenario: DEU writes one row per issue and a reader takes one "
            "row (one issue) per scenario"
        )
    wide = not_percent_scale(s)
    if wide:
        losses.append(f"issue scales ({', '.join(wide)}): values rescaled to 0–100")
    if s.issue_ids != ["issue"]:
        losses.append("issue ids (written as isnrnmc; a reader calls the issue 'issue')")
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
