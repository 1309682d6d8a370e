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
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Required, TypedDict, Unpack

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
from accord.experiments.uncertain import Uncertain, uncertain_numbers
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


class SweepOptions(TypedDict, total=False):
    """The keyword arguments of `sweep` besides ``arguments``: the Monte-Carlo design (`draws`,
    `seed`, `plan`, `chunk` runs per chunk), how it runs (`executor`, `workers`, `progress`,
    `on_chunk` called with each finished chunk), the `sensitivity_method` (``oat``, ``sobol``
    or None) with its own `sensitivity_progress`, and `resume`. Defaults: `SweepSettings`."""

    draws: Required[int]
    seed: int
    plan: str
    chunk: int | None
    executor: Executor | None
    workers: int
    sensitivity_method: str | None
    resume: bool
    progress: Progress | None
    sensitivity_progress: Progress | None
    on_chunk: Callable[[Chunk, pd.DataFrame], None] | None


@dataclass(frozen=True)
class SweepSettings:
    """`SweepOptions` with their defaults filled in (the same names, tested)."""

    draws: int
    seed: int = 0
    plan: str = "random"
    chunk: int | None = None
    executor: Executor | None = None
    workers: int = 1
    sensitivity_method: str | None = None
    resume: bool = False
    progress: Progress | None = None
    sensitivity_progress: Progress | None = None
    on_chunk: Callable[[Chunk, pd.DataFrame], None] | None = None


def sweep(
    scenario: Scenario,
    task: Task,
    out: str | Path,
    *,
    arguments: Mapping[str, Any],
    **options: Unpack[SweepOptions],
) -> SweepOutcome:
    """Run (or resume) a sweep into run directory `out`; see the module docstring.

    `arguments` are recorded in the manifest (with the design's own values); `options` are
    `SweepOptions`.
    """
    o = SweepSettings(**options)
    check_request(o.draws, o.chunk, o.plan)
    digest = scenario_digest(scenario)
    params = uncertain_numbers(scenario)
    chunk = o.chunk or default_chunk(o.draws, o.workers)
    args = dict(arguments) | {
        "draws": o.draws,
        "seed": o.seed,
        "plan": o.plan,
        "chunk": chunk,
        "sensitivity": o.sensitivity_method,
    }
    if o.resume:
        run = RunDir.open(out)
        check_same(run, digest, args)
        finished = run.finished_chunks()
    else:
        run = _create(out, scenario, digest, args, params)
        finished = {}
    already = run.complete and (run.path / "runs.csv").is_file()
    if already:
        result = _recorded(scenario, task, run, o)
    else:
        result = _draw(scenario, task, run, finished, replace(o, chunk=chunk))
    run.write_table("summary", result.summary())
    sens = None
    if o.sensitivity_method:
        sens = sensitivity(
            o.sensitivity_method,
            scenario,
            task,
            budget=o.draws,
            seed=o.seed,
            executor=o.executor,
            progress=o.sensitivity_progress,
        )
        run.write_table("sensitivity", sens.table)
    run.drop_chunks()
    run.finalize()
    return SweepOutcome(result, sens, run, 0 if already else len(finished), already)


def _create(
    out: str | Path,
    scenario: Scenario,
    digest: str,
    args: Mapping[str, Any],
    params: list[Uncertain],
) -> RunDir:
    """A new run directory, its manifest and the uncertain numbers it varies."""
    run = RunDir.create(
        out,
        {
            "command": "sweep",
            "scenario": {"title": scenario.meta.title, "digest": digest},
            "seed": args["seed"],
            "plan": args["plan"],
            "arguments": args,
            "uncertain_numbers": len(params),
        },
    )
    run.write_json("uncertain.json", [p.to_dict() for p in params])
    return run


def _draw(
    scenario: Scenario,
    task: Task,
    run: RunDir,
    finished: dict[int, pd.DataFrame],
    o: SweepSettings,
) -> MonteCarloResult:
    """Run the chunks not in `finished`, writing each to the run directory as it ends; the
    result holds every run, joined in run order from the directory."""
    assert o.chunk is not None

    def write(c: Chunk, frame: pd.DataFrame) -> None:
        run.write_chunk(c.index, frame)
        if o.on_chunk is not None:
            o.on_chunk(c, frame)

    result = monte_carlo(
        scenario,
        task,
        draws=o.draws,
        seed=o.seed,
        plan=o.plan,
        chunk=o.chunk,
        executor=o.executor,
        progress=o.progress,
        finished=finished,
        on_chunk=write,
    )
    runs = run.combine(-(-o.draws // o.chunk))
    return MonteCarloResult(runs, result.params, result.metrics, o.seed, o.plan)


def _recorded(scenario: Scenario, task: Task, run: RunDir, o: SweepSettings) -> MonteCarloResult:
    """The result of a run directory already complete, from its ``runs.csv``."""
    runs = read_csv(run.path / "runs.csv")
    return monte_carlo(
        scenario, task, draws=o.draws, seed=o.seed, plan=o.plan, chunk=o.draws, finished={0: runs}
    )


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
