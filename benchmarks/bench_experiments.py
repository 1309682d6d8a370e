"""Benchmark of Monte-Carlo experiments on almaty-2013: draws per second, scaling, Dask overhead.

Run: ``.venv/bin/python benchmarks/bench_experiments.py [--draws 10000] [--bdm-draws 1000]``.

For each model (compromise and BDM when registered) it times the same seeded sweep on a process
pool of 1 and of 2 workers (pools warmed up first, so worker start-up is reported apart) and on
a local Dask cluster of 2 workers, checks that all give the same bytes, and prints draws per
second with the ratios against the 1-worker pool measured in the same run. Not a test.
"""

from __future__ import annotations

import argparse
import os
import resource
import time
from concurrent.futures import Executor

import accord
from accord.experiments.executors import make_executor
from accord.experiments.montecarlo import monte_carlo
from accord.experiments.rundir import csv_text
from accord.experiments.tasks import ForecastTask, StatusQuoTask


def timed(scenario: accord.Scenario, task: object, draws: int, ex: Executor) -> tuple[float, str]:
    """Seconds for one sweep on `ex`, and the CSV text of its runs."""
    t = time.perf_counter()
    r = monte_carlo(scenario, task, draws=draws, seed=1, plan="lhs", executor=ex)  # type: ignore[arg-type]
    return time.perf_counter() - t, csv_text(r.runs)


def started(
    kind: str, workers: int, scenario: accord.Scenario, task: object
) -> tuple[Executor, float]:
    """An executor, warmed up on a tiny sweep; and the seconds that start-up took."""
    t = time.perf_counter()
    ex = make_executor(kind, workers)
    monte_carlo(scenario, task, draws=4 * workers, seed=0, executor=ex, chunk=1)  # type: ignore[arg-type]
    return ex, time.perf_counter() - t


def _children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def bench(name: str, task: object, draws: int, dask: bool) -> None:
    """Time one task on 1 and 2 processes and on Dask; print rates and ratios.

    For the process pools the CPU seconds of the (joined) workers are measured too: their
    share of ``workers × wall`` is the parallel efficiency, which shows whether a low speed-up
    comes from the experiment machinery or from other load on the machine.
    """
    s = accord.load("almaty-2013")
    rows = []
    texts = []
    for kind, workers in [("process", 1), ("process", 2)] + ([("dask", 2)] if dask else []):
        cpu0 = _children_cpu()
        ex, startup = started(kind, workers, s, task)
        with ex:
            secs, text = timed(s, task, draws, ex)
        cpu = _children_cpu() - cpu0 if kind == "process" else float("nan")
        texts.append(text)
        rows.append((f"{kind} ×{workers}", startup, secs, cpu / (workers * (secs + startup))))
    base = rows[0][2]
    print(f"\n{name}: {draws:,} draws (LHS), almaty-2013, load {os.getloadavg()[0]:.1f}")
    head = f"  {'executor':<12} {'start-up s':>10} {'run s':>8} {'draws/s':>9} {'speed-up':>9}"
    print(head + f" {'CPU busy':>9}")
    for label, startup, secs, busy in rows:
        print(
            f"  {label:<12} {startup:>10.2f} {secs:>8.2f} {draws / secs:>9.0f} "
            f"{base / secs:>8.2f}× {busy:>9.0%}".replace("nan%", "–")
        )
    if dask:
        print(f"  Dask overhead against the 2-process pool: {rows[2][2] / rows[1][2] - 1:+.1%}")
    print(f"  identical bytes on every executor: {all(t == texts[0] for t in texts)}")


def overhead(draws: int) -> None:
    """Per-draw cost of the experiment machinery (draw, perturb, table) against compile."""
    from accord.experiments.montecarlo import Chunk, Spec, evaluate
    from accord.experiments.uncertain import uncertain_numbers

    s = accord.load("almaty-2013")
    params = tuple(uncertain_numbers(s))

    def per_draw(task: object) -> float:
        spec = Spec(s, task, params, 0)  # type: ignore[arg-type]
        t = time.perf_counter()
        evaluate(spec, Chunk(0, 0, draws))
        return (time.perf_counter() - t) / draws * 1e3

    null = per_draw(_null_task)
    compiled = per_draw(StatusQuoTask())
    print(
        f"\nper draw, serial, {draws:,} draws: machinery {null:.3f} ms; with compile "
        f"{compiled:.3f} ms (machinery = {null / compiled:.1%} of a compile-only run)"
    )


def _null_task(scenario: accord.Scenario, rng: object) -> dict[str, float]:
    return {"x": 0.0}


def main() -> None:
    """Parse arguments and run the benchmarks."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--draws", type=int, default=10_000, help="draws for the cheap models")
    ap.add_argument("--bdm-draws", type=int, default=1_000, help="draws for BDM (~40 ms/draw)")
    ap.add_argument("--no-dask", action="store_true", help="skip the Dask cluster")
    ap.add_argument("--models", default="compromise,bdm", help="comma-separated models")
    args = ap.parse_args()
    from accord.forecast import MODELS

    print(f"load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    overhead(min(args.draws, 2000))
    dask = not args.no_dask
    for name in [m for m in args.models.split(",") if m]:
        if name not in MODELS:
            print(f"\n{name}: not registered, skipped")
            continue
        n = args.bdm_draws if name == "bdm" else args.draws
        bench(name, ForecastTask(name), n, dask)
    print(f"\nload average at end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
