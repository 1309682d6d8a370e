"""Cross-field validation of a scenario: every reference, range and count, one `Problem` each.

`Scenario` runs `check` when it is built; each problem carries its field path so that the
readers can name the file and line.
"""

from __future__ import annotations

import re
from typing import Any

from accord.errors import Path, Problem
from accord.scenario.checks_prefs import check_preferences
from accord.scenario.numbers import numbers, source_refs
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
    """Every cross-field problem of a scenario, each with its field path.

    In this order: ids and counts, the actors' references to issues, the range of every number
    (declared once in `accord.scenario.numbers`), blocs and seats, clocks, proposals, then
    red lines, metric terms, shapes and bloc rules (`check_preferences`) and the sources named.
    """
    return [
        *_check_ids(s),
        *_check_actor_refs(s),
        *_check_numbers(s),
        *_check_blocs(s),
        *_check_clocks(s),
        *_check_proposals(s),
        *check_preferences(s),
        *_check_sources(s),
    ]


def _check_ids(s: Scenario) -> list[Problem]:
    """Duplicate ids, too many actors or issues, and blocs named like actors."""
    out: list[Problem] = []
    for name in ("issues", "actors", "blocs", "proposals"):
        _duplicates(out, name, [x.id for x in getattr(s, name)])
    if len(s.actors) > MAX_ACTORS:
        out.append(Problem(f"at most {MAX_ACTORS} actors", ("actors",), len(s.actors)))
    if len(s.issues) > MAX_ISSUES:
        out.append(Problem(f"at most {MAX_ISSUES} issues", ("issues",), len(s.issues)))
    actors = {a.id for a in s.actors}
    for k, b in enumerate(s.blocs):
        if b.id in actors:
            msg = "a bloc id must differ from every actor id"
            out.append(Problem(msg, ("blocs", k, "id"), b.id))
    return out


def _check_actor_refs(s: Scenario) -> list[Problem]:
    """Positions, saliences and utilities on unknown issues, and those missing."""
    out: list[Problem] = []
    issues = {i.id: i for i in s.issues}
    for k, a in enumerate(s.actors):
        base: Path = ("actors", k)
        for iid, v in a.positions.items():
            if iid not in issues:
                out.append(Problem(_unknown("issue", issues), (*base, "positions", iid), _raw(v)))
        for iid, w in a.salience.items():
            if iid not in issues:
                out.append(Problem(_unknown("issue", issues), (*base, "salience", iid), number(w)))
        for iid in issues:
            if iid not in a.positions:
                out.append(Problem(f"missing a position on issue {iid!r}", (*base, "positions")))
            if iid not in a.salience:
                out.append(Problem(f"missing a salience on issue {iid!r}", (*base, "salience")))
        for iid, table in a.utilities.items():
            _check_utility_table(out, (*base, "utilities", iid), issues, iid, table)
    return out


def _check_utility_table(
    out: list[Problem], path: Path, issues: dict[str, Issue], iid: str, table: dict[str, float]
) -> None:
    """One actor's explicit utilities on issue `iid`: an options issue, every option once."""
    if iid not in issues:
        out.append(Problem(_unknown("issue", issues), path, iid))
        return
    opts = issues[iid].options
    if opts is None:
        out.append(Problem("explicit utilities need an options issue", path, iid))
        return
    for opt in table:
        if opt not in opts:
            out.append(Problem(f"expected one of the options {list(opts)}", (*path, opt), opt))
    missing = [o for o in opts if o not in table]
    if missing:
        out.append(Problem(f"utilities missing for options {missing}", path))


def _check_numbers(s: Scenario) -> list[Problem]:
    """Every number within the range its field declares (`accord.scenario.numbers.FIELDS`).

    A number on an issue's scale is checked against the issue (an option label or index on an
    options issue); a number whose issue or option is unknown is left to the reference checks.
    """
    out: list[Problem] = []
    for n in numbers(s):
        if not (n.known and n.field.checked):
            continue
        if n.field.scope == "issue":
            if n.issue is not None:
                _check_value(out, n.path, n.issue, n.value)
            continue
        p = n.field.problem(n.path, number(n.value), n.bounds)  # type: ignore[arg-type]
        if p is not None:
            out.append(p)
    return out


