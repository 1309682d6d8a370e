"""Plain-words readings of an `Analysis` that every surface shows the same way: what a seat's
concession amounts to on one issue alone, and who gives and takes in a package deal. Moved out
of the `analyze` command so that the terminal, the report and notebooks share them."""

from __future__ import annotations

from typing import Any

import numpy as np

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
