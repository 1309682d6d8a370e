"""Protocols: the rules of a session — who offers when, and what makes an agreement.

- ``alternating`` — bilateral alternating offers (Rubinstein 1982, "Perfect equilibrium in a
  bargaining model"; the Stacked Alternating Offers Protocol of ANAC, Aydoğan et al. 2017):
  the parties offer in turn; the other party accepts or its next bid becomes the counter-offer.
- ``multilateral`` — the same with n ≥ 2 parties: the proposer rotates over the parties still
  at the table and every other party responds; the agreement rule decides (below).
- ``mediated`` — Raiffa's single negotiating text (Raiffa 1982, *The Art and Science of
  Negotiation*, ch. 14), as a mediator hill-climbs one text (Klein, Faratin, Sayama & Bar-Yam
  2003, "Negotiating complex contracts", §3): each round the mediator proposes a change of
  one issue by one grid step; the text moves unless a party vetoes; a party vetoes a change
  that makes the text worse for it and is below its current aspiration (the utility of its own
  bid now). The session ends when the agreement rule accepts the text as final.

Agreement rules (``rule``): ``unanimity`` (every seat), ``quorum`` (at least ``quorum`` seats,
the proposer counting as accepting its own offer), and a ``veto`` set added to either. A veto
id may be a seat or an actor inside a bloc seat. **Decision**: a bloc seat accepts by its own
strategy on the bloc's derived utility (compile: capability × salience weighted members); a
veto member inside a bloc does not run a strategy — it accepts exactly when its own utility of
the offer is at least its own reservation (utility of the status quo unless given).

Time: with R rounds, round r is at relative time t = r / (R − 1). Discounting (optional,
``discount`` δ per seat or one for all) values an agreement at t as ``u·δ^t``, as in ANAC; the
reservation is not discounted (the no-deal point pays now). A party **walks away** when no
deal is worth more than what no deal gives: ``max_x u(x)·δ^t ≤ reservation(t)``. The session
ends with ``walk-away`` when the rule can no longer be met. ``reservation_at(r)`` — a plain
callable returning every seat's reservation at round r (e.g. from `accord.clocks`) — lets the
no-deal point move each round; strategies and acceptance see the current value.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from typing import Any, ClassVar

import numpy as np

from accord.bargain.acceptance import TOL
from accord.bargain.batched import batchable, round_times, time_dependent_full
from accord.bargain.domain import Domain
from accord.bargain.rules import Rule
from accord.bargain.session import (
    MEDIATOR,
    LazySteps,
    Session,
    Step,
    front_distance,
    trace_steps,
)
from accord.bargain.strategies import STRATEGIES, Strategy, StrategyLike, make_strategy
from accord.bargain.view import View
from accord.errors import InputError, LimitError, Problem
from accord.registry import Registry
from accord.seeding import SeedLike, make_rng, spawn_rngs

MAX_ROUNDS = 100_000
ReservationAt = Callable[[int], Sequence[float] | np.ndarray]


def _seeds(seed: SeedLike, n: int) -> list[np.random.Generator]:
    return spawn_rngs(seed, n)


class Protocol(ABC):
    """Base class: `run` plays one session of `strategies` (one per seat) on a domain."""

    name: ClassVar[str] = ""
    min_parties: ClassVar[int] = 2
    max_parties: ClassVar[int | None] = None

    def __init__(
        self,
        rule: str = "unanimity",
        quorum: int | None = None,
        veto: Sequence[str] = (),
        walk_away: bool = True,
        discount: float | Sequence[float] | None = None,
    ) -> None:
        self.rule, self.quorum, self.veto = rule, quorum, tuple(veto)
        self.walk_away, self.discount = walk_away, discount

    def params(self) -> dict[str, Any]:
        """Parameters recorded in results."""
        return {
            "rule": self.rule,
            "quorum": self.quorum,
            "veto": list(self.veto),
            "walk_away": self.walk_away,
            "discount": self.discount,
        }

    def run(
        self,
        domain: Domain,
        strategies: Sequence[StrategyLike],
        *,
        rounds: int = 100,
        seed: SeedLike = 0,
        reservation_at: ReservationAt | None = None,
        trace: bool = True,
    ) -> Session:
        """Play one session; see the module docstring for the rules."""
        state = _State(self, domain, strategies, rounds, seed, reservation_at, trace)
        return self._play(state)

    @abstractmethod
    def _play(self, s: _State) -> Session: ...


def _check_lineup(
    protocol: Protocol, domain: Domain, strategies: Sequence[StrategyLike], rounds: int
) -> None:
    """One strategy per seat, a seat count the protocol plays, 1 … `MAX_ROUNDS` rounds."""
    a = domain.n
    if len(strategies) != a:
        raise InputError(
            Problem(f"expected one strategy per seat ({a})", ("strategies",), len(strategies))
        )
    if a < protocol.min_parties or (protocol.max_parties and a > protocol.max_parties):
        raise InputError(
            Problem(
                f"protocol {protocol.name!r} is for "
                f"{protocol.min_parties}–{protocol.max_parties or 'n'} "
                "parties",
                ("protocol",),
                a,
            )
        )
    if not 1 <= int(rounds) <= MAX_ROUNDS:
        if rounds > MAX_ROUNDS:
            raise LimitError("rounds", rounds, MAX_ROUNDS)
        raise InputError(Problem("at least one round is needed", ("rounds",), rounds))


class _State:
    """The working state of one session (views, bid cache, schedule, trace)."""

    def __init__(
        self,
        protocol: Protocol,
        domain: Domain,
        strategies: Sequence[StrategyLike],
        rounds: int,
        seed: SeedLike,
        reservation_at: ReservationAt | None,
        trace: bool,
    ) -> None:
        a = domain.n
        _check_lineup(protocol, domain, strategies, rounds)
        self.protocol, self.domain, self.R, self.trace = protocol, domain, int(rounds), trace
        self.rule = Rule(domain, protocol.rule, protocol.quorum, protocol.veto)
        self.strategies = [make_strategy(x) for x in strategies]
        self.sched = self._schedule(reservation_at)
        d = protocol.discount
        self.delta = np.ones(a) if d is None else np.broadcast_to(np.asarray(d, float), (a,))
        if not ((self.delta > 0) & (self.delta <= 1)).all():
            raise InputError(Problem("discount factors must be in (0, 1]", ("discount",), d))
        self._times: list[float] = round_times(self.R).tolist()
        self._res, self._disc = self._per_round(reservation_at is None)
        self.views = self._views(_seeds(seed, a))
        self.history: list[tuple[int, int, int]] = []
        for v in self.views:
            v.history = self.history
        for strat, v in zip(self.strategies, self.views, strict=True):
            strat.start(v)
        self.active = np.ones(a, dtype=bool)
        self.seats = list(range(a))
        self.walked: list[str] = []
        # the trace as columns; `Step` records are built when it is first read (`trace_steps`)
        self.offers: list[int] = []
        self.proposers: list[str] = []
        self.responses: list[tuple[bool | None, ...]] = []
        self._cache: list[tuple[int, int]] = [(-1, -1)] * a
        self._best = domain.best.tolist()
        self._static = reservation_at is None and bool((self.delta == 1).all())

    def _views(self, rngs: list[np.random.Generator]) -> list[View]:
        """Each seat's view at round 0: its own utility (the domain's plain lists, shared),
        and the others' only for strategies that declare ``needs_opponent_utility``."""
        domain, a = self.domain, self.domain.n
        u = domain.utility
        su, order, by_seat = domain.lists
        views = []
        for i, strat in enumerate(self.strategies):
            v = View(
                seat=i,
                n_parties=a,
                utility=np.ascontiguousarray(u[:, i]),
                order=domain.order[i],
                sorted_utility=domain.sorted_utility[i],
                levels=domain.levels,
                reservation=float(self.sched[0, i]),
                rounds=self.R,
                rng=rngs[i],
                plain=(by_seat[i], su[i], order[i]),
            )
            traits = STRATEGIES.get(strat.name).traits if strat.name in STRATEGIES else {}
            if traits.get("needs_opponent_utility"):
                others = [j for j in range(a) if j != i]
                v.others_utility = u[:, others]
                v.others_reservation = self.sched[0, others]
            views.append(v)
        return views

    def _schedule(self, reservation_at: ReservationAt | None) -> np.ndarray:
        a = self.domain.n
        if reservation_at is None:
            return np.broadcast_to(self.domain.reservation, (self.R + 1, a))
        rows = []
        for r in range(self.R + 1):
            row = np.asarray(reservation_at(r), dtype=float)
            if row.shape != (a,) or not np.isfinite(row).all():
                raise InputError(
                    Problem(
                        f"reservation_at({r}) must return {a} finite numbers",
                        ("reservation_at",),
                        row.tolist(),
                    )
                )
            rows.append(row)
        return np.array(rows)

    def _per_round(self, static: bool) -> tuple[list[list[float]], list[list[float]]]:
        """Every seat's reservation and discount factor δ^t of every round 0..R, as lists
        (read-only: rows may be shared). Static reservations repeat one row; δ = 1 gives 1."""
        a, rows = self.domain.n, self.R + 1
        if static:
            res = [self.domain.reservation.astype(float).tolist()] * rows
        else:
            res = np.asarray(self.sched, dtype=float).tolist()
        if (self.delta == 1).all():
            return res, [[1.0] * a] * rows
        return res, (self.delta[None, :] ** np.array(self._times)[:, None]).tolist()

    def time(self, r: int) -> float:
        return self._times[r] if r < len(self._times) else 1.0

    def at(self, i: int, r: int) -> View:
        """Party `i`'s view set to round `r`."""
        v = self.views[i]
        if r > self.R:
            r = self.R
        v.round, v.t = r, self._times[r]
        v.reservation = self._res[r][i]
        v.discount = self._disc[r][i]
        return v

    def bid(self, i: int, r: int) -> int:
        """Party `i`'s bid for round `r` (computed once per party and round)."""
        hit = self._cache[i]
        if hit[0] == r:
            return hit[1]
        b = self.strategies[i].bid(self.at(i, r))
        self._cache[i] = (r, b)
        return b

    def response(self, i: int, offer: int, r: int) -> bool:
        """Party `i`'s response at round `r` to `offer`, given its bid for round r + 1."""
        nb = self.bid(i, r + 1)
        return self.strategies[i].accepts(self.at(i, r), offer, nb)

    def check_walk_away(self, r: int) -> bool:
        """Let parties with nothing left to gain leave; False when the rule became impossible."""
        if not self.protocol.walk_away or (self._static and r > 0):
            return True
        res, disc, best = self._res[r], self._disc[r], self._best
        gone = [i for i in self.seats if best[i] * disc[i] <= res[i] + TOL]
        if not gone:
            return True
        for i in gone:
            self.active[i] = False
            self.walked.append(self.domain.ids[i])
        self.seats = [int(i) for i in np.flatnonzero(self.active)]
        return self.rule.possible(self.active)

    def record(self, r: int, proposer: str, offer: int, responses: list[bool | None]) -> None:
        """Note round `r` of the trace (rounds are recorded in order from 0)."""
        if self.trace:
            self.offers.append(offer)
            self.proposers.append(proposer)
            self.responses.append(tuple(responses))

    def trace_of(self) -> Sequence[Step]:
        """The recorded rounds as a lazily built tuple of `Step` records."""
        if not self.trace:
            return ()
        d, cols, times = self.domain, (self.offers, self.proposers, self.responses), self._times
        n = len(self.offers)
        res = self._res[:n]
        return LazySteps(n, lambda: trace_steps(d, *cols, list(map(tuple, res)), times))

    def finish(self, reason: str, r: int | None, outcome: int | None) -> Session:
        d = self.domain
        last = self.R - 1 if r is None else r
        res = np.array(self.sched[min(last, self.R)], dtype=float)
        if outcome is not None:
            u = d.utility[outcome].astype(float)
            disc = u * self.delta ** self.time(last)
            pd_, nd = _front_distance(d, u), float(d.nash_distance[outcome])
        else:
            u, disc = res.copy(), res.copy()
            pd_ = _front_distance(d, u)
            nd = float("nan") if d.nash is None else float(np.linalg.norm(u - d.utility[d.nash]))
        return Session(
            protocol=self.protocol.name,
            domain=d.name,
            ids=d.ids,
            strategies=tuple(s.label() for s in self.strategies),
            agreement=outcome is not None,
            round=r if outcome is not None else None,
            outcome=outcome,
            utility=u,
            discounted=disc,
            reservation=res,
            reason=reason,
            rounds=self.R,
            steps=self.trace_of(),
            played=self.R if r is None else (r + 1 if outcome is not None else r),
            outcome_units=d.to_units(outcome) if outcome is not None else {},
            pareto_distance=pd_,
            nash_distance=nd,
            nash_utility=None if d.nash is None else d.utility[d.nash].copy(),
            walked=tuple(self.walked),
            params=self.protocol.params(),
        )


