"""Numbers and labels for people: the one place where accord turns a value into text.

Rules (issue 16 §2, §5): option issues show their option *labels*, never codes or means of
codes; numbers never use scientific notation (``0.00005`` kg is written ``0.00005``, 1.2e6 SWU
``1,200,000``); utilities have three decimals; shares are whole percents.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from accord.scenario.schema import Issue, Scenario

NBSP = "\u00a0"  # keeps "100 %" on one line in terminals and pages


def number(x: float, unit: str | None = None) -> str:
    """A number with the digits a reader needs and no exponent: 12,345 · 123 · 9.75 · 0.05."""
    x = float(x)
    if not math.isfinite(x):
        return "–" if math.isnan(x) else ("∞" if x > 0 else "−∞")
    a = abs(x)
    if a >= 1000:
        text = f"{x:,.0f}"
    elif a >= 100:
        text = f"{x:.0f}"
    elif a >= 10:
        text = f"{x:.1f}".rstrip("0").rstrip(".")
    elif a >= 0.01 or a == 0:
        text = f"{x:.2f}".rstrip("0").rstrip(".")
    else:
        digits = max(2, -math.floor(math.log10(a)) + 1)
        text = f"{x:.{digits}f}".rstrip("0").rstrip(".")
    if text in ("-0", "−0"):
        text = "0"
    return f"{text} {unit}" if unit else text


def utility(x: float) -> str:
    """A utility on [0, 1], three decimals."""
    return f"{float(x):.3f}"


def signed_utility(x: float) -> str:
    """A utility change with its sign: +0.124, −0.034."""
    return f"{float(x):+.3f}".replace("-", "−")


def percent(x: float) -> str:
    """A share as a percent (``0.098`` → ``9.8 %`` below 10 %, ``0.00011`` → ``0.011 %``
    below 0.1 %, else ``42 %``), with a non-breaking space before the sign."""
    p = 100 * float(x)
    if 0 < abs(p) < 0.1:
        return f"{p:.2g}{NBSP}%"
    if 0 < abs(p) < 10:
        return f"{p:.1f}{NBSP}%"
    return f"{p:.0f}{NBSP}%"


def months(x: float | None) -> str:
    """Breakout or horizon months: ``4.4 months``; None means no breakout at all."""
    if x is None or not math.isfinite(float(x)):
        return "no breakout (no enrichment)"
    return f"{float(x):.1f} months"


def issue_value(issue: Issue, value: float, *, unit: bool = False) -> str:
    """A value in issue units as read: the option label, or the number (with its unit)."""
    if issue.options is not None:
        return issue.show(float(value))
    return number(value, issue.unit if unit else None)


def option_index(issue: Issue, value: float) -> int:
    """The index of the option nearest `value` (for JSON that carries label and index)."""
    assert issue.options is not None
    return int(min(max(round(float(value)), 0), len(issue.options) - 1))


def option_shares(issue: Issue, draws: Sequence[float] | np.ndarray) -> dict[str, float]:
    """Share of draws that land on each option (ordered as the issue lists them, zeros left
    out): the uncertainty of an options issue — a mean of option indices means nothing."""
    assert issue.options is not None
    idx = np.clip(np.rint(np.asarray(draws, dtype=float)), 0, len(issue.options) - 1).astype(int)
    counts = np.bincount(idx, minlength=len(issue.options))
    n = max(int(counts.sum()), 1)
    return {lab: counts[k] / n for k, lab in enumerate(issue.options) if counts[k] > 0}


def spread_text(issue: Issue, draws: Sequence[float] | np.ndarray, level: float = 0.9) -> str:
    """How a forecast of `issue` spreads over Monte-Carlo draws, in words.

    Continuous issue: the central `level` interval ``48.4–75.1``. Options issue: the share of
    draws per option, ``suspended 92 %, operating 8 %``. When every draw gives the same
    value: ``no spread across N draws``.
    """
    v = np.asarray(draws, dtype=float)
    v = v[np.isfinite(v)]
    n = len(v)
    if n == 0:
        return "no draws"
    if issue.options is not None:
        shares = option_shares(issue, v)
        if len(shares) == 1:
            return f"no spread across {n:,} draws"
        return ", ".join(
            f"{lab} {percent(s)}" for lab, s in sorted(shares.items(), key=lambda t: -t[1])
        )
    lo, hi = np.quantile(v, [(1 - level) / 2, 1 - (1 - level) / 2])
    a, b = number(lo), number(hi)
    if a == b:
        return f"no spread across {n:,} draws"
    return f"{a}–{b}"


def input_label(s: Scenario, path: Sequence[object]) -> str:
    """An uncertain input named as a reader says it: ``Iran — Supreme Leader Khamenei:
    salience on Maximum enrichment level`` for ``("actors", 0, "salience", "enrichment_level")``.
    """
    head = path[0] if path else ""
    if head == "actors" and len(path) >= 3 and isinstance(path[1], int):
        actor = s.actors[path[1]]
        who, what = actor.label, str(path[2])
        if what in ("red_lines", "metric_terms") and len(path) >= 4 and isinstance(path[3], int):
            return f"{who}: {_preference_label(actor, what, path[3])}"
        if len(path) >= 4:
            return f"{who}: {what} on {s.issue(str(path[3])).label}"
        return f"{who}: {what}"
    if head == "issues" and len(path) >= 3 and isinstance(path[1], int):
        return f"{s.issues[path[1]].label}: {str(path[2]).replace('_', ' ')}"
    if head == "clocks" and len(path) >= 3 and isinstance(path[1], int):
        clock = s.clocks[path[1]]
        return f"clock {clock.id or clock.kind}: {path[2]}"
    return " ".join(str(p).replace("_", " ") for p in path[1:] or path)


def _preference_label(actor: Any, field: str, i: int) -> str:
    """``red line breakout_months >=`` or ``weight on breakout_months`` for a red line or a
    metric term of `actor`."""
    if field == "red_lines":
        rl = actor.red_lines[i]
        return f"red line {rl.subject} {rl.op.replace('_', ' ')}"
    return f"weight on {actor.metric_terms[i].metric}"
