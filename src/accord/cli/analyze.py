"""`accord analyze`: are the parties far apart, and what package would close the gap?"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal, cast

import typer
from rich.markup import escape
from rich.table import Table

from accord.cli.common import (
    SCENARIO_HELP,
    console,
    load_scenario,
    print_breakout,
    print_json,
    user_errors,
)
from accord.present.explain import (
    concession_equivalents,
    gives_and_takes,
    red_line_notes,
    refusal,
)
from accord.space import DEFAULT_RESOLUTION

if TYPE_CHECKING:
    from accord.analysis import Analysis
    from accord.scenario import Scenario

SHORT = {
    "nash": "Nash",
    "kalai_smorodinsky": "K–S",
    "egalitarian": "egal.",
    "utilitarian": "util.",
}
"""Column heads of the bargaining solutions."""


def register(app: typer.Typer) -> None:
    """Add `accord analyze` to `app`."""
    app.command()(analyze)


def analyze(
    scenario: str = typer.Argument("almaty-2013", help=SCENARIO_HELP),
    resolution: int = typer.Option(
        DEFAULT_RESOLUTION, "--resolution", help="grid points per continuous issue"
    ),
    parties: str = typer.Option("seats", "--parties", help="seats (default) or actors"),
    packages: int = typer.Option(2, "--packages", help="package deals to list", min=0),
    as_json: bool = typer.Option(False, "--json", help="machine-readable output"),
) -> None:
    """Agreement zone, Pareto frontier, bargaining solutions, gap, package deals, proposals."""
    from accord.analysis import analyze as run

    with user_errors():
        s = load_scenario(scenario)
        a = run(
            s,
            resolution=resolution,
            parties=cast(Literal["seats", "actors"], parties),
            n_packages=max(packages, 1),
        )
    if as_json:
        print_json(a)
        return
    labels = {p: escape(lab) for p, lab in zip(a.parties, a.party_labels, strict=True)}
    _print_space(a, labels)
    _print_zone(a, s, labels)
    _print_solutions(a, s, labels, packages)
    if a.packages:
        _print_logroll(a, s, labels)
    if a.proposals:
        _print_proposals(a, s)
    for line in red_line_notes(a, {x.id: x.label for x in s.actors}):
        console.print(escape(line))
    print_breakout(s, _packages_in_units(a, s), "Breakout time each package means")


def _print_space(a: Analysis, labels: dict[str, str]) -> None:
    """Title, outcome space, frontier size, no deal and reservation values."""
    how = "enumerated" if a.enumerated else "searched exactly (dynamic programme), zone sampled"
    if a.sampled:
        how = "too large to enumerate and not additive: frontier and zone from a uniform sample"
    console.print(f"[bold]{escape(a.title)}[/]")
    console.print(
        f"Outcome space: {a.space_size:,} outcomes ({how}; {a.resolution} points per "
        f"continuous issue). Pareto frontier: {len(a.frontier_utilities):,} outcomes."
    )
    console.print(
        "No deal (status quo): " + escape(", ".join(f"{k} {v}" for k, v in a.status_quo.items()))
    )
    console.print(
        "Reservation values: "
        + ", ".join(f"{labels[p]} {r:.3f}" for p, r in zip(a.parties, a.reservation, strict=True))
    )
    console.print()


def _print_zone(a: Analysis, s: Scenario, labels: dict[str, str]) -> None:
    """Whether an agreement zone exists, and if not, the smallest concessions that open it."""
    if not a.zone_empty:
        size = (
            f"{a.zone_size:,} of {a.space_size:,} outcomes ({a.zone_share:.1%})"
            if a.zone_size is not None
            else f"about {a.zone_share:.2%} ± {a.zone_share_se:.2%} of the outcomes"
        )
        console.print(
            f"[bold green]An agreement zone exists:[/] {size} leave every party at "
            "least as well off as no deal, and one better off."
        )
    elif a.gap.total_row is None:
        console.print("[bold red]No agreement zone:[/] no outcome differs from no deal.")
    else:
        g = a.gap
        console.print(
            "[bold red]No agreement zone:[/] every deal leaves some party worse off than no deal."
        )
        console.print(
            f"Smallest total concession that opens it: [bold]{g.total:.3f}[/] utility — "
            + ", ".join(
                f"{labels[p]} {c:.3f}"
                for p, c in zip(a.parties, g.total_by_party, strict=True)
                if c > 0
            )
        )
        console.print(
            f"Smallest concession asked of the worst-off party (minimax): {g.minimax:.3f}"
        )
        for p, texts in concession_equivalents(a, s).items():
            console.print(
                f"  {labels[p]}'s concession equals, on one issue alone: "
                + escape("; or ".join(texts))
            )
    console.print()


def _print_solutions(a: Analysis, s: Scenario, labels: dict[str, str], packages: int) -> None:
    """The bargaining solutions and the best `packages` package deals side by side."""
    shown = [(SHORT[k], v) for k, v in a.solutions.items() if v is not None]
    shown += [(p.name.replace("package ", "pkg "), p) for p in a.packages[:packages]]
    issues = {i.id: i for i in s.issues}
    sol = Table(
        title="Bargaining solutions and best package deals (utility, gain over no deal)",
        title_justify="left",
    )
    sol.add_column("issue / party")
    sol.add_column("no deal")
    for name, _ in shown:
        sol.add_column(name)
    for iid in a.issues:
        sol.add_row(
            escape(issues[iid].label),
            escape(a.status_quo[iid]),
            *[escape(pkg.outcome[iid]) for _, pkg in shown],
        )
    for j, p in enumerate(a.parties):
        sol.add_row(
            f"[bold]{labels[p]}[/]",
            f"{a.reservation[j]:.3f}",
            *[f"{pkg.utilities[j]:.3f} {pkg.gains[j]:+.3f}" for _, pkg in shown],
        )
    missing = [k for k, v in a.solutions.items() if v is None]
    console.print(sol)
    if missing:
        console.print(
            f"  ({', '.join(missing)}: undefined — no outcome is better than no deal "
            "for every party)"
        )


def _print_logroll(a: Analysis, s: Scenario, labels: dict[str, str]) -> None:
    """The best package deal issue by issue: who gives and who takes."""
    best = a.packages[0]
    issues = {i.id: i for i in s.issues}
    trade = Table(
        title=f"Logroll of {best.name}: gain (+) or concession (−) per issue "
        "against the status quo",
        title_justify="left",
    )
    for col in ("issue", "no deal", best.name, *a.parties):
        trade.add_column(col, justify="right" if col in a.parties else "left")
    for k, iid in enumerate(a.issues):
        trade.add_row(
            escape(issues[iid].label),
            escape(a.status_quo[iid]),
            escape(best.outcome[iid]),
            *[f"{best.issue_gains[j, k]:+.3f}" for j in range(len(a.parties))],
        )
    console.print(trade)
    for p, (gives, takes) in gives_and_takes(a, best, s).items():
        console.print(
            f"  {labels[p]} gives on {escape(', '.join(gives) or 'nothing')}; "
            f"takes on {escape(', '.join(takes) or 'nothing')}"
        )


def _print_proposals(a: Analysis, s: Scenario) -> None:
    """The tabled proposals: each party's margin, the verdict, and whether it is efficient."""
    pt = Table(title="Proposals: who accepts (margin over no deal)", title_justify="left")
    for col in ("proposal", "by", *a.parties, "verdict", "efficient"):
        pt.add_column(col, justify="right" if col in a.parties else "left")
    for v in a.proposals:
        verdict = "accepted by all" if not v.refused_by else escape(refusal(v))
        pt.add_row(
            escape(v.label),
            escape(v.by or ""),
            *[f"{m:+.3f}" for m in v.margins],
            verdict,
            "yes" if v.efficient else "no",
        )
    console.print(pt)


def _packages_in_units(a: Analysis, s: Scenario) -> dict[str, dict[str, float]]:
    """No deal, each bargaining solution and each proposal, issue id → value in issue units."""
    named = {"no deal": {i.id: s.status_quo_of(i.id) for i in s.issues}}
    named.update(
        {
            name: dict(zip(a.issues, p.units, strict=True))
            for name, p in a.solutions.items()
            if p is not None
        }
    )
    named.update(
        {
            v.id: {i.id: i.to_units(s.proposal(v.id).outcome[i.id]) for i in s.issues}
            for v in a.proposals
        }
    )
    return named
