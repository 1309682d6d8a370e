"""`accord forecast` and `accord evaluate`: collective-decision forecasts and their accuracy."""

from __future__ import annotations

from typing import Any

import typer
from rich.table import Table

from accord.cli.common import (
    SCENARIO_HELP,
    breakout_lines,
    console,
    err_console,
    load_scenario,
    print_json,
    user_errors,
)
from accord.scenario import Scenario, compile

FIRST = (
    "compromise",
    "compromise-c",
    "compromise-s",
    "mean",
    "median",
    "condorcet",
    "pivot",
    "nash",
    "nash-quadratic",
    "kalai-smorodinsky",
    "bdm",
)


def register(app: typer.Typer) -> None:
    """Add `forecast` and `evaluate` to `app`."""
    app.command()(forecast)
    app.command()(evaluate)


def model_names(chosen: list[str] | None) -> list[str]:
    """The chosen models (checked), or every registered one, the simple models first."""
    from accord.forecast import MODELS

    if chosen:
        for name in chosen:
            MODELS.get(name)
        return list(dict.fromkeys(chosen))
    names = MODELS.names()
    return [n for n in FIRST if n in names] + [n for n in names if n not in FIRST]


def _show(s: Scenario, k: int, value: float) -> str:
    issue = s.issues[k]
    if issue.options is None:
        return f"{value:.4g}"
    return f"{issue.show(value)} ({value:.2f})"


def forecast(
    source: str = typer.Argument("almaty-2013", help=SCENARIO_HELP),
    model: list[str] = typer.Option(
        None,
        "--model",
        "-m",
        help="model name (repeatable; default: every registered model, see `accord list models`)",
    ),
    seed: int = typer.Option(0, help="seed for the models that draw random numbers"),
    as_json: bool = typer.Option(False, "--json", help="machine-readable output"),
    trajectory: bool = typer.Option(False, "--trajectory", help="show the forecast by round"),
) -> None:
    """Forecast every issue with every model, side by side with the status quo and positions."""
    from accord.forecast import MODELS

    with user_errors():
        s = load_scenario(source)
        names = model_names(model)
        c = compile(s)
        results = [MODELS.create(n).forecast(c, seed=seed) for n in names]
    lo = c.to_units(c.actors.position.min(axis=0))
    hi = c.to_units(c.actors.position.max(axis=0))
    sq = c.to_units(c.status_quo)
    if as_json:
        issues: list[dict[str, Any]] = [
            {
                "id": i,
                "status_quo": sq[k],
                "positions": [lo[k], hi[k]],
                "scale": [c.lo[k], c.hi[k]],
                "options": list(s.issues[k].options or []) or None,
            }
            for k, i in enumerate(c.issue_ids)
        ]
        out = []
        for f in results:
            d = f.to_dict()
            d["forecast_label"] = {
                i: s.issues[k].show(float(f.point[k]))
                for k, i in enumerate(c.issue_ids)
                if s.issues[k].options
            }
            if not trajectory:
                d.pop("trajectory", None)
            out.append(d)
        print_json(
            {
                "scenario": s.meta.title,
                "digest": c.digest,
                "seed": seed,
                "issues": issues,
                "forecasts": out,
            }
        )
        return
    console.print(f"[bold]{s.meta.title}[/] — {len(names)} models, {c.actors.n} actors")
    t = Table(title="Forecast per issue", title_justify="left")
    t.add_column("model", no_wrap=True)
    for k, i in enumerate(c.issue_ids):
        unit = s.issues[k].unit
        t.add_column(i + (f" ({unit})" if unit else ""), justify="right", overflow="fold")
    t.add_row("[dim]status quo[/]", *[f"[dim]{_show(s, k, sq[k])}[/]" for k in range(c.k)])
    t.add_row(
        "[dim]positions[/]",
        *[f"[dim]{_show(s, k, lo[k])} – {_show(s, k, hi[k])}[/]" for k in range(c.k)],
        end_section=True,
    )
    for f in results:
        t.add_row(f.model, *[_show(s, k, float(f.point[k])) for k in range(c.k)])
    console.print(t)
    if results and (c.red_lines or c.actors.terms):
        console.print(f"[dim]Note: each is {results[0].caveat}.[/]", soft_wrap=True)
    for f in results:
        if f.trajectory is not None:
            console.print(f"  {f.model}: {f.rounds} rounds, {f.stop}", soft_wrap=True)
    lines = breakout_lines(
        s, {f.model: dict(zip(c.issue_ids, map(float, f.point), strict=True)) for f in results}
    )
    if lines:
        console.print("[bold]Breakout time each forecast means[/]")
        for line in lines:
            console.print(line)
    if trajectory:
        for f in results:
            if f.trajectory is None:
                continue
            tt = Table(title=f"{f.model} by round", title_justify="left")
            tt.add_column("round", justify="right")
            for i in c.issue_ids:
                tt.add_column(i, justify="right")
            for r, row in enumerate(f.trajectory):
                tt.add_row(str(r), *[_show(s, k, float(v)) for k, v in enumerate(row)])
            console.print(tt)


def evaluate(
    cases: list[str] = typer.Argument(..., help="scenarios with known outcomes (names or files)"),
    model: list[str] = typer.Option(None, "--model", "-m", help="model name (repeatable)"),
    seed: int = typer.Option(0, help="seed of the bootstrap"),
    boot: int = typer.Option(2000, help="bootstrap resamples"),
    as_json: bool = typer.Option(False, "--json", help="machine-readable output"),
) -> None:
    """Score the models on cases whose outcomes are known (errors on a 0–100 scale)."""
    from accord.forecast.evaluate import evaluate as run_evaluation

    with user_errors():
        loaded = [(name, load_scenario(name)) for name in cases]
        names = model_names(model)
        ev = run_evaluation(loaded, names, seed=seed, n_boot=boot)
    if as_json:
        print_json(ev.to_dict())
        return
    n_issues = ev.scores[0].n
    t = Table(
        title=f"Accuracy on {n_issues} issues with known outcomes (0–100 scale), best first",
        title_justify="left",
    )
    for col in (
        "model",
        "MAE",
        "RMSE",
        "median AE",
        "≤5",
        "≤10",
        "≤20",
        f"MAE − {ev.baseline} [95 % CI]",
    ):
        t.add_column(col, justify="left" if col == "model" else "right")
    for sc in ev.scores:
        diff = (
            "—"
            if sc.model == ev.baseline
            else f"{sc.mae_diff:+.1f} [{sc.diff_low:+.1f}, {sc.diff_high:+.1f}]"
        )
        t.add_row(
            sc.model,
            f"{sc.mae:.1f}",
            f"{sc.rmse:.1f}",
            f"{sc.median_ae:.1f}",
            f"{sc.hit5:.0%}",
            f"{sc.hit10:.0%}",
            f"{sc.hit20:.0%}",
            diff,
        )
    console.print(t)
    if n_issues < 30:
        err_console.print(
            f"[yellow]note:[/] only {n_issues} issues; the intervals are wide "
            "and the ranking is not reliable."
        )