def _front_distance(d: Domain, u: np.ndarray) -> float:
    return front_distance(d.pareto_utility, u)


PROTOCOLS: Registry[type[Protocol]] = Registry(
    "protocols",
    defaults=dict(
        parties="2", deadline="rounds", discounting=False, mediated=False, rules="", cite=""
    ),
)
"""Plugins that leave a trait out get the conservative value (`accord.registry`)."""


@PROTOCOLS.register(
    "alternating",
    parties="2",
    deadline="rounds",
    discounting=True,
    mediated=False,
    rules="unanimity",
    cite="Rubinstein 1982; Aydoğan et al. 2017",
)
class AlternatingOffers(Protocol):
    """Bilateral alternating offers with a deadline, optional discounting and walking away."""

    name = "alternating"
    max_parties: ClassVar[int | None] = 2

    def run(
        self,
        domain: Domain,
        strategies: Sequence[StrategyLike],
        *,
        rounds: int = 100,
        seed: SeedLike = 0,
        reservation_at: ReservationAt | None = None,
        trace: bool = True,
    ) -> Session:
        """Play one session; two time-dependent strategies take the vectorised path
        (`accord.bargain.batched.time_dependent_full`, the same session), others the loop."""
        fast = self._vectorised(domain, strategies, rounds, reservation_at, trace)
        if fast is not None:
            return fast
        return super().run(
            domain, strategies, rounds=rounds, seed=seed, reservation_at=reservation_at, trace=trace
        )

    def _vectorised(
        self,
        domain: Domain,
        strategies: Sequence[StrategyLike],
        rounds: int,
        reservation_at: ReservationAt | None,
        trace: bool,
    ) -> Session | None:
        """The session from `time_dependent_full` when its conditions hold, else None."""
        if (
            type(self) is not AlternatingOffers
            or domain.n != 2
            or len(strategies) != 2
            or reservation_at is not None
            or self.discount is not None
            or self.rule != "unanimity"
            or self.veto
            or not 1 <= int(rounds) <= MAX_ROUNDS
            or domain.hopeless
        ):
            return None
        strats = [make_strategy(x) for x in strategies]
        if not batchable(strats):
            return None
        return time_dependent_full(domain, strats, int(rounds), self.name, self.params(), trace)

    def _play(self, s: _State) -> Session:
        a, ids = s.domain.n, s.domain.ids
        strategies, views, history = s.strategies, s.views, s.history
        res, disc, passes, bid, response = s._res, s._disc, s.rule.passes, s.bid, s.response
        below = [x.may_accept_below_reservation for x in strategies]
        watch = [_observes(x) for x in strategies]
        columns = (s.offers, s.proposers, s.responses) if s.trace else None
        for r in range(s.R):
            if (r == 0 or not s._static) and not s.check_walk_away(r):
                return s.finish("walk-away", r, None)
            seats = s.seats
            p = seats[r % len(seats)]
            offer = bid(p, r)
            history.append((r, p, offer))
            accept = [False] * a
            responses: list[bool | None] = [None] * a
            accept[p] = views[p].u[offer] * disc[r][p] >= res[r][p] - TOL or below[p]
            for q in seats:
                if q == p:
                    continue
                v = views[q]
                if watch[q]:
                    strategies[q].observe(v, p, offer)
                uq = v.u[offer]
                if uq > v.best_received:
                    v.best_received = uq
                accept[q] = responses[q] = response(q, offer, r)
            if columns is not None:  # the trace (`_State.record`, inlined)
                columns[0].append(offer)
                columns[1].append(ids[p])
                columns[2].append(tuple(responses))
            if passes(accept, offer):
                return s.finish("agreement", r, offer)
        return s.finish("deadline", None, None)


