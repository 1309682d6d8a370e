"""What the table and domain formats share: reading text, collecting problems, building a
`Scenario` from plain data with every problem located, writing numbers, and listing what a
target format cannot hold.

This module registers no format; it is named ``fmt_common`` so that it sits beside the format
modules it serves (``accord.io`` imports every ``fmt_*`` module, which is harmless here).

Conventions shared by the readers (documented once here):
- Files are UTF-8 (a byte-order mark is skipped). A file with NUL bytes, or that is not UTF-8,
  is refused as "not a text file".
- Ids are made from names where a format has names only: characters outside ``[A-Za-z0-9_.-]``
  become ``_``, an id that does not start with a letter gets an ``a`` (actor) or ``i`` (issue)
  prefix, and clashes get ``_2``, ``_3``, … The name itself is kept as the actor's ``name``.
- Salience written on 0–100 is detected when any salience exceeds 1; the scenario then keeps
  the numbers as written and says ``meta.salience_scale: 100``. A file that mixes the scales
  (some salience above 1, another strictly between 0 and 1) is an error naming both lines,
  unless `ReadOptions.salience_scale` (``--salience-scale``) says how to read it.
- A format that has no status quo gets the low end of each issue's scale, with a note saying so.
- Every convention a reader applies (a scale it assumed, a salience range it detected, weights
  it renormalised, a missing cell it filled) is recorded with `note`; `accord.io.read_with_notes`
  returns them and ``accord validate``/``convert`` print them.
- Limits are checked while reading, before any work grows with them: at most
  `accord.scenario.schema.MAX_ACTORS` actors and `MAX_ISSUES` issues (the limits of every
  scenario), at most `MAX_ROWS` data rows (``$ACCORD_MAX_ROWS`` raises it), and reading stops
  after `MAX_PROBLEMS` problems. Each limit error names the limit and what sets it.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from accord.errors import InputError, Problem
from accord.errors import Path as FieldPath
from accord.io.native import problems_from_validation
from accord.io.reading import (
    MAX_PROBLEMS,
    MAX_ROWS,
    ReadOptions,
    check_actors,
    check_count,
    check_issues,
    check_rows,
    note,
    options,
    reading,
)
from accord.scenario import Estimate, Scenario
from accord.scenario.numbers import numbers
from accord.scenario.schema import ID_PATTERN

Where = tuple[str, int | None]
NO_STATUS_QUO = "the format has no status quo; the low end of the scale is assumed"


def read_text(path: Path) -> str:
    """The text of a UTF-8 file; binary or non-UTF-8 input is an `InputError`."""
    data = path.read_bytes()
    if b"\x00" in data[:65536]:
        raise InputError(Problem("not a text file (it holds NUL bytes)", file=str(path)))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise InputError(
            Problem(f"not a UTF-8 text file ({e.reason})", file=str(path), line=line)
        ) from None


class Problems:
    """Collects the defects of one input file, each with its line and field."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.found: list[Problem] = []

    def add(
        self,
        message: str,
        path: FieldPath = (),
        value: Any = None,
        line: int | None = None,
        file: str | None = None,
    ) -> None:
        """Record one defect; stop reading once `MAX_PROBLEMS` are recorded."""
        self.found.append(Problem(message, path, value, file=file or self.file, line=line))
        if len(self.found) >= MAX_PROBLEMS:
            self.found.append(
                Problem(f"stopped reading after {MAX_PROBLEMS} problems", file=self.file)
            )
            raise InputError(self.found)

    def number(
        self, text: str | None, path: FieldPath, line: int | None, file: str | None = None
    ) -> float | None:
        """``text`` as a finite float, or None after recording a problem."""
        x = parse_float(text)
        if x is None:
            shown = text if text else None
            self.add(
                "expected a number" if text else "a number is required", path, shown, line, file
            )
        return x

    def raise_any(self) -> None:
        """Raise an `InputError` with everything recorded so far, if anything."""
        InputError.collect(self.found)


def parse_float(text: str | None) -> float | None:
    """A finite float from text, or None (empty, not a number, infinite or NaN)."""
    if text is None:
        return None
    t = text.strip()
    if not t:
        return None
    try:
        x = float(t)
    except ValueError:
        return None
    return x if math.isfinite(x) else None


def fmt_num(x: float) -> str:
    """The shortest text that reads back as exactly `x` (``4`` for 4.0)."""
    x = float(x)
    if x.is_integer() and abs(x) < 1e15:
        return str(int(x))
    return repr(x)


def make_id(name: str, taken: set[str], prefix: str = "a") -> str:
    """A schema-valid id made from `name`, unique among `taken` (which it joins)."""
    base = re.sub(r"[^A-Za-z0-9_.\-]+", "_", name.strip()).strip("_") or prefix
    if not re.match(r"[A-Za-z]", base):
        base = prefix + base
    base = base[:60]
    out, n = base, 2
    while out in taken:
        out, n = f"{base}_{n}", n + 1
    taken.add(out)
    return out


