"""What a protocol reveals to one party: its own utility, the time, and the offers made.

A strategy never sees another party's utility unless its class declares the trait
``needs_opponent_utility``; then the protocol fills ``others_utility`` and
``others_reservation``. The view is a mutable working record owned by the protocol (it is
updated in place every round, for speed); it is not a result.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]


@dataclass(eq=False)
class View:
    """One party's view of a running session."""

    seat: int
    n_parties: int
    utility: FloatArray
    order: IntArray
    sorted_utility: FloatArray
    levels: IntArray
    reservation: float
    rounds: int
    rng: np.random.Generator
    round: int = 0
    t: float = 0.0
    discount: float = 1.0
    best_received: float = -np.inf
    history: list[tuple[int, int, int]] = field(default_factory=list)
    others_utility: FloatArray | None = None
    others_reservation: FloatArray | None = None
    plain: tuple[list[float], list[float], list[int]] | None = field(default=None, repr=False)
    """(utility, sorted utility, order) as lists when the caller has them (a domain keeps
    them for all its sessions: `Domain.lists`); read-only, they may be shared."""

    def __post_init__(self) -> None:
        if self.plain is None:
            self.plain = (self.utility.tolist(), self.sorted_utility.tolist(), self.order.tolist())
        self.u: list[float] = self.plain[0]
        self._su: list[float] = self.plain[1]
        self._order: list[int] = self.plain[2]
        self.best: float = self._su[-1]
        self.best_outcome: int = self.at_least(self.best)

    def at_least(self, target: float) -> int:
        """The outcome of least utility ≥ `target` (ties: lowest index; best if none)."""
        j = bisect_left(self._su, target - 1e-12)
        return self._order[j if j < len(self._su) else -1]

    def offers_by_others(self) -> list[int]:
        """Outcomes offered by the other parties so far, oldest first.

        Kept as the history grows (the protocol only appends to it), so asking every round
        costs the new entries, not the whole history again."""
        h = self.history
        seen: tuple[list[tuple[int, int, int]], int, list[int]] | None
        seen = self.__dict__.get("_others")
        if seen is None or seen[0] is not h or seen[1] > len(h):
            seen = (h, 0, [])
        mine = seen[2]
        if seen[1] < len(h):
            mine.extend(o for _, s, o in h[seen[1] :] if s != self.seat and o >= 0)
        self._others = (h, len(h), mine)
        return list(mine)
