"""Experiment commands: `accord sweep` (Monte-Carlo over uncertain inputs) and `accord tournament`.

Both write a run directory (`accord.experiments.rundir`) and refuse a non-empty one; `sweep
--resume` completes an interrupted sweep to the same bytes. Progress bars are drawn here, on
stderr; the engines only call ``progress(done, total)``.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from accord.cli.common import (
    SCENARIO_HELP,
    console,
    err_console,
    load_scenario,
    print_json,
    user_errors,
)
from accord.errors import AccordError, InputError, Problem

if TYPE_CHECKING:
    from concurrent.futures import Executor

    from accord.experiments.montecarlo import Task
    from accord.experiments.sweep import SweepOutcome
    from accord.scenario import Scenario

DEFAULTS: dict[str, Any] = {
    "scenario": "almaty-2013",
    "task": "forecast",
    "model": None,
    "draws": 1000,
    "seed": 0,
    "plan": "random",
    "chunk": None,
    "sensitivity": None,
    "months": None,
}


def register(app: typer.Typer) -> None:
    """Add `sweep` and `tournament` to `app`."""
    app.command()(sweep)
    app.command()(tournament)


@contextlib.contextmanager
def progress_bar(label: str, quiet: bool = False) -> Iterator[Callable[[int, int], None]]:
    """A rich progress bar on stderr, driven by a ``progress(done, total)`` callback."""
    if quiet:
        yield lambda done, total: None
        return
    bar = Progress(
        TextColumn(label),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=err_console,
        transient=True,
    )
    with bar:
        tid = bar.add_task(label, total=None)

        def update(done: int, total: int) -> None:
            bar.update(tid, completed=done, total=total)

        yield update


def sweep(
    scenario: str | None = typer.Argument(None, help=SCENARIO_HELP + " (default: almaty-2013)"),
    model: str | None = typer.Option(
        None,
        "--model",
        "-m",
        metavar="MODEL[:KEY=VALUE,...]",
        help="forecast model, with parameters if wanted: -m bdm:rounds=8 (accord list models)",
    ),
    task: str | None = typer.Option(None, help="forecast | status-quo | zone | session | breakout"),
    draws: int | None = typer.Option(None, "--draws", "-n", help="number of runs (default: 1000)"),
    plan: str | None = typer.Option(None, help="random | lhs | sobol (default: random)"),
    executor: str = typer.Option("process", help="process | thread | serial | dask"),
    address: str | None = typer.Option(None, help="Dask scheduler tcp://HOST:PORT"),
    workers: int | None = typer.Option(None, help="worker processes (default: one per core)"),
    chunk: int | None = typer.Option(None, help="runs per chunk (default: by draws and workers)"),
    seed: int | None = typer.Option(None, help="root seed (default: 0)"),
    out: Path = typer.Option(..., "--out", "-o", help="run directory (must be new or empty)"),
    resume: bool = typer.Option(False, help="complete the interrupted sweep in --out"),
    sensitivity: str | None = typer.Option(None, help="oat | sobol: which inputs matter"),
    months: float | None = typer.Option(None, help="breakout task: months of talks (clocks run)"),
    as_json: bool = typer.Option(False, "--json", help="machine-readable output"),
) -> None:
    """Monte-Carlo over the uncertain numbers of a scenario: distributions of a task's metrics."""
    from accord.experiments.executors import make_executor
    from accord.experiments.montecarlo import default_chunk

    given = {
        "scenario": scenario,
        "task": task,
        "model": model,
        "draws": draws,
        "seed": seed,
        "plan": plan,
        "chunk": chunk,
        "sensitivity": sensitivity,
        "months": months,
    }
    with user_errors():
        args = _sweep_arguments(given, out, resume)
        the_task = _sweep_task(args)
        s = load_scenario(args["scenario"])
        if not resume and out.exists() and (not out.is_dir() or any(out.iterdir())):
            raise InputError(
                Problem(
                    "the output directory exists and is not empty (use "
                    "--resume to complete an interrupted run)",
                    (),
                    str(out),
                )
            )
        ex = make_executor(executor, workers, address)
        n_workers = int(getattr(ex, "workers", 1))
        if args["chunk"] is None:
            args["chunk"] = default_chunk(args["draws"], n_workers)
        record = args | {"executor": executor, "workers": n_workers, "address": address}
        outcome = _run_sweep(s, the_task, out, ex, record, resume=resume, quiet=as_json)
    if as_json:
        print_json({"out": str(out), "result": outcome.result, "sensitivity": outcome.sensitivity})
        return
    show_sweep(outcome, s)


