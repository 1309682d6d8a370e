"""The exact Pareto frontier of an outcome space too large to enumerate.

Utility is additive over issues, so the utility
vector of an outcome is a Minkowski sum ``u(x) = Σ_k t_k(x_k)`` of per-issue vectors. If a
partial sum over the first issues is dominated, every completion of it is dominated by the same
completion of the dominating partial sum; hence

    F(1..k) = Pareto(F(1..k−1) ⊕ T_k),

the frontier of the first k issues is the frontier of (frontier of the first k − 1 issues) plus
(values of issue k). This is the dynamic programme over issues used for multi-objective
knapsack and shortest-path problems (Klamroth & Wiecek 2000, "Dynamic programming approaches to
the multiple criteria knapsack problem", Naval Res. Logist. 47(1), §3, the recursion on
non-dominated states). **Guarantee**: the result is the exact set of non-dominated utility
vectors of the whole grid, each with one outcome achieving it (ties between outcomes with the
same utility vector keep one representative). The recursion runs on exact (``tol=0``)
dominance, which is transitive; the stated tolerance of `pareto_frontier` is applied to the
result, and an outcome within that tolerance below a frontier vector is represented by it.
Its cost grows with the size of the frontier, not of the space; a frontier over
`FRONTIER_LIMIT` points is refused with `LimitError`.

The skyline of a step with three or more parties costs about (candidates × frontier)
comparisons, and on a 10^12-outcome grid the frontier grows by a factor of 3–4 per issue; so
before each step the work is estimated as candidates × previous frontier, and a search whose
next step would exceed `FRONTIER_WORK_LIMIT` (setting ``ACCORD_MAX_FRONTIER_WORK``) is refused
with `LimitError` instead of running for hours (issue 18). Two parties use the O(n log n)
sweep and are bounded by the frontier limit alone.
"""

from __future__ import annotations

import numpy as np

from accord.analysis.pareto import pareto_frontier
from accord.errors import LimitError, env_limit
from accord.scenario.compile import Preferences
from accord.space.grid import FloatArray, IntArray, OutcomeSpace

FRONTIER_LIMIT = 2_000_000
FRONTIER_WORK_LIMIT = 2 * 10**9


def additive_frontier(
    space: OutcomeSpace, prefs: Preferences, limit: int = FRONTIER_LIMIT
) -> tuple[IntArray, FloatArray]:
    """The exact Pareto frontier of `space` for `prefs` without enumerating the space.

    Returns per-issue indices (F, K) of one outcome per non-dominated utility vector and the
    utilities (F, A), sorted by the first party's utility.
    """
    tables = space.value_tables(prefs)
    a = prefs.n
    index = np.zeros((1, 0), dtype=np.int64)
    util = np.zeros((1, a))
    for k, t in enumerate(tables):
        m = t.shape[1]
        if len(util) * m > 8 * limit:
            raise LimitError(
                "Pareto-frontier states",
                len(util) * m,
                8 * limit,
                "lower the resolution or the number of issues",
            )
        work = len(util) * m * len(util) if a >= 3 else 0
        budget = env_limit("ACCORD_MAX_FRONTIER_WORK", FRONTIER_WORK_LIMIT)
        if work > budget:
            raise LimitError(
                "Pareto-frontier search work (comparisons)",
                work,
                budget,
                f"at issue {k + 1} of {len(tables)}; lower the resolution or the number of issues,"
                " or set ACCORD_MAX_FRONTIER_WORK to raise the limit",
            )
        cand = (util[:, None, :] + t.T[None, :, :]).reshape(-1, a)
        parent = np.repeat(np.arange(len(util)), m)
        choice = np.tile(np.arange(m), len(util))
        keep = pareto_frontier(cand, tol=0.0)  # exact dominance is transitive: the DP holds
        _, first = np.unique(cand[keep], axis=0, return_index=True)
        keep = keep[np.sort(first)]
        index = np.column_stack([index[parent[keep]], choice[keep]])
        util = cand[keep]
        if len(util) > limit:
            raise LimitError(
                "Pareto-frontier size", len(util), limit, f"after {k + 1} of {len(tables)} issues"
            )
    final = pareto_frontier(util)  # then ties within the stated tolerance, as for any table
    index, util = index[final], util[final]
    order = np.lexsort(util.T[::-1])
    return index[order], util[order]
