"""Play mode: a person takes one seat of a scenario's session against registered strategies.

The session is played by the `accord.bargain` protocols themselves. The person's seat is a
`Person` strategy that knows the moves made so far; every request replays the session from
the start with the same seed (`Protocol.run`), and the replay stops where the person has not
yet moved. Replays are exact because every other strategy is seeded and sees the same offers,
so nothing of a running protocol has to be kept between requests — a play survives a
restart of the server with its moves alone.

A move answers what the protocol asks next:

- ``propose`` in round *r*: the person's offer of round *r*;
- ``respond`` to the offer made in round *r*: accept it, or reject it with a counter-offer
  (the person's bid for round *r + 1*, used when their turn to propose comes).

The no-deal point moves with the scenario's clocks: the reservation of every seat at round
*r* is `accord.clocks.reservations_at` at time ``r × round_length`` (Rubinstein-style
sessions in `accord.bargain.protocols` take it as ``reservation_at``). At the end the
person's outcome is set beside the Nash point of the domain (Nash 1950) and beside what each
registered strategy achieves in their seat in the same session (same opponents, same seed).

Decisions: the outcome grid has `LEVELS` values per continuous issue (as `accord negotiate`);
the protocols are ``alternating`` (two seats) and ``multilateral``; the mediated protocol has
no offers of the person's own and is refused. The person may accept an offer below their
no-deal point (it is their choice), so their seat never walks away on their behalf.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from accord.bargain import STRATEGIES, Domain, Session, domain_from_compiled, make_protocol
from accord.bargain.domain import issue_grid
from accord.bargain.strategies import Strategy, make_strategy
from accord.bargain.talks import seat_strategies
from accord.bargain.view import View
from accord.cache import LRUCache
from accord.errors import InputError, LimitError, Problem
from accord.results import jsonable
from accord.scenario import Scenario, compile, number, scenario_digest

LEVELS = 5
MAX_PLAY_ROUNDS = 200
PLAY_PROTOCOLS = ("alternating", "multilateral")


class NeedMove(Exception):
    """The replay reached a decision the person has not made yet (round `round`)."""

    def __init__(self, round: int) -> None:
        super().__init__(round)
        self.round = round


class Person(Strategy):
    """The person's seat: bids and answers from the moves made so far."""

    name = "you"
    may_accept_below_reservation = True

    def __init__(self, bids: Mapping[int, int], answers: Mapping[int, bool]) -> None:
        super().__init__("next")
        self.bids, self.answers = dict(bids), dict(answers)
        self.view: View | None = None

    def start(self, view: View) -> None:
        self.view = view

    def bid(self, view: View) -> int:
        if view.round in self.bids:
            return self.bids[view.round]
        raise NeedMove(view.round)

    def accepts(self, view: View, offer: int, next_bid: int) -> bool:
        return self.answers.get(view.round, False)


@dataclass(frozen=True)
class Settings:
    """What a play session is: the scenario, the person's seat, the others' strategies."""

    seat: str
    opponents: dict[str, str]
    protocol: str
    rounds: int
    seed: int

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready record."""
        return {
            "seat": self.seat,
            "opponents": self.opponents,
            "protocol": self.protocol,
            "rounds": self.rounds,
            "seed": self.seed,
        }


_DOMAINS: LRUCache[str, Domain] = LRUCache(8)
"""Outcome grids by scenario digest: a few, each holds every seat's utility of every outcome."""


def domain_of(s: Scenario) -> Domain:
    """The scenario's outcome grid with every seat's utility (a few kept in memory)."""
    return _DOMAINS.get_or_build(
        scenario_digest(s), lambda: domain_from_compiled(compile(s), LEVELS, name=s.meta.title)
    )


def settings_for(
    s: Scenario,
    seat: str,
    opponents: Mapping[str, str] | None = None,
    protocol: str | None = None,
    rounds: int = 20,
    seed: int = 0,
) -> Settings:
    """Checked settings of a new play of scenario `s` in `seat`."""
    d = domain_of(s)
    problems = []
    if seat not in d.ids:
        problems.append(Problem(f"not a seat; seats: {', '.join(d.ids)}", ("seat",), seat))
    proto = protocol or ("alternating" if d.n == 2 else "multilateral")
    if proto not in PLAY_PROTOCOLS:
        problems.append(
            Problem(f"play mode supports {', '.join(PLAY_PROTOCOLS)}", ("protocol",), proto)
        )
    elif proto == "alternating" and d.n != 2:
        problems.append(
            Problem("alternating offers are for two seats; use multilateral", ("protocol",), proto)
        )
    if not 2 <= rounds <= MAX_PLAY_ROUNDS:
        if rounds > MAX_PLAY_ROUNDS:
            raise LimitError("rounds", rounds, MAX_PLAY_ROUNDS)
        problems.append(Problem("at least 2 rounds", ("rounds",), rounds))
    InputError.collect(problems)
    chosen = default_strategies(s)
    for k, v in (opponents or {}).items():
        if k not in d.ids or k == seat:
            problems.append(Problem("not another seat", ("opponents", k), v))
            continue
        try:
            make_strategy(v)
        except Exception as e:  # an unknown name or bad parameters
            problems.append(Problem(str(e), ("opponents", k), v))
            continue
        chosen[k] = v
    InputError.collect(problems)
    return Settings(
        seat, {k: v for k, v in chosen.items() if k != seat}, proto, int(rounds), int(seed)
    )


