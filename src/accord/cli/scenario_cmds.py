"""Scenario commands: validate, show, convert, schema, list."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.markup import escape
from rich.markup import escape as e
from rich.style import Style
from rich.table import Table
from rich.text import Text

from accord.cli.common import (
    SCENARIO_HELP,
    console,
    err_console,
    load_scenario,
    print_json,
    user_errors,
)
from accord.errors import AccordError, InputError
from accord.scenario import Estimate, Scenario
from accord.scenario.numbers import cited_numbers


def register(app: typer.Typer) -> None:
    """Add the scenario commands to `app`."""
    app.command()(validate)
    app.command()(show)
    app.command()(convert)
    app.command()(schema)
    app.command(name="list")(list_)


SALIENCE_SCALE_HELP = "read saliences on 0–1 or 0–100 (1 or 100) when a file mixes them"
SCALE_HELP = "scale LO,HI of issues whose format states none (BDM, CSV without sidecar)"


def _load_noted(
    source: str, fmt: str | None, salience_scale: int | None, scale: str | None
) -> tuple[Scenario, list[str]]:
    """A scenario and the notes on how its file format was mapped (none for built-ins)."""
    from pathlib import Path as _P

    from accord.io import read_with_notes
    from accord.scenario import builtin_names

    if salience_scale not in (None, 1, 100):
        raise InputError(f"--salience-scale = {salience_scale}: expected 1 or 100")
    if not _P(source).exists() or (fmt is None and source in builtin_names()):
        return load_scenario(source, fmt), []
    return read_with_notes(source, fmt, salience_scale, _parse_scale(scale))


def _parse_scale(text: str | None) -> tuple[float, float] | None:
    if text is None:
        return None
    try:
        lo, hi = (float(x) for x in text.split(","))
    except ValueError:
        raise InputError(f"--scale = {text!r}: expected LO,HI, e.g. 0,100") from None
    if not lo < hi:
        raise InputError(f"--scale = {text!r}: LO must be below HI")
    return lo, hi


def validate(
    files: list[str] = typer.Argument(..., help="scenario files or built-in names"),
    fmt: str | None = typer.Option(None, "--from", help="input format (default: by content)"),
    as_json: bool = typer.Option(False, "--json", help="machine-readable output"),
    salience_scale: int | None = typer.Option(None, "--salience-scale", help=SALIENCE_SCALE_HELP),
    scale: str | None = typer.Option(None, "--scale", help=SCALE_HELP),
) -> None:
    """Check scenario files; print one line per problem and exit 2 if any file is invalid."""
    from accord.timeline.load import timeline_scenario

    report = []
    failed = False
    for f in files:
        try:
            timeline = timeline_scenario(f)
            s, notes = (timeline, []) if timeline else _load_noted(f, fmt, salience_scale, scale)
            unsourced = unsourced_numbers(s)
            report.append(
                {
                    "file": f,
                    "valid": True,
                    "title": s.meta.title,
                    "unsourced": unsourced,
                    "notes": notes,
                }
            )
            if not as_json:
                console.print(
                    f"[green]ok[/] {escape(f)}: {escape(s.meta.title)} — {len(s.actors)} actors, "
                    f"{len(s.issues)} issues"
                )
                for n in notes:
                    console.print(f"  [cyan]note:[/] {escape(n)}", soft_wrap=True)
                if unsourced:
                    console.print(
                        f"  [yellow]{len(unsourced)} numbers cite no source and are "
                        "not marked a judgement[/], e.g. " + ", ".join(unsourced[:3])
                    )
        except InputError as e:
            failed = True
            report.append({"file": f, "valid": False, "problems": [str(p) for p in e.problems]})
            if not as_json:
                for p in e.problems:
                    err_console.print(f"[bold red]error:[/] {escape(str(p))}", soft_wrap=True)
        except AccordError as e:
            failed = True
            report.append({"file": f, "valid": False, "problems": [str(e)]})
            if not as_json:
                err_console.print(f"[bold red]error:[/] {escape(str(e))}", soft_wrap=True)
    if as_json:
        print_json(report)
    if failed:
        raise typer.Exit(2)


def unsourced_numbers(s: Scenario) -> list[str]:
    """Field paths of numbers that neither cite a source nor are marked a judgement.

    A plain number inherits the ``source`` of the actor, issue or clock that holds it.
    """
    out: list[str] = []
    for path, v, inherited in cited_numbers(s):
        if path == "meta.round_length" and not isinstance(v, Estimate):
            continue  # the default of one time unit per round states nothing
        if isinstance(v, Estimate):
            if not (v.sourced or inherited):
                out.append(path)
        elif isinstance(v, int | float) and not inherited:
            out.append(path)
    return out


def show(
    scenario: str = typer.Argument("almaty-2013", help=SCENARIO_HELP),
    as_json: bool = typer.Option(False, "--json", help="machine-readable output"),
) -> None:
    """Show a scenario: issues, the actors × issues table, seats, clocks and sources."""
    with user_errors():
        s = load_scenario(scenario)
    if as_json:
        from accord.io.native import to_data

        print_json(to_data(s))
        return
    console.print(f"[bold]{e(s.meta.title)}[/]" + (f"  ({s.meta.date})" if s.meta.date else ""))
    if s.meta.description:
        console.print(e(s.meta.description))
    issues = Table(title="Issues", title_justify="left")
    for col in ("issue", "scale / options", "unit", "status quo", "source"):
        issues.add_column(col)
    for i in s.issues:
        scale = " < ".join(i.options) if i.options else f"{i.bounds[0]:g} – {i.bounds[1]:g}"
        sq = i.status_quo
        issues.add_row(e(i.label), e(scale), e(i.unit or ""), e(_val(sq)), e(_src(sq, i.source)))
    console.print(issues)

    t = Table(title="Actors: position (salience)", title_justify="left")
    t.add_column("actor")
    t.add_column("capability", justify="right")
    for i in s.issues:
        t.add_column(e(i.id), overflow="fold")
    for a in s.actors:
        cells = [f"{_val(a.positions[i.id])} ({s.salience_of(a, i.id):.2f})" for i in s.issues]
        t.add_row(e(a.label), _val(a.capability), *map(e, cells))
    console.print(t)

    seats = ", ".join(s.seats)
    console.print(f"[bold]At the table:[/] {e(seats)}")
    for b in s.blocs:
        rule = "" if b.rule == "weighted" else f"; decides by {b.rule}"
        console.print(e(f"  bloc {b.label}: {', '.join(b.members)} (seat: {b.seat}{rule})"))
    for a in s.actors:
        for rl in a.red_lines:
            limit = f"{{{', '.join(rl.options)}}}" if rl.options else _val(rl.value)
            op = rl.op.replace("_", " ")
            console.print(e(f"  red line of {a.label}: {rl.subject} {op} {limit}"), soft_wrap=True)
        for term in a.metric_terms:
            console.print(e(f"  {a.label} values {term.metric} (weight {_val(term.weight)})"))
    for c in s.clocks:
        what = f"issue {c.issue}" if c.kind == "drift" else f"actor {c.actor}"
        console.print(
            e(
                f"  clock {c.kind} on {what}: {_val(c.rate)} per {s.meta.time_unit}"
                f" — {_src(c.rate, c.source)}"
            )
        )
    for p in s.proposals:
        console.print(e(f"  proposal {p.label}" + (f" by {p.by}" if p.by else "")))
    if s.meta.sources:
        src = Table(title="Sources", title_justify="left")
        src.add_column("id")
        src.add_column("grade")
        src.add_column("citation", overflow="fold")
        for so in s.meta.sources:
            text = Text(so.reference())
            if so.url:
                text.append("\n" + so.url, style=Style(link=so.url, underline=True))
            if so.document:
                text.append(f"\nin the accord repository: {so.document}")
            src.add_row(e(so.id), e(GRADES.get(so.grade or "", so.grade or "")), text)
        console.print(src)


GRADES = {"F": "firm", "R": "reported", "E": "estimate", "J": "judgement", "U": "unconfirmed"}


def _val(v: object) -> str:
    if isinstance(v, Estimate):
        v = v.value
    return f"{v:g}" if isinstance(v, float | int) else str(v)


def _src(v: object, default: str | None) -> str:
    if isinstance(v, Estimate) and v.source:
        return v.source + (" (judgement)" if v.judgement else "")
    return default or ""


def convert(
    source: str = typer.Argument(..., help="input file or built-in name"),
    target: Path = typer.Argument(..., help="output file; the format follows its ending"),
    fmt_in: str | None = typer.Option(None, "--from", help="input format"),
    fmt_out: str | None = typer.Option(None, "--to", help="output format"),
    salience_scale: int | None = typer.Option(None, "--salience-scale", help=SALIENCE_SCALE_HELP),
    scale: str | None = typer.Option(None, "--scale", help=SCALE_HELP),
) -> None:
    """Convert a scenario between file formats; report what the target cannot hold."""
    from accord.io import write

    with user_errors():
        s, notes = _load_noted(source, fmt_in, salience_scale, scale)
        losses = write(s, target, fmt_out)
    for n in notes:
        err_console.print(f"[cyan]note:[/] {escape(n)}", soft_wrap=True)
    for loss in losses:
        err_console.print(f"[yellow]not kept:[/] {loss}", soft_wrap=True)
    console.print(f"wrote {target}", soft_wrap=True)  # a path must stay copyable


def schema() -> None:
    """Print the JSON Schema of the scenario format (for editors)."""
    print(json.dumps(Scenario.model_json_schema(), indent=2))


def list_(
    what: str = typer.Argument(
        "scenarios", help="scenarios, formats, models, strategies, protocols, metrics"
    ),
    as_json: bool = typer.Option(False, "--json", help="machine-readable output"),
) -> None:
    """List built-in scenarios, file formats, or registered models, strategies and protocols."""
    from accord.cli.listing import listing

    with user_errors():
        rows = listing(what)
    if as_json:
        print_json(rows)
        return
    table = Table(title=what, title_justify="left")
    for col in rows[0] if rows else ["name"]:
        table.add_column(col, overflow="fold")
    for r in rows:
        table.add_row(*[str(v) for v in r.values()])
    console.print(table)