def _sweep_arguments(given: dict[str, Any], out: Path, resume: bool) -> dict[str, Any]:
    """The sweep's arguments: the defaults, then (when resuming) those the run was started
    with, then the options given, which must not contradict a resumed run; checked."""
    from accord.experiments.montecarlo import check_request
    from accord.experiments.sweep import recorded_arguments

    base = dict(DEFAULTS)
    if resume:
        base |= {k: v for k, v in recorded_arguments(out).items() if k in DEFAULTS}
        clash = [
            Problem(f"the run in {out} was started with {k} = {base[k]!r}", (k,), v)
            for k, v in given.items()
            if v is not None and v != base[k]
        ]
        InputError.collect(clash)
    args = base | {k: v for k, v in given.items() if v is not None}
    check_request(args["draws"], args["chunk"], args["plan"])
    if args["sensitivity"] not in (None, "oat", "sobol"):
        raise InputError(Problem("expected oat or sobol", ("sensitivity",), args["sensitivity"]))
    return args


def _sweep_task(args: dict[str, Any]) -> Task:
    """The task each run performs, from --task, --model (with its parameters) and --months."""
    from accord.experiments.tasks import make_task

    if args["task"] == "forecast" and args["model"] is None:
        from accord.forecast import MODELS

        raise InputError(Problem(f"name a model with --model; known: {MODELS.names()}", ("model",)))
    task_params: dict[str, Any] = {}
    if args["task"] in ("forecast", "breakout") and args["model"] is not None:
        from accord.cli.specs import parse_specs

        specs = parse_specs([args["model"]])
        if len(specs) != 1:
            raise InputError(Problem("one model per sweep", ("model",), args["model"]))
        task_params["model"] = specs[0][0]
        if specs[0][1]:
            if args["task"] != "forecast":
                raise InputError(
                    Problem("model parameters apply to --task forecast", ("model",), args["model"])
                )
            task_params["params"] = specs[0][1]
    if args["months"]:
        if args["task"] != "breakout":
            raise InputError(
                Problem("--months applies to --task breakout", ("months",), args["months"])
            )
        task_params["months"] = float(args["months"])
    return make_task(args["task"], **task_params)


def _run_sweep(
    s: Scenario,
    task: Task,
    out: Path,
    ex: Executor,
    record: dict[str, Any],
    *,
    resume: bool,
    quiet: bool,
) -> SweepOutcome:
    """Run the sweep on executor `ex` under a progress bar; on Ctrl-C, say how to resume."""
    from accord.experiments.sweep import sweep as run_sweep

    try:
        with ex, progress_bar("runs", quiet=quiet) as bar:
            return run_sweep(
                s,
                task,
                out,
                arguments=record,
                draws=record["draws"],
                seed=record["seed"],
                plan=record["plan"],
                chunk=record["chunk"],
                executor=ex,
                workers=record["workers"],
                sensitivity_method=record["sensitivity"],
                resume=resume,
                progress=bar,
                sensitivity_progress=bar,
            )
    except KeyboardInterrupt:
        err_console.print(
            f"[yellow]interrupted[/]: finished chunks are kept in {out}; "
            f"complete the run with: accord sweep --out {out} --resume"
        )
        raise typer.Exit(130) from None


def show_sweep(outcome: Any, scenario: Any = None) -> None:
    """The summary of a sweep as a person reads it: metrics named by their issue, numbers
    without exponents, and for an options issue the share of runs per option (a mean of
    option codes would mean nothing)."""
    from accord.present.format import number, spread_text
    from accord.present.story import varied_text

    r = outcome.result
    console.print(
        f"[bold]{r.draws:,} runs[/] ({r.plan} plan, seed {r.seed}); varied: "
        + escape(varied_text(r.params) if r.params else "nothing")
    )
    if outcome.already_complete:
        console.print("the run was already complete: nothing to resume")
    elif outcome.resumed_chunks:
        console.print(f"resumed: {outcome.resumed_chunks} chunks were already done")
    issues = {i.id: i for i in scenario.issues} if scenario is not None else {}
    t = Table("metric", "mean", "5 %", "median", "95 %", "share or probability [95 % CI]")
    for row in r.summary().to_dict(orient="records"):
        metric = str(row["metric"])
        issue = issues.get(metric.split(".", 1)[-1]) if "." in metric else None
        name = escape(f"{metric.split('.', 1)[0]}: {issue.label}" if issue else metric)
        if row["n"] == 0:
            t.add_row(name, "–", "–", "–", "–", "")
        elif issue is not None and issue.options:
            t.add_row(name, "", "", "", "", escape(spread_text(issue, r.runs[metric])))
        else:
            prob = ""
            if row["binary"] and issue is None:
                prob = (
                    f"{row['probability']:.3f} [{row['prob_low95']:.3f}, {row['prob_high95']:.3f}]"
                )
            t.add_row(name, *[number(row[k]) for k in ("mean", "p05", "p50", "p95")], prob)
    console.print(t)
    sens = outcome.sensitivity
    if sens is not None and len(sens.table):
        measure = "swing" if sens.method == "oat" else "ST"
        t = Table("metric", "most influential input", measure, title=f"sensitivity ({sens.method})")
        for metric, group in sens.table.groupby("metric", sort=False):
            top = group.iloc[0]
            if not top[measure] > 0:
                t.add_row(str(metric), "none (the metric does not move)", "–")
                continue
            t.add_row(escape(str(metric)), escape(str(top["parameter"])), f"{top[measure]:.3g}")
        console.print(t)
    console.print(f"run directory: {outcome.run.path}")


