"""What a forecast model's result means when it looks like a finding but is a property of the
model (issue 16 §3): the issue-by-issue Nash solution returning the status quo, BDM stopping
early, KTAB's outcome probabilities, the exchange model's trades. Sentences, not markup."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from accord.forecast import Forecast
from accord.present.format import issue_value, percent
from accord.present.story import S, Sentence, Value
from accord.scenario import Compiled, Scenario


def _at_status_quo(c: Compiled, f: Forecast) -> bool:
    sq = c.to_units(c.status_quo)
    tol = 1e-9 + 1e-6 * np.abs(c.hi - c.lo)
    return bool(np.all(np.abs(np.asarray(f.point) - sq) <= tol))


def nash_note(c: Compiled, f: Forecast) -> Sentence | None:
    """Why the issue-by-issue Nash forecast is the status quo, when it is."""
    if not _at_status_quo(c, f):
        return None
    return S(
        "The Nash model returns the ",
        Value("status quo on every issue", "note"),
        ": it bargains issue by issue, and where actors stand on both sides of the status quo "
        "any move hurts someone, so the product of gains is largest at no change. It says "
        "that no single issue moves on its own, not that nothing will move: a package that "
        "trades issues against each other can still leave everyone better off.",
    )


def bdm_note(s: Scenario, f: Forecast, free: Forecast | None) -> Sentence | None:
    """BDM's stopping rule and what the forecast would be without it (issue 16 §3)."""
    if f.trajectory is None:
        return None
    parts: list[Any] = [
        f"BDM ran {f.rounds} round{'s' if f.rounds != 1 else ''}; its stopping rule: ",
        Value(f.stop, "note"),
        ".",
    ]
    if free is not None and free.rounds != f.rounds:
        moved = [
            f"{issue.label} {issue_value(issue, float(a), unit=True)} → "
            f"{issue_value(issue, float(b), unit=True)}"
            for issue, a, b in zip(s.issues, f.point, free.point, strict=True)
            if issue_value(issue, float(a)) != issue_value(issue, float(b))
        ]
        if moved:
            parts += [
                f" Run for all {free.rounds} rounds instead, it forecasts ",
                Value("; ".join(moved), "label"),
                ": the stopping rule alone moves the answer (set it with "
                "-m bdm:converge=false or -m bdm:rounds=N).",
            ]
        else:
            parts.append(f" Run for all {free.rounds} rounds, it forecasts the same.")
    return S(*parts)


def ktab_note(s: Scenario, f: Forecast) -> Sentence | None:
    """KTAB's outcome probabilities per issue, as labels and shares."""
    if not f.probabilities:
        return None
    shown = []
    for issue in s.issues:
        dist = f.probabilities.get(issue.id) or {}
        top = [kv for kv in sorted(dist.items(), key=lambda kv: -kv[1]) if kv[1] >= 0.005][:2]
        if top:
            shown.append(
                f"{issue.label}: "
                + ", ".join(
                    f"{issue_value(issue, float(k), unit=True)} {percent(p)}" for k, p in top
                )
            )
    return S("KTAB's probabilities of the final positions: ", Value("; ".join(shown), "label"), ".")


def exchange_note(c: Compiled, f: Forecast) -> Sentence | None:
    """Who traded with whom on which issues in the exchange model."""
    trades = getattr(f, "exchanges", None)
    if trades is None:
        return None
    if not trades:
        return S("The exchange model found no trade both sides gain from.")
    label = dict(zip(c.actors.ids, c.actors.labels, strict=True))
    pairs: dict[tuple[str, str], int] = {}
    for t in trades:
        key = tuple(sorted((label.get(t.actor_i, t.actor_i), label.get(t.actor_j, t.actor_j))))
        pairs[key] = pairs.get(key, 0) + 1
    top = sorted(pairs.items(), key=lambda kv: -kv[1])[:3]
    shown = "; ".join(f"{a} with {b} ({n})" for (a, b), n in top)
    return S(
        f"The exchange model realised {len(trades)} trade{'s' if len(trades) != 1 else ''} "
        "(each actor gets its way on one issue and gives on another); most between ",
        Value(shown, "label"),
        ".",
    )


def model_notes(
    s: Scenario,
    c: Compiled,
    forecasts: Mapping[str, Forecast],
    sensitivity: Mapping[str, Forecast] | None = None,
) -> list[Sentence]:
    """Every caveat that applies to these forecasts, in model order."""
    out: list[Sentence | None] = []
    for name, f in forecasts.items():
        if name == "nash":
            out.append(nash_note(c, f))
        elif name == "bdm":
            out.append(bdm_note(s, f, (sensitivity or {}).get("bdm")))
        elif name == "ktab":
            out.append(ktab_note(s, f))
        elif name == "exchange":
            out.append(exchange_note(c, f))
    return [x for x in out if x is not None]
