"""Many bilateral sessions of time-dependent strategies, advanced together with numpy.

A Faratin et al. (1998, §4.2.1) time-dependent strategy's bid at round r depends only on the
time, so a whole session of two such strategies under AC_next (Baarslag et al. 2011) is a
function of the concession exponents: every bid of every round of B sessions is one
vectorised inverse-utility lookup (B × 2 × (R + 1) binary searches), and the agreement round is
the first round whose offer the responder values at least as much as its own next bid. The
result is identical to `AlternatingOffers` on the same sessions (tested), with the same time
grid t = r / (R − 1), the same outcome choice (least own utility ≥ target, lowest index among
ties) and the same walk-away rule. Not covered (use the session loop): discounting, moving
reservations, other acceptance conditions and strategies.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

import numpy as np
from numpy.typing import NDArray

from accord.bargain.acceptance import TOL, Next
from accord.bargain.domain import Domain
from accord.bargain.session import LazySteps, Session, Step, front_distance, trace_steps
from accord.bargain.strategies import Strategy, TimeDependent
from accord.errors import InputError, Problem

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]


@dataclass(frozen=True, eq=False)
class Batch:
    """Outcomes of B sessions: ``round``/``outcome`` are −1 where there was no agreement."""

    agreement: NDArray[np.bool_]
    round: IntArray
    outcome: IntArray
    utility: FloatArray
    walked: bool

    def __len__(self) -> int:
        return int(self.agreement.size)


_HOOKS = frozenset(("start", "bid", "accepts", "observe"))
_AC_NEXT = Next()


@cache
def _plain_time_dependent(cls: type) -> bool:
    """Whether `cls` is a time-dependent strategy that replaces none of the loop's hooks."""
    return issubclass(cls, TimeDependent) and all(
        getattr(cls, h) is getattr(TimeDependent, h) for h in _HOOKS
    )


def batchable(strategies: list[Strategy]) -> bool:
    """Whether a pair of strategies can be played by `time_dependent_batch`: time-dependent,
    AC_next, and none of the methods the loop calls replaced (by a subclass or on the
    instance), since the vectorised paths never call them."""
    return len(strategies) == 2 and all(
        _plain_time_dependent(type(s)) and s.acceptance == _AC_NEXT and _HOOKS.isdisjoint(vars(s))
        for s in strategies
    )


@lru_cache(maxsize=64)
def round_times(rounds: int) -> FloatArray:
    """Relative time t = r / (R − 1) of rounds 0..R (capped at 1), as in the session loop."""
    if rounds <= 1:
        t = np.ones(rounds + 1)
    else:
        t = np.minimum(1.0, np.arange(rounds + 1) / (rounds - 1))
    t.flags.writeable = False
    return t


_NEVER = np.iinfo(np.int64).max


def _first(accept: NDArray[np.bool_], start: int) -> IntArray:
    """Round of the first True per row of `accept` (every other round from `start`), or
    `_NEVER`."""
    if accept.shape[1] == 0:
        return np.full(accept.shape[0], _NEVER, dtype=np.int64)
    return np.where(accept.any(axis=1), accept.argmax(axis=1) * 2 + start, _NEVER)


def _bids(domain: Domain, a: int, e: FloatArray, times: FloatArray) -> IntArray:
    """Seat `a`'s bids (B, len(times)) for exponents `e` (B,) at the relative `times`."""
    best = float(domain.best[a])
    res = min(float(domain.reservation[a]), best)
    target = res + (best - res) * (1.0 - np.power(times[None, :], 1.0 / e[:, None]))
    su = domain.sorted_utility[a]
    j = np.minimum(np.searchsorted(su, target - 1e-12, side="left"), su.size - 1)
    return domain.order[a][j]


