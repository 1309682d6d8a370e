"""The exact Pareto frontier of a set of utility vectors.

An outcome is *dominated* when another outcome is at least as good for every party and strictly
better for one. The frontier is the set of outcomes that are not dominated; ties (outcomes with
equal utility vectors) are all kept.

Algorithms:

- two parties: the sort-and-sweep of Kung, Luccio & Preparata (1975), "On finding the maxima of
  a set of vectors", J. ACM 22(4), §2: sort by the first utility (descending, ties by the second)
  and keep a point when its second utility beats the running maximum. O(N log N).
- three or more parties: the block-nested-loop skyline of Börzsönyi, Kossmann & Stocker (2001),
  "The Skyline Operator", ICDE, §4.1, with the presort of Chomicki et al. (2003) ("Skyline with
  presorting"): points are visited in decreasing lexicographic order of (Σ u, u_1, …, u_A), so a
  point can only be dominated by points visited before it, and each block of points is compared
  against the frontier found so far with numpy.

Both are preceded by an exact *prefilter* that discards only points strictly dominated (worse
for every party) by frontier points of a seeded random subsample: for two parties through a
piecewise-linear lower bound of the subsample's staircase (one `np.interp` pass), for more
through a grid of cells with a conservative threshold per cell. What survives is handed to the
exact algorithm, so the result is exact. On spaces of 10^6–10^7 outcomes the prefilter leaves a
few thousand points, and the whole call is a handful of vectorised passes over the data.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

_SAMPLE = 32_768
_CELLS = 4096
_BLOCK = 512


def pareto_frontier(utilities: FloatArray) -> IntArray:
    """Indices (ascending) of the non-dominated rows of `utilities` (N, A).

    Exact; ties are kept. NaN utilities are not allowed.
    """
    u = np.asarray(utilities, dtype=np.float64)
    if u.ndim != 2:
        raise ValueError(f"utilities must be (N, A), got shape {u.shape}")
    n, a = u.shape
    if n == 0:
        return np.empty(0, dtype=np.int64)
    if a == 1:
        return np.flatnonzero(u[:, 0] == u[:, 0].max()).astype(np.int64, copy=False)
    candidates = _prefilter(u) if n > 8192 else np.arange(n, dtype=np.int64)
    sub = u[candidates]
    keep = _sweep_2d(sub) if a == 2 else _skyline(sub)
    return np.sort(candidates[keep])


def dominated_by(point: FloatArray, utilities: FloatArray) -> NDArray[np.bool_]:
    """Which rows of `utilities` (N, A) `point` (A,) dominates."""
    u = np.asarray(utilities, dtype=np.float64)
    p = np.asarray(point, dtype=np.float64)
    return np.all(u <= p, axis=1) & np.any(u < p, axis=1)


def _sweep_2d(u: FloatArray) -> IntArray:
    """Kung et al. (1975) for A = 2: indices of the non-dominated rows, ties kept."""
    n = len(u)
    order = np.lexsort((-u[:, 1], -u[:, 0]))
    s1, s2 = u[order, 0], u[order, 1]
    new = np.ones(n, dtype=bool)
    new[1:] = (s1[1:] != s1[:-1]) | (s2[1:] != s2[:-1])
    starts = np.flatnonzero(new)
    prev_max = np.empty(len(starts))
    prev_max[0] = -np.inf
    running = np.maximum.accumulate(s2[starts])
    prev_max[1:] = running[:-1]
    good_group = s2[starts] > prev_max
    group = np.cumsum(new) - 1
    return order[good_group[group]].astype(np.int64, copy=False)


def _skyline(u: FloatArray) -> IntArray:
    """Block-nested-loop skyline with presort (Börzsönyi 2001; Chomicki 2003), A ≥ 3."""
    keys = [-u[:, j] for j in range(u.shape[1] - 1, -1, -1)] + [-u.sum(axis=1)]
    order = np.lexsort(keys)
    cols = [np.ascontiguousarray(u[order, j]) for j in range(u.shape[1])]
    kept: list[NDArray[np.int64]] = []
    front = [np.empty(0) for _ in cols]
    for start in range(0, len(order), _BLOCK):
        stop = min(start + _BLOCK, len(order))
        block = [c[start:stop] for c in cols]
        alive = ~_dominated(front, block)
        sub = [b[alive] for b in block]
        inner = ~_dominated(sub, sub)
        pos = np.flatnonzero(alive)[inner] + start
        kept.append(pos)
        front = [np.concatenate([f, c[pos]]) for f, c in zip(front, cols, strict=True)]
    return order[np.concatenate(kept)] if kept else np.empty(0, dtype=np.int64)


def _dominated(by: list[FloatArray], pts: list[FloatArray]) -> NDArray[np.bool_]:
    """Which points (columns ``pts``) some point of ``by`` (columns) dominates."""
    if len(by[0]) == 0 or len(pts[0]) == 0:
        return np.zeros(len(pts[0]), dtype=bool)
    ge = by[0][None, :] >= pts[0][:, None]
    gt = by[0][None, :] > pts[0][:, None]
    for b, p in zip(by[1:], pts[1:], strict=True):
        ge &= b[None, :] >= p[:, None]
        gt |= b[None, :] > p[:, None]
    return np.any(ge & gt, axis=1)


def _prefilter(u: FloatArray) -> IntArray:
    """Indices of the rows not strictly dominated by a staircase of frontier points.

    The staircase is the frontier of a seeded random subsample. The first A − 1 utilities are
    cut into a grid of cells over the sample's range (points outside it fall in the edge cells,
    which only makes the test weaker). For each cell, ``threshold`` is the best last utility
    among staircase points strictly better on the first A − 1 utilities than every point of the
    cell (beyond the cell's upper edges plus a margin far above rounding error, so no frontier
    point can be dropped). A point whose last utility is below its cell's threshold is strictly
    dominated and is dropped.
    """
    n, a = u.shape
    size = min(max(n // 64, 1024), _SAMPLE if a == 2 else _SAMPLE // 2)
    sample = u[np.random.default_rng(0).integers(0, n, size)]
    stair = sample[_sweep_2d(sample) if a == 2 else _skyline(sample)]
    if a == 2:
        return _prefilter_2d(u, stair)
    bins = max(2, round(_CELLS ** (1.0 / (a - 1))))
    flat: IntArray | None = None
    qualifies = np.ones((1, len(stair)), dtype=bool)
    for j in range(a - 1):
        lo, hi = float(sample[:, j].min()), float(sample[:, j].max())
        width = (hi - lo) / bins if hi > lo else 1.0
        b = (u[:, j] * (1.0 / width) - lo / width).astype(np.int64, copy=False)
        np.clip(b, 0, bins - 1, out=b)
        if flat is None:
            flat = b
        else:
            flat *= bins
            flat += b
        edges = lo + (np.arange(bins) + 1.0) * width + 1e-9 * max(hi - lo, 1.0)
        ok_j = stair[None, :, j] >= edges[:, None]
        qualifies = (qualifies[:, None, :] & ok_j[None, :, :]).reshape(-1, len(stair))
    last = np.where(qualifies, stair[None, :, a - 1], -np.inf)
    threshold = last.max(axis=1) if len(stair) else np.full(len(qualifies), -np.inf)
    assert flat is not None
    return np.flatnonzero(u[:, a - 1] >= threshold[flat]).astype(np.int64, copy=False)


def _prefilter_2d(u: FloatArray, stair: FloatArray) -> IntArray:
    """Two parties: drop points below the staircase, read from a look-up table over ``u1``.

    ``thr(x) = max{s2 : s1 > x}`` over the staircase is non-increasing in x, so on a cell
    ``[e_b, e_{b+1})`` of a uniform grid it is at least ``thr(e_{b+1} + margin)``; a point
    below that value of its cell is strictly dominated. Points outside the staircase's range
    fall in the edge cells, which only makes the test weaker.
    """
    order = np.argsort(stair[:, 0], kind="stable")
    s1, s2 = stair[order, 0], stair[order, 1]
    suffix = np.append(np.maximum.accumulate(s2[::-1])[::-1], -np.inf)
    lo, hi = float(s1[0]), float(s1[-1])
    if not hi > lo:
        return np.flatnonzero(~((u[:, 0] < lo) & (u[:, 1] < s2.max()))).astype(np.int64, copy=False)
    width = (hi - lo) / _CELLS
    edges = lo + (np.arange(_CELLS) + 1.0) * width + 1e-9 * max(hi - lo, 1.0)
    table = suffix[np.searchsorted(s1, edges, side="right")]
    cell = u[:, 0] * (1.0 / width)
    cell -= lo / width
    idx = cell.astype(np.int32)
    np.clip(idx, 0, _CELLS - 1, out=idx)
    return np.flatnonzero(u[:, 1] >= table[idx]).astype(np.int64, copy=False)
