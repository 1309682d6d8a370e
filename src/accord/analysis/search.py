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

Checking only the next step let a doomed search run its cheaper steps first (seconds to tens
of seconds on a 10^12 grid, each step costing up to the budget) before it reached the step over
the budget. So after each step the work of every *remaining* step is also projected
(`projected_work`): the frontier sizes ``F_k`` of multi-objective dynamic programmes grow
about polynomially in the number of items (Beier & Vöcking 2004, "Random knapsack in expected
polynomial time", J. Comput. Syst. Sci. 69(3)), so ``F_j = F_k (j/k)^p`` with ``p`` fitted on
the last steps (the sizes at ``max(1, k − 3)`` and ``k``). A frontier growing exponentially
grows faster than that, so the projection errs towards running. A search whose projection
passes the budget is refused there, naming the issue the projection points at and the setting
that raises the limit.
"""

from __future__ import annotations

import math

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
    ids = space.compiled.issue_ids
    a = prefs.n
    index = np.zeros((1, 0), dtype=np.int64)
    util = np.zeros((1, a))
    sizes = [1]
    for k, t in enumerate(tables):
        m = t.shape[1]
        if len(util) * m > 8 * limit:
            raise LimitError(
                "Pareto-frontier states",
                len(util) * m,
                8 * limit,
                "lower the resolution or the number of issues",
            )
        if a >= 3:
            _check_work(len(util) * m * len(util), k, ids)
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
        sizes.append(len(util))
        if a >= 3:
            at, work = projected_work(sizes, [t2.shape[1] for t2 in tables[k + 1 :]])
            _check_work(work, k + 1 + at, ids, done=k + 1)
    final = pareto_frontier(util)  # then ties within the stated tolerance, as for any table
    index, util = index[final], util[final]
    order = np.lexsort(util.T[::-1])
    return index[order], util[order]


def projected_work(sizes: list[int], values: list[int]) -> tuple[int, int]:
    """The costliest remaining skyline step, projected from the frontier sizes so far.

    `sizes` holds ``F_0 = 1, F_1, …, F_k`` (frontier size after each issue), `values` the number
    of values of each remaining issue. The frontier is assumed to grow as ``F_k (j/k)^p``, ``p``
    fitted on ``F_{max(1, k−3)}`` and ``F_k`` (module docstring); the work of step ``j + 1`` is
    ``F_j² × values``. Returns ``(step, work)`` with the step counted from the next one (0), or
    ``(0, 0)`` when fewer than two issues are done or none remains.
    """
    k = len(sizes) - 1
    if k < 2 or not values:
        return 0, 0
    before = max(1, k - 3)
    p = max(0.0, math.log(sizes[k] / sizes[before]) / math.log(k / before))
    works = [int((sizes[k] * ((k + j) / k) ** p) ** 2 * m) for j, m in enumerate(values)]
    at = int(np.argmax(works))
    return at, works[at]


def _check_work(work: int, k: int, ids: tuple[str, ...], done: int = 0) -> None:
    """Refuse a skyline step (issue `k`, 0-based) whose work passes the budget; `done` > 0
    marks the work as projected after that many issues."""
    budget = env_limit("ACCORD_MAX_FRONTIER_WORK", FRONTIER_WORK_LIMIT)
    if work <= budget:
        return
    where = f"at issue {ids[k]} ({k + 1} of {len(ids)})"
    if done:
        where += f", projected from the frontier's growth over the first {done} issues"
    raise LimitError(
        "Pareto-frontier search work (comparisons)",
        work,
        budget,
        f"{where}; lower the resolution or the number of issues,"
        " or set ACCORD_MAX_FRONTIER_WORK to raise the limit",
    )