def time_dependent_session(
    domain: Domain, e0: float, e1: float, rounds: int = 100
) -> tuple[int, int]:
    """One session of `time_dependent_batch`, round by round in plain Python with an early
    stop: ``(agreement round, outcome)``, or ``(-1, -1)`` without agreement.

    Faster than the vectorised batch for one session; the same arithmetic as the session loop
    (`TimeDependent.bid` and AC_next), without its per-round bookkeeping.
    """
    res0 = domain.reservation
    if (domain.best <= res0 + TOL).any():
        return -1, -1
    su, order, u = domain.lists
    best = [su[0][-1], su[1][-1]]
    res = [min(float(res0[0]), best[0]), min(float(res0[1]), best[1])]
    floor = [float(res0[0]) - TOL, float(res0[1]) - TOL]
    inv = [1.0 / e0, 1.0 / e1]
    last = len(su[0]) - 1
    times = round_times(rounds).tolist()

    def bid(a: int, r: int) -> int:
        target = res[a] + (best[a] - res[a]) * (1.0 - times[r] ** inv[a])
        j = bisect_left(su[a], target - 1e-12)
        return order[a][j if j <= last else last]

    offer = bid(0, 0)
    for r in range(rounds):
        p = r & 1
        q = 1 - p
        nxt = bid(q, r + 1)
        uq = u[q][offer]
        if uq >= floor[q] and uq >= u[q][nxt] - TOL and u[p][offer] >= floor[p]:
            return r, offer
        offer = nxt
    return -1, -1