def valid_id(text: str) -> bool:
    """Whether `text` is a schema-valid id."""
    return bool(re.fullmatch(ID_PATTERN, text)) and len(text) <= 64


def salience_scale(values: Iterable[float], where: Iterable[Where] | None = None) -> int:
    """The scale saliences are written on: 100 when any exceeds 1, else 1.

    A mix (some salience above 1, another strictly between 0 and 1) is refused naming both
    lines, unless the read's `ReadOptions.salience_scale` says which scale to use; saliences
    above 1 read on 0–1 are refused too. The choice is recorded as a note.
    """
    vals = list(values)
    places = list(where) if where is not None else [("", None)] * len(vals)
    big = next((k for k, v in enumerate(vals) if v > 1), None)
    small = next((k for k, v in enumerate(vals) if 0 < v < 1), None)
    chosen = options().salience_scale
    if chosen is None and big is not None and small is not None:
        raise InputError(
            Problem(
                f"saliences mix the 0–1 and 0–100 scales: {fmt_num(vals[big])} "
                f"(line {places[big][1]}) and {fmt_num(vals[small])} (line {places[small][1]}); "
                "say how to read them with --salience-scale 1 or --salience-scale 100",
                ("salience",),
                vals[big],
                file=places[big][0] or None,
                line=places[big][1],
            )
        )
    if chosen == 1 and big is not None:
        raise InputError(
            Problem(
                "a salience above 1 cannot be read on the 0–1 scale (--salience-scale 1)",
                ("salience",),
                vals[big],
                file=places[big][0] or None,
                line=places[big][1],
            )
        )
    scale = chosen or (100 if big is not None else 1)
    how = "as --salience-scale says" if chosen else "detected"
    note(f"saliences read on 0–{scale} ({how})")
    return scale


