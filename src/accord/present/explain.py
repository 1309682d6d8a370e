"""Plain-words readings of an `Analysis` that every surface shows the same way: what a seat's
concession amounts to on one issue alone, and who gives and takes in a package deal. Moved out
of the `analyze` command so that the terminal, the report and notebooks share them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from accord.analysis.analyze import Analysis
from accord.analysis.proposals import ProposalVerdict
from accord.present.format import number
from accord.scenario import Scenario


def concession_equivalents(a: Any, s: Scenario, per_party: int = 2) -> dict[str, list[str]]:
    """For each party that must concede to open a zone: its concession expressed on the one or
    two issues where it is cheapest, in the issue's own units (``3.2 kg UF6 on Near-20 % UF6
    stockpile``; ``1.5 option steps on Fordow``)."""
    issues = {i.id: i for i in s.issues}
    g = a.gap
    span = np.array([issues[i].bounds[1] - issues[i].bounds[0] for i in a.issues])
    steps = np.array([bool(issues[i].options) for i in a.issues])
    out: dict[str, list[str]] = {}
    for j, p in enumerate(a.parties):
        if g.total_by_party[j] <= 0:
            continue
        share = g.issue_units[j] / np.where(steps, span + 1, span)
        cheapest = [k for k in np.argsort(share) if np.isfinite(share[k])][:per_party]
        out[p] = [_units(issues[a.issues[k]], float(g.issue_units[j, k])) for k in cheapest]
    return out


def _units(issue: Any, amount: float) -> str:
    if issue.options:
        return f"{number(amount)} option steps on {issue.label}"
    return f"{number(amount)} {issue.unit or 'units'} on {issue.label}"


def gives_and_takes(a: Any, package: Any, s: Scenario) -> dict[str, tuple[list[str], list[str]]]:
    """Per party, the issues (labels) it gives on and takes on in `package` against the status
    quo: the logroll a package deal is made of."""
    label = {i.id: i.label for i in s.issues}
    out = {}
    for j, p in enumerate(a.parties):
        gains = package.issue_gains[j]
        gives = [label[a.issues[k]] for k in range(len(a.issues)) if gains[k] < -1e-9]
        takes = [label[a.issues[k]] for k in range(len(a.issues)) if gains[k] > 1e-9]
        out[p] = (gives, takes)
    return out


def refusal(v: ProposalVerdict) -> str:
    """'refused by p5plus1 (short 0.012; red lines of us, uk)'."""
    why = [f"short {v.concession:.3f}"] if v.concession > 1e-9 else []
    owners = sorted({a for a, _, _ in v.broken})
    if owners:
        why.append(f"red lines of {', '.join(owners)}")
    return f"refused by {', '.join(v.refused_by)}" + (f" ({'; '.join(why)})" if why else "")


def red_line_notes(a: Analysis, actors: Mapping[str, str] | None = None) -> list[str]:
    """Decision rules, red lines broken by each proposal, binding red lines, relaxation;
    `actors` names the owners of red lines by their labels (ids without it)."""
    labels = dict(zip(a.parties, a.party_labels, strict=True))
    actors = actors or {}
    out = [f"{labels[p]} decides by {r}." for p, r in a.rules.items() if r != "weighted"]
    for v in a.proposals:
        broken: dict[tuple[str, str | None], list[str]] = {}
        for who, text, by in v.broken_lines():
            broken.setdefault((text, by), []).append(actors.get(who, who))
        for (text, by), owners in broken.items():
            past = f" by {by}" if by else ""
            out.append(f"  {v.label} breaks the red line {text}{past} of {', '.join(owners)}")
    binding = a.binding_red_lines
    if a.red_lines:
        out.append(
            "Red lines binding on the zone: "
            + (
                "; ".join(
                    f"{f.actor}: {f.text} (keeps {f.excluded:,} packages out)" for f in binding
                )
                if binding
                else "none"
            )
        )
    best = a.smallest_relaxation
    if best is not None:
        out.append(
            f"Smallest single red-line move that opens a zone: {best.actor}, {best.text} → "
            f"{best.relaxed}"
        )
    elif a.zone_empty and a.red_lines:
        out.append("No single red line's relaxation opens a zone: reservations block it too.")
    return out
