"""Uniform sampling of an outcome space, for spaces too large to enumerate.

`sample` draws outcomes uniformly (with replacement) from the grid with a seeded generator;
shares estimated from it (the share of the space in the agreement zone) carry the binomial
standard error ``sqrt(p (1 − p) / n)``. The exact frontier of such spaces is found without
enumeration by `accord.analysis.search.additive_frontier`.
"""

from __future__ import annotations

import numpy as np

from accord.seeding import SeedLike, make_rng
from accord.space.grid import IntArray, OutcomeSpace


def sample(space: OutcomeSpace, n: int, seed: SeedLike = None) -> IntArray:
    """Per-issue indices (n, K) of outcomes drawn uniformly (with replacement) from `space`."""
    rng = make_rng(seed)
    return np.column_stack([rng.integers(0, m, size=n) for m in space.shape]).astype(np.int64)
