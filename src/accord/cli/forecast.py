"""`accord forecast` and `accord evaluate`: collective-decision forecasts and their accuracy."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import typer
from rich.markup import escape
from rich.table import Table

from accord.cli.common import (
    SCENARIO_HELP,
    console,
    err_console,
    load_scenario,
    print_breakout,
    print_json,
    user_errors,
)
from accord.cli.specs import parse_specs
from accord.present.caveats import model_notes
from accord.present.format import issue_value
from accord.present.render import sentence_markup
from accord.scenario import Scenario, compile

if TYPE_CHECKING:
    from accord.forecast import Forecast
    from accord.forecast.lineup import Skipped

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


def forecast(
    source: str = typer.Argument("almaty-2013", help=SCENARIO_HELP),
    model: list[str] = typer.Option(
        None,
        "--model",
        "-m",
        metavar="MODEL[:KEY=VALUE,...]",
        help="model, with parameters if wanted: -m bdm:rounds=8,converge=false (repeatable; "
        "default: every registered model, see `accord list models`)",
    ),
    seed: int = typer.Option(0, help="seed for the models that draw random numbers"),
    as_json: bool = typer.Option(False, "--json", help="machine-readable output"),
    trajectory: bool = typer.Option(
        False, "--trajectory", help="show the forecast and every actor's position by round"
    ),
) -> None:
    """Forecast every issue with every model, side by side with the status quo and positions."""
    from accord.forecast.lineup import forecast_models

    with user_errors():
        s = load_scenario(source)
        specs = parse_specs(model or [])
        params = {name: p for name, p in specs}
        names = model_names([name for name, _ in specs] or None)
        c = compile(s)
        lineup = forecast_models(c, names, params, seed=seed)
    results = list(lineup.forecasts)
    if as_json:
        _print_json(s, c, results, seed, trajectory, lineup.skipped)
        return
    _print_table(s, c, lineup.in_order(names))
    for note in model_notes(s, c, {f.model: f for f in results}):
        console.print(f"[dim]model note:[/] {sentence_markup(note)}")
    if results and (c.red_lines or c.actors.terms):
        console.print(f"[dim]Note: each is {results[0].caveat}.[/]", soft_wrap=True)
    print_breakout(
        s,
        {f.model: dict(zip(c.issue_ids, map(float, f.point), strict=True)) for f in results},
        "Breakout time each forecast means",
    )
    if trajectory:
        for f in results:
            _print_rounds(s, f)


def _print_json(
    s: Scenario,
    c: Any,
    results: list[Any],
    seed: int,
    trajectory: bool,
    skipped: Sequence[Skipped] = (),
) -> None:
    lo = c.to_units(c.actors.position.min(axis=0))
    hi = c.to_units(c.actors.position.max(axis=0))
    sq = c.to_units(c.status_quo)
    issues: list[dict[str, Any]] = [
        {
            "id": i.id,
            "label": i.label,
            "status_quo": sq[k],
            "positions": [lo[k], hi[k]],
            "scale": [c.lo[k], c.hi[k]],
            "options": list(i.options or []) or None,
        }
        for k, i in enumerate(s.issues)
    ]
    out = []
    for f in results:
        d = f.to_dict()
        if not trajectory:
            d.pop("trajectory", None)
        elif f.positions is not None:
            d["positions"] = {
                aid: [[f.shown(k, float(v)) for k, v in enumerate(row[a])] for row in f.positions]
                for a, aid in enumerate(f.actor_ids)
            }
        out.append(d)
    print_json(
        {
            "scenario": s.meta.title,
            "digest": c.digest,
            "seed": seed,
            "issues": issues,
            "forecasts": out,
            "skipped": [k.to_dict() for k in skipped],
        }
    )


def _print_table(s: Scenario, c: Any, rows: Sequence[Forecast | Skipped]) -> None:
    """The forecast table: status quo, positions, then one row per model as asked (a model
    over a limit shows "skipped" and its reason below the table)."""
    from accord.forecast.lineup import Skipped

    results = [f for f in rows if not isinstance(f, Skipped)]
    skipped = [f for f in rows if isinstance(f, Skipped)]
    lo = c.to_units(c.actors.position.min(axis=0))
    hi = c.to_units(c.actors.position.max(axis=0))
    sq = c.to_units(c.status_quo)
    over = f" ({len(skipped)} skipped)" if skipped else ""
    console.print(
        f"[bold]{escape(s.meta.title)}[/] — {len(results)} models{over}, {c.actors.n} actors"
    )
    entries = [
        ("[dim]status quo[/]", [
            f"[dim]{escape(issue_value(i, sq[k]))}[/]" for k, i in enumerate(s.issues)
        ]),
        ("[dim]positions[/]", [
            f"[dim]{escape(issue_value(i, lo[k]))} – {escape(issue_value(i, hi[k]))}[/]"
            for k, i in enumerate(s.issues)
        ]),
    ]  # fmt: skip
    for f in rows:
        if isinstance(f, Skipped):
            entries.append((f.model, ["[dim]skipped[/]"] + ["[dim]—[/]"] * (len(s.issues) - 1)))
        else:
            values = [escape(issue_value(i, float(f.point[k]))) for k, i in enumerate(s.issues)]
            entries.append((f.model, values))
    console.print(_forecast_table(s, entries))
    for k in skipped:
        console.print(f"  {k.model} skipped: {escape(k.reason)}", soft_wrap=True)
    for f in results:
        if f.trajectory is not None:
            console.print(f"  {f.model}: {f.rounds} rounds, stopped by: {escape(f.stop)}")


def _forecast_table(s: Scenario, entries: list[tuple[str, list[str]]]) -> Table:
    """Status quo, positions and each model's forecast per issue, issues by label: a column
    per issue when there are many models, a row per issue (easier to read) for up to four."""
    names = [escape(i.label + (f" ({i.unit})" if i.unit else "")) for i in s.issues]
    t = Table(title="Forecast per issue", title_justify="left")
    if len(entries) <= 6:
        t.expand = True
        t.add_column("issue", ratio=3)
        for name, _ in entries:
            t.add_column(name, justify="right", ratio=2)
        for k, name in enumerate(names):
            t.add_row(name, *[values[k] for _, values in entries])
        return t
    t.add_column("model", no_wrap=True)
    for name in names:
        t.add_column(name, justify="right")
    for j, (name, values) in enumerate(entries):
        t.add_row(name, *values, end_section=j == 1)
    return t


def _print_rounds(s: Scenario, f: Any) -> None:
    """The forecast by round and, where the model records them, every actor's position."""
    if f.trajectory is None:
        return
    tt = Table(title=f"{f.model} by round", title_justify="left")
    tt.add_column("round", justify="right")
    for i in s.issues:
        tt.add_column(escape(i.label), justify="right")
    for r, row in enumerate(f.trajectory):
        tt.add_row(
            str(r), *[escape(issue_value(i, float(v))) for i, v in zip(s.issues, row, strict=True)]
        )
    console.print(tt)
    if f.positions is None:
        return
    labels = {a.id: a.label for a in s.actors}
    moves = Table(title=f"{f.model}: actors' positions", title_justify="left")
    moves.add_column("actor")
    moves.add_column("round", justify="right")
    for i in s.issues:
        moves.add_column(escape(i.label), justify="right")
    for a, aid in enumerate(f.actor_ids):
        for r, row in enumerate(f.positions):
            if r and all(
                issue_value(i, float(row[a, k])) == issue_value(i, float(f.positions[r - 1][a, k]))
                for k, i in enumerate(s.issues)
            ):
                continue  # unchanged from the round before
            moves.add_row(
                escape(labels.get(aid, aid)) if r == 0 else "",
                str(r),
                *[escape(issue_value(i, float(row[a, k]))) for k, i in enumerate(s.issues)],
            )
    console.print(moves)


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
