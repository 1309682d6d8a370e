"""From a timeline to one scenario per round: overlays, clocks between rounds, deals in force.

Semantics (docs/iran-2012-2015.md, "The timeline format"):

1. The first round starts from the base scenario, its proposals forming the library.
2. Between two rounds the scenario's clocks run for the time elapsed between their dates
   (days × 12 / 365.25 months, converted to ``meta.time_unit``): drift clocks move the status
   quo (`accord.clocks.Dynamics`), cost clocks move each actor's no-deal utility. The
   accumulated cost of each actor is carried as an *offset* to its utility of the status quo,
   so a round that changes an actor's positions keeps what waiting has cost it.
3. The round's overlay is applied (`accord.timeline.overlay`). A status quo the overlay sets
   (from a source, e.g. the IAEA's stock figure) replaces the carried value.
4. Each actor's reservation is written into the round's scenario as its utility of the status
   quo plus its offset (clipped to [0, 1]), unless the overlay sets a reservation itself. A new
   actor starts with no offset; one that ``succeeds`` another inherits the predecessor's.
5. The tabled packages are taken from the library; an issue a package is silent on stays at the
   round's status quo.
6. A round that records a deal in force (interim or final, not a framework) puts the agreed
   package in force: from the next round on it is the status quo, and the drift clocks stop
   (the deal froze what it set) until an overlay adds new ones. Cost clocks go on.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from accord.clocks.dynamics import MONTHS_PER, Dynamics
from accord.errors import InputError, Problem
from accord.errors import Path as FieldPath
from accord.scenario import Scenario, builtin_names, compile
from accord.scenario.compile import utility
from accord.scenario.estimate import Estimate, NumberEstimate
from accord.scenario.schema import Proposal, Source
from accord.timeline.model import IN_FORCE, Round, Timeline
from accord.timeline.overlay import apply_overlay

DAYS_PER_MONTH = 365.25 / 12


@dataclass(frozen=True, eq=False)
class RoundState:
    """The scenario of one round, and how it came from the round before."""

    round: Round
    index: int
    scenario: Scenario
    elapsed_months: float
    carried: dict[str, tuple[float, float]]
    set_from_source: tuple[str, ...]
    cost_offsets: dict[str, float]
    in_force: str | None


def resolve_base(timeline: Timeline, here: Path | None = None) -> Scenario:
    """The base scenario: a built-in name, a file relative to the timeline, or inline data."""
    from accord.io import load
    from accord.io.native import from_data

    base = timeline.base
    if isinstance(base, dict):
        try:
            return from_data(base, "base")
        except InputError as e:
            raise InputError([p.located(file=None) for p in e.problems]) from None
    if base in builtin_names():
        return load(base)
    path = Path(base) if here is None or Path(base).is_absolute() else here / base
    if not path.is_file():
        raise InputError(
            Problem("not a built-in scenario nor a scenario file", ("base",), timeline.base)
        )
    return load(str(path))


def build_rounds(timeline: Timeline, base: Scenario) -> tuple[RoundState, ...]:
    """One `RoundState` per round, in date order (semantics in the module docstring)."""
    s = _with_sources(base, timeline.meta.sources)
    library = {p.id: p for p in s.proposals}
    offsets = {a.id: 0.0 for a in s.actors}
    states: list[RoundState] = []
    prev: Round | None = None
    in_force: str | None = None
    for k, r in enumerate(timeline.rounds):
        path: FieldPath = ("rounds", k, "changes")
        elapsed = 0.0 if prev is None else (r.date - prev.date).days / DAYS_PER_MONTH
        carried: dict[str, tuple[float, float]] = {}
        if prev is not None and elapsed > 0:
            s, offsets, carried = _advance(s, elapsed, offsets, prev)
        s = _without_reservations(s, r)
        s = apply_overlay(s, r.changes, path)
        offsets = _successions(r, offsets, s)
        set_sq = tuple(i for i, p in r.changes.issues.items() if p.status_quo is not None)
        for p in r.proposals:
            library[p.id] = p
        s = _tabled(s, r, library, ("rounds", k))
        s = _reserved(s, r, offsets)
        s = s.model_copy(update={"meta": s.meta.model_copy(update={"date": r.date})})
        states.append(RoundState(r, k, s, elapsed, carried, set_sq, dict(offsets), in_force))
        if r.agreed is not None and r.outcome in IN_FORCE:
            in_force = r.agreed
            s = _deal_in_force(s, r)
        prev = r
    return tuple(states)


CARRIED = (
    Source(
        id="clocks",
        cite="carried from the previous round by the scenario's clocks (accord.timeline)",
        grade="E",
    ),
    Source(id="deal", cite="the package agreed in an earlier round, in force", grade="F"),
)


def _with_sources(s: Scenario, extra: tuple[Source, ...]) -> Scenario:
    known = {src.id for src in s.meta.sources}
    new = [x for x in (*extra, *CARRIED) if x.id not in known]
    sources = s.meta.sources + tuple(new)
    return s.model_copy(update={"meta": s.meta.model_copy(update={"sources": sources})})


def _advance(
    s: Scenario, months: float, offsets: dict[str, float], prev: Round
) -> tuple[Scenario, dict[str, float], dict[str, tuple[float, float]]]:
    """Run the clocks for `months`: new status quo, new cost offsets, what moved."""
    dyn = Dynamics.of(s)
    c = dyn.compiled
    t = months / MONTHS_PER[s.meta.time_unit]
    q_units = dyn.status_quo_units(t)
    q = c.normalize(q_units)
    cost = (dyn.actor_reservations_at(t) - utility(c, c.actors, q[None, :])[0]) - (
        dyn.actor_reservations_at(0.0) - utility(c, c.actors, c.status_quo[None, :])[0]
    )
    new_offsets = {
        a: offsets.get(a, 0.0) + float(d) for a, d in zip(c.actors.ids, cost, strict=True)
    }
    before = c.to_units(c.status_quo)
    moved = {
        iid: (float(b), float(a))
        for iid, b, a in zip(c.issue_ids, before, q_units, strict=True)
        if abs(a - b) > 1e-9
    }
    issues = []
    for issue in s.issues:
        if issue.id in moved and issue.continuous:
            note = f"carried from {prev.label} by the scenario's clocks (+{months:.1f} months)"
            sq = Estimate(value=round(moved[issue.id][1], 6), source="clocks", note=note)
            issue = issue.model_copy(update={"status_quo": sq})
        elif issue.id in moved:
            label = issue.show(moved[issue.id][1])
            issue = issue.model_copy(update={"status_quo": label})
        issues.append(issue)
    return s.model_copy(update={"issues": tuple(issues)}), new_offsets, moved


def _without_reservations(s: Scenario, r: Round) -> Scenario:
    """Drop the reservations written for the previous round (they are recomputed)."""
    actors = tuple(a.model_copy(update={"reservation": None}) for a in s.actors)
    return s.model_copy(update={"actors": actors})


def _successions(r: Round, offsets: dict[str, float], s: Scenario) -> dict[str, float]:
    out = dict(offsets)
    for new in r.changes.add_actors:
        out[new.id] = offsets.get(new.succeeds, 0.0) if new.succeeds else 0.0
    for aid in r.changes.remove_actors:
        out.pop(aid, None)
    return {a: out.get(a, 0.0) for a in s.actor_ids}


def _tabled(s: Scenario, r: Round, library: dict[str, Proposal], where: FieldPath) -> Scenario:
    problems = []
    tabled = []
    for j, pid in enumerate(r.tabled_ids):
        if pid not in library:
            problems.append(
                Problem("no such proposal in this or an earlier round", (*where, "tabled", j), pid)
            )
            continue
        p = library[pid]
        for iid in p.outcome:
            if iid not in s.issue_ids:
                problems.append(Problem("no such issue", (*where, "proposals", pid, iid), iid))
        outcome = {i.id: p.outcome.get(i.id, _sq_value(i.status_quo)) for i in s.issues}
        tabled.append(p.model_copy(update={"outcome": outcome}))
    if r.agreed is not None and r.agreed not in r.tabled_ids:
        problems.append(Problem("the agreed package is not tabled", (*where, "agreed"), r.agreed))
    InputError.collect(problems)
    try:
        return Scenario.model_validate({**s.model_dump(), "proposals": tabled})
    except InputError as e:
        raise InputError([Problem(str(p), where) for p in e.problems]) from None


def _sq_value(v: Any) -> float | str:
    return v.value if isinstance(v, Estimate) else v


def _reserved(s: Scenario, r: Round, offsets: dict[str, float]) -> Scenario:
    c = compile(s)
    u_q = utility(c, c.actors, c.status_quo[None, :])[0]
    actors = []
    for a, u in zip(s.actors, u_q, strict=True):
        patch = r.changes.actors.get(a.id)
        if patch is not None and patch.reservation is not None:
            actors.append(a)
            continue
        off = offsets.get(a.id, 0.0)
        value = float(np.clip(u + off, 0.0, 1.0))
        note = f"utility of the status quo {u:.3f} {off:+.3f} accumulated by the cost clocks"
        actors.append(
            a.model_copy(
                update={
                    "reservation": NumberEstimate(value=round(value, 9), source="clocks", note=note)
                }
            )
        )
    return s.model_copy(update={"actors": tuple(actors)})


def _deal_in_force(s: Scenario, r: Round) -> Scenario:
    """After a deal: the agreed package is the status quo; drift clocks stop."""
    agreed = s.proposal(r.agreed or "")
    note = f"{agreed.label} in force (agreed {r.date})"
    issues = tuple(
        i.model_copy(
            update={"status_quo": Estimate(value=agreed.outcome[i.id], source="deal", note=note)}
        )
        for i in s.issues
    )
    clocks = tuple(c for c in s.clocks if c.kind != "drift")
    return s.model_copy(update={"issues": issues, "clocks": clocks})


def months_between(a: dt.date, b: dt.date) -> float:
    """Months from date `a` to date `b` (a month is 365.25 / 12 days)."""
    return (b - a).days / DAYS_PER_MONTH
