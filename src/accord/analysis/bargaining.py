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
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]

TOL = 1e-12


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
    rows = np.flatnonzero(np.all(u > d + TOL, axis=1))
    score = np.full(len(u), -np.inf)
    score[rows] = np.log(u[rows] - d) @ w
    return _best(score, u, rows)


def kalai_smorodinsky_point(utilities: FloatArray, disagreement: FloatArray) -> int | None:
    """Row of the Kalai–Smorodinsky solution within the agreement zone."""
    u = np.asarray(utilities, dtype=np.float64)
    d = np.asarray(disagreement, dtype=np.float64)
    rows = np.flatnonzero(agreement_mask(u, d))
    if len(rows) == 0:
        return None
    ideal = u[rows].max(axis=0)
    span = np.where(ideal - d > TOL, ideal - d, 1.0)
    score = np.full(len(u), -np.inf)
    score[rows] = ((u[rows] - d) / span).min(axis=1)
    return _best(score, u, rows)


def egalitarian_point(utilities: FloatArray, disagreement: FloatArray) -> int | None:
    """Row maximising the smallest gain over no deal (over all outcomes)."""
    u = np.asarray(utilities, dtype=np.float64)
    d = np.asarray(disagreement, dtype=np.float64)
    return _best((u - d).min(axis=1), u, np.arange(len(u)))


def utilitarian_point(utilities: FloatArray) -> int | None:
    """Row maximising the sum of utilities."""
    u = np.asarray(utilities, dtype=np.float64)
    return _best(u.sum(axis=1), u, np.arange(len(u)))
