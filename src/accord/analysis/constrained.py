"""The analysis under red lines, metric terms and bloc rules (docs/preferences.md).

When a scenario has any of them, `accord.analysis.analyze` enumerates the outcome space block by
block and asks `accord.scenario.decide.decide` about every package:

- the *frontier* is the Pareto frontier of the packages that break no seated party's red line;
- the *zone* is the packages every seat accepts by its rule, one of them strictly gaining;
  the bargaining solutions are taken on the zone's own frontier;
- for each red line: how many packages it alone keeps out of the zone (it *binds* when > 0),
  and the smallest relaxation (in the red line's units) that lets a package in — when the zone
  is empty, that is the answer to "who would have to move, and how far?".

Spaces over the enumeration limit are *sampled* (uniformly, seeded) instead of truncated: the
frontier, zone share and relaxations are then those of the sample, and the result says so.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from accord.analysis.pareto import pareto_frontier
from accord.results import jsonable
from accord.scenario.compile import Compiled, FloatArray
from accord.scenario.decide import actor_keeps, decide, red_line_breach
from accord.space import OutcomeSpace, sample

Progress = Callable[[int, int], None]
IntArray = NDArray[np.int64]


@dataclass(frozen=True, eq=False)
class RedLineFinding:
    """One red line seen from the outcome space: does it bind, and how far would it have to move."""

    actor: str
    text: str
    source: str | None
    excluded: int
    relaxation: float | None
    relaxed: str | None
    relative: float | None

    @property
    def binds(self) -> bool:
        """Whether this red line alone keeps some package out of the zone."""
        return self.excluded > 0

    def to_dict(self) -> dict[str, object]:
        """JSON-ready record."""
        return jsonable(
            {
                "actor": self.actor,
                "red_line": self.text,
                "source": self.source,
                "binds": self.binds,
                "packages_excluded": self.excluded,
                "relaxation": self.relaxation,
                "relaxed_to": self.relaxed,
            }
        )


@dataclass(frozen=True, eq=False)
class Constrained:
    """Frontier, zone frontier, zone size and red-line findings of a constrained space."""

    index: IntArray
    utilities: FloatArray
    zone_index: IntArray
    zone_utilities: FloatArray
    zone_count: int
    seen: int
    sampled: bool
    findings: tuple[RedLineFinding, ...]


def needs_constraints(space: OutcomeSpace, c: Compiled, parties: str) -> bool:
    """Whether the analysis must go through `decide` (red lines, rules or metric terms)."""
    prefs = c.seats if parties == "seats" else c.actors
    rules = {r[0] for r in c.seat_rules} if parties == "seats" else set()
    return bool(c.red_lines) or not space.additive(prefs) or bool(rules - {"actor", "weighted"})


@dataclass(frozen=True)
class Search:
    """How an outcome space is searched: enumerated when it holds at most `enumerate_limit`
    packages, else a uniform sample of `samples` packages under `seed`; `progress(done, total)`
    is called while enumerating; ``explain=False`` leaves out the red-line findings; `block`
    packages are decided at a time."""

    enumerate_limit: int
    samples: int
    seed: int
    progress: Progress | None = None
    explain: bool = True
    block: int = 2**17


def _chunks(space: OutcomeSpace, search: Search) -> Iterator[tuple[IntArray, bool]]:
    """Per-issue indices (B, K) of the packages to look at, and whether they are a sample."""
    block = search.block
    if space.size <= search.enumerate_limit:
        for start in range(0, space.size, block):
            yield space.unravel(np.arange(start, min(space.size, start + block))), False
        return
    drawn = sample(space, search.samples, search.seed)
    for start in range(0, len(drawn), block):
        yield drawn[start : start + block], True


def constrained(
    space: OutcomeSpace, parties: Literal["seats", "actors"], search: Search
) -> Constrained:
    """Enumerate (or sample) the space through `decide` (module docstring), as `search` says."""
    c = space.compiled
    prefs = c.seats if parties == "seats" else c.actors
    n_rl = len(c.red_lines)
    idx_parts, u_parts, z_idx, z_u = [], [], [], []
    zone, seen, sampled = 0, 0, False
    excluded = np.zeros(n_rl, dtype=np.int64)
    relax = np.full(n_rl, np.inf)
    for rows, sampled in _chunks(space, search):
        x = space.outcomes(rows)
        m = c.metrics.values(c.to_units(x))
        ua = c.utility(c.actors, x, metrics=m)
        u = ua if parties == "actors" else c.utility(prefs, x, metrics=m, actor_utility=ua)
        br = red_line_breach(c, x, m)
        keeps = actor_keeps(c, br)
        v = decide(c, x, parties=parties, utility=u, actor_utility=ua, breach=br, keeps=keeps)
        ok = v.all_feasible
        f = pareto_frontier(u[ok])
        idx_parts.append(rows[ok][f])
        u_parts.append(u[ok][f])
        z = v.zone
        zone += int(z.sum())
        fz = pareto_frontier(u[z])
        z_idx.append(rows[z][fz])
        z_u.append(u[z][fz])
        if search.explain and n_rl:
            _explain(c, parties, (x, u, ua, br, keeps), z, excluded, relax)
        seen += len(rows)
        if search.progress is not None and not sampled:
            search.progress(seen, space.size)
    index, util = _final(space, idx_parts, u_parts, prefs.n)
    zindex, zutil = _final(space, z_idx, z_u, prefs.n)
    findings = _findings(c, excluded, relax) if search.explain else ()
    return Constrained(index, util, zindex, zutil, zone, seen, sampled, findings)


def _explain(
    c: Compiled,
    parties: Literal["seats", "actors"],
    block: tuple[FloatArray, FloatArray, FloatArray, FloatArray, np.ndarray],
    zone: np.ndarray,
    excluded: IntArray,
    relax: FloatArray,
) -> None:
    """Add to `excluded` and `relax` the packages each red line alone keeps out of the zone.

    Dropping red lines only ever adds acceptances, so those packages are among the ones the
    zone would hold with *no* red line: only they are re-decided, once per red line.
    """
    x, u, ua, br, keeps = block
    free = decide(c, x, parties=parties, utility=u, actor_utility=ua, breach=np.zeros_like(br))
    cand = np.flatnonzero(free.zone & ~zone)
    if not cand.size:
        return
    x, u, ua, br, keeps = x[cand], u[cand], ua[cand], br[cand], keeps[cand]
    for i in range(len(c.red_lines)):
        if not (br[:, i] > 0).any():
            continue
        zi = decide(
            c, x, parties=parties, utility=u, actor_utility=ua, breach=br, keeps=keeps, ignore=i
        )
        extra = zi.zone
        excluded[i] += int(extra.sum())
        if extra.any():
            relax[i] = min(relax[i], float(br[extra, i].min()))


def _final(
    space: OutcomeSpace, idx: list[IntArray], utils: list[FloatArray], n: int
) -> tuple[IntArray, FloatArray]:
    k = space.compiled.k
    rows = np.vstack(idx) if idx else np.zeros((0, k), dtype=np.int64)
    util = np.vstack(utils) if utils else np.zeros((0, n))
    if len(util) == 0:
        return rows, util
    f = pareto_frontier(util)
    rows, util = rows[f], util[f]
    _, first = np.unique(util, axis=0, return_index=True)
    rows, util = rows[first], util[first]
    order = np.lexsort(util.T[::-1])
    return rows[order], util[order]


def _findings(c: Compiled, excluded: IntArray, relax: FloatArray) -> tuple[RedLineFinding, ...]:
    out = []
    for i, rl in enumerate(c.red_lines):
        amount = float(relax[i]) if np.isfinite(relax[i]) else None
        relative = None
        relaxed = None
        if amount is not None:
            if rl.allowed is not None:
                relaxed = f"allow the option it excludes ({rl.text})"
                relative = 1.0
            else:
                relaxed = rl.relaxed(amount)
                scale = abs(rl.threshold) if rl.on_metric else float(c.span[rl.column])
                relative = amount / scale if scale > 0 else amount
        out.append(
            RedLineFinding(
                actor=c.actors.labels[rl.actor],
                text=rl.text,
                source=rl.source,
                excluded=int(excluded[i]),
                relaxation=amount,
                relaxed=relaxed,
                relative=relative,
            )
        )
    return tuple(out)


def smallest_relaxation(findings: tuple[RedLineFinding, ...]) -> RedLineFinding | None:
    """The red line whose relaxation, relative to its scale, lets a package in soonest."""
    cands = [f for f in findings if f.relative is not None]
    return min(cands, key=lambda f: f.relative or 0.0) if cands else None
