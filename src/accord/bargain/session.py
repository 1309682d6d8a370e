"""Results of a bargaining session: the trace of rounds and the outcome.

A `Session` records, for every round, who proposed, the offer (an outcome index, shown in
issue units), each party's response, every party's utility of the offer, and the offer's
distance in utility space to the Pareto frontier and to the Nash point; and at the end whether
an agreement was reached, in which round, on what, and why the session stopped
(``agreement``, ``deadline``, ``walk-away`` or ``impasse``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import repeat
from typing import TYPE_CHECKING, Any, NamedTuple, overload

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from accord.results import Plottable, jsonable

if TYPE_CHECKING:
    from accord.bargain.domain import Domain

FloatArray = NDArray[np.float64]

MEDIATOR = "mediator"


def front_distance(frontier_utility: FloatArray, u: FloatArray) -> float:
    """Euclidean distance in utility space from `u` (A,) to the nearest frontier point."""
    diff = frontier_utility - u[None, :]
    return float(np.sqrt((diff**2).sum(axis=1)).min())


class Step(NamedTuple):
    """One round: the proposer's offer and the others' responses (None: did not respond).

    An immutable record with named fields. It is a named tuple, not a dataclass, so that a
    trace of thousands of rounds is built in bulk at C speed (`trace_steps`): reading the
    trace of a 200-offer session used to cost more than twice the session itself.
    """

    round: int
    t: float
    proposer: str
    offer: int
    responses: tuple[bool | None, ...]
    utility: tuple[float, ...]
    reservation: tuple[float, ...]
    pareto_distance: float
    nash_distance: float
    offer_units: dict[str, float | str] = {}  # noqa: RUF012  # read-only; shared per offer


def trace_steps(
    domain: Domain,
    offers: Sequence[int] | NDArray[np.int64],
    proposers: Sequence[str],
    responses: Sequence[tuple[bool | None, ...]],
    reservations: Sequence[tuple[float, ...]],
    times: Sequence[float],
) -> tuple[Step, ...]:
    """The `Step` records of rounds 0 … len(offers) − 1 from the trace's columns.

    Per-outcome values (utilities, distances, issue units) are computed once per distinct
    offer and shared by the steps that repeat it (a time-dependent party repeats its bid for
    many rounds); the records are then zipped from the columns without a Python call per
    step. The other columns may be longer than ``offers``: their first ``len(offers)`` items
    are used.
    """
    n = len(offers)
    if n == 0:
        return ()
    arr = np.asarray(offers, dtype=np.int64)
    offer = arr.tolist()
    uniq = list(dict.fromkeys(offer))
    d = domain
    util = dict(zip(uniq, map(tuple, d.utility[uniq].tolist()), strict=True))
    units: dict[int, dict[str, float | str]]
    if d.outcomes is None or d.lo is None or d.hi is None:
        units = {o: {"outcome": o} for o in uniq}
    else:
        x = (d.lo + d.outcomes[uniq] * (d.hi - d.lo)).tolist()
        keys = d.issue_ids
        units = {o: dict(zip(keys, row, strict=True)) for o, row in zip(uniq, x, strict=True)}
    columns = zip(
        range(n),
        times,
        proposers,
        offer,
        responses,
        map(util.__getitem__, offer),
        reservations,
        d.pareto_distance[arr].tolist(),
        d.nash_distance[arr].tolist(),
        map(units.__getitem__, offer),
        strict=False,
    )
    return tuple(map(tuple.__new__, repeat(Step), columns))


class LazySteps(Sequence[Step]):
    """The steps of a trace, built from its columns the first time they are read.

    A session keeps its trace as columns (the vectorised session as arrays, the loop as three
    lists it appends to); turning them into `Step` records (`trace_steps`) costs about as much
    as playing a vectorised session, and many callers (tournaments, Monte-Carlo, the summary
    line) never read them. Behaves as the tuple of steps: length (without building),
    indexing, iteration, equality with a tuple; it pickles as the tuple.
    """

    __slots__ = ("_build", "_n", "_steps")

    def __init__(self, n: int, build: Callable[[], tuple[Step, ...]]) -> None:
        self._n = n
        self._build: Callable[[], tuple[Step, ...]] | None = build
        self._steps: tuple[Step, ...] | None = None

    def _all(self) -> tuple[Step, ...]:
        if self._steps is None:
            assert self._build is not None
            self._steps, self._build = self._build(), None
        return self._steps

    def __len__(self) -> int:
        return self._n

    @overload
    def __getitem__(self, i: int) -> Step: ...
    @overload
    def __getitem__(self, i: slice) -> tuple[Step, ...]: ...
    def __getitem__(self, i: int | slice) -> Step | tuple[Step, ...]:
        return self._all()[i]

    def __iter__(self) -> Iterator[Step]:
        return iter(self._all())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence) and not isinstance(other, str):
            return self._all() == tuple(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # steps hold dicts: unhashable, as the tuple

    def __repr__(self) -> str:
        return repr(self._all())

    def __reduce__(self) -> tuple[Any, ...]:
        return (tuple, (self._all(),))


@dataclass(frozen=True, eq=False)
class Session(Plottable):
    """One negotiation from the first offer to agreement, walk-away or deadline.

    ``round`` is the agreement round (None without agreement); ``played`` the rounds played;
    ``utility`` each seat's utility of the agreement, or its reservation without one.
    """

    protocol: str
    domain: str
    ids: tuple[str, ...]
    strategies: tuple[str, ...]
    agreement: bool
    round: int | None
    outcome: int | None
    utility: FloatArray
    discounted: FloatArray
    reservation: FloatArray
    reason: str
    rounds: int
    played: int
    steps: Sequence[Step] = ()
    outcome_units: dict[str, float | str] = field(default_factory=dict)
    pareto_distance: float = float("nan")
    nash_distance: float = float("nan")
    nash_utility: FloatArray | None = None
    walked: tuple[str, ...] = ()
    params: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready record with the trace."""
        return {
            "protocol": self.protocol,
            "domain": self.domain,
            "params": jsonable(self.params),
            "seats": list(self.ids),
            "strategies": dict(zip(self.ids, self.strategies, strict=True)),
            "agreement": self.agreement,
            "reason": self.reason,
            "round": self.round,
            "rounds": self.rounds,
            "played": self.played,
            "outcome": self.outcome,
            "outcome_units": jsonable(self.outcome_units),
            "utility": jsonable(dict(zip(self.ids, self.utility, strict=True))),
            "discounted_utility": jsonable(dict(zip(self.ids, self.discounted, strict=True))),
            "reservation": jsonable(dict(zip(self.ids, self.reservation, strict=True))),
            "pareto_distance": jsonable(self.pareto_distance),
            "nash_distance": jsonable(self.nash_distance),
            "nash_utility": None
            if self.nash_utility is None
            else jsonable(dict(zip(self.ids, self.nash_utility, strict=True))),
            "walked_away": list(self.walked),
            "trace": [self._step_dict(s) for s in self.steps],
        }

    def _step_dict(self, s: Step) -> dict[str, Any]:
        return {
            "round": s.round,
            "t": jsonable(s.t),
            "proposer": s.proposer,
            "offer": s.offer,
            "offer_units": jsonable(s.offer_units),
            "responses": dict(zip(self.ids, s.responses, strict=True)),
            "utility": jsonable(dict(zip(self.ids, s.utility, strict=True))),
            "reservation": jsonable(dict(zip(self.ids, s.reservation, strict=True))),
            "pareto_distance": jsonable(s.pareto_distance),
            "nash_distance": jsonable(s.nash_distance),
        }

    def to_frame(self) -> pd.DataFrame:
        """Tidy table: one row per (round, party) with the offer, response and utility."""
        rows = []
        for s in self.steps:
            for a, seat in enumerate(self.ids):
                rows.append(
                    {
                        "round": s.round,
                        "t": s.t,
                        "proposer": s.proposer,
                        "offer": s.offer,
                        "party": seat,
                        "strategy": self.strategies[a],
                        "response": s.responses[a],
                        "utility": s.utility[a],
                        "reservation": s.reservation[a],
                        "pareto_distance": s.pareto_distance,
                        "nash_distance": s.nash_distance,
                        **{f"issue:{k}": v for k, v in s.offer_units.items()},
                    }
                )
        return pd.DataFrame(rows)
