"""Bargaining solutions over a finite set of utility vectors.

All functions take utilities ``U`` (N, A) and the disagreement point ``d`` (A,) — the parties'
reservation values — and return the row index of the solution, or ``None`` where the solution
needs a non-empty agreement zone and there is none. Ties are broken by the larger sum of
utilities, then by the lexicographically larger utility vector, so that the chosen point is
Pareto-optimal and does not depend on the order of the rows.

- `nash_point`: maximises ``Π_i (u_i − d_i)^{w_i}`` over outcomes with ``u > d`` — Nash (1950),
  "The bargaining problem", Econometrica 18(2), the product of gains; with weights ``w`` the
  asymmetric solution of Kalai (1977), "Nonsymmetric Nash solutions…", Int. J. Game Theory 6(3).
- `kalai_smorodinsky_point`: maximises ``min_i (u_i − d_i)/(m_i − d_i)`` with ``m_i`` the best
  utility party i gets in the agreement zone — Kalai & Smorodinsky (1975), "Other solutions to
  Nash's bargaining problem", Econometrica 43(3): the point on the frontier proportional to the
  ideal gains.
- `egalitarian_point`: maximises ``min_i (u_i − d_i)`` — Kalai (1977), "Proportional solutions
  to bargaining situations", Econometrica 45(7). Defined over all outcomes: where the zone is
  empty it is the outcome whose worst-off party falls least below its reservation value.
- `utilitarian_point`: maximises ``Σ_i u_i`` (Harsanyi 1955), over all outcomes.

Every score above is non-decreasing in each utility, and the tie-breaks prefer the dominating
outcome, so each solution lies on the exact (``tol=0``) Pareto frontier. On a two-party table
of more than `FRONTIER_FROM` rows the functions therefore score the frontier only
(`pareto_frontier`, a sort and a sweep) instead of every row: the same row, found in a third
of the time on 10^6 rows. With three parties or more the exact frontier costs more than one
scoring pass over every row (10^6 rows: 46 against 21 ms, `benchmarks/bench_analysis.py`), so
every row is scored.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import NDArray

from accord.analysis.pareto import pareto_frontier

FloatArray = NDArray[np.float64]

TOL = 1e-12
FRONTIER_FROM = 4096
"""Two-party tables with more rows than this are reduced to their exact Pareto frontier first."""


def _on_frontier(u: FloatArray) -> NDArray[np.int64]:
    """The rows worth scoring: the exact frontier of a large two-party table, else all."""
    if len(u) <= FRONTIER_FROM or u.shape[1] != 2:
        return np.arange(len(u), dtype=np.int64)
    return pareto_frontier(u, tol=0.0)


def _solve(u: FloatArray, pick: Callable[[FloatArray], int | None]) -> int | None:
    """``pick`` run on the rows of `u` worth scoring, its answer mapped back to a row of `u`."""
    rows = _on_frontier(u)
    if len(rows) == len(u):
        return pick(u)
    i = pick(u[rows])
    return None if i is None else int(rows[i])


def agreement_mask(utilities: FloatArray, disagreement: FloatArray) -> NDArray[np.bool_]:
    """Outcomes in the agreement zone: no party worse than no deal, one party strictly better."""
    u = np.asarray(utilities, dtype=np.float64)
    d = np.asarray(disagreement, dtype=np.float64)
    return np.all(u >= d - TOL, axis=1) & np.any(u > d + TOL, axis=1)


def _best(score: FloatArray, u: FloatArray, rows: NDArray[np.int64]) -> int | None:
    if len(rows) == 0:
        return None
    s = score[rows]
    top = rows[s >= s.max() - 1e-12 * max(1.0, abs(float(s.max())))]
    if len(top) == 1:
        return int(top[0])
    sub = u[top]
    keys = [sub[:, j] for j in range(sub.shape[1] - 1, -1, -1)] + [sub.sum(axis=1)]
    return int(top[np.lexsort(keys)[-1]])


def nash_point(
    utilities: FloatArray, disagreement: FloatArray, weights: FloatArray | None = None
) -> int | None:
    """Row of the (asymmetric) Nash bargaining solution among outcomes with ``u > d``."""
    u = np.asarray(utilities, dtype=np.float64)
    d = np.asarray(disagreement, dtype=np.float64)
    w = np.ones(u.shape[1]) if weights is None else np.asarray(weights, dtype=np.float64)

    def pick(v: FloatArray) -> int | None:
        rows = np.flatnonzero(np.all(v > d + TOL, axis=1))
        score = np.full(len(v), -np.inf)
        score[rows] = np.log(v[rows] - d) @ w
        return _best(score, v, rows)

    if np.any(w < 0):
        return pick(u)
    return _solve(u, pick)


def kalai_smorodinsky_point(utilities: FloatArray, disagreement: FloatArray) -> int | None:
    """Row of the Kalai–Smorodinsky solution within the agreement zone."""
    u = np.asarray(utilities, dtype=np.float64)
    d = np.asarray(disagreement, dtype=np.float64)

    def pick(v: FloatArray) -> int | None:
        rows = np.flatnonzero(agreement_mask(v, d))
        if len(rows) == 0:
            return None
        ideal = v[rows].max(axis=0)
        span = np.where(ideal - d > TOL, ideal - d, 1.0)
        score = np.full(len(v), -np.inf)
        score[rows] = ((v[rows] - d) / span).min(axis=1)
        return _best(score, v, rows)

    return _solve(u, pick)


def egalitarian_point(utilities: FloatArray, disagreement: FloatArray) -> int | None:
    """Row maximising the smallest gain over no deal (over all outcomes)."""
    u = np.asarray(utilities, dtype=np.float64)
    d = np.asarray(disagreement, dtype=np.float64)
    return _solve(u, lambda v: _best((v - d).min(axis=1), v, np.arange(len(v))))


def utilitarian_point(utilities: FloatArray) -> int | None:
    """Row maximising the sum of utilities."""
    u = np.asarray(utilities, dtype=np.float64)
    return _solve(u, lambda v: _best(v.sum(axis=1), v, np.arange(len(v))))
