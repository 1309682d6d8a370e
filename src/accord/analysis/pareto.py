"""The exact Pareto frontier of a set of utility vectors, with a stated tolerance.

An outcome ``i`` is *dominated* when another outcome ``j`` is at least as good for every party
and strictly better for one, both up to a tolerance ``t``::

    u_j ≥ u_i − t  for every party   and   u_j > u_i + t  for some party,

with ``t = tol · max(1, max |u|)`` and ``tol = TOL = 1e-9`` unless given. The frontier is the set
of outcomes that are not dominated; ties (outcomes whose utility vectors agree within ``t``) are
all kept. The same definition holds for 2 and for n parties, so ``0.1 + 0.2`` and ``0.3`` are the
same utility everywhere: ``[[0.1+0.2, 1, 0.5], [0.3, 1, 0.6]]`` has the frontier ``[1]``.
``tol=0`` gives the strict float comparison.

Algorithms:

- two parties: the sort-and-sweep of Kung, Luccio & Preparata (1975), "On finding the maxima of
  a set of vectors", J. ACM 22(4), §2: sort by the first utility (descending, ties by the second)
  and keep a point when its second utility beats the running maximum. O(N log N).
- three or more parties: the block-nested-loop skyline of Börzsönyi, Kossmann & Stocker (2001),
  "The Skyline Operator", ICDE, §4.1, with the presort of Chomicki et al. (2003) ("Skyline with
  presorting"): points are visited in decreasing lexicographic order of (Σ u, u_1, …, u_A), so a
  point can only be dominated by points visited before it, and each block of points is compared
  against the frontier found so far with numpy.

With ``t > 0`` the exact (``t = 0``) frontier ``E`` is found first. Dominance with a tolerance is
not transitive, but it needs no more than ``E``: if ``j`` dominates ``i`` within ``t`` and ``k ∈ E``
dominates ``j`` exactly, then ``k`` dominates ``i`` within ``t``. So the frontier is the set of
points of ``E``, and of the points within ``t`` below some point of ``E`` (the only others that
can survive), that no point of ``E`` dominates within ``t``: for two parties by a binary search
on the staircase, for more by a block-wise comparison with ``E``.

Both are preceded by an exact *prefilter* that discards only points strictly dominated (worse
for every party) by frontier points of a seeded random subsample: for two parties through a
piecewise-linear lower bound of the subsample's staircase (one `np.interp` pass), for more
through a grid of cells with a conservative threshold per cell. What survives is handed to the
exact algorithm, so the result is exact (its margin is at least ``t``, so a point it drops is
dominated within ``t`` as well). On spaces of 10^6–10^7 outcomes the prefilter leaves a
few thousand points, and the whole call is a handful of vectorised passes over the data.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from accord.seeding import make_rng

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

_SAMPLE = 32_768
_CELLS = 4096
_BLOCK = 512
TOL = 1e-9
"""Relative tolerance of dominance: utilities closer than ``TOL · max(1, max |u|)`` are equal."""


def tolerance(utilities: FloatArray, tol: float = TOL) -> float:
    """The absolute tolerance ``t = tol · max(1, max |u|)`` used on `utilities`."""
    u = np.asarray(utilities, dtype=np.float64)
    top = float(np.abs(u).max()) if u.size else 0.0
    return float(tol) * max(1.0, top)


def pareto_frontier(utilities: FloatArray, tol: float = TOL) -> IntArray:
    """Indices (ascending) of the non-dominated rows of `utilities` (N, A).

    Exact for the dominance within ``t = tol · max(1, max |u|)`` of the module docstring; ties
    are kept. NaN utilities are not allowed.
    """
    u = np.asarray(utilities, dtype=np.float64)
    if u.ndim != 2:
        raise ValueError(f"utilities must be (N, A), got shape {u.shape}")
    if tol < 0:
        raise ValueError(f"tol must be >= 0, got {tol}")
    n, a = u.shape
    if n == 0:
        return np.empty(0, dtype=np.int64)
    t = tolerance(u, tol)
    if a == 1:
        return np.flatnonzero(u[:, 0] >= u[:, 0].max() - t).astype(np.int64, copy=False)
    candidates = _prefilter(u, t) if n > 8192 else np.arange(n, dtype=np.int64)
    sub = u[candidates]
    keep = _sweep_2d(sub) if a == 2 else _skyline(sub)
    if t > 0:
        keep = _within_tolerance(sub, keep, t)
    return np.sort(candidates[keep])


def dominated_by(point: FloatArray, utilities: FloatArray, tol: float = TOL) -> NDArray[np.bool_]:
    """Which rows of `utilities` (N, A) `point` (A,) dominates, within the tolerance of `tol`."""
    u = np.asarray(utilities, dtype=np.float64)
    p = np.asarray(point, dtype=np.float64)
    t = tolerance(np.vstack([u, p[None, :]]), tol)
    return np.all(u <= p + t, axis=1) & np.any(u < p - t, axis=1)


def _within_tolerance(u: FloatArray, exact: IntArray, t: float) -> IntArray:
    """The rows of `u` no point of the exact frontier ``u[exact]`` dominates within `t`.

    Only the exact frontier and the points within `t` below one of its points can qualify
    (module docstring), so the others are never compared.
    """
    front = u[exact]
    order = np.argsort(front[:, 0], kind="stable")
    f0 = front[order, 0]
    lo = np.searchsorted(f0, u[:, 0], side="left")
    hi = np.searchsorted(f0, u[:, 0] + t, side="right")
    near = hi > lo
    near[exact] = True
    cand = np.flatnonzero(near)
    if u.shape[1] == 2:
        dominated = _dominated_2d(front, u[cand], t)
    else:
        cols = [np.ascontiguousarray(front[:, j]) for j in range(u.shape[1])]
        dominated = np.zeros(len(cand), dtype=bool)
        for start in range(0, len(cand), _BLOCK):
            pts = u[cand[start : start + _BLOCK]]
            dominated[start : start + _BLOCK] = _dominated_sparse(front, cols, pts, t)
    return cand[~dominated].astype(np.int64, copy=False)


def _dominated_sparse(
    front: FloatArray, cols: list[FloatArray], pts: FloatArray, t: float
) -> NDArray[np.bool_]:
    """Which `pts` a row of `front` (columns `cols`) dominates within `t`.

    The "at least as good" pairs are found first; between frontier points they are rare
    (mostly a point and itself), so the "strictly better" test runs on a handful of pairs.
    """
    ge = cols[0][None, :] >= (pts[:, 0] - t)[:, None]
    for j in range(1, pts.shape[1]):
        ge &= cols[j][None, :] >= (pts[:, j] - t)[:, None]
    i, e = np.nonzero(ge)
    better = np.any(front[e] > pts[i] + t, axis=1)
    out = np.zeros(len(pts), dtype=bool)
    out[i[better]] = True
    return out


def _dominated_2d(front: FloatArray, pts: FloatArray, t: float) -> NDArray[np.bool_]:
    """Two parties: which `pts` a point of the exact staircase `front` dominates within `t`.

    Sorted by the first utility (ascending), the staircase's second utility does not increase,
    so the points at least as good within `t` on both utilities form one run ``[lo, hi)``; the
    best first utility of the run is at ``hi − 1`` and the best second at ``lo``.
    """
    order = np.lexsort((-front[:, 1], front[:, 0]))
    f0, f1 = front[order, 0], front[order, 1]
    lo = np.searchsorted(f0, pts[:, 0] - t, side="left")
    hi = np.searchsorted(-f1, -(pts[:, 1] - t), side="right")
    ok = hi > lo
    last = np.clip(hi - 1, 0, len(f0) - 1)
    first = np.clip(lo, 0, len(f0) - 1)
    return ok & ((f0[last] > pts[:, 0] + t) | (f1[first] > pts[:, 1] + t))


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


def _dominated(by: list[FloatArray], pts: list[FloatArray], t: float = 0.0) -> NDArray[np.bool_]:
    """Which points (columns ``pts``) some point of ``by`` (columns) dominates within `t`."""
    if len(by[0]) == 0 or len(pts[0]) == 0:
        return np.zeros(len(pts[0]), dtype=bool)
    ge = by[0][None, :] >= pts[0][:, None] - t
    gt = by[0][None, :] > pts[0][:, None] + t
    for b, p in zip(by[1:], pts[1:], strict=True):
        ge &= b[None, :] >= p[:, None] - t
        gt |= b[None, :] > p[:, None] + t
    return np.any(ge & gt, axis=1)


def _prefilter(u: FloatArray, t: float = 0.0) -> IntArray:
    """Indices of the rows not strictly dominated by a staircase of frontier points.

    The staircase is the frontier of a seeded random subsample. The first A − 1 utilities are
    cut into a grid of cells over the sample's range (points outside it fall in the edge cells,
    which only makes the test weaker). For each cell, ``threshold`` is the best last utility
    among staircase points strictly better on the first A − 1 utilities than every point of the
    cell (beyond the cell's upper edges plus a margin far above rounding error and at least the
    tolerance `t`, so no frontier point can be dropped). A point whose last utility is more than
    `t` below its cell's threshold is dominated and is dropped.
    """
    n, a = u.shape
    size = min(max(n // 64, 1024), _SAMPLE if a == 2 else _SAMPLE // 2)
    sample = u[make_rng(0).integers(0, n, size)]
    stair = sample[_sweep_2d(sample) if a == 2 else _skyline(sample)]
    if a == 2:
        return _prefilter_2d(u, stair, t)
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
        edges = lo + (np.arange(bins) + 1.0) * width + max(1e-9 * max(hi - lo, 1.0), 2 * t)
        ok_j = stair[None, :, j] >= edges[:, None]
        qualifies = (qualifies[:, None, :] & ok_j[None, :, :]).reshape(-1, len(stair))
    last = np.where(qualifies, stair[None, :, a - 1], -np.inf)
    threshold = last.max(axis=1) if len(stair) else np.full(len(qualifies), -np.inf)
    assert flat is not None
    return np.flatnonzero(u[:, a - 1] >= threshold[flat] - t).astype(np.int64, copy=False)


def _prefilter_2d(u: FloatArray, stair: FloatArray, t: float = 0.0) -> IntArray:
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
        drop = (u[:, 0] < lo - t) & (u[:, 1] < s2.max() - t)
        return np.flatnonzero(~drop).astype(np.int64, copy=False)
    width = (hi - lo) / _CELLS
    edges = lo + (np.arange(_CELLS) + 1.0) * width + max(1e-9 * max(hi - lo, 1.0), 2 * t)
    table = suffix[np.searchsorted(s1, edges, side="right")]
    cell = u[:, 0] * (1.0 / width)
    cell -= lo / width
    idx = cell.astype(np.int32)
    np.clip(idx, 0, _CELLS - 1, out=idx)
    return np.flatnonzero(u[:, 1] >= table[idx] - t).astype(np.int64, copy=False)