def time_dependent_batch(
    domain: Domain, exponents: FloatArray, rounds: int = 100, block: int = 0
) -> Batch:
    """Play B bilateral alternating-offers sessions at once; ``exponents`` is (B, 2).

    Seat 0 opens. Reservations are the domain's; no discounting. Rounds are computed in
    blocks of `block` (0: all at once for small batches, else 16), and sessions that have
    agreed drop out, as they stop in the loop.
    """
    e = np.asarray(exponents, dtype=float)
    if domain.n != 2 or e.ndim != 2 or e.shape[1] != 2:
        raise InputError(
            Problem(
                "the batch plays two seats: exponents of shape (B, 2)",
                ("exponents",),
                list(e.shape),
            )
        )
    if not (e > 0).all():
        raise InputError(Problem("concession exponents must be > 0", ("exponents",)))
    b = e.shape[0]
    if b == 1 and block == 0:
        r, o = time_dependent_session(domain, float(e[0, 0]), float(e[0, 1]), rounds)
        walked = bool((domain.best <= domain.reservation + TOL).any())
        util = domain.utility[o][None, :] if o >= 0 else domain.reservation[None, :].copy()
        return Batch(np.array([r >= 0]), np.array([r]), np.array([o]), util, walked)
    first = np.full(b, -1, dtype=np.int64)
    outcome = np.full(b, -1, dtype=np.int64)
    res0 = domain.reservation
    if (domain.best <= res0 + TOL).any():
        return Batch(np.zeros(b, bool), first, outcome, np.tile(res0, (b, 1)), True)
    times = round_times(rounds)
    u0 = np.ascontiguousarray(domain.utility[:, 0])
    u1 = np.ascontiguousarray(domain.utility[:, 1])
    f0, f1 = float(res0[0]) - TOL, float(res0[1]) - TOL
    live = np.arange(b)
    step = block if block > 0 else (rounds if b * rounds <= 200_000 else 16)
    for r0 in range(0, rounds, step):
        if live.size == 0:
            break
        r1 = min(rounds, r0 + step)
        el = e[live] if live.size < b else e
        # Seat 0 offers in even rounds and responds in odd ones against its bid of the next
        # (even) round: it only ever bids in even rounds; seat 1 only in odd ones.
        fe, fo = r0 + r0 % 2, r0 + 1 - r0 % 2
        b0 = _bids(domain, 0, el[:, 0], times[fe : r1 + 1 : 2])
        b1 = _bids(domain, 1, el[:, 1], times[fo : r1 + 1 : 2])
        ne, no = len(range(fe, r1, 2)), len(range(fo, r1, 2))
        se, so = r0 % 2, 1 - r0 % 2  # where the next round's bid sits in the other array
        off_e = b0[:, :ne]
        ue = u1[off_e]
        acc_e = (ue >= f1) & (ue >= u1[b1[:, se : se + ne]] - TOL) & (u0[off_e] >= f0)
        off_o = b1[:, :no]
        uo = u0[off_o]
        acc_o = (uo >= f0) & (uo >= u0[b0[:, so : so + no]] - TOL) & (u1[off_o] >= f1)
        ke, ko = _first(acc_e, fe), _first(acc_o, fo)
        k = np.minimum(ke, ko)
        hit = k < _NEVER
        first[live[hit]] = k[hit]
        rows = np.flatnonzero(hit)
        even = ke[hit] <= ko[hit]
        ie = np.where(even, (ke[hit] - fe) // 2, 0)
        io = np.where(even, 0, (ko[hit] - fo) // 2)
        outcome[live[hit]] = np.where(even, b0[rows, ie], b1[rows, io])
        live = live[~hit]
    agreed = first >= 0
    util = np.where(agreed[:, None], domain.utility[np.maximum(outcome, 0)], res0[None, :])
    return Batch(agreed, first, outcome, util, False)


def time_dependent_multilateral(
    domain: Domain, exponents: FloatArray, rounds: int = 100, quorum: int | None = None
) -> tuple[int, int]:
    """One multilateral session of time-dependent strategies, every round at once.

    Seat ``r mod A`` proposes in round r; each other seat accepts under AC_next (the offer is
    worth at least its own bid for round r + 1, and at least its reservation); the offer carries
    when ``quorum`` seats (default: all) accept. All bids of all seats and rounds are one
    vectorised inverse-utility lookup, so the session costs O(A·R) array work instead of
    A·R Python calls. Identical to `MultilateralOffers` with the same strategies, static
    reservations and no discounting (tested). Returns ``(agreement round, outcome)`` or
    ``(-1, -1)``; a seat whose best outcome is no better than its reservation walks away at
    once, as in the loop, which ends the session.
    """
    e = np.asarray(exponents, dtype=float)
    a = domain.n
    if e.shape != (a,) or not (e > 0).all():
        raise InputError(Problem(f"{a} exponents > 0 are needed", ("exponents",), e.tolist()))
    res = domain.reservation
    if (domain.best <= res + TOL).any():
        return -1, -1
    times = round_times(rounds)
    bids = np.stack([_bids(domain, i, e[i : i + 1], times)[0] for i in range(a)])  # (A, R+1)
    r = np.arange(rounds)
    proposer = r % a
    offers = bids[proposer, r]
    u_offer = domain.utility[offers]  # (R, A)
    u_next = domain.utility[bids[:, 1:].T, np.arange(a)]  # (R, A): u_q(bid_q(r + 1))
    accept = (u_offer >= res - TOL) & (u_offer >= u_next - TOL)
    accept[r, proposer] = u_offer[r, proposer] >= res[proposer] - TOL
    need = a if quorum is None else quorum
    carried = np.flatnonzero(accept.sum(axis=1) >= need)
    if carried.size == 0:
        return -1, -1
    first = int(carried[0])
    return first, int(offers[first])


@lru_cache(maxsize=64)
def _parity(rounds: int) -> IntArray:
    """``r mod 2`` of rounds 0..R: the seat that proposes in round r."""
    par = np.arange(rounds + 1) & 1
    par.flags.writeable = False
    return par


def alternating_bids(domain: Domain, e: tuple[float, float], rounds: int) -> IntArray:
    """(R + 1,): the bid of the seat whose turn it is in each round 0..R (seat 0 in even
    rounds, seat 1 in odd ones) — all a session of two time-dependent strategies under AC_next
    needs, since a seat only ever offers, or compares an offer with its own next bid, in its
    own rounds. The same arithmetic as `_bids` (the exponent broadcast, so numpy takes the
    scalar ``pow`` the session loop takes)."""
    times = round_times(rounds)
    out = np.empty(rounds + 1, dtype=np.int64)
    for a in (0, 1):
        best = float(domain.best[a])
        res = min(float(domain.reservation[a]), best)
        power = np.power(times[a::2], np.array([1.0 / e[a]]))
        target = res + (best - res) * (1.0 - power)
        su = domain.sorted_utility[a]
        j = np.minimum(np.searchsorted(su, target - 1e-12, side="left"), su.size - 1)
        out[a::2] = domain.order[a][j]
    return out


def time_dependent_full(
    domain: Domain,
    strategies: list[Strategy],
    rounds: int,
    protocol: str,
    params: dict[str, Any],
    trace: bool,
) -> Session:
    """The `Session` the alternating-offers loop returns for two time-dependent strategies
    under AC_next (`batchable`), static reservations, no discounting, unanimity and no walk-
    away, computed from every bid of both seats at once (`alternating_bids`) instead of round
    by round.

    Offer r is ``b[r]``; its responder q accepts when ``u_q(b[r]) ≥ u_q(b[r + 1]) − tol``
    (AC_next: its own next bid) and both seats get at least their reservation. The trace, when
    asked for, is built from the same arrays when it is first read (`LazySteps`), so the record
    is the loop's, field for field (tested). `run_session` calls this whenever it applies.
    """
    d = domain
    e = [s.e for s in strategies if isinstance(s, TimeDependent)]
    b = alternating_bids(d, (e[0], e[1]), rounds)
    idx = b * 2 + _parity(rounds)
    flat = d.utility.reshape(-1)
    own, other = flat[idx], flat[idx ^ 1]  # utility of each bid to its proposer, responder
    floor = d.reservation - TOL
    par = _parity(rounds)[:rounds]
    resp = (other[:rounds] >= floor[1 - par]) & (other[:rounds] >= own[1:] - TOL)
    hit = np.flatnonzero(resp & (own[:rounds] >= floor[par]))
    agreed = hit.size > 0
    last = int(hit[0]) if agreed else rounds - 1
    steps: Sequence[Step] = ()
    if trace:
        times = round_times(rounds)
        steps = LazySteps(last + 1, lambda: _steps(d, b[: last + 1], resp[: last + 1], times))
    outcome = int(b[last]) if agreed else None
    return _session(d, strategies, outcome, last, (rounds, protocol, params), steps)


def _session(
    d: Domain,
    strategies: list[Strategy],
    outcome: int | None,
    last: int,
    run: tuple[int, str, dict[str, Any]],
    steps: Sequence[Step],
) -> Session:
    """The loop's `Session` record of a session without discounting or walk-away that ended
    in round `last` on `outcome` (None: the deadline); ``run`` is (rounds, protocol, params)."""
    rounds, protocol, params = run
    res = np.array(d.reservation, dtype=float)
    if outcome is not None:
        u = d.utility[outcome].astype(float)
        nd = float(d.nash_distance[outcome])
    else:
        u = res.copy()
        nd = float("nan") if d.nash is None else float(np.linalg.norm(u - d.utility[d.nash]))
    return Session(
        protocol=protocol,
        domain=d.name,
        ids=d.ids,
        strategies=tuple(s.label() for s in strategies),
        agreement=outcome is not None,
        round=last if outcome is not None else None,
        outcome=outcome,
        utility=u,
        discounted=u.copy(),  # u·δ^t with δ = 1
        reservation=res,
        reason="deadline" if outcome is None else "agreement",
        rounds=rounds,
        steps=steps,
        played=rounds if outcome is None else last + 1,
        outcome_units=d.to_units(outcome) if outcome is not None else {},
        pareto_distance=front_distance(d.pareto_utility, u),
        nash_distance=nd,
        nash_utility=None if d.nash is None else d.utility[d.nash].copy(),
        walked=(),
        params=params,
    )


def _steps(
    d: Domain, offers: IntArray, resp: NDArray[np.bool_], times: FloatArray
) -> tuple[Step, ...]:
    """The loop's trace of rounds 0 … len(offers) − 1, from arrays: seat 0 proposes in even
    rounds and seat 1 answers, and the other way round in odd ones."""
    n = len(offers)
    # responses (seat 0, seat 1): a refusal by the responder, then the acceptances set
    responses: list[tuple[bool | None, ...]] = [(None, False), (False, None)] * (n // 2 + 1)
    for r in np.flatnonzero(resp).tolist():
        responses[r] = (True, None) if r & 1 else (None, True)
    res = tuple(d.reservation.tolist())
    return trace_steps(
        d,
        offers,
        d.ids * (n // 2 + 1),
        responses,
        [res] * n,
        times[:n].tolist(),
    )
