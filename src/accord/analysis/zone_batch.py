"""Does an agreement zone exist? The same question over many Monte-Carlo draws, on arrays.

`accord.analysis.analyze` answers it for one scenario, with the frontier, the solutions and
the gap besides; a Monte-Carlo run of `accord run` needs only the yes or no, for thousands of
re-parameterised `Compiled` (`accord.experiments.arrays.Targets.compiled`: no pydantic model
per draw). `ZoneBatch` gives that answer, and it is the answer of
``not analyze(draw, explain=False).zone_empty`` on every draw, because it asks the same
acceptance logic (`accord.scenario.decide.decide`) about the same packages:

- the packages are those of the draw's own grid (`accord.space.grid`: the status quo of a
  continuous issue is a grid point, so a drawn status quo moves the grid);
- the zone holds the packages every seat accepts by its bloc's rule (consensus, weighted,
  quorum), red lines on issues and on metrics (e.g. ``breakout_months``) included, metric terms
  and utility shapes in the utilities, one seat strictly better off than without a deal;
- without red lines, bloc rules or metric terms the zone is `agreement_mask` over the space's
  additive utility blocks (`OutcomeSpace.blocks`), as in `analyze`.

Where `analyze` estimates, so does this: a constrained space over ``enumerate_limit`` packages
is judged on the seeded uniform sample `analyze` draws (`accord.space.sample` with the same
``samples`` and ``seed``), so both look at the very same packages. An unconstrained space over
the limit has an exact answer in `analyze` (the frontier search of
`accord.analysis.search.additive_frontier`); there this module calls `analyze` on the draw.

Speed comes from not looking at most packages, never from a second acceptance rule:

- a red line of an actor seated under any rule but quorum must hold for its seat to accept
  (`decide`: a weighted bloc cannot outvote a member's red line; a consensus needs every
  member). Red lines on an issue therefore cut the grid's axes before any package is built,
  and red lines on metrics cut the packages before any utility is computed;
- metric values depend only on the package, never on a drawn number: they are computed once
  on the grid without status-quo points and looked up for every draw (`base_metrics`);
- the packages left are judged by `decide` block by block, stopping at the first block that
  holds a zone package.

An analysis grid can be large (up to `ENUMERATE_LIMIT` packages); blocks of at most ``block``
packages bound the memory of one draw.

>>> import accord
>>> from accord.analysis.zone_batch import ZoneBatch
>>> c = accord.compile(accord.load("teaching-trade"))
>>> ZoneBatch(c).many([c]).tolist() == [not accord.analyze(c).zone_empty]
True
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from numpy.typing import NDArray

from accord.analysis.bargaining import agreement_mask
from accord.analysis.constrained import needs_constraints
from accord.scenario.compile import Compiled, FloatArray
from accord.scenario.decide import actor_keeps, decide, red_line_breach
from accord.space import (
    DEFAULT_RESOLUTION,
    ENUMERATE_LIMIT,
    SPACE_LIMIT,
    OutcomeSpace,
    grid,
    sample,
)

IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]

BLOCK = 2**16
CACHE_LIMIT = 2**22
"""Largest number of metric values (packages × metrics) kept per scenario (32 MB)."""


@dataclass(frozen=True, eq=False)
class ZoneBatch:
    """The zone question of one scenario, asked of many draws of its numbers.

    `base` is the compiled scenario the draws re-parameterise (its metrics, issue scales and
    red lines' subjects are shared by every draw); the other fields are those of `analyze`.
    """

    base: Compiled
    resolution: int = DEFAULT_RESOLUTION
    enumerate_limit: int = ENUMERATE_LIMIT
    samples: int = 100_000
    seed: int = 0
    limit: int = SPACE_LIMIT
    block: int = BLOCK

    def many(self, draws: Iterable[Compiled]) -> BoolArray:
        """Whether a zone exists in each draw, in order."""
        return np.array([self.exists(c) for c in draws], dtype=bool)

    def exists(self, c: Compiled) -> bool:
        """Whether some package of the analysis grid of draw `c` is in its agreement zone."""
        return self._judge(c, self.seed, early=True)[0]

    def share(self, c: Compiled, seed: int | None = None) -> tuple[bool, float]:
        """Whether the zone of draw `c` exists, and its share of the grid (of the sample,
        drawn with `seed`, where `analyze` samples): `analyze`'s ``not zone_empty`` and
        ``zone_share``. Every package left after the red-line cuts is judged."""
        return self._judge(c, self.seed if seed is None else seed, early=False)

    def _judge(self, c: Compiled, seed: int, early: bool) -> tuple[bool, float]:
        """(a zone exists, its share); with `early` the search stops at the first block
        holding a zone package, and the share is only a lower bound."""
        space = grid(c, self.resolution, self.limit)
        if not needs_constraints(space, c, "seats"):
            return self._additive(space, seed, early)
        seated = _seated(c)
        keep = [_axis_keeps(c, space, k, seated) for k in range(c.k)]
        count = 0
        for rows in self._rows(space, keep, seed):
            count += self._in_zone(space, rows, seated)
            if early and count:
                break
        seen = space.size if space.size <= self.enumerate_limit else self.samples
        return count > 0, count / seen

    def _additive(self, space: OutcomeSpace, seed: int, early: bool) -> tuple[bool, float]:
        """No red line, rule or metric term: `agreement_mask` on the additive utility blocks
        `analyze` enumerates; over the limit, `analyze` itself."""
        c = space.compiled
        if space.size > self.enumerate_limit:
            from accord.analysis.analyze import analyze

            a = analyze(
                c,
                resolution=self.resolution,
                n_packages=1,
                offers={},
                limit=self.limit,
                enumerate_limit=self.enumerate_limit,
                samples=self.samples,
                seed=seed,
                explain=False,
            )
            return not a.zone_empty, a.zone_share
        r = c.seats.reservation
        count = 0
        for _, u in space.blocks(c.seats):
            count += int(agreement_mask(u, r).sum())
            if early and count:
                break
        return count > 0, count / space.size

    def _rows(self, space: OutcomeSpace, keep: list[BoolArray], seed: int) -> Iterator[IntArray]:
        """Per-issue indices (B, K) of the packages left after the axis cuts, in blocks: the
        whole grid, or the sample `analyze` draws when the grid is too large to enumerate."""
        if space.size > self.enumerate_limit:
            drawn = sample(space, self.samples, seed)
            ok = np.ones(len(drawn), dtype=bool)
            for k, mask in enumerate(keep):
                ok &= mask[drawn[:, k]]
            drawn = drawn[ok]
            for start in range(0, len(drawn), self.block):
                yield drawn[start : start + self.block]
            return
        axes = [np.flatnonzero(mask) for mask in keep]
        shape = tuple(len(a) for a in axes)
        n = math.prod(shape)
        for start in range(0, n, self.block):
            sub = np.unravel_index(np.arange(start, min(n, start + self.block)), shape)
            yield np.column_stack([ax[i] for ax, i in zip(axes, sub, strict=True)])

    def _in_zone(self, space: OutcomeSpace, rows: IntArray, seated: IntArray) -> int:
        """How many of the packages `rows` `decide` puts in the zone, after the packages that
        break a seated actor's red line are dropped."""
        c = space.compiled
        x = space.outcomes(rows)
        m = self._metrics(space, rows, x)
        breach = red_line_breach(c, x, m)
        keeps = actor_keeps(c, breach)
        ok = keeps[:, seated].all(axis=1)
        if not ok.any():
            return 0
        x, m, breach, keeps = x[ok], m[ok], breach[ok], keeps[ok]
        ua = c.utility(c.actors, x, metrics=m)
        u = c.utility(c.seats, x, metrics=m, actor_utility=ua)
        v = decide(c, x, utility=u, actor_utility=ua, breach=breach, keeps=keeps)
        return int(v.zone.sum())

    def _metrics(self, space: OutcomeSpace, rows: IntArray, x: FloatArray) -> FloatArray:
        """Metric values (B, M) of packages `rows`: looked up on the base grid where every
        coordinate is a base grid point, computed for the rest (status-quo points)."""
        c = space.compiled
        if not c.metrics.names:
            return np.zeros((len(rows), 0))
        table = base_metrics(self.base, self.resolution) if c.metrics is self.base.metrics else None
        if table is None:
            return c.metrics.values(c.to_units(x))
        base, values = table
        idx = np.column_stack([base[k][space.axes[k]][rows[:, k]] for k in range(c.k)])
        known = (idx >= 0).all(axis=1)
        out = np.empty((len(rows), len(c.metrics.names)))
        shape = tuple(len(ax) for ax in _base_axes(self.base, self.resolution))
        if known.any():
            out[known] = values[np.ravel_multi_index(idx[known].T, shape)]
        if not known.all():
            out[~known] = c.metrics.values(c.to_units(x[~known]))
        return out


def _base_axes(c: Compiled, resolution: int) -> list[FloatArray]:
    """The grid's axes without status-quo points: options, or `resolution` even steps."""
    return [
        np.arange(m) / (m - 1) if (m := int(c.n_options[k])) else np.linspace(0.0, 1.0, resolution)
        for k in range(c.k)
    ]


class _AxisIndex:
    """Maps values of a draw's axis to their index on a base axis (-1 where not on it)."""

    def __init__(self, base: FloatArray) -> None:
        self.base = base

    def __getitem__(self, values: FloatArray) -> IntArray:
        pos = np.clip(np.searchsorted(self.base, values), 0, len(self.base) - 1)
        return np.where(self.base[pos] == values, pos, -1).astype(np.int64)


@lru_cache(maxsize=4)
def base_metrics(c: Compiled, resolution: int) -> tuple[list[_AxisIndex], FloatArray] | None:
    """Metric values on the base grid of `c` (its axes without status-quo points), flat in
    C order, with a map from axis value to base index per issue; None over `CACHE_LIMIT`.

    Keyed by the identity of `c` (a `Compiled` compares by identity): Monte-Carlo compiles its
    scenario once per process, so each process computes this once.
    """
    axes = _base_axes(c, resolution)
    size = math.prod(len(a) for a in axes)
    if size * len(c.metrics.names) > CACHE_LIMIT:
        return None
    mesh = np.meshgrid(*axes, indexing="ij")
    x = np.column_stack([g.ravel() for g in mesh])
    values = c.metrics.values(c.to_units(x))
    return [_AxisIndex(a) for a in axes], values


def _seated(c: Compiled) -> IntArray:
    """Actors whose red lines every package in the zone keeps: members of seats whose rule is
    not quorum (`accord.scenario.decide`: such a seat accepts only what all members' red lines
    allow)."""
    rules = c.seat_rules or tuple(("weighted", 1.0, "") for _ in c.seat_members)
    rows = {
        a
        for members, (rule, _t, _by) in zip(c.seat_members, rules, strict=True)
        if rule != "quorum"
        for a in members
    }
    return np.array(sorted(rows), dtype=np.int64)


def _axis_keeps(c: Compiled, space: OutcomeSpace, k: int, seated: IntArray) -> BoolArray:
    """Which values of axis `k` keep every red line a seated actor (`_seated`) holds on issue
    `k`, judged by the red line's own `breach`."""
    ax = space.axes[k]
    keep = np.ones(len(ax), dtype=bool)
    who = set(seated.tolist())
    lines = [r for r in c.red_lines if not r.on_metric and r.column == k and r.actor in who]
    if not lines:
        return keep
    x = np.zeros((len(ax), c.k))
    x[:, k] = ax
    units = c.to_units(x)
    none = np.zeros((len(ax), 0))
    for r in lines:
        keep &= r.breach(units, none) == 0
    return keep
