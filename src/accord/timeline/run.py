"""Every engine on every round: zone, gap, verdicts, breakout, no-deal utilities, forecasts.

`run_timeline` evaluates each round's scenario (`accord.timeline.build`) with the same engines
`accord analyze`, `accord clock` and `accord forecast` use, and scores the retrodiction
(`accord.timeline.retro`). Definitions:

- **zone**: the share of the outcome grid every seat prefers to no deal (`accord.analysis`);
  **gap**: the total concession that opens the zone (0 when it is open, `accord.analysis.gap`);
- **offer gap**: between two packages tabled by different parties, the mean over issues of
  their distance normalised to the issue's range (0: the same package; 1: opposite ends of
  every issue); the round's figure is the largest such distance;
- **tabled shortfall**: how far the closest tabled package falls short of acceptance, the
  smallest over packages of the largest seat's shortfall below its no-deal utility (0: some
  package on the table is acceptable to every seat);
- **verdict** per seat and per member: accepts when its utility of the package is at least its
  no-deal utility (`accord.analysis.proposals`); a bloc's members are its actors;
- **breakout**: months to 25 kg of 90 % uranium under the status quo and under each package
  (`accord.clocks.breakout_metric`);
- **forecasts**: each model's point per issue, and whether every seat would accept it.
  The spatial models work issue by issue on positions and saliences; they know nothing of
  the reservations (see docs/forecast.md).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from accord.analysis import Analysis, ProposalVerdict, analyze
from accord.clocks.breakout_metric import breakout_months, has_breakout_metric
from accord.forecast import MODELS
from accord.results import jsonable
from accord.scenario import compile, scenario_digest
from accord.scenario.compile import Compiled
from accord.scenario.decide import TOL, decide
from accord.scenario.schema import Scenario
from accord.timeline.build import RoundState
from accord.timeline.load import LoadedTimeline
from accord.timeline.retro import Retrodiction, retrodict

FAST_MODELS = ("compromise", "median", "nash", "bdm")
Progress = Callable[[int, int], None]


@dataclass(frozen=True, eq=False)
class Verdict:
    """One tabled package in one round: who accepts it (by the blocs' own rules and member by
    member), by what margin, which red lines it breaks, and its breakout time."""

    id: str
    label: str
    by: str | None
    outcome: dict[str, str]
    seat_margin: dict[str, float]
    seat_accepts: dict[str, bool]
    member_margin: dict[str, dict[str, float]]
    member_accepts: dict[str, dict[str, bool]]
    red_lines_broken: tuple[tuple[str, str, float], ...]
    reasons: dict[str, str]
    breakout_months: float | None
    shortfall: float

    @property
    def all_seats(self) -> bool:
        """Every seat accepts, each bloc by its own rule (weighted, consensus or quorum)."""
        return all(self.seat_accepts.values())

    @property
    def all_members(self) -> bool:
        """Every member of every seated bloc accepts (consensus read for every bloc)."""
        return all(ok for ms in self.member_accepts.values() for ok in ms.values())

    @property
    def refused_by(self) -> list[str]:
        """Seats that refuse."""
        return [s for s, ok in self.seat_accepts.items() if not ok]

    @property
    def members_refusing(self) -> list[str]:
        """Members (of any seated bloc) that refuse."""
        return [a for ms in self.member_accepts.values() for a, ok in ms.items() if not ok]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready record."""
        return jsonable(
            {
                "id": self.id,
                "label": self.label,
                "by": self.by,
                "outcome": self.outcome,
                "seat_margin": self.seat_margin,
                "seat_accepts": self.seat_accepts,
                "member_margin": self.member_margin,
                "member_accepts": self.member_accepts,
                "acceptable_to_all_seats": self.all_seats,
                "acceptable_to_all_members": self.all_members,
                "refused_by": self.refused_by,
                "members_refusing": self.members_refusing,
                "red_lines_broken": [
                    {"actor": a, "red_line": r, "by": b} for a, r, b in self.red_lines_broken
                ],
                "reasons": self.reasons,
                "breakout_months": self.breakout_months,
                "shortfall": self.shortfall,
            }
        )