def default_strategies(s: Scenario) -> dict[str, str]:
    """The strategy name the scenario gives every seat (``linear`` where it names none)."""
    out = {}
    for seat, spec in seat_strategies(s).items():
        if isinstance(spec, str):
            out[seat] = spec
        elif isinstance(spec, tuple):
            out[seat] = spec[0]
        else:
            out[seat] = spec.name
    return out


def reservation_schedule(s: Scenario, d: Domain, rounds: int) -> np.ndarray:
    """(rounds + 1, seats): every seat's no-deal utility at each round, from the clocks."""
    if not s.clocks:
        return np.broadcast_to(d.reservation, (rounds + 1, d.n)).copy()

    def build() -> np.ndarray:
        from accord.clocks import Dynamics

        dyn = Dynamics.of(s, compile(s))
        step = number(s.meta.round_length, 1.0)
        return np.array([dyn.reservations_at(r * step) for r in range(rounds + 1)], dtype=float)

    out: np.ndarray = _memo(("schedule", scenario_digest(s), rounds), build)
    return out


_MEMO: LRUCache[tuple[Any, ...], Any] = LRUCache(64)


def _memo(key: tuple[Any, ...], build: Callable[[], Any]) -> Any:
    """A small in-memory cache of what a scenario's plays recompute on every request."""
    return _MEMO.get_or_build(key, build)


def choices(s: Scenario, d: Domain) -> list[dict[str, Any]]:
    """The values a person can choose on each issue: the grid of the domain, in units."""
    out: list[dict[str, Any]] = _memo(("choices", scenario_digest(s)), lambda: _choices(s))
    return out


def _choices(s: Scenario) -> list[dict[str, Any]]:
    c = compile(s)
    out = []
    for k, (issue, g) in enumerate(zip(s.issues, issue_grid(c, LEVELS), strict=True)):
        units = c.lo[k] + g * (c.hi[k] - c.lo[k])
        labels = [issue.show(float(u)) if issue.options else _number(float(u)) for u in units]
        out.append(
            {"id": issue.id, "label": issue.label, "unit": issue.unit or "", "values": labels}
        )
    return out


def outcome_index(d: Domain, levels: Sequence[int]) -> int:
    """The outcome of the domain with value index `levels[k]` on every issue."""
    sizes = tuple(int(x) for x in d.levels.max(axis=0) + 1)
    if len(levels) != len(sizes) or any(
        not 0 <= int(v) < n for v, n in zip(levels, sizes, strict=False)
    ):
        raise InputError(
            Problem(
                f"expected one value index per issue within {list(sizes)}", ("offer",), list(levels)
            )
        )
    return int(np.ravel_multi_index(tuple(int(v) for v in levels), sizes))


def offer_levels(d: Domain, offer: Mapping[str, Any] | Sequence[int]) -> int:
    """An offer given as issue id → value index (or a list of indices) as an outcome index."""
    if isinstance(offer, Mapping):
        missing = [i for i in d.issue_ids if i not in offer]
        extra = [k for k in offer if k not in d.issue_ids]
        if missing or extra:
            raise InputError(
                Problem(
                    f"give a value index for every issue: {', '.join(d.issue_ids)}",
                    ("offer",),
                    dict(offer),
                )
            )
        try:
            levels = [int(offer[i]) for i in d.issue_ids]
        except (TypeError, ValueError):
            raise InputError(
                Problem("value indices must be integers", ("offer",), dict(offer))
            ) from None
        return outcome_index(d, levels)
    return outcome_index(d, list(offer))


def _play(
    s: Scenario, d: Domain, st: Settings, person: Strategy, schedule: np.ndarray, trace: bool = True
) -> Session:
    proto = make_protocol(st.protocol)
    strategies: list[Strategy | str] = [
        person if seat == st.seat else st.opponents[seat] for seat in d.ids
    ]
    return proto.run(
        d,
        strategies,
        rounds=st.rounds,
        seed=st.seed,
        reservation_at=lambda r: schedule[min(r, len(schedule) - 1)],
        trace=trace,
    )