def csv_rows(text: str, delimiter: str = ",") -> Iterator[tuple[int, list[str]]]:
    """(line, fields) for every non-blank CSV record; fields are stripped.

    A generator, so that a reader counts rows and checks its limits as it goes."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    start = 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as e:
            raise InputError(Problem(f"malformed CSV: {e}", line=reader.line_num)) from None
        line, start = start, reader.line_num + 1
        fields = [f.strip() for f in row]
        if any(fields):
            yield line, fields


def header_index(header: list[str]) -> dict[str, int]:
    """Column name (lower case) → position."""
    return {h.strip().lower(): k for k, h in enumerate(header) if h.strip()}


def build(data: dict[str, Any], lines: dict[FieldPath, Where], default: Where) -> Scenario:
    """Validate plain scenario data; each problem gets the file and line of its field path.

    ``lines`` maps field paths (``("actors", 2, "positions", "delay")``) to the file and line
    they were read from; a problem is placed at the longest known prefix of its path, else at
    ``default``.
    """
    try:
        return Scenario.model_validate(data)
    except ValidationError as e:
        problems = problems_from_validation(e, data)
    except InputError as e:
        problems = e.problems
    out = []
    for p in problems:
        path = p.path
        while path and path not in lines:
            path = path[:-1]
        file, line = lines.get(path, default)
        out.append(p.located(file=file, line=line))
    raise InputError(out)


def estimate_meta(v: Any) -> bool:
    """Whether `v` is an `Estimate` that carries more than its value."""
    return isinstance(v, Estimate) and bool(v.source or v.judgement or v.note or v.range or v.dist)


def lost_features(s: Scenario, keeps: set[str]) -> list[str]:
    """What `s` uses that a format keeping only the features named in `keeps` cannot hold.

    Feature names: title, description, date, sources, time, salience_scale, blocs, table,
    clocks, proposals, estimates, issue_name, issue_description, unit, issue_source, options,
    outcome, status_quo, actor_name, actor_description, actor_source, capability, utilities,
    reservation, risk, discount, exponent, strategy.
    """
    m = s.meta
    used: dict[str, bool] = {
        "title": True,
        "description": bool(m.description),
        "date": m.date is not None,
        "sources": bool(m.sources),
        "time": m.time_unit != "month" or m.round_length != 1.0,
        "blocs": bool(s.blocs),
        "table": s.table is not None,
        "clocks": bool(s.clocks),
        "proposals": bool(s.proposals),
        "estimates": any(estimate_meta(n.value) for n in numbers(s)),
        "issue_name": any(i.name for i in s.issues),
        "issue_description": any(i.description for i in s.issues),
        "unit": any(i.unit for i in s.issues),
        "issue_source": any(i.source for i in s.issues),
        "options": any(i.options for i in s.issues),
        "outcome": any(i.outcome is not None for i in s.issues),
        "status_quo": True,
        "actor_name": any(a.name for a in s.actors),
        "actor_description": any(a.description for a in s.actors),
        "actor_source": any(a.source for a in s.actors),
        "capability": True,
        "utilities": any(a.utilities for a in s.actors),
        "reservation": any(a.reservation is not None for a in s.actors),
        "risk": any(a.risk is not None for a in s.actors),
        "discount": any(a.discount != 1.0 for a in s.actors),
        "exponent": any(a.exponent != 1.0 for a in s.actors),
        "strategy": any(a.strategy or a.strategy_params for a in s.actors)
        or any(b.strategy or b.strategy_params for b in s.blocs),
        "red_lines": any(a.red_lines for a in s.actors),
        "metric_terms": any(a.metric_terms for a in s.actors) or bool(s.metrics),
        "shapes": any(a.shapes for a in s.actors),
        "rules": any(b.rule != "weighted" for b in s.blocs),
    }
    what = {
        "title": "the scenario title",
        "description": "meta.description",
        "date": "meta.date",
        "sources": f"meta.sources ({len(m.sources)} sources)",
        "time": "meta.time_unit and meta.round_length",
        "blocs": f"blocs ({', '.join(b.id for b in s.blocs)})",
        "table": "table (who is seated)",
        "clocks": f"clocks ({len(s.clocks)})",
        "proposals": f"proposals ({', '.join(p.id for p in s.proposals)})",
        "estimates": "sources, notes, judgement marks and uncertainty ranges of numbers "
        "(plain values are kept)",
        "issue_name": "issue names",
        "issue_description": "issue descriptions",
        "unit": "issue units",
        "issue_source": "issue sources",
        "options": "option labels (options are written as their indices 0, 1, …)",
        "outcome": "known outcomes of issues",
        "status_quo": "the status quo of each issue",
        "actor_name": "actor names",
        "actor_description": "actor descriptions",
        "actor_source": "actor sources",
        "capability": "capabilities",
        "utilities": "explicit option utilities",
        "reservation": "reservation values",
        "risk": "risk attitudes",
        "discount": "time discount factors",
        "exponent": "distance exponents",
        "strategy": "bargaining strategies",
        "red_lines": "red lines",
        "metric_terms": "metric terms and metric parameters",
        "shapes": "utility shapes",
        "rules": "bloc decision rules (consensus, quorum)",
    }
    return [what[k] for k, v in used.items() if v and k not in keeps]


def units(s: Scenario, value: Any, issue_id: str) -> float:
    """A position, status quo or outcome in issue units (option index for options)."""
    raw = value.value if isinstance(value, Estimate) else value
    return s.issue(issue_id).to_units(raw)


def to_percent(s: Scenario, value: Any, issue_id: str) -> float:
    """A value rescaled from its issue's scale to 0–100."""
    lo, hi = s.issue(issue_id).bounds
    return 100.0 * (units(s, value, issue_id) - lo) / (hi - lo)


def not_percent_scale(s: Scenario) -> list[str]:
    """Ids of the continuous issues whose scale is not [0, 100]."""
    return [i.id for i in s.issues if i.scale is not None and tuple(i.scale) != (0.0, 100.0)]


def assumed_scale(issue: str, positions: list[float]) -> tuple[float, float]:
    """The scale of an issue whose format states none: ``--scale`` if given, else the span of
    the positions (widened by one when everybody agrees). Recorded as a note."""
    given = options().scale
    if given is not None:
        note(f"issue {issue}: scale {fmt_num(given[0])}–{fmt_num(given[1])} (--scale)")
        return given
    lo, hi = (min(positions), max(positions)) if positions else (0.0, 1.0)
    if lo == hi:
        hi = lo + 1
    note(
        f"issue {issue}: the format states no scale; the span of the positions "
        f"{fmt_num(lo)}–{fmt_num(hi)} is taken (--scale LO,HI sets another)"
    )
    return lo, hi


def no_status_quo(issue: str, value: float | str) -> dict[str, Any]:
    """The status quo a reader assumes for `issue` when its format has none, with a note."""
    shown = value if isinstance(value, str) else fmt_num(value)
    note(f"issue {issue}: the format has no status quo; {shown} (the low end) is assumed")
    return {"value": value, "note": NO_STATUS_QUO}


__all__ = [
    "MAX_PROBLEMS",
    "MAX_ROWS",
    "Problems",
    "ReadOptions",
    "Where",
    "assumed_scale",
    "build",
    "check_actors",
    "check_count",
    "check_issues",
    "check_rows",
    "csv_rows",
    "estimate_meta",
    "fmt_num",
    "header_index",
    "lost_features",
    "make_id",
    "no_status_quo",
    "not_percent_scale",
    "note",
    "options",
    "parse_float",
    "read_text",
    "reading",
    "salience_scale",
    "to_percent",
    "units",
    "valid_id",
]