@dataclass(frozen=True, eq=False)
class RoundResult:
    """Everything accord says about one round."""

    id: str
    label: str
    date: str
    kind: str
    outcome: str | None
    agreed: str | None
    in_force: str | None
    elapsed_months: float
    seats: dict[str, str]
    status_quo: dict[str, str]
    carried: dict[str, tuple[float, float]]
    set_from_source: tuple[str, ...]
    zone_share: float
    zone_empty: bool
    gap_total: float
    gap_minimax: float
    offer_gap: float | None
    tabled_shortfall: float | None
    no_deal: dict[str, float]
    no_deal_actors: dict[str, float]
    status_quo_breakout: float | None
    verdicts: tuple[Verdict, ...]
    forecasts: dict[str, dict[str, Any]] = field(default_factory=dict)
    red_lines: list[dict[str, Any]] = field(default_factory=list)
    smallest_relaxation: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready record."""
        return jsonable({k: getattr(self, k) for k in self.__dataclass_fields__})


@dataclass(frozen=True, eq=False)
class TimelineResult:
    """The rounds evaluated, and the retrodiction scored on them."""

    name: str
    title: str
    rounds: tuple[RoundResult, ...]
    retrodiction: Retrodiction

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready record of every figure."""
        return jsonable(
            {
                "name": self.name,
                "title": self.title,
                "rounds": [r.to_dict() for r in self.rounds],
                "retrodiction": self.retrodiction.to_dict(),
            }
        )


def run_timeline(
    loaded: LoadedTimeline,
    *,
    models: Sequence[str] = FAST_MODELS,
    resolution: int | None = None,
    seed: int = 0,
    progress: Progress | None = None,
) -> TimelineResult:
    """Evaluate every round of a timeline and score the retrodiction."""
    for name in models:
        MODELS.get(name)
    results = []
    for k, state in enumerate(loaded.rounds):
        results.append(evaluate_round(state, models=models, resolution=resolution, seed=seed))
        if progress is not None:
            progress(k + 1, len(loaded.rounds))
    rounds = tuple(results)
    return TimelineResult(loaded.name, loaded.title, rounds, retrodict(rounds))


_CACHE: OrderedDict[tuple[str, int | None, int], Analysis] = OrderedDict()
CACHE_SIZE = 64


def evaluate_round(
    state: RoundState,
    *,
    models: Sequence[str] = FAST_MODELS,
    resolution: int | None = None,
    seed: int = 0,
) -> RoundResult:
    """Zone, gap, verdicts, breakout, no-deal utilities and forecasts of one round."""
    s = state.scenario
    c = compile(s)
    a = cached_analysis(s, resolution, seed)
    verdicts = tuple(verdict_of(s, c, v) for v in a.proposals)
    r = state.round
    return RoundResult(
        id=r.id,
        label=r.label,
        date=r.date.isoformat(),
        kind=r.kind,
        outcome=r.outcome,
        agreed=r.agreed,
        in_force=state.in_force,
        elapsed_months=state.elapsed_months,
        seats=dict(zip(c.seats.ids, c.seats.labels, strict=True)),
        status_quo=a.status_quo,
        carried=state.carried,
        set_from_source=state.set_from_source,
        zone_share=a.zone_share,
        zone_empty=a.zone_empty,
        gap_total=a.gap.total,
        gap_minimax=a.gap.minimax,
        offer_gap=offer_gap(c, s),
        tabled_shortfall=tabled_shortfall(verdicts),
        no_deal=dict(zip(c.seats.ids, map(float, c.seats.reservation), strict=True)),
        no_deal_actors=dict(zip(c.actors.ids, map(float, c.actors.reservation), strict=True)),
        status_quo_breakout=_breakout(s, c.to_units(c.status_quo)),
        verdicts=verdicts,
        forecasts=_forecasts(s, c, a, models, seed),
        red_lines=_binding_red_lines(a),
        smallest_relaxation=(
            None if a.smallest_relaxation is None else a.smallest_relaxation.to_dict()
        ),
    )


def cached_analysis(s: Scenario, resolution: int | None = None, seed: int = 0) -> Analysis:
    """`accord.analysis.analyze` of a round's scenario, keeping the last `CACHE_SIZE` results.

    The analysis (frontier, zone, red lines) is the costly part of a round and a pure function
    of the scenario, the resolution and the seed; keyed by the scenario hash, the report, the
    CLI and a notebook evaluating the same timeline pay for each round once.
    """
    key = (scenario_digest(s), resolution, seed)
    if key in _CACHE:
        _CACHE.move_to_end(key)
        return _CACHE[key]
    kwargs: dict[str, Any] = {"seed": seed}
    if resolution is not None:
        kwargs["resolution"] = resolution
    a = analyze(s, **kwargs)
    _CACHE[key] = a
    if len(_CACHE) > CACHE_SIZE:
        _CACHE.popitem(last=False)
    return a


