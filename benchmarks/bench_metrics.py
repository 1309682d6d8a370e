"""Benchmark: the ``breakout_months`` metric over every Almaty package, vectorised vs per package.

Run: ``.venv/bin/python benchmarks/bench_metrics.py [--scalar 2000]``

Times, in one run and on one core (no threads are used by the kernel):

- ``vectorised``: `accord.metrics` ``breakout_months`` on all 126,720 packages of the
  almaty-2013 grid at resolution 11 (`accord.nuclear.vector`), best of 5;
- ``scalar``: the per-package path (`accord.clocks.breakout_metric.breakout_months`, one
  `ProgrammeState` and one `breakout` per package) on the first ``--scalar`` packages, scaled
  to the whole grid — the baseline measured in the same run;
- ``analyze``: `accord.analyze("almaty-2013")` with its red lines, metric terms and consensus
  bloc, best of 3.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

import accord
from accord.clocks.breakout_metric import breakout_months
from accord.metrics import bind_metric
from accord.nuclear import builtin_state
from accord.scenario.preferences import metric_context
from accord.space import grid


def best(fn, repeat: int) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> None:
    """Print the timings and the ratio."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--scalar", type=int, default=2000, help="packages timed one by one")
    args = ap.parse_args()
    s = accord.load("almaty-2013")
    c = accord.compile(s)
    space = grid(c)
    units = c.to_units(space.outcomes(np.arange(space.size)))
    fn = bind_metric("breakout_months", metric_context(s, "breakout_months"))
    vec = best(lambda: fn(units), 5)
    base = builtin_state("feb-2013")
    n = min(args.scalar, len(units))

    def scalar() -> None:
        for row in units[:n]:
            breakout_months(s, dict(zip(s.issue_ids, row, strict=True)), base=base)

    one = best(scalar, 1) / n
    print(f"breakout_months, {space.size:,} packages")
    print(f"  vectorised       {vec:8.3f} s")
    print(f"  per package      {one * space.size:8.3f} s  (measured on {n:,}, scaled)")
    print(f"  ratio            {one * space.size / vec:8.0f}x")
    an = best(lambda: accord.analyze(c), 3)
    print(f"analyze(almaty-2013), compiled: {an:.3f} s")


if __name__ == "__main__":
    main()
