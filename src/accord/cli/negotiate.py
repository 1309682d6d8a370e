"""`accord negotiate`: play one bargaining session of a scenario and print its trace."""

from __future__ import annotations

from typing import Any

import typer
from rich.markup import escape as e
from rich.table import Table

from accord.cli.common import SCENARIO_HELP, console, load_scenario, print_json, user_errors
from accord.errors import InputError, Problem
from accord.present.calendar import round_when
from accord.present.format import issue_value
from accord.scenario import Scenario
from accord.space import DEFAULT_RESOLUTION


def register(app: typer.Typer) -> None:
    """Add `negotiate` to `app`."""
    app.command()(negotiate)


def _seat_specs(items: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in items:
        seat, eq, spec = item.partition("=")
        if not eq or not seat.strip() or not spec.strip():
            raise InputError(
                Problem("expected SEAT=STRATEGY, e.g. iran=conceder", ("--strategy",), item)
            )
        out[seat.strip()] = spec.strip()
    return out


def negotiate(
    scenario: str = typer.Argument("almaty-2013", help=SCENARIO_HELP),
    protocol: str | None = typer.Option(
        None,
        "--protocol",
        "-p",
        help="alternating | multilateral | mediated (default: alternating for two seats)",
    ),
    strategy: list[str] = typer.Option(
        [], "--strategy", "-s", help="SEAT=STRATEGY[:key=value,...], repeatable"
    ),
    rounds: int | None = typer.Option(
        None,
        "--rounds",
        "-r",
        min=1,
        help="deadline in rounds (default: the rounds that fit in 12 months at the "
        "scenario's round length)",
    ),
    seed: int = typer.Option(0, "--seed", help="root seed"),
    resolution: int = typer.Option(
        DEFAULT_RESOLUTION, "--resolution", min=2, help="grid points per continuous issue"
    ),
    rule: str = typer.Option("unanimity", "--rule", help="unanimity | quorum"),
    quorum: int | None = typer.Option(None, "--quorum", help="seats needed under --rule quorum"),
    veto: list[str] = typer.Option([], "--veto", help="seat or actor that must accept"),
    discount: float | None = typer.Option(None, "--discount", help="discount factor δ"),
    clocks: bool | None = typer.Option(
        None,
        "--clocks/--no-clocks",
        help="move the no-deal point by the scenario's clocks each round "
        "(default: on when the scenario declares clocks)",
    ),
    hints: bool = typer.Option(True, "--hints/--no-hints", help="try other strategies"),
    full: bool = typer.Option(False, "--full", help="print every round"),
    as_json: bool = typer.Option(False, "--json", help="machine-readable output"),
) -> None:
    """Play one negotiation session of a scenario and show how the talks end."""
    from accord.bargain.talks import negotiate as play
    from accord.job import session_rounds

    with user_errors():
        s = load_scenario(scenario)
        talks = play(
            s,
            protocol=protocol,
            strategies=_seat_specs(strategy),
            rounds=rounds if rounds is not None else session_rounds(s),
            seed=seed,
            levels=resolution,
            clocks=bool(s.clocks) if clocks is None else clocks,
            hints=hints,
            rule=rule,
            quorum=quorum,
            veto=tuple(veto),
            discount=discount,
        )
    if as_json:
        print_json(talks.to_dict())
        return
    _print(s, talks, full)


def _issue_text(s: Scenario, units: dict[str, Any]) -> list[str]:
    return [
        v if isinstance(v := units[issue.id], str) else issue_value(issue, float(v))
        for issue in s.issues
    ]


def _rounds_table(s: Scenario, ses: Any, full: bool, name: dict[str, str]) -> Table:
    """Each round's offer (issue by label, one line each), who made it, what it is worth to each
    seat (✓: the seat accepts it), and how far it is from the frontier and the Nash point."""
    trace = Table(title="Rounds (✓ accepts)", title_justify="left")
    trace.add_column("round", justify="right", no_wrap=True)
    trace.add_column("by", max_width=10)
    trace.add_column("offer", min_width=24)
    trace.add_column("worth to", justify="right", max_width=16)
    trace.add_column("to Pareto\nto Nash", justify="right", max_width=9)
    steps = list(ses.steps)
    shown = steps if full or len(steps) <= 16 else [*steps[:5], None, *steps[-10:]]
    for st in shown:
        if st is None:
            trace.add_row("…", "", "", "", "")
            continue
        offer = "\n".join(
            f"{issue.label}: {text} {'' if issue.options else issue.unit or ''}".rstrip()
            for issue, text in zip(s.issues, _issue_text(s, st.offer_units), strict=True)
        )
        worth = "\n".join(
            f"{name.get(seat, seat)} {u:.3f}{' ✓' if ok else ''}"
            for seat, u, ok in zip(ses.ids, st.utility, st.responses, strict=True)
        )
        nash = "—" if st.nash_distance != st.nash_distance else f"{st.nash_distance:.3f}"
        trace.add_row(
            str(st.round),
            e(name.get(st.proposer, st.proposer)),
            e(offer),
            e(worth),
            f"{st.pareto_distance:.3f}\n{nash}",
            end_section=True,
        )
    return trace


def _print(s: Scenario, talks: Any, full: bool) -> None:
    ses = talks.session
    console.print(f"[bold]{e(s.meta.title)}[/] — {ses.protocol} protocol, {ses.rounds} rounds")
    console.print(
        f"{talks.outcomes:,} outcomes on the grid; {talks.zone:,} give every seat at "
        f"least its reservation; {talks.pareto} on the Pareto frontier"
    )
    name = {a.id: a.label for a in s.actors} | {b.id: b.label for b in s.blocs}
    seats = Table(title="Seats", title_justify="left")
    for col in ("seat", "strategy", "reservation", "at the Nash point"):
        seats.add_column(col, justify="left" if col in ("seat", "strategy") else "right")
    for a, seat in enumerate(ses.ids):
        nash = "—" if ses.nash_utility is None else f"{ses.nash_utility[a]:.3f}"
        start = ses.steps[0].reservation[a] if ses.steps else ses.reservation[a]
        res = f"{start:.3f}"
        if abs(start - ses.reservation[a]) > 5e-4:
            res += f" → {ses.reservation[a]:.3f}"
        seats.add_row(e(name.get(seat, seat)), e(ses.strategies[a]), res, nash)
    console.print(seats)
    console.print(_rounds_table(s, ses, full, name))

    if ses.agreement and talks.status_quo_deal:
        console.print(
            f"[bold red]No deal[/]: in {round_when(s, ses.round)} the seats settle on the status "
            "quo, a deal that changes nothing."
        )
    elif ses.agreement:
        console.print(f"[bold green]Agreement[/] in {round_when(s, ses.round)} (of {ses.rounds}):")
        for issue, text in zip(s.issues, _issue_text(s, ses.outcome_units), strict=True):
            console.print(e(f"  {issue.label}: {text} {issue.unit or ''}".rstrip()))
        gains = ", ".join(
            f"{seat} {u:.3f} (reservation {r:.3f})"
            for seat, u, r in zip(ses.ids, ses.utility, ses.reservation, strict=True)
        )
        console.print(e(f"  utilities: {gains}"))
        console.print(
            f"  distance to the Pareto frontier {ses.pareto_distance:.3f}, "
            "to the Nash point "
            + (
                f"{ses.nash_distance:.3f}"
                if ses.nash_distance == ses.nash_distance
                else "undefined"
            )
        )
    else:
        why = {
            "deadline": "the deadline passed",
            "walk-away": f"{', '.join(ses.walked)} walked away",
        }.get(ses.reason, ses.reason)
        console.print(f"[bold red]No agreement[/]: {why} after {round_when(s, ses.played)}.")
    if talks.hints:
        title = (
            "What would produce an agreement:"
            if not ses.agreement
            else "What would change the ending:"
        )
        console.print(f"[bold]{title}[/]")
        for h in talks.hints:
            console.print(e(f"  {h.text}"))
    elif not ses.agreement and talks.zone:
        console.print("No single seat's change to linear or conceder produces an agreement.")