def verdict_of(s: Scenario, c: Compiled, v: ProposalVerdict, *, breakout: bool = True) -> Verdict:
    """A `Verdict` from the analysis' proposal check (with its breakout time, unless asked not)."""
    margins: dict[str, dict[str, float]] = {}
    accepts: dict[str, dict[str, bool]] = {}
    for seat, rows in zip(c.seats.ids, c.seat_members, strict=True):
        ids = [c.actors.ids[i] for i in rows]
        margins[seat] = {a: v.actor_margins[a] for a in ids}
        accepts[seat] = {a: v.actor_accepts.get(a, v.actor_margins[a] >= -TOL) for a in ids}
    seat_ok = {p: p in v.accepted_by for p in v.parties}
    seat_margin = dict(zip(v.parties, map(float, v.margins), strict=True))
    p = s.proposal(v.id)
    units = {i.id: i.to_units(p.outcome[i.id]) for i in s.issues}
    return Verdict(
        id=v.id,
        label=v.label,
        by=v.by,
        outcome=v.outcome,
        seat_margin=seat_margin,
        seat_accepts=seat_ok,
        member_margin=margins,
        member_accepts=accepts,
        red_lines_broken=tuple(v.broken),
        reasons=dict(v.reasons),
        breakout_months=_breakout(s, units) if breakout else None,
        shortfall=_shortfall(s, seat_margin, margins),
    )


def _shortfall(
    s: Scenario, seat_margin: dict[str, float], members: dict[str, dict[str, float]]
) -> float:
    """The largest utility shortfall below no deal among the parties whose acceptance the
    blocs' rules require: the seat itself (weighted bloc, single actor) or each member
    (consensus, quorum). Red lines are not in utility units and are reported apart."""
    rules = {b.id: getattr(b, "rule", "weighted") for b in s.blocs}
    worst = 0.0
    for seat, m in seat_margin.items():
        if rules.get(seat, "weighted") == "weighted":
            worst = max(worst, -m)
        else:
            worst = max(worst, *(-x for x in members[seat].values()))
    return worst


def _breakout(s: Scenario, units: Any) -> float | None:
    if not has_breakout_metric(s):
        return None
    if isinstance(units, dict):
        return breakout_months(s, units)
    return breakout_months(s, dict(zip(s.issue_ids, map(float, units), strict=True)))


def offer_gap(c: Compiled, s: Scenario) -> float | None:
    """The largest mean normalised distance between packages tabled by different parties."""
    offers = [
        (p.by, c.normalize(np.array([s.issue(i).to_units(p.outcome[i]) for i in c.issue_ids])))
        for p in s.proposals
    ]
    gaps = [
        float(np.mean(np.abs(x - y)))
        for i, (by_a, x) in enumerate(offers)
        for by_b, y in offers[i + 1 :]
        if by_a != by_b and "both" not in (by_a, by_b)
    ]
    return max(gaps) if gaps else None


def tabled_shortfall(verdicts: Sequence[Verdict]) -> float | None:
    """How far the closest tabled package falls short: the smallest `Verdict.shortfall`."""
    if not verdicts:
        return None
    return min(v.shortfall for v in verdicts)


def _forecasts(
    s: Scenario, c: Compiled, a: Analysis, models: Sequence[str], seed: int
) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for name in models:
        f = MODELS.create(name).forecast(c, seed=seed)
        x = c.normalize(np.asarray(f.point, dtype=float))
        d = decide(c, x[None, :], parties="seats")
        margin = d.margin[0]
        out[name] = {
            "point": {i.id: i.show(float(v)) for i, v in zip(s.issues, f.point, strict=True)},
            "seat_margin": dict(zip(c.seats.ids, map(float, margin), strict=True)),
            "seat_accepts": dict(zip(c.seats.ids, map(bool, d.accepts[0]), strict=True)),
            "acceptable_to_all_seats": bool(d.accepts[0].all()),
            "breakout_months": _breakout(s, f.point),
        }
    return out


def _binding_red_lines(a: Analysis) -> list[dict[str, Any]]:
    """The red lines that bind the zone (keep packages out), with the smallest relaxation."""
    return [f.to_dict() for f in a.binding_red_lines]
