"""Monte-Carlo on almaty-2013: one draw at a time against batched arrays, in the same run.

Run: ``PYTHONPATH=src .venv/bin/python benchmarks/bench_montecarlo.py [--sweep 100000]``.

1. For compromise and BDM, in this one process: draws per second of the per-draw path
   (perturb the scenario, compile, forecast; ``ForecastTask(batched=False)``) and of the
   batched path (draws written into the compiled arrays, one kernel call per batch), the ratio,
   and whether both paths gave the same numbers on the draws they share.
2. The Monte-Carlo of ``accord run`` (`JobTask`: compromise, median and BDM forecasts and
   whether an agreement zone exists) in this one process: draws per CPU second of the per-draw
   path (perturb, compile, three forecasts, a full ``analyze``) and of the batched path
   (`Targets.compiled_all`, the kernels, `accord.analysis.zone_batch`), the ratio, and whether
   both give the same bytes on the draws they share.
3. A sweep of ``--sweep`` draws (LHS) of every model with a batch kernel on a process pool of
   2 workers: seconds per model and in total, and the workers' CPU time (what the sweep takes
   on 2 idle cores); up to 20,000 draws the bytes are compared with a serial run.

Not a test: the figures depend on the machine and its load (printed).
"""

from __future__ import annotations

import argparse
import os
import resource
import time
from concurrent.futures import Executor

import accord
from accord.experiments.executors import make_executor
from accord.experiments.montecarlo import Task, monte_carlo
from accord.experiments.rundir import csv_text
from accord.experiments.tasks import ForecastTask, JobTask
from accord.experiments.uncertain import uncertain_numbers
from accord.job import MC_MODELS


def rate(
    task: Task, draws: int, ex: Executor | None = None, clock: str = "wall"
) -> tuple[float, str]:
    """Draws per second (wall clock, or this process's CPU time) of one seeded LHS sweep, and
    the CSV text of its runs."""
    s = accord.load("almaty-2013")
    now = time.perf_counter if clock == "wall" else time.process_time
    t = now()
    r = monte_carlo(s, task, draws=draws, seed=1, plan="lhs", executor=ex)
    return draws / (now() - t), csv_text(r.runs)


def before_after(model: str, old_draws: int, new_draws: int) -> None:
    """Print the per-draw and the batched rate of `model` on one process, and the ratio.

    Rates are per CPU second of this process (the machine is shared, so wall-clock rates
    measure the neighbours too); the wall-clock rate of the batched path is printed as well.
    """
    rate(ForecastTask(model), 64)  # warm up imports and caches
    old, old_text = rate(ForecastTask(model, batched=False), old_draws, clock="cpu")
    new, _ = rate(ForecastTask(model), new_draws, clock="cpu")
    wall, _ = rate(ForecastTask(model), new_draws)
    _, same_text = rate(ForecastTask(model), old_draws)
    print(
        f"  {model:<11} per-draw {old:>9,.0f}   batched {new:>9,.0f} draws per CPU s "
        f"(wall {wall:,.0f}/s)   ×{new / old:,.0f}   same numbers: {same_text == old_text}"
    )


def job(old_draws: int, new_draws: int) -> None:
    """Print the per-draw and the batched rate of `accord run`'s Monte-Carlo task, per CPU
    second of this process, and whether both give the same bytes on `old_draws` shared draws."""
    rate(JobTask(MC_MODELS), 32)  # warm up imports and the per-process metric table
    old, old_text = rate(JobTask(MC_MODELS, batched=False), old_draws, clock="cpu")
    new, _ = rate(JobTask(MC_MODELS), new_draws, clock="cpu")
    _, same_text = rate(JobTask(MC_MODELS), old_draws)
    print(
        f"  accord run  per-draw {old:>9,.1f}   batched {new:>9,.0f} draws per CPU s   "
        f"×{new / old:,.0f}   same bytes: {same_text == old_text}"
    )
    print(
        f"  200 draws per-draw: {200 / old:.1f} CPU s; in that time the batched path does "
        f"{200 / old * new:,.0f} draws"
    )


def sweep(draws: int, workers: int) -> None:
    """Every model with a batch kernel, `draws` draws each, on a pool of `workers` processes."""
    from accord.forecast import MODELS
    from accord.forecast.models.batched import kernel

    fast = [m for m in MODELS.names() if kernel(MODELS.create(m)) is not None]
    total = 0.0
    same = True
    cpu0 = _children_cpu()
    with make_executor("process", workers) as ex:
        rate(ForecastTask(fast[0]), 4 * workers, ex)  # start the workers
        for m in fast:
            r, text = rate(ForecastTask(m), draws, ex)
            secs = draws / r
            total += secs
            if draws <= 20_000:
                same &= text == rate(ForecastTask(m), draws)[1]
            print(f"  {m:<18} {secs:>6.2f} s  {r:>9,.0f} draws/s")
    cpu = _children_cpu() - cpu0
    print(f"  all {len(fast)} models: {total:.1f} s for {draws:,} draws each on {workers} workers")
    print(
        f"  the workers' CPU time: {cpu:.1f} s, i.e. {cpu / workers:.1f} s of wall clock on "
        f"{workers} idle cores"
    )
    if draws <= 20_000:
        print(f"  same bytes as a serial run: {same}")


def _children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def main() -> None:
    """Parse arguments and run both parts."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--sweep", type=int, default=100_000, help="draws per model in the sweep")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--job-before", type=int, default=60, help="per-draw runs of accord run")
    ap.add_argument("--job-after", type=int, default=4000, help="batched runs of accord run")
    args = ap.parse_args()
    print(f"load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    n = len(uncertain_numbers(accord.load("almaty-2013")))
    print(f"\nMonte-Carlo draws/s on one process, almaty-2013 ({n} uncertain numbers, LHS):")
    before_after("compromise", 2_000, 200_000)
    before_after("bdm", 200, 10_000)
    print("\nthe Monte-Carlo of accord run (compromise, median, bdm + zone), one process:")
    job(args.job_before, args.job_after)
    print(f"\nsweep of every batched model, {args.sweep:,} draws, {args.workers} processes:")
    sweep(args.sweep, args.workers)
    print(f"\nload average at end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
