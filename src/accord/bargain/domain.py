"""The bargaining domain: a finite set of outcomes and every seat's utility of each.

Bargaining engines work on indices into a discrete outcome set, as GENIUS/ANAC domains do
(Baarslag et al. 2015, "GENIUS: an integrated environment for supporting the design of
generic automated negotiators"): an offer is an outcome index, a party's utility of it is one
array lookup. A `Domain` holds

- ``utility`` (N, A): every seat's utility of every outcome, and ``reservation`` (A,);
- ``levels`` (N, K): the value index of each outcome on each issue (what a frequency opponent
  model counts), with ``outcomes`` (N, K) normalised to [0, 1] when the domain comes from a
  scenario;
- for bloc seats, the utilities of the members (``member_utility``), so that a veto set can
  name an actor inside a bloc and check that actor with its own utility.

Decisions (the design is silent on them):

- The outcome grid of a scenario (`domain_from_compiled`) takes ``levels`` evenly spaced
  values on every continuous issue plus the status quo value, and every option of an options
  issue. It duplicates the grid of `accord.space` (written in parallel); the lead may merge
  them. Spaces over ``max_outcomes`` are refused with a `LimitError`.
- The Pareto frontier and the Nash point come from `accord.analysis` (Nash 1950: the maximum
  of the product of gains over the reservations, among outcomes every seat strictly prefers to
  no deal); they and the distances in utility space are computed once per domain and
  cached; the Nash point uses the initial reservations even when a session moves them.
- Red lines and bloc rules (docs/preferences.md) enter through the one acceptance logic,
  `accord.scenario.decide`: a package a seat's rule refuses whatever the seat's own utility
  (a red line of the seat or of a member of a weighted bloc; under consensus or quorum, the
  members' own verdicts at their initial reservations) is worth 0 to that seat, the worst
  outcome, and a package breaking a member's red line is worth 0 to that member. Strategies
  therefore never offer or accept it, and the walk-away rule and the zone see the same verdicts
  as `accord analyze`. ``vetoed`` (N, A) records which packages were set so.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from itertools import product

import numpy as np
from numpy.typing import NDArray

from accord.analysis.bargaining import nash_point
from accord.analysis.pareto import pareto_frontier
from accord.bargain.acceptance import TOL
from accord.errors import InputError, LimitError, Problem
from accord.scenario import Compiled
from accord.scenario.decide import decide
from accord.seeding import make_rng
from accord.space import grid

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

MAX_OUTCOMES = 200_000


@dataclass(frozen=True, eq=False)
class Domain:
    """A finite outcome set with the seats' utilities; see the module docstring."""

    ids: tuple[str, ...]
    utility: FloatArray
    reservation: FloatArray
    levels: IntArray
    outcomes: FloatArray | None = None
    issue_ids: tuple[str, ...] = ()
    lo: FloatArray | None = None
    hi: FloatArray | None = None
    n_options: IntArray | None = None
    member_ids: tuple[str, ...] = ()
    member_utility: FloatArray | None = None
    member_reservation: FloatArray | None = None
    seat_members: tuple[tuple[int, ...], ...] = ()
    status_quo: int | None = None
    name: str = "domain"
    vetoed: NDArray[np.bool_] | None = None

    @property
    def n(self) -> int:
        """Number of seats."""
        return len(self.ids)

    @property
    def size(self) -> int:
        """Number of outcomes."""
        return int(self.utility.shape[0])

    def index(self, seat: str) -> int:
        """Column of seat `seat`."""
        return self.ids.index(seat)

    @cached_property
    def order(self) -> IntArray:
        """(A, N): outcome indices sorted by each seat's utility, ascending (stable)."""
        return np.argsort(self.utility.T, axis=1, kind="stable")

    @cached_property
    def sorted_utility(self) -> FloatArray:
        """(A, N): each seat's utilities in ascending order."""
        return np.take_along_axis(self.utility.T, self.order, axis=1)

    @cached_property
    def lists(self) -> tuple[list[list[float]], list[list[int]], list[list[float]]]:
        """Plain-Python copies (sorted utilities, orders, utilities by seat) for scalar loops."""
        return (self.sorted_utility.tolist(), self.order.tolist(), self.utility.T.tolist())

    @cached_property
    def best(self) -> FloatArray:
        """(A,): each seat's highest utility over the outcomes."""
        return self.utility.max(axis=0)

    @cached_property
    def hopeless(self) -> bool:
        """Whether some seat's best outcome is worth no more than its reservation (within the
        acceptance tolerance): that seat walks away at once."""
        return bool((self.best <= self.reservation + TOL).any())

    def at_least(self, seat: int, target: float) -> int:
        """The outcome of least utility ≥ `target` for `seat` (its best one if none reaches)."""
        su = self.sorted_utility[seat]
        j = int(np.searchsorted(su, target - 1e-12, side="left"))
        return int(self.order[seat, min(j, su.size - 1)])

    @cached_property
    def pareto(self) -> IntArray:
        """Indices of the Pareto-optimal outcomes (no outcome at least as good for all, better
        for one), sorted by the first seat's utility."""
        return pareto_indices(self.utility)

    @cached_property
    def pareto_utility(self) -> FloatArray:
        """(F, A): the utilities of the Pareto-optimal outcomes (`pareto`)."""
        return self.utility[self.pareto]

    @cached_property
    def nash(self) -> int | None:
        """The Nash bargaining point (Nash 1950, eq. of the product of gains), or ``None``
        when no outcome gives every seat at least its reservation."""
        return nash_point(self.utility, self.reservation)

    @cached_property
    def pareto_distance(self) -> FloatArray:
        """(N,): Euclidean distance in utility space from each outcome to the frontier."""
        front = self.pareto_utility
        out = np.empty(self.size)
        step = max(1, 2_000_000 // max(1, front.size))
        for s in range(0, self.size, step):
            diff = self.utility[s : s + step, None, :] - front[None, :, :]
            out[s : s + step] = np.sqrt((diff**2).sum(axis=2)).min(axis=1)
        return out

    @cached_property
    def nash_distance(self) -> FloatArray:
        """(N,): Euclidean distance in utility space from each outcome to the Nash point."""
        if self.nash is None:
            return np.full(self.size, np.nan)
        return np.sqrt(((self.utility - self.utility[self.nash]) ** 2).sum(axis=1))

    def agreement_zone(self) -> IntArray:
        """Outcomes every seat values at least at its reservation (the ZOPA)."""
        return np.flatnonzero((self.utility >= self.reservation[None, :] - 1e-12).all(axis=1))

    def to_units(self, i: int) -> dict[str, float | str]:
        """Outcome `i` issue by issue in the scenario's units (the option index for options
        issues), or ``{"outcome": i}`` for an abstract domain."""
        if self.outcomes is None or self.lo is None or self.hi is None:
            return {"outcome": i}
        x = self.lo + self.outcomes[i] * (self.hi - self.lo)
        return {k: float(v) for k, v in zip(self.issue_ids, x, strict=True)}

    def with_reservation(self, reservation: FloatArray) -> Domain:
        """The same domain with other seat reservations (cached analyses recomputed)."""
        from dataclasses import replace

        return replace(self, reservation=np.asarray(reservation, dtype=float))


def pareto_indices(u: FloatArray) -> IntArray:
    """Non-dominated rows of ``u`` (N, A), maximising every column, sorted by the first
    column (`accord.analysis.pareto.pareto_frontier`, one row per distinct utility vector)."""
    front = pareto_frontier(u)
    _, first = np.unique(u[front], axis=0, return_index=True)
    front = front[np.sort(first)]
    return front[np.lexsort((-u[front, 1 % u.shape[1]], u[front, 0]))].astype(np.int64)


def issue_grid(c: Compiled, levels: int = 5) -> list[FloatArray]:
    """Normalised values of each issue in the outcome grid: the axes of `accord.space.grid`
    (every option; ``levels`` evenly spaced values plus the status quo on a continuous issue)."""
    if levels < 2:
        raise InputError(Problem("at least 2 levels per continuous issue", ("levels",), levels))
    return list(grid(c, resolution=levels).axes)


def domain_from_compiled(
    c: Compiled, levels: int = 5, max_outcomes: int = MAX_OUTCOMES, name: str = "scenario"
) -> Domain:
    """The outcome grid of a compiled scenario with every seat's (and member's) utility."""
    grids = issue_grid(c, levels)
    size = int(np.prod([len(g) for g in grids], dtype=float))
    if size > max_outcomes:
        hint = "fewer options, or fewer points per continuous issue (accord negotiate --resolution)"
        raise LimitError("outcome grid size", size, max_outcomes, hint)
    lv = np.array(list(product(*[range(len(g)) for g in grids])), dtype=np.int64)
    x = np.stack([grids[k][lv[:, k]] for k in range(c.k)], axis=1)
    mu = c.utility(c.actors, x)
    u = c.utility(c.seats, x, actor_utility=mu)
    sq_levels = [int(np.argmin(np.abs(g - c.status_quo[k]))) for k, g in enumerate(grids)]
    sq = int(np.flatnonzero((lv == np.array(sq_levels)).all(axis=1))[0])
    u, mu, vetoed = _vetoed(c, x, u, mu, sq)
    return Domain(
        ids=c.seats.ids,
        utility=u,
        reservation=np.asarray(c.seats.reservation, dtype=float).copy(),
        levels=lv,
        outcomes=x,
        issue_ids=c.issue_ids,
        lo=c.lo,
        hi=c.hi,
        n_options=c.n_options,
        member_ids=c.actors.ids,
        member_utility=mu,
        member_reservation=np.asarray(c.actors.reservation, dtype=float).copy(),
        seat_members=c.seat_members,
        status_quo=sq,
        name=name,
        vetoed=vetoed,
    )


def _vetoed(
    c: Compiled, x: FloatArray, u: FloatArray, mu: FloatArray, status_quo: int
) -> tuple[FloatArray, FloatArray, NDArray[np.bool_] | None]:
    """Seat and member utilities with vetoed packages set to 0 (module docstring). The
    status-quo outcome is no deal, worth the reservation: red lines constrain deals, not it."""
    rules = {r for r, _, _ in c.seat_rules}
    if not c.red_lines and rules <= {"actor", "weighted"}:
        return u, mu, None
    v = decide(c, x, utility=u, actor_utility=mu)
    by_rule = np.array([r in ("consensus", "quorum") for r, _, _ in c.seat_rules], dtype=bool)
    ok = np.where(by_rule[None, :], v.accepts, v.feasible)
    members_ok = np.ones_like(mu, dtype=bool)
    for i, rl in enumerate(c.red_lines):
        members_ok[:, rl.actor] &= v.breach[:, i] <= 0
    ok[status_quo] = True
    members_ok[status_quo] = True
    return np.where(ok, u, 0.0), np.where(members_ok, mu, 0.0), ~ok


def random_domain(
    n_outcomes: int = 1000,
    n_parties: int = 2,
    *,
    issues: int = 3,
    reservation: float = 0.0,
    seed: int | np.random.Generator = 0,
    opposition: float = 0.8,
) -> Domain:
    """A GENIUS/ANAC-style linear-additive domain of about `n_outcomes` outcomes.

    `issues` discrete issues share the outcomes (values per issue ≈ n^(1/issues)); every
    party has random issue weights and random value scores in [0, 1]; ``opposition`` in [0, 1]
    mixes the scores of party *a* towards the reverse of party *a − 1*'s, so that the parties
    want opposite things (ANAC domains are opposed by design).
    """
    rng = make_rng(seed)
    per = max(2, round(n_outcomes ** (1.0 / issues)))
    sizes = [per] * issues
    while int(np.prod(sizes)) < n_outcomes:
        sizes[int(np.argmin(sizes))] += 1
    lv = np.array(list(product(*[range(s) for s in sizes])), dtype=np.int64)[:n_outcomes]
    u = np.zeros((lv.shape[0], n_parties))
    prev: list[FloatArray] | None = None
    for a in range(n_parties):
        w = rng.dirichlet(np.ones(issues))
        scores = [rng.random(s) for s in sizes]
        if prev is not None:
            scores = [
                opposition * (1 - p) + (1 - opposition) * s
                for p, s in zip(prev, scores, strict=True)
            ]
        prev = scores
        for k in range(issues):
            u[:, a] += w[k] * scores[k][lv[:, k]]
    lo, hi = u.min(axis=0), u.max(axis=0)
    u = (u - lo) / np.where(hi > lo, hi - lo, 1.0)
    return Domain(
        ids=tuple(f"p{a}" for a in range(n_parties)),
        utility=u,
        reservation=np.full(n_parties, float(reservation)),
        levels=lv,
        name=f"random-{lv.shape[0]}x{n_parties}",
    )


def domain_from_utilities(
    utility: FloatArray,
    reservation: FloatArray | None = None,
    ids: tuple[str, ...] | None = None,
    levels: IntArray | None = None,
    name: str = "domain",
) -> Domain:
    """A domain from a utility table (N, A), e.g. read from a GENIUS/ANAC domain."""
    u = np.asarray(utility, dtype=float)
    if u.ndim != 2 or u.shape[0] < 1 or u.shape[1] < 2:
        raise InputError(
            Problem(
                "expected a utility table of shape (outcomes, parties ≥ 2)",
                ("utility",),
                list(u.shape),
            )
        )
    if not np.isfinite(u).all():
        raise InputError(Problem("utilities must be finite", ("utility",)))
    a = u.shape[1]
    res = np.zeros(a) if reservation is None else np.asarray(reservation, dtype=float)
    lv = np.arange(u.shape[0], dtype=np.int64)[:, None] if levels is None else levels
    return Domain(
        ids=ids or tuple(f"p{i}" for i in range(a)),
        utility=u,
        reservation=res,
        levels=np.asarray(lv, dtype=np.int64),
        name=name,
    )