def state(s: Scenario, st: Settings, moves: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Replay the session with the person's `moves`; what the person sees now."""
    d = domain_of(s)
    me = d.index(st.seat)
    schedule = reservation_schedule(s, d, st.rounds)
    bids, answers = _moves(moves)
    person = Person(bids, answers)
    try:
        session: Session | None = _play(s, d, st, person, schedule)
        pending: NeedMove | None = None
    except NeedMove as e:
        session, pending = None, e
    assert person.view is not None
    history = list(person.view.history)
    offers = [
        {
            "round": r,
            "by": d.ids[p],
            "offer": o,
            "units": _shown(s, d, o),
            "utility": float(d.utility[o, me]),
        }
        for r, p, o in history
    ]
    out: dict[str, Any] = {
        "settings": st.to_dict(),
        "seats": list(d.ids),
        "seat": st.seat,
        "offers": offers,
        "moves": len(moves),
        "no_deal_path": schedule[:, me].tolist(),
        "best": float(d.best[me]),
        "round_length": number(s.meta.round_length, 1.0),
        "time_unit": s.meta.time_unit,
    }
    if pending is not None:
        k = pending.round
        last = history[-1] if history else None
        respond = last is not None and last[0] == k - 1 and last[1] != me and (k - 1) not in answers
        now = k - 1 if respond else k
        out.update(
            {
                "status": "playing",
                "mode": "respond" if respond else "propose",
                "round": now,
                "rounds_left": st.rounds - now,
                "no_deal": float(schedule[min(now, st.rounds), me]),
                "on_table": offers[-1] if respond else None,
                "suggest": _levels(d, bids[max(bids)] if bids else int(d.order[me, -1])),
            }
        )
        return jsonable(out, digits=6)
    assert session is not None
    out.update(
        {
            "status": "finished",
            "mode": None,
            "round": session.played,
            "rounds_left": 0,
            "result": result(s, d, st, session, schedule),
        }
    )
    return jsonable(out, digits=6)


def result(
    s: Scenario, d: Domain, st: Settings, session: Session, schedule: np.ndarray
) -> dict[str, Any]:
    """The person's outcome against the Nash point and strategies in their seat."""
    me = d.index(st.seat)
    others: list[dict[str, Any]] = []
    for name in STRATEGIES.names():
        alt = _play(s, d, st, make_strategy(name), schedule, trace=False)
        others.append(
            {
                "strategy": name,
                "agreement": alt.agreement,
                "round": alt.round,
                "utility": float(alt.utility[me]),
                "reason": alt.reason,
            }
        )
    nash = (
        None
        if d.nash is None
        else {"utility": float(d.utility[d.nash, me]), "units": _shown(s, d, d.nash)}
    )
    mine = float(session.utility[me])
    better = sum(1 for o in others if o["utility"] > mine + 1e-9)
    return {
        "agreement": session.agreement,
        "reason": session.reason,
        "round": session.round,
        "outcome": _shown(s, d, session.outcome) if session.outcome is not None else None,
        "utility": mine,
        "utilities": dict(zip(d.ids, session.utility.tolist(), strict=True)),
        "no_deal": float(session.reservation[me]),
        "nash": nash,
        "strategies": others,
        "strategies_better": better,
    }


def utility_of(
    s: Scenario, st: Settings, offer: Mapping[str, Any] | Sequence[int], round: int = 0
) -> dict[str, Any]:
    """The person's utility of an offer they consider, and their no-deal utility now."""
    d = domain_of(s)
    me = d.index(st.seat)
    o = offer_levels(d, offer)
    schedule = reservation_schedule(s, d, st.rounds)
    r = min(max(int(round), 0), st.rounds)
    u = float(d.utility[o, me])
    return jsonable(
        {
            "outcome": o,
            "units": _shown(s, d, o),
            "utility": u,
            "no_deal": float(schedule[r, me]),
            "above_no_deal": u >= schedule[r, me],
            "best": float(d.best[me]),
        },
        digits=6,
    )


def check_move(
    s: Scenario,
    st: Settings,
    moves: Sequence[Mapping[str, Any]],
    accept: bool,
    offer: Mapping[str, Any] | Sequence[int] | None,
) -> dict[str, Any]:
    """The move the person makes now, checked against what the session asks."""
    now = state(s, st, moves)
    if now["status"] != "playing":
        raise InputError(Problem("the session has ended", ("move",)))
    d = domain_of(s)
    if now["mode"] == "propose" and accept:
        raise InputError(Problem("there is no offer to accept: make an offer", ("accept",)))
    if offer is None:
        if not accept:
            raise InputError(Problem("make an offer (or accept the one on the table)", ("offer",)))
        o = int(d.order[d.index(st.seat), -1])
    else:
        o = offer_levels(d, offer)
    return {"mode": now["mode"], "round": now["round"], "accept": bool(accept), "offer": o}


def _moves(moves: Sequence[Mapping[str, Any]]) -> tuple[dict[int, int], dict[int, bool]]:
    bids: dict[int, int] = {}
    answers: dict[int, bool] = {}
    for m in moves:
        r = int(m["round"])
        if m["mode"] == "propose":
            bids[r] = int(m["offer"])
        else:
            answers[r] = bool(m["accept"])
            bids[r + 1] = int(m["offer"])
    return bids, answers


def _levels(d: Domain, outcome: int) -> list[int]:
    return [int(v) for v in d.levels[outcome]]


def _shown(s: Scenario, d: Domain, outcome: int) -> dict[str, str]:
    units = d.to_units(outcome)
    issues = {i.id: i for i in s.issues}
    return {
        k: issues[k].show(float(v)) if issues[k].options else _number(float(v))
        for k, v in units.items()
    }


def _number(x: float) -> str:
    return f"{x:,.0f}" if abs(x) >= 1000 else f"{x:.4g}"