def tournament(
    scenarios: list[str] = typer.Argument(None, help=SCENARIO_HELP + " (default: almaty-2013)"),
    strategy: list[str] = typer.Option(
        [], "--strategy", "-s", help="strategy (repeatable; default: all)"
    ),
    protocol: str | None = typer.Option(None, help="bargaining protocol"),
    rounds: int | None = typer.Option(None, help="rounds per session"),
    repetitions: int = typer.Option(10, help="sessions per pairing"),
    seed: int = typer.Option(0, help="root seed"),
    executor: str = typer.Option("process", help="process | thread | serial | dask"),
    address: str | None = typer.Option(None, help="Dask scheduler tcp://HOST:PORT"),
    workers: int | None = typer.Option(None, help="worker processes (default: one per core)"),
    chunk: int | None = typer.Option(None, help="sessions per submission"),
    out: Path = typer.Option(..., "--out", "-o", help="run directory (must be new or empty)"),
    as_json: bool = typer.Option(False, "--json", help="machine-readable output"),
) -> None:
    """Play strategies against each other on scenarios, repeated under seeds."""
    from accord.experiments.executors import make_executor
    from accord.experiments.rundir import RunDir
    from accord.scenario import scenario_digest

    with user_errors():
        try:
            from accord.bargain.tournament import tournament as play
        except ImportError:
            raise AccordError(
                "the tournament engine (accord.bargain.tournament) is not "
                "available in this installation"
            ) from None
        names = list(scenarios or ["almaty-2013"])
        loaded = [load_scenario(n) for n in names]
        if repetitions < 1:
            raise InputError(Problem("expected at least 1", ("repetitions",), repetitions))
        if not strategy:
            from accord.bargain import STRATEGIES

            strategy = STRATEGIES.names()
        run = RunDir.create(
            out,
            {
                "command": "tournament",
                "seed": seed,
                "scenarios": [
                    {"name": n, "title": s.meta.title, "digest": scenario_digest(s)}
                    for n, s in zip(names, loaded, strict=True)
                ],
                "arguments": {
                    "strategies": strategy,
                    "protocol": protocol,
                    "rounds": rounds,
                    "repetitions": repetitions,
                    "executor": executor,
                    "chunk": chunk,
                },
            },
        )
        kwargs: dict[str, Any] = {"repetitions": repetitions, "seed": seed}
        if chunk is not None:
            kwargs["chunksize"] = chunk
        if protocol is not None:
            kwargs["protocol"] = protocol
        if rounds is not None:
            kwargs["rounds"] = rounds
        with (
            make_executor(executor, workers, address) as ex,
            progress_bar("sessions", quiet=as_json) as bar,
        ):
            result = play(loaded, strategy, executor=ex, progress=bar, **kwargs)
        summary = result.summary()
        run.write_table("sessions", result.to_frame())
        run.write_table("summary", summary)
        run.write_json("tournament.json", result)
        run.finalize()
    if as_json:
        print_json({"out": str(out), "summary": summary.to_dict(orient="records")})
        return
    show_frame(summary, title="tournament: mean per strategy")
    console.print(f"run directory: {out}")


def show_frame(frame: Any, title: str) -> None:
    """A small table of numbers as a rich table."""
    from accord.present.format import number

    t = Table(*[str(c) for c in frame.columns], title=title)
    for row in frame.itertuples(index=False):
        t.add_row(*[number(v) if isinstance(v, float) else escape(str(v)) for v in row])
    console.print(t)
