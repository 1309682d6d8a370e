"""How accord's objects show themselves in a notebook: short HTML summaries instead of
multi-kilobyte dataclass reprs (issue 16 §8). Every string from data is escaped.

The result classes attach these with a one-line ``_repr_html_`` that imports this module
lazily, so the engines do not depend on the presentation layer at import time.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from typing import Any

import pandas as pd

from accord.present.format import issue_value, number, percent, utility

STYLE = "border-collapse:collapse;font-size:12px"


def _table(head: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    h = "".join(
        f"<th style='text-align:left;padding:2px 8px'>{html.escape(str(c))}</th>" for c in head
    )
    body = "".join(
        "<tr>"
        + "".join(f"<td style='padding:2px 8px'>{html.escape(str(v))}</td>" for v in row)
        + "</tr>"
        for row in rows
    )
    return f"<table style='{STYLE}'><thead><tr>{h}</tr></thead><tbody>{body}</tbody></table>"


def _box(title: str, lines: Sequence[str], tables: Sequence[str] = ()) -> str:
    items = "".join(f"<div>{html.escape(x)}</div>" for x in lines)
    return (
        "<div style='font-family:sans-serif;font-size:13px'>"
        f"<strong>{html.escape(title)}</strong>{items}{''.join(tables)}</div>"
    )


def scenario_html(s: Any) -> str:
    """A scenario: title, size, the issues with their status quo, the seats."""
    rows = [
        (
            i.label,
            ", ".join(i.options)
            if i.options
            else f"{number(i.bounds[0])} to {number(i.bounds[1])} {i.unit or ''}",
            issue_value(i, s.status_quo_of(i.id), unit=True),
        )
        for i in s.issues
    ]
    lines = [
        f"{len(s.actors)} actors, {len(s.issues)} issues, {len(s.proposals)} proposals, "
        f"{len(s.clocks)} clocks" + (f"; dated {s.meta.date}" if s.meta.date else ""),
        "actors: " + ", ".join(a.label for a in s.actors),
    ]
    return _box(s.meta.title, lines, [_table(("issue", "range or options", "status quo"), rows)])


def analysis_html(a: Any) -> str:
    """An analysis: the zone, the grid, the bargaining solutions and the proposal verdicts."""
    zone = (
        "no agreement zone"
        if a.zone_empty
        else f"agreement zone: {percent(a.zone_share)} of the grid"
    )
    lines = [
        f"{zone}; grid of {a.space_size:,} packages ({a.resolution} points per continuous issue)",
        "no-deal utilities: "
        + ", ".join(
            f"{p} {utility(v)}" for p, v in zip(a.party_labels, a.reservation, strict=True)
        ),
    ]
    sol = [
        (
            name.replace("_", "–"),
            "; ".join(f"{k} {v}" for k, v in p.outcome.items()),
            ", ".join(utility(u) for u in p.utilities),
        )
        for name, p in a.solutions.items()
        if p is not None
    ]
    tables = [_table(("solution", "package", "utilities"), sol)] if sol else []
    if a.proposals:
        rows = [
            (
                p.label,
                "accepted by every seat"
                if not p.refused_by
                else "refused by " + ", ".join(p.refused_by),
            )
            for p in a.proposals
        ]
        tables.append(_table(("proposal", "verdict"), rows))
    return _box(a.title, lines, tables)


def forecast_html(f: Any) -> str:
    """A forecast: the model, its stopping rule and the point per issue."""
    labels = f.issue_labels or f.issue_ids
    rows = [(labels[k], f.shown(k)) for k in range(len(f.issue_ids))]
    lines = [f"{f.rounds} rounds, stopped by: {f.stop}" if f.rounds else f"closed form ({f.stop})"]
    return _box(f"Forecast of {f.model}", lines, [_table(("issue", "forecast"), rows)])


def session_html(ses: Any) -> str:
    """A session: protocol, strategies and how it ended."""
    end = (
        f"agreement in round {ses.round}"
        if ses.agreement
        else f"no agreement ({ses.reason}) after {ses.played} rounds"
    )
    rows = [
        (seat, st, utility(r), utility(u))
        for seat, st, r, u in zip(
            ses.ids, ses.strategies, ses.reservation, ses.utility, strict=True
        )
    ]
    lines = [f"{ses.protocol} protocol, {ses.rounds} rounds: {end}"]
    if ses.agreement and ses.outcome_units:
        lines.append(
            "outcome: "
            + "; ".join(
                f"{k} {v if isinstance(v, str) else number(v)}"
                for k, v in ses.outcome_units.items()
            )
        )
    return _box(
        f"Session: {ses.domain}",
        lines,
        [_table(("seat", "strategy", "no deal", "end utility"), rows)],
    )


def montecarlo_html(mc: Any) -> str:
    """A Monte-Carlo result: draws, plan, what was varied and the metric summary."""
    from accord.present.story import varied_text

    summary = mc.summary()
    return _box(
        f"Monte-Carlo: {mc.draws:,} draws ({mc.plan} plan, seed {mc.seed})",
        [f"varied: {varied_text(mc.params)}"],
        [_frame(summary.head(30))],
    )


def sweep_html(out: Any) -> str:
    """A sweep: its Monte-Carlo result and where it was written."""
    return montecarlo_html(out.result) + _box("", [f"run directory: {out.run.path}"])


def job_html(r: Any) -> str:
    """A run: the story's five answers, as in the report's summary."""
    from accord.present.story import story

    parts = "".join(
        f"<p><strong>{html.escape(a.heading)}</strong><br>{html.escape(a.text)}</p>"
        for a in story(r)
    )
    return (
        "<div style='font-family:sans-serif;font-size:13px;max-width:60em'>"
        f"<h4 style='margin:0'>{html.escape(r.scenario.meta.title)}</h4>{parts}</div>"
    )


def _frame(df: pd.DataFrame) -> str:
    rows = [
        [number(v) if isinstance(v, float | int) and not isinstance(v, bool) else v for v in rec]
        for rec in df.itertuples(index=False)
    ]
    return _table([str(c) for c in df.columns], rows)


def html_of(obj: Any) -> str:
    """The notebook HTML of any accord result or scenario."""
    name = type(obj).__name__
    render = {
        "Scenario": scenario_html,
        "Analysis": analysis_html,
        "Forecast": forecast_html,
        "Session": session_html,
        "MonteCarloResult": montecarlo_html,
        "SweepOutcome": sweep_html,
        "JobResult": job_html,
    }.get(name)
    if render is None and hasattr(obj, "model") and hasattr(obj, "point"):
        render = forecast_html  # a model's Forecast subclass (e.g. the exchange model's)
    if render is None:
        return html.escape(repr(obj))
    return render(obj)
