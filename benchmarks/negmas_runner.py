"""The NegMAS side of bench_analysis.py, run as a separate process in benchmarks/.negmas-venv.

NegMAS (AGPL) is never imported by accord; this script only reads arrays from .npy files,
times NegMAS's own `pareto_frontier` and `nash_points`, and prints one JSON line.

Usage::

    python negmas_runner.py ufuns TABLES.npy SIZES RESERVATION
    python negmas_runner.py points UTILITIES.npy RESERVATION

``ufuns``: ``TABLES`` (A, Σ m_k) holds each party's weighted per-issue values concatenated
over the issues, ``SIZES`` the comma-separated m_k; NegMAS builds linear-additive utility
functions over integer issues and enumerates the space itself (what a NegMAS user does).
``points``: ``UTILITIES`` (N, A) holds the utilities of every outcome; NegMAS's
`pareto_frontier_numpy` runs on them and `nash_points` on its frontier.
"""

from __future__ import annotations

import json
import sys
import time

import numpy as np
from negmas import make_issue
from negmas.preferences import LinearAdditiveUtilityFunction
from negmas.preferences.ops import nash_points, pareto_frontier, pareto_frontier_numpy


def main(argv: list[str]) -> None:
    """Run one timing and print a JSON line."""
    mode = argv[1]
    reserved = [float(v) for v in argv[-1].split(",")]
    if mode == "ufuns":
        tables = np.load(argv[2])
        sizes = [int(v) for v in argv[3].split(",")]
        issues = [make_issue(m, name=f"i{k}") for k, m in enumerate(sizes)]
        cuts = np.cumsum([0, *sizes])
        ufuns = [
            LinearAdditiveUtilityFunction(
                values={
                    f"i{k}": {v: float(tables[a, cuts[k] + v]) for v in range(m)}
                    for k, m in enumerate(sizes)
                },
                weights={f"i{k}": 1.0 for k in range(len(sizes))},
                issues=issues,
                reserved_value=reserved[a],
            )
            for a in range(tables.shape[0])
        ]
        t0 = time.perf_counter()
        frontier, _ = pareto_frontier(ufuns, issues=issues)
        t1 = time.perf_counter()
        nash = nash_points(ufuns, frontier, issues=issues)
        t2 = time.perf_counter()
    else:
        u = np.load(argv[2])
        t0 = time.perf_counter()
        idx = pareto_frontier_numpy(u)
        frontier = [tuple(row) for row in u[np.asarray(idx, dtype=np.int64)]]
        t1 = time.perf_counter()
        nash = nash_points(None, frontier, ranges=[(0.0, 1.0)] * u.shape[1])
        t2 = time.perf_counter()
    best = [float(v) for v in nash[0][0]] if nash else None
    print(
        json.dumps(
            {
                "mode": mode,
                "pareto_s": t1 - t0,
                "nash_s": t2 - t1,
                "total_s": t2 - t0,
                "frontier": len(frontier),
                "nash": best,
            }
        )
    )


if __name__ == "__main__":
    main(sys.argv)
