"""A Monte-Carlo sweep written to a resumable run directory (what `accord sweep` runs).

`sweep` creates the run directory (or reopens it with ``resume=True``), runs the chunks not yet
on disk, writes each chunk as it finishes, then joins them into ``runs.csv`` in run order and
writes ``summary.csv`` (the distribution of every metric), ``uncertain.json`` (the numbers
varied) and, when asked, ``sensitivity.csv``. A resumed sweep must be the same experiment: the
scenario hash and the result-bearing arguments (task, draws, seed, plan, chunk size) recorded in
the manifest are checked, and the manifest's values are used.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from concurrent.futures import Executor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from accord.errors import InputError, Problem
from accord.experiments.montecarlo import (
    Chunk,
    MonteCarloResult,
    Progress,
    Task,
    check_request,
    default_chunk,
    monte_carlo,
)
from accord.experiments.rundir import RunDir, read_csv
from accord.experiments.sensitivity import SensitivityResult, sensitivity
from accord.experiments.uncertain import uncertain_numbers
from accord.results import NotebookView
from accord.scenario import Scenario, scenario_digest

RESULT_ARGS = (
    "scenario",
    "task",
    "model",
    "months",
    "draws",
    "seed",
    "plan",
    "chunk",
    "sensitivity",
)


@dataclass(frozen=True, eq=False)
class SweepOutcome(NotebookView):
    """What a sweep produced: the Monte-Carlo result, the sensitivity (if any), the directory."""

    result: MonteCarloResult
    sensitivity: SensitivityResult | None
    run: RunDir
    resumed_chunks: int
    already_complete: bool = False


def sweep(
    scenario: Scenario,
    task: Task,
    out: str | Path,
    *,
    arguments: Mapping[str, Any],
    draws: int,
    seed: int = 0,
    plan: str = "random",
    chunk: int | None = None,
    executor: Executor | None = None,
    workers: int = 1,
    sensitivity_method: str | None = None,
    resume: bool = False,
    progress: Progress | None = None,
    sensitivity_progress: Progress | None = None,
    on_chunk: Callable[[Chunk, pd.DataFrame], None] | None = None,
) -> SweepOutcome:
    """Run (or resume) a sweep into run directory `out`; see the module docstring."""
    check_request(draws, chunk, plan)
    digest = scenario_digest(scenario)
    params = uncertain_numbers(scenario)
    chunk = chunk or default_chunk(draws, workers)
    args = dict(arguments) | {
        "draws": draws,
        "seed": seed,
        "plan": plan,
        "chunk": chunk,
        "sensitivity": sensitivity_method,
    }
    if resume:
        run = RunDir.open(out)
        check_same(run, digest, args)
        finished = run.finished_chunks()
    else:
        run = RunDir.create(
            out,
            {
                "command": "sweep",
                "scenario": {"title": scenario.meta.title, "digest": digest},
                "seed": seed,
                "plan": plan,
                "arguments": args,
                "uncertain_numbers": len(params),
            },
        )
        run.write_json("uncertain.json", [p.to_dict() for p in params])
        finished = {}
    n_chunks = -(-draws // chunk)

    def write(c: Chunk, frame: pd.DataFrame) -> None:
        run.write_chunk(c.index, frame)
        if on_chunk is not None:
            on_chunk(c, frame)

    already = run.complete and (run.path / "runs.csv").is_file()
    if already:
        runs = read_csv(run.path / "runs.csv")
        finished = {0: runs}
        result = monte_carlo(
            scenario, task, draws=draws, seed=seed, plan=plan, chunk=draws, finished=finished
        )
    else:
        result = monte_carlo(
            scenario,
            task,
            draws=draws,
            seed=seed,
            plan=plan,
            chunk=chunk,
            executor=executor,
            progress=progress,
            finished=finished,
            on_chunk=write,
        )
        runs = run.combine(n_chunks)
        result = MonteCarloResult(runs, result.params, result.metrics, seed, plan)
    run.write_table("summary", result.summary())
    sens = None
    if sensitivity_method:
        sens = sensitivity(
            sensitivity_method,
            scenario,
            task,
            budget=draws,
            seed=seed,
            executor=executor,
            progress=sensitivity_progress,
        )
        run.write_table("sensitivity", sens.table)
    run.drop_chunks()
    run.finalize()
    return SweepOutcome(result, sens, run, 0 if already else len(finished), already)


def check_same(run: RunDir, digest: str, args: Mapping[str, Any]) -> None:
    """Refuse to resume a run directory that holds a different experiment."""
    if run.manifest.get("command") != "sweep":
        raise InputError(
            Problem("not a sweep run directory", ("command",), run.manifest.get("command"))
        )
    problems = []
    got = run.manifest.get("scenario", {}).get("digest")
    if got != digest:
        problems.append(
            Problem(
                "the scenario differs from the one this run started with",
                ("scenario", "digest"),
                got,
            )
        )
    recorded = run.manifest.get("arguments", {})
    for k in RESULT_ARGS:
        if k in args and recorded.get(k) != args.get(k):
            problems.append(
                Problem(
                    f"the run was started with {k} = {recorded.get(k)!r}",
                    ("arguments", k),
                    args.get(k),
                )
            )
    InputError.collect(problems)


def recorded_arguments(out: str | Path) -> dict[str, Any]:
    """The arguments a run directory was started with (to resume it with the same ones)."""
    args = RunDir.open(out).manifest.get("arguments", {})
    return dict(args) if isinstance(args, dict) else {}
