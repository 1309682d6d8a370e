"""How far apart the parties are, and which packages could close the gap.

Definitions (docs/analysis.md):

- The **concession** of party i at outcome x is ``c_i(x) = max(0, r_i − u_i(x))``: how far x
  falls below its reservation value r_i (its utility of no deal).
- The **total gap** is ``G = min_x Σ_i c_i(x)`` and the **minimax gap** is
  ``g = min_x max_i c_i(x)``, both over *efficient deals*: Pareto-optimal outcomes whose utility
  vector differs from the no-deal one. Both are zero exactly when the agreement zone is
  non-empty. Efficient deals suffice: ``c`` only grows as utilities fall, and counting the
  no-deal point itself (or a copy of it) would make every gap zero.
- The gap in **issue units**: a concession c_i is worth ``c_i · span_k / w_ik`` units of
  issue k (option steps ``c_i · (m_k − 1) / w_ik`` on an options issue) if party i gave it on
  issue k alone — exact for the default linear distance, a first-order figure otherwise.
- **Package deals**: efficient deals ranked by least total concession, ties by the larger
  Nash product of gains (Nash 1950), so inside the zone the ranking is the Nash ranking.
- **Logrolling** (Raiffa 1982, *The Art and Science of Negotiation*, ch. 10; Pruitt 1981):
  per issue, each party's gain ``w_ik (v_ik(x_k) − v_ik(q_k))`` from the status quo to the
  package; a party *gives* on the issues where it loses and *takes* where it gains.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from accord.analysis.bargaining import TOL, FloatArray, agreement_mask
from accord.results import jsonable


@dataclass(frozen=True, eq=False)
class Gap:
    """The smallest concession that opens the agreement zone (zero when it is open)."""

    parties: tuple[str, ...]
    zone_empty: bool
    total: float
    total_row: int | None
    total_by_party: FloatArray
    minimax: float
    minimax_row: int | None
    minimax_by_party: FloatArray
    issue_units: FloatArray

    def to_dict(self) -> dict[str, object]:
        """JSON-ready record."""
        return jsonable(
            {
                "zone_empty": self.zone_empty,
                "total": self.total,
                "total_by_party": dict(zip(self.parties, self.total_by_party, strict=True)),
                "minimax": self.minimax,
                "minimax_by_party": dict(zip(self.parties, self.minimax_by_party, strict=True)),
                "issue_units": {
                    p: list(row) for p, row in zip(self.parties, self.issue_units, strict=True)
                },
            }
        )

    def to_frame(self) -> pd.DataFrame:
        """One row per party: its concession in the total- and minimax-gap packages."""
        return pd.DataFrame(
            {
                "party": list(self.parties),
                "total_gap_concession": self.total_by_party,
                "minimax_gap_concession": self.minimax_by_party,
            }
        )


def concessions(utilities: FloatArray, reservation: FloatArray) -> FloatArray:
    """``max(0, r_i − u_i(x))`` for every outcome and party, shape (N, A)."""
    return np.maximum(0.0, np.asarray(reservation) - np.asarray(utilities))


def deal_rows(utilities: FloatArray, reservation: FloatArray) -> NDArray[np.int64]:
    """Rows whose utility vector differs from the no-deal one."""
    return np.flatnonzero(np.any(np.abs(utilities - reservation) > TOL, axis=1))


def gap(
    frontier_utilities: FloatArray,
    reservation: FloatArray,
    parties: tuple[str, ...],
    per_unit: FloatArray,
) -> Gap:
    """Total and minimax gap over the efficient deals ``frontier_utilities`` (F, A).

    ``per_unit`` (A, K) is the utility of one issue unit for each party (see `per_unit_value`).
    """
    u = np.asarray(frontier_utilities, dtype=np.float64)
    r = np.asarray(reservation, dtype=np.float64)
    rows = deal_rows(u, r)
    a = len(parties)
    if len(rows) == 0:
        nan = np.full(a, np.nan)
        return Gap(
            parties, True, np.nan, None, nan, np.nan, None, nan, np.full(per_unit.shape, np.nan)
        )
    c = concessions(u[rows], r)
    tot = c.sum(axis=1)
    mx = c.max(axis=1)
    i_tot = int(rows[_argmin_tie(tot, mx)])
    i_mx = int(rows[_argmin_tie(mx, tot)])
    by_tot = concessions(u[i_tot], r)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        units = np.where(per_unit > 0, by_tot[:, None] / per_unit, np.inf)
    return Gap(
        parties=parties,
        zone_empty=not bool(agreement_mask(u[rows], r).any()),
        total=float(by_tot.sum()),
        total_row=i_tot,
        total_by_party=by_tot,
        minimax=float(concessions(u[i_mx], r).max()),
        minimax_row=i_mx,
        minimax_by_party=concessions(u[i_mx], r),
        issue_units=units,
    )


def _argmin_tie(primary: FloatArray, secondary: FloatArray) -> int:
    return int(np.lexsort((secondary, np.round(primary, 12)))[0])


def package_ranking(frontier_utilities: FloatArray, reservation: FloatArray) -> NDArray[np.int64]:
    """Rows of efficient deals, best package first (least total concession, then Nash product)."""
    u = np.asarray(frontier_utilities, dtype=np.float64)
    r = np.asarray(reservation, dtype=np.float64)
    rows = deal_rows(u, r)
    total = concessions(u[rows], r).sum(axis=1)
    nash = np.log(np.maximum(u[rows] - r, 1e-12)).sum(axis=1)
    return rows[np.lexsort((-u[rows].sum(axis=1), -nash, np.round(total, 12)))]


def per_unit_value(
    weight: FloatArray, span: FloatArray, n_options: NDArray[np.int64]
) -> FloatArray:
    """Utility of one issue unit (one option step on an options issue), shape (A, K)."""
    steps = np.where(n_options > 0, np.maximum(n_options - 1, 1), span)
    return np.asarray(weight) / steps


def issue_gains(
    tables: list[FloatArray], package: NDArray[np.int64], status_quo: NDArray[np.int64]
) -> FloatArray:
    """Gain (A, K) of each party on each issue from the status quo to the package.

    ``tables`` are the weighted per-issue value tables (A, m_k) of the outcome space and
    ``package``/``status_quo`` per-issue indices (K,).
    """
    return np.column_stack(
        [t[:, int(package[k])] - t[:, int(status_quo[k])] for k, t in enumerate(tables)]
    )
