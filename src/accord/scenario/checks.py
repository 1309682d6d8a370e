"""Cross-field validation of a scenario: every reference, range and count, one `Problem` each.

`Scenario` runs `check` when it is built; each problem carries its field path so that the
readers can name the file and line.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel

from accord.errors import Path, Problem
from accord.scenario.schema import (
    ID_PATTERN,
    MAX_ACTORS,
    MAX_ISSUES,
    DriftClock,
    Estimate,
    Issue,
    Scenario,
    Value,
    _raw,
    number,
)


def check(s: Scenario) -> list[Problem]:
    """Every cross-field problem of a scenario, each with its field path."""
    out: list[Problem] = []

    def bad(path: Path, value: Any, message: str) -> None:
        out.append(Problem(message, path, value))

    _duplicates(out, "issues", [i.id for i in s.issues])
    _duplicates(out, "actors", [a.id for a in s.actors])
    _duplicates(out, "blocs", [b.id for b in s.blocs])
    _duplicates(out, "proposals", [p.id for p in s.proposals])
    if len(s.actors) > MAX_ACTORS:
        bad(("actors",), len(s.actors), f"at most {MAX_ACTORS} actors")
    if len(s.issues) > MAX_ISSUES:
        bad(("issues",), len(s.issues), f"at most {MAX_ISSUES} issues")

    issues = {i.id: i for i in s.issues}
    actors = {a.id: a for a in s.actors}
    blocs = {b.id: b for b in s.blocs}
    clash = set(actors) & set(blocs)
    for k, b in enumerate(s.blocs):
        if b.id in clash:
            bad(("blocs", k, "id"), b.id, "a bloc id must differ from every actor id")
    source_ids = {src.id for src in s.meta.sources}

    for k, issue in enumerate(s.issues):
        for field in ("status_quo", "outcome"):
            v = getattr(issue, field)
            if v is not None:
                _check_value(out, ("issues", k, field), issue, v)

    scale = s.meta.salience_scale
    for k, a in enumerate(s.actors):
        base: Path = ("actors", k)
        c = number(a.capability)
        if not c >= 0:
            bad((*base, "capability"), c, "capability must be a number ≥ 0")
        for iid in a.positions:
            if iid not in issues:
                bad((*base, "positions", iid), _raw(a.positions[iid]), _unknown("issue", issues))
        for iid in a.salience:
            if iid not in issues:
                bad((*base, "salience", iid), number(a.salience[iid]), _unknown("issue", issues))
        for iid, issue in issues.items():
            if iid not in a.positions:
                bad((*base, "positions"), None, f"missing a position on issue {iid!r}")
            else:
                _check_value(out, (*base, "positions", iid), issue, a.positions[iid])
            if iid not in a.salience:
                bad((*base, "salience"), None, f"missing a salience on issue {iid!r}")
            else:
                sv = number(a.salience[iid])
                if not 0 <= sv <= scale:
                    bad((*base, "salience", iid), sv, f"salience must lie in [0, {scale}]")
        for iid, table in a.utilities.items():
            path = (*base, "utilities", iid)
            if iid not in issues:
                bad(path, iid, _unknown("issue", issues))
                continue
            opts = issues[iid].options
            if opts is None:
                bad(path, iid, "explicit utilities need an options issue")
                continue
            for opt, u in table.items():
                if opt not in opts:
                    bad((*path, opt), opt, f"expected one of the options {list(opts)}")
                elif not 0 <= u <= 1:
                    bad((*path, opt), u, "an option utility must lie in [0, 1]")
            missing = [o for o in opts if o not in table]
            if missing:
                bad(path, None, f"utilities missing for options {missing}")
        if a.reservation is not None and not 0 <= number(a.reservation) <= 1:
            bad((*base, "reservation"), number(a.reservation), "reservation must lie in [0, 1]")
        if a.risk is not None and not -1 <= number(a.risk) <= 1:
            bad((*base, "risk"), number(a.risk), "risk must lie in [-1, 1]")
        if not 0 < number(a.discount) <= 1:
            bad((*base, "discount"), number(a.discount), "discount must lie in (0, 1]")

    member_of: dict[str, str] = {}
    for k, b in enumerate(s.blocs):
        for j, m in enumerate(b.members):
            if m not in actors:
                bad(("blocs", k, "members", j), m, _unknown("actor", actors))
            elif m in member_of:
                bad(("blocs", k, "members", j), m, f"already a member of bloc {member_of[m]!r}")
            else:
                member_of[m] = b.id
        if b.seat not in b.members:
            bad(("blocs", k, "seat"), b.seat, "the seat-holder must be one of the bloc's members")
        if len(set(b.members)) != len(b.members):
            bad(("blocs", k, "members"), list(b.members), "members must be distinct")

    if s.table is not None:
        seen: set[str] = set()
        for k, seat in enumerate(s.table):
            if seat not in actors and seat not in blocs:
                bad(("table", k), seat, "expected a bloc id or an actor id")
            elif seat in member_of:
                bad(("table", k), seat, f"this actor is seated through bloc {member_of[seat]!r}")
            if seat in seen:
                bad(("table", k), seat, "seated twice")
            seen.add(seat)
        if not s.table:
            bad(("table",), [], "at least one seat is needed")

    for k, clock in enumerate(s.clocks):
        if isinstance(clock, DriftClock):
            if clock.issue not in issues:
                bad(("clocks", k, "issue"), clock.issue, _unknown("issue", issues))
            elif clock.limit is not None:
                lo, hi = issues[clock.issue].bounds
                if not lo <= clock.limit <= hi:
                    bad(("clocks", k, "limit"), clock.limit, f"expected a value in [{lo}, {hi}]")
        elif clock.actor not in actors and clock.actor not in blocs:
            bad(("clocks", k, "actor"), clock.actor, _unknown("actor", actors))

    for k, p in enumerate(s.proposals):
        for iid, v in p.outcome.items():
            if iid not in issues:
                bad(("proposals", k, "outcome", iid), v, _unknown("issue", issues))
            else:
                _check_value(out, ("proposals", k, "outcome", iid), issues[iid], v)
        missing = [i for i in issues if i not in p.outcome]
        if missing:
            bad(("proposals", k, "outcome"), None, f"missing issues {missing}")

    if source_ids:
        for path, src in _source_refs(s):
            if src not in source_ids and not _looks_like_citation(src):
                bad(path, src, f"unknown source id; known: {sorted(source_ids)}")
    return out


def _looks_like_citation(text: str) -> bool:
    """Free-text citations are allowed; a bare identifier must name a listed source."""
    return not re.fullmatch(ID_PATTERN, text)


def _source_refs(s: Scenario) -> list[tuple[Path, str]]:
    refs: list[tuple[Path, str]] = []

    def visit(obj: Any, path: Path) -> None:
        if isinstance(obj, Estimate):
            if obj.source:
                refs.append(((*path, "source"), obj.source))
        elif isinstance(obj, BaseModel):
            src = getattr(obj, "source", None)
            if isinstance(src, str) and src:
                refs.append(((*path, "source"), src))
            for name in type(obj).model_fields:
                if name != "source":
                    visit(getattr(obj, name), (*path, name))
        elif isinstance(obj, dict):
            for k, v in obj.items():
                visit(v, (*path, k))
        elif isinstance(obj, tuple | list):
            for k, v in enumerate(obj):
                visit(v, (*path, k))

    for name in ("issues", "actors", "blocs", "clocks", "proposals"):
        visit(getattr(s, name), (name,))
    visit(s.meta.round_length, ("meta", "round_length"))
    return refs


def _unknown(kind: str, known: dict[str, Any]) -> str:
    names = sorted(known)
    shown = ", ".join(names[:12]) + (" …" if len(names) > 12 else "")
    return f"unknown {kind} id; expected one of: {shown}"


def _duplicates(out: list[Problem], field: str, ids: list[str]) -> None:
    seen: set[str] = set()
    for k, i in enumerate(ids):
        if i in seen:
            out.append(Problem("duplicate id", (field, k, "id"), i))
        seen.add(i)


def _check_value(out: list[Problem], path: Path, issue: Issue, v: Value) -> None:
    raw = _raw(v)
    if issue.options is not None:
        if isinstance(raw, str):
            if raw not in issue.options:
                out.append(Problem(f"expected one of the options {list(issue.options)}", path, raw))
        elif not (float(raw).is_integer() and 0 <= raw < len(issue.options)):
            out.append(
                Problem(f"expected an option label or index 0–{len(issue.options) - 1}", path, raw)
            )
        return
    if isinstance(raw, str):
        out.append(Problem(f"expected a number on the scale {list(issue.bounds)}", path, raw))
        return
    lo, hi = issue.bounds
    if not lo <= raw <= hi:
        unit = f" {issue.unit}" if issue.unit else ""
        out.append(Problem(f"outside the issue's scale [{lo:g}, {hi:g}]{unit}", path, raw))
    rng = v.range if isinstance(v, Estimate) else None
    if rng is not None and not (lo <= rng[0] and rng[1] <= hi):
        out.append(Problem(f"range outside the scale [{lo:g}, {hi:g}]", path, list(rng)))
