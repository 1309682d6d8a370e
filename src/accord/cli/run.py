"""`accord run`: the main job — every engine on one scenario, a terminal summary, a run
directory with the tables, `manifest.json` and an offline `report.html`.

Each stage's tables are written as soon as the stage finishes, so an interrupted run keeps what
it computed; the manifest says ``running`` until the report is written.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from rich.markup import escape

from accord.cli.common import SCENARIO_HELP, console, load_scenario, print_json, user_errors
from accord.cli.specs import parse_specs
from accord.scenario import Scenario

if TYPE_CHECKING:
    from accord.experiments.rundir import RunDir
    from accord.job import JobOptions, JobResult


def register(app: typer.Typer) -> None:
    """Add `accord run` to `app`."""
    app.command()(run)


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", Path(text).stem).strip("-") or "scenario"


def run(
    scenario: str = typer.Argument("almaty-2013", help=SCENARIO_HELP),
    out: Path | None = typer.Option(
        None, "--out", "-o", help="run directory (default runs/<scenario>-<time>)"
    ),
    model: list[str] = typer.Option(
        ["compromise,median,nash,bdm,exchange,ktab"],
        "--model",
        "-m",
        metavar="MODEL[:KEY=VALUE,...]",
        help="forecast model, with parameters if wanted: -m bdm:rounds=8,converge=false "
        "(repeatable or comma-separated)",
    ),
    mc_model: list[str] = typer.Option(
        ["compromise,median,bdm"],
        "--mc-model",
        metavar="MODEL",
        help="model run in every Monte-Carlo draw (repeatable or comma-separated)",
    ),
    draws: int | None = typer.Option(
        None, min=0, help="Monte-Carlo draws (0: none; default: 2,000)"
    ),
    plan: str = typer.Option("lhs", help="sampling plan: random, lhs, sobol"),
    months: int = typer.Option(12, min=0, help="horizon of the clocks, in months"),
    rounds: int | None = typer.Option(
        None,
        "--rounds",
        "-r",
        min=1,
        help="rounds of the simulated session (default: as many as fit in --months)",
    ),
    resolution: int | None = typer.Option(
        None, min=2, help="grid points per continuous issue (default: 11, as everywhere)"
    ),
    seed: int = typer.Option(0, help="root seed: same seed, same bytes"),
    workers: int = typer.Option(1, min=1, help="processes for the Monte-Carlo draws"),
    as_json: bool = typer.Option(False, "--json", help="print the results as JSON"),
) -> None:
    """Run every engine on a scenario and write tables and an HTML report."""
    from accord.job import JobOptions

    with user_errors():
        s = load_scenario(scenario)
        options = JobOptions(
            **_models(model, mc_model),
            draws=JobOptions.draws if draws is None else draws,
            plan=plan,
            months=months,
            rounds=rounds,
            resolution=resolution,
            seed=seed,
        )
        rd = _run_directory(s, scenario, options, out)
        result = _run_job(s, options, rd, workers)
        _write_results(rd, result)
    if as_json:
        print_json({**result.to_dict(), "run_directory": str(rd.path)})
        return
    _print_summary(result)
    console.print(f"\n[bold]Run directory:[/] {rd.path}")
    console.print(f"[bold]Report:[/] {rd.path / 'report.html'}")


def _models(model: list[str], mc_model: list[str]) -> dict[str, Any]:
    """`JobOptions` fields from ``--model`` specs (with their parameters) and ``--mc-model``."""
    specs = parse_specs(model)
    return {
        "models": tuple(name for name, _ in specs),
        "mc_models": tuple(name for name, _ in parse_specs(mc_model, "--mc-model")),
        "model_params": {name: params for name, params in specs if params},
    }


def _run_directory(s: Scenario, scenario: str, options: JobOptions, out: Path | None) -> RunDir:
    """The run directory with its manifest and the scenario, created only once every limit is
    checked (the grid, the clocks' steps, the session's rounds): nothing partial is written."""
    from accord.experiments.rundir import RunDir
    from accord.job import check_limits
    from accord.scenario import compile, scenario_digest
    from accord.space import DEFAULT_RESOLUTION, grid

    grid(compile(s), options.resolution or DEFAULT_RESOLUTION)
    check_limits(s, options)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S")
    rd = RunDir.create(
        out or Path("runs") / f"{_slug(scenario)}-{stamp}",
        {
            "command": "run",
            "scenario": scenario,
            "scenario_hash": scenario_digest(s),
            "seed": options.seed,
            "arguments": dict(options.__dict__),
        },
    )
    rd.write_text("scenario.yaml", _yaml(s))
    return rd


def _run_job(s: Scenario, options: JobOptions, rd: RunDir, workers: int) -> JobResult:
    """`accord.job.run_job` with a status line, each stage's tables saved as it finishes, the
    Monte-Carlo draws on a process pool when ``workers`` > 1."""
    from accord.job import run_job, stage_tables

    def save(stage: str, result: Any) -> None:
        for name, frame in stage_tables(stage, result).items():
            rd.write_table(name, frame)

    executor = None
    if workers > 1:
        from accord.experiments.executors import make_executor

        executor = make_executor("process", workers=workers)
    try:
        with console.status("running") as status:
            return run_job(
                s,
                options,
                executor=executor,
                progress=lambda st: status.update(f"{st} …"),
                on_stage=save,
            )
    finally:
        if executor is not None:
            executor.shutdown()


def _write_results(rd: RunDir, result: JobResult) -> None:
    """The forecasts table, the report's figures, ``report.html`` and ``summary.json``; then
    the manifest is marked complete."""
    from accord.experiments.rundir import atomic_write
    from accord.report.build import build_report, report_figures, sections

    rd.write_table("forecasts", result.forecast_frame())
    secs = sections(result)
    (rd.path / "figures").mkdir(exist_ok=True)
    for fig in report_figures(secs):
        atomic_write(rd.path / "figures" / f"{fig.id}.png", fig.png)
        atomic_write(rd.path / "figures" / f"{fig.id}.svg", fig.svg)
    rd.write_text("report.html", build_report(result, secs=secs))
    rd.write_json("summary.json", result.to_dict())
    rd.finalize()


def _yaml(s: Any) -> str:
    from accord.io.native import dumps_yaml

    return dumps_yaml(s)


def _print_summary(r: JobResult) -> None:
    from accord.present.caveats import model_notes
    from accord.present.format import issue_value, spread_text
    from accord.present.render import answer_markup, sentence_markup
    from accord.present.story import story

    s, c = r.scenario, r.compiled
    console.print(f"[bold]{escape(s.meta.title)}[/]")
    console.print(
        f"{len(s.actors)} actors, {len(s.issues)} issue{'s' if len(s.issues) != 1 else ''}; "
        "at the table: " + escape(", ".join(c.seats.labels))
    )
    console.print()
    for a in story(r):
        console.print(answer_markup(a))
        console.print()
    draws = r.draws()
    console.print("[bold]Forecasts[/] (spread over the Monte-Carlo draws in brackets)")
    sq = c.to_units(c.status_quo)
    for k, issue in enumerate(s.issues):
        unit = f" ({issue.unit})" if issue.unit else ""
        sq_text = issue_value(issue, float(sq[k]))
        console.print(f"  {escape(issue.label + unit)} — status quo {escape(sq_text)}")
        cells = []
        for name, f in r.forecasts.items():
            cell = f"{name} {issue_value(issue, float(f.point[k]))}"
            if name in draws:
                cell += f" [{spread_text(issue, draws[name][:, k])}]"
            cells.append(escape(cell))
        console.print("    " + " · ".join(cells))
    for note in model_notes(s, c, r.forecasts, r.sensitivity):
        console.print(f"[dim]model note:[/] {sentence_markup(note)}")
    for text in r.notes:
        console.print(f"[yellow]note:[/] {escape(text)}")