def _observes(strategy: Strategy) -> bool:
    """Whether `strategy` does anything when it observes an offer (the base class's hook does
    nothing; most strategies keep it)."""
    return "observe" in vars(strategy) or type(strategy).observe is not Strategy.observe


@PROTOCOLS.register(
    "multilateral",
    parties="n",
    deadline="rounds",
    discounting=True,
    mediated=False,
    rules="unanimity, quorum, veto",
    cite="Aydoğan et al. 2017 (stacked alternating offers), with voting rules",
)
class MultilateralOffers(AlternatingOffers):
    """Multilateral rotating offers: each proposal goes to a vote under the agreement rule."""

    name = "multilateral"
    max_parties: ClassVar[int | None] = None


@PROTOCOLS.register(
    "mediated",
    parties="n",
    deadline="rounds",
    discounting=True,
    mediated=True,
    rules="unanimity, quorum, veto",
    cite="Raiffa 1982 ch. 14; Klein et al. 2003 §3",
)
class SingleText(Protocol):
    """Mediated single negotiating text: a mediator improves one text; parties accept or veto."""

    name = "mediated"

    def __init__(self, start: int | None = None, **kw: Any) -> None:
        super().__init__(**kw)
        self.start = start

    def params(self) -> dict[str, Any]:
        return {**super().params(), "start": self.start}

    def _play(self, s: _State) -> Session:
        d = s.domain
        a = d.n
        rng = make_rng(int(s.views[0].rng.integers(2**63)))
        text = self.start if self.start is not None else d.status_quo
        if text is None:
            text = int(rng.integers(d.size))
        n_levels = d.levels.max(axis=0) + 1
        lookup = {tuple(row): i for i, row in enumerate(d.levels.tolist())}
        for r in range(s.R):
            if not s.check_walk_away(r):
                return s.finish("walk-away", r, None)
            seats = s.seats
            lv = d.levels[text].copy()
            k = int(rng.integers(lv.size))
            lv[k] = min(max(lv[k] + (1 if rng.random() < 0.5 else -1), 0), n_levels[k] - 1)
            cand = lookup.get(tuple(lv.tolist()), text)
            votes = np.zeros(a, dtype=bool)
            for i in seats:
                u = s.views[i].utility
                aspiration = u[s.bid(i, r)]
                votes[i] = u[cand] >= u[text] - TOL or u[cand] >= aspiration - TOL
            if s.rule.passes(votes, cand):
                text = cand
            s.history.append((r, -1, text))
            accept = np.zeros(a, dtype=bool)
            responses: list[bool | None] = [None] * a
            for i in seats:
                accept[i] = responses[i] = s.response(i, text, r)
            s.record(r, MEDIATOR, text, responses)
            if s.rule.passes(accept, text):
                return s.finish("agreement", r, text)
        return s.finish("deadline", None, None)


def make_protocol(name: str | Protocol = "alternating", **params: Any) -> Protocol:
    """A protocol by registered name with its parameters (rule, quorum, veto, …)."""
    if isinstance(name, Protocol):
        return name
    try:
        protocol: Protocol = PROTOCOLS.create(name, **params)
        return protocol
    except TypeError as e:
        raise InputError(
            Problem(f"bad parameters for protocol {name!r}: {e}", ("protocol",), params)
        ) from None


def run_session(
    domain: Domain,
    strategies: Sequence[StrategyLike],
    protocol: str | Protocol = "alternating",
    *,
    rounds: int = 100,
    seed: SeedLike = 0,
    reservation_at: ReservationAt | None = None,
    trace: bool = True,
    **protocol_params: Any,
) -> Session:
    """Play one session: ``run_session(domain, ["boulware", "conceder"], rounds=100)``."""
    proto = make_protocol(protocol, **protocol_params)
    return proto.run(
        domain, strategies, rounds=rounds, seed=seed, reservation_at=reservation_at, trace=trace
    )