def _check_blocs(s: Scenario) -> list[Problem]:
    """Bloc members and seat-holders, and the seats at the table."""
    out: list[Problem] = []
    actors = {a.id for a in s.actors}
    member_of: dict[str, str] = {}
    for k, b in enumerate(s.blocs):
        for j, m in enumerate(b.members):
            path = ("blocs", k, "members", j)
            if m not in actors:
                out.append(Problem(_unknown("actor", dict.fromkeys(actors)), path, m))
            elif m in member_of:
                out.append(Problem(f"already a member of bloc {member_of[m]!r}", path, m))
            else:
                member_of[m] = b.id
        if b.seat not in b.members:
            msg = "the seat-holder must be one of the bloc's members"
            out.append(Problem(msg, ("blocs", k, "seat"), b.seat))
        if len(set(b.members)) != len(b.members):
            out.append(
                Problem("members must be distinct", ("blocs", k, "members"), list(b.members))
            )
    if s.table is not None:
        _check_table(out, s.table, actors | {b.id for b in s.blocs}, member_of)
    return out


def _check_table(
    out: list[Problem], table: tuple[str, ...], parties: set[str], member_of: dict[str, str]
) -> None:
    """Each seat a bloc or an actor outside any bloc, seated once; at least one seat."""
    seen: set[str] = set()
    for k, seat in enumerate(table):
        if seat not in parties:
            out.append(Problem("expected a bloc id or an actor id", ("table", k), seat))
        elif seat in member_of:
            msg = f"this actor is seated through bloc {member_of[seat]!r}"
            out.append(Problem(msg, ("table", k), seat))
        if seat in seen:
            out.append(Problem("seated twice", ("table", k), seat))
        seen.add(seat)
    if not table:
        out.append(Problem("at least one seat is needed", ("table",), []))


def _check_clocks(s: Scenario) -> list[Problem]:
    """Each clock names a known issue (drift, with a limit on its scale) or actor (cost)."""
    out: list[Problem] = []
    issues = {i.id: i for i in s.issues}
    actors = {a.id: a for a in s.actors}
    parties = set(actors) | {b.id for b in s.blocs}
    for k, clock in enumerate(s.clocks):
        if isinstance(clock, DriftClock):
            if clock.issue not in issues:
                out.append(Problem(_unknown("issue", issues), ("clocks", k, "issue"), clock.issue))
            elif clock.limit is not None:
                lo, hi = issues[clock.issue].bounds
                if not lo <= clock.limit <= hi:
                    msg = f"expected a value in [{lo}, {hi}]"
                    out.append(Problem(msg, ("clocks", k, "limit"), clock.limit))
        elif clock.actor not in parties:
            out.append(Problem(_unknown("actor", actors), ("clocks", k, "actor"), clock.actor))
    return out


def _check_proposals(s: Scenario) -> list[Problem]:
    """Each proposal's outcome names every issue and only known ones."""
    out: list[Problem] = []
    issues = {i.id: i for i in s.issues}
    for k, p in enumerate(s.proposals):
        for iid, v in p.outcome.items():
            if iid not in issues:
                out.append(Problem(_unknown("issue", issues), ("proposals", k, "outcome", iid), v))
        missing = [i for i in issues if i not in p.outcome]
        if missing:
            out.append(Problem(f"missing issues {missing}", ("proposals", k, "outcome")))
    return out


def _check_sources(s: Scenario) -> list[Problem]:
    """Every source named is a listed source id or a free-text citation."""
    source_ids = {src.id for src in s.meta.sources}
    if not source_ids:
        return []
    return [
        Problem(f"unknown source id; known: {sorted(source_ids)}", path, src)
        for path, src in source_refs(s)
        if src not in source_ids and not _looks_like_citation(src)
    ]


def _looks_like_citation(text: str) -> bool:
    """Free-text citations are allowed; a bare identifier must name a listed source."""
    return not re.fullmatch(ID_PATTERN, text)


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
