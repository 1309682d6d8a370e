"""Benchmark: Pareto frontier + Nash point over random linear-additive outcome spaces.

Run: ``.venv/bin/python benchmarks/bench_analysis.py [--negmas-max 1e7] [--negmas-ufun-max 1e6]``

For 2 parties over 10^4 … 10^7 outcomes and 3 parties over 10^6, it times, in one run:

- ``eval``: accord's utilities of every outcome from the per-issue value tables
  (`OutcomeSpace.blocks`-style outer sums);
- ``accord``: `pareto_frontier` + `nash_point` on those utilities, best of 5, with the peak
  memory the call allocates (tracemalloc; the input array is reported separately);
- ``sweep``: the baseline measured in the same run, the plain O(N log N) sort-and-sweep
  (A = 2) or presorted block-nested-loop (A = 3) without accord's prefilter;
- ``negmas``: when benchmarks/.negmas-venv exists (benchmarks/setup_negmas.sh), NegMAS's
  `pareto_frontier` + `nash_points` in a separate process on the same utilities, both as a
  NegMAS user runs it (linear-additive ufuns, it enumerates the space: compared with
  eval + accord) and on the utility array (`pareto_frontier_numpy`: compared with accord).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import cast

import numpy as np

from accord.analysis import nash_point, pareto_frontier
from accord.analysis.pareto import _skyline, _sweep_2d

HERE = Path(__file__).resolve().parent
NEGMAS_PY = HERE / ".negmas-venv" / "bin" / "python"


def random_tables(sizes: list[int], parties: int, seed: int) -> list[np.ndarray]:
    """Weighted per-issue value tables (A, m_k): partly opposed random preferences."""
    rng = np.random.default_rng(seed)
    w = rng.dirichlet(np.ones(len(sizes)), parties)
    tables = []
    for k, m in enumerate(sizes):
        base = rng.random(m)
        rows = [base] + [
            np.clip(1 - base + 0.3 * rng.standard_normal(m), 0, 1) for _ in range(parties - 1)
        ]
        tables.append(w[:, k : k + 1] * np.vstack(rows))
    return tables


def evaluate(tables: list[np.ndarray]) -> np.ndarray:
    """Utilities (N, A) of every outcome: outer sums of the tables (row-major order)."""
    a = tables[0].shape[0]
    u = np.zeros((1, a))
    for t in tables:
        u = (u[:, None, :] + t.T[None, :, :]).reshape(-1, a)
    return u


def timed(fn: Callable[[], object], repeat: int = 3) -> tuple[float, object]:
    best, out = np.inf, None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t)
    return best, out


def peak_bytes(fn: Callable[[], object]) -> int:
    tracemalloc.start()
    tracemalloc.reset_peak()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def accord_run(u: np.ndarray, d: np.ndarray) -> tuple[int, np.ndarray]:
    f = pareto_frontier(u)
    i = nash_point(u[f], d)
    return len(f), u[f][i]


def baseline_run(u: np.ndarray, d: np.ndarray) -> tuple[int, np.ndarray]:
    f = _sweep_2d(u) if u.shape[1] == 2 else _skyline(u)
    i = nash_point(u[f], d)
    return len(f), u[f][i]


def negmas(mode: str, tables: list[np.ndarray], u: np.ndarray, d: np.ndarray) -> dict | None:
    if not NEGMAS_PY.exists():
        return None
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "data.npy"
        res = ",".join(str(v) for v in d)
        if mode == "ufuns":
            np.save(path, np.hstack(tables))
            sizes = ",".join(str(t.shape[1]) for t in tables)
            args = [str(NEGMAS_PY), str(HERE / "negmas_runner.py"), mode, str(path), sizes, res]
        else:
            np.save(path, u)
            args = [str(NEGMAS_PY), str(HERE / "negmas_runner.py"), mode, str(path), res]
        proc = subprocess.run(args, capture_output=True, text=True, timeout=1800)
    if proc.returncode != 0:
        print(f"    negmas {mode} failed: {proc.stderr.strip().splitlines()[-1:]}")
        return None
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument(
        "--negmas-max",
        type=float,
        default=1e6,
        help="largest space NegMAS's pareto_frontier_numpy is run on",
    )
    p.add_argument(
        "--negmas-ufun-max",
        type=float,
        default=1e6,
        help="largest space NegMAS enumerates with its ufuns (~10 s and GBs at 10^6 → 10^7)",
    )
    p.add_argument("--quick", action="store_true", help="only 10^4 and 10^5, 2 parties")
    args = p.parse_args()
    cases = [(2, 4), (2, 5), (2, 6), (2, 7), (3, 6)]
    if args.quick:
        cases = cases[:2]
    print(f"NegMAS venv: {'found' if NEGMAS_PY.exists() else 'absent (run setup_negmas.sh)'}")
    print(
        f"{'A':>2} {'outcomes':>10} {'front':>6} {'eval ms':>8} {'accord ms':>10} "
        f"{'peak MB':>8} {'input MB':>9} {'sweep ms':>9} {'x sweep':>8} "
        f"{'negmas(u) ms':>13} {'x':>6} {'negmas(ufun) ms':>16} {'x':>6}"
    )
    for parties, exp in cases:
        tables = random_tables([10] * exp, parties, seed=exp * 10 + parties)
        t_eval, u_any = timed(partial(evaluate, tables), repeat=1)
        u = cast(np.ndarray, u_any)
        d = np.zeros(parties)
        t_acc, out = timed(partial(accord_run, u, d), repeat=5)
        n_front, nash = cast(tuple[int, np.ndarray], out)
        peak = peak_bytes(partial(accord_run, u, d))
        t_base, out_b = timed(partial(baseline_run, u, d), repeat=1)
        n_base, nash_b = cast(tuple[int, np.ndarray], out_b)
        assert n_base == n_front and np.allclose(nash, nash_b)
        row = (
            f"{parties:>2} {u.shape[0]:>10.0e} {n_front:>6} {t_eval * 1e3:>8.1f} "
            f"{t_acc * 1e3:>10.1f} {peak / 2**20:>8.1f} {u.nbytes / 2**20:>9.1f} "
            f"{t_base * 1e3:>9.1f} {t_base / t_acc:>8.1f}"
        )
        for mode, cap, ours in (
            ("points", args.negmas_max, t_acc),
            ("ufuns", args.negmas_ufun_max, t_eval + t_acc),
        ):
            res = negmas(mode, tables, u, d) if u.shape[0] <= cap else None
            if u.shape[0] > cap or not NEGMAS_PY.exists():
                row += f" {'skipped':>{13 if mode == 'points' else 16}} {'':>6}"
            elif res is None:
                row += f" {'failed':>{13 if mode == 'points' else 16}} {'':>6}"
            else:
                width = 13 if mode == "points" else 16
                row += f" {res['total_s'] * 1e3:>{width}.0f} {res['total_s'] / ours:>6.0f}"
                if res["frontier"] != n_front:
                    row += f" (negmas frontier {res['frontier']})"
        print(row, flush=True)
        del u
    raw_nash(args.quick)


def raw_nash(quick: bool) -> None:
    """`nash_point` on a whole table as a user calls it: every row scored (as accord did up to
    issue 14) against the call as it is now (the exact frontier first for two parties; every
    row for three or more, where the frontier costs more), in the same run."""
    from accord.analysis import bargaining

    print("\nnash_point(U, d) on the raw table (no frontier passed in):")
    for parties, exp in [(2, 5)] if quick else [(2, 6), (3, 6)]:
        u = evaluate(random_tables([10] * exp, parties, seed=exp * 10 + parties))
        d = np.full(parties, 0.2)
        t_after, after = timed(partial(nash_point, u, d), repeat=3)
        saved = bargaining.FRONTIER_FROM
        bargaining.FRONTIER_FROM = 10**12
        try:
            t_before, before = timed(partial(nash_point, u, d), repeat=3)
        finally:
            bargaining.FRONTIER_FROM = saved
        print(
            f"  {parties} parties, {len(u):.0e} rows: every row {t_before * 1e3:7.1f} ms → "
            f"as called now {t_after * 1e3:7.1f} ms (×{t_before / t_after:.1f}); "
            f"same row: {before == after}"
        )


if __name__ == "__main__":
    main()
