"""`accord run`: the main job — every engine on one scenario, a terminal summary, a run
directory with the tables, `manifest.json` and an offline `report.html`.

Each stage's tables are written as soon as the stage finishes, so an interrupted run keeps what
it computed; the manifest says ``running`` until the report is written.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pandas as pd
import typer
from rich.markup import escape

from accord.cli.common import SCENARIO_HELP, console, load_scenario, print_json, user_errors


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
    models: str = typer.Option(
        ",".join(("compromise", "median", "nash", "bdm", "exchange", "ktab")),
        help="forecast models, comma-separated",
    ),
    mc_models: str = typer.Option(
        "compromise,median,bdm", "--mc-models", help="models run in every Monte-Carlo draw"
    ),
    draws: int = typer.Option(200, min=0, help="Monte-Carlo draws (0: none)"),
    plan: str = typer.Option("lhs", help="sampling plan: random, lhs, sobol"),
    months: int = typer.Option(12, min=0, help="horizon of the clocks, in months"),
    rounds: int = typer.Option(40, min=1, help="rounds of the simulated session"),
    resolution: int | None = typer.Option(None, min=2, help="grid points per continuous issue"),
    seed: int = typer.Option(0, help="root seed: same seed, same bytes"),
    workers: int = typer.Option(1, min=1, help="processes for the Monte-Carlo draws"),
    as_json: bool = typer.Option(False, "--json", help="print the results as JSON"),
) -> None:
    """Run every engine on a scenario and write tables and an HTML report."""
    from accord.job import JobOptions, run_job
    from accord.scenario import scenario_digest

    with user_errors():
        s = load_scenario(scenario)
        options = JobOptions(
            models=tuple(m.strip() for m in models.split(",") if m.strip()),
            mc_models=tuple(m.strip() for m in mc_models.split(",") if m.strip()),
            draws=draws,
            plan=plan,
            months=months,
            rounds=rounds,
            resolution=resolution,
            seed=seed,
        )
        from accord.experiments.rundir import RunDir

        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S")
        path = out or Path("runs") / f"{_slug(scenario)}-{stamp}"
        rd = RunDir.create(
            path,
            {
                "command": "run",
                "scenario": scenario,
                "scenario_hash": scenario_digest(s),
                "seed": seed,
                "arguments": {k: v for k, v in options.__dict__.items()},
            },
        )
        rd.write_text("scenario.yaml", _yaml(s))

        def save(stage: str, result: Any) -> None:
            for name, frame in _stage_tables(stage, result).items():
                rd.write_table(name, frame)

        executor = None
        if workers > 1:
            from accord.experiments.executors import make_executor

            executor = make_executor("process", workers=workers)
        with console.status("running") as status:
            result = run_job(
                s,
                options,
                executor=executor,
                progress=lambda st: status.update(f"{st} …"),
                on_stage=save,
            )
        if executor is not None:
            executor.shutdown()
        rd.write_table("forecasts", result.forecast_frame())
        from accord.report.build import build_report

        rd.write_text("report.html", build_report(result))
        rd.write_json("summary.json", _summary(result))
        rd.finalize()
    if as_json:
        print_json({**_summary(result), "run_directory": str(path)})
        return
    _print_summary(result)
    console.print(f"\n[bold]Run directory:[/] {path}")
    console.print(f"[bold]Report:[/] {path / 'report.html'}")


def _yaml(s: Any) -> str:
    from accord.io.native import dumps_yaml

    return dumps_yaml(s)


def _stage_tables(stage: str, result: Any) -> dict[str, pd.DataFrame]:
    if result is None:
        return {}
    if stage == "forecasts":
        frames = [f.to_frame() for f in result.values()]
        return {"forecast_trajectories": pd.concat(frames, ignore_index=True)} if frames else {}
    if stage == "breakout":
        return {
            "breakout": pd.DataFrame(
                [{"package": k, "breakout_months": v} for k, v in result.items()]
            )
        }
    if stage == "montecarlo":
        return {"montecarlo_runs": result.runs, "montecarlo_summary": result.summary()}
    name = {"analysis": "analysis", "negotiation": "session", "clocks": "clock"}[stage]
    return {name: result.to_frame()}


def _summary(r: Any) -> dict[str, Any]:
    from accord.report.story import answers

    return {
        "scenario": r.scenario.meta.title,
        "answers": [re.sub(r"<[^>]+>", "", a) for a in answers(r)],
        "analysis": r.analysis.to_dict(),
        "forecasts": {k: f.to_dict() for k, f in r.forecasts.items()},
        "session": r.talks.to_dict() if r.talks is not None else None,
        "breakout_months": r.breakout,
        "zone_probability": r.zone_probability,
        "notes": list(r.notes),
    }


def _print_summary(r: Any) -> None:
    from accord.report.story import answers

    s, c = r.scenario, r.compiled
    console.print(f"[bold]{escape(s.meta.title)}[/]")
    console.print(
        f"{len(s.actors)} actors, {len(s.issues)} issues; at the table: "
        + escape(", ".join(c.seats.labels))
    )
    console.print()
    for a in answers(r):
        text = re.sub(r"<b>(.*?)</b>", r"[bold]\1[/bold]", escape(a))
        text = re.sub(r"<[^>]+>", "", text)
        console.print(text, soft_wrap=False)
        console.print()
    iv = r.intervals()
    console.print("[bold]Forecasts[/] (90 % Monte-Carlo interval in brackets)")
    sq = c.to_units(c.status_quo)
    for k, issue in enumerate(s.issues):
        unit = f" ({issue.unit})" if issue.unit else ""
        console.print(
            f"  {escape(issue.label + unit)} — status quo {escape(issue.show(float(sq[k])))}"
        )
        cells = []
        for name, f in r.forecasts.items():
            cell = f"{name} {issue.show(float(f.point[k]))}"
            if name in iv:
                lo, hi = issue.show(iv[name][0][k]), issue.show(iv[name][1][k])
                cell += f" [{lo}–{hi}]" if lo != hi else " [all draws]"
            cells.append(escape(cell))
        console.print("    " + " · ".join(cells))
    for note in r.notes:
        console.print(f"[yellow]note:[/] {escape(note)}")
