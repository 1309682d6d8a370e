"""Build `report.html` from a `JobResult`: the story, the figures and the tables.

Works for any scenario: a figure whose engine had nothing to say (no clocks, one seat, no
uncertain input) is left out with a sentence saying why, never drawn empty.
"""

from __future__ import annotations

import datetime as dt
import html
from typing import Any

import numpy as np
import pandas as pd

from accord import __version__
from accord.job import JobResult
from accord.report import figures
from accord.report.html import Section, Table, render
from accord.report.story import answers
from accord.scenario.decide import decide
from accord.space import DEFAULT_RESOLUTION, ENUMERATE_LIMIT, grid

CLOUD_POINTS = 6000


def _esc(text: str) -> str:
    return html.escape(text)


def _frontier_figure(r: JobResult) -> figures.Figure | None:
    c, a = r.compiled, r.analysis
    if c.seats.n != 2:
        return None
    space = grid(c, resolution=r.options.resolution or DEFAULT_RESOLUTION)
    if space.size > ENUMERATE_LIMIT:
        return None
    rng = np.random.default_rng(r.options.seed)
    n = min(space.size, CLOUD_POINTS)
    idx = np.sort(rng.choice(space.size, size=n, replace=False))
    zone = breaks = None
    if a.rules or a.red_lines:
        every = np.arange(space.size)
        v = decide(c, space.outcomes(every))
        idx = np.union1d(idx, every[v.zone][:CLOUD_POINTS])
        zone, breaks = v.zone[idx], ~v.all_feasible[idx]
    cloud = space.utilities_of(c.seats, idx)
    points = {
        name.replace("_", "–")
        .replace("kalai–smorodinsky", "Kalai–Smorodinsky")
        .replace("nash", "Nash")
        + _metric_note(p.metrics): p.utilities
        for name, p in a.solutions.items()
        if p is not None and name in ("nash", "kalai_smorodinsky")
    }
    proposals = {p.id + _metric_note(p.metrics): p.utilities for p in a.proposals}
    path = None
    outcome = None
    if r.talks is not None:
        ses = r.talks.session
        ids = list(ses.ids)
        path = [
            (ids.index(st.proposer) if st.proposer in ids else 0, st.utility) for st in ses.steps
        ]
        if ses.agreement:
            outcome = ses.utility
    return figures.frontier_plot(
        (c.seats.labels[0], c.seats.labels[1]),
        cloud,
        a.frontier_utilities,
        c.seats.reservation,
        points,
        proposals,
        path,
        outcome,
        zone,
        breaks,
    )


def _strategies(ses: Any) -> str:
    return ", ".join(f"{i}: {st}" for i, st in zip(ses.ids, ses.strategies, strict=True))


def sections(r: JobResult) -> list[Section]:
    """The report's sections in reading order."""
    s, c, a = r.scenario, r.compiled, r.analysis
    units = [i.unit or "" for i in s.issues]
    out: list[Section] = []

    forecasts_units = {
        name: f.point
        for name, f in r.forecasts.items()
        if name in ("compromise", "median", "bdm", "ktab", "exchange")
    }
    sec = Section("positions", "Who wants what")
    sec.paragraphs.append(
        f"{len(s.actors)} actors on {len(s.issues)} issues; at the table: "
        + _esc(", ".join(c.seats.labels))
        + "."
    )
    sec.figures.append(figures.issue_maps(s, c, forecasts_units, r.intervals()))
    actors = pd.DataFrame(
        [
            {
                "actor": act.label,
                "capability": float(c.actors.capability[j]),
                **{
                    i.id: f"{i.show(float(c.to_units(c.actors.position[j])[k]))} "
                    f"({c.actors.salience[j, k]:.2f})"
                    for k, i in enumerate(s.issues)
                },
            }
            for j, act in enumerate(s.actors)
        ]
    )
    sec.tables.append(Table("Positions (salience)", actors))
    out.append(sec)

    sec = Section("zone", "Is there a deal to be had?")
    sec.paragraphs.append(
        _esc(
            f"The outcome space has {a.space_size:,} packages "
            f"({'every one evaluated' if a.enumerated else 'sampled and searched'}). "
            f"No-deal utilities: "
            + ", ".join(
                f"{lab} {v:.3f}" for lab, v in zip(c.seats.labels, c.seats.reservation, strict=True)
            )
            + "."
        )
    )
    fig = _frontier_figure(r)
    if fig is not None:
        sec.figures.append(fig)
    else:
        sec.paragraphs.append(
            "The frontier figure is drawn for two seats; this scenario has "
            f"{c.seats.n}. The tables give the same results."
        )
    sol = [
        {
            "solution": name,
            **p.outcome,
            **p.metrics,
            **{f"u({pid})": float(u) for pid, u in zip(p.parties, p.utilities, strict=True)},
        }
        for name, p in a.solutions.items()
        if p is not None
    ]
    if sol:
        sec.tables.append(Table("Bargaining solutions", pd.DataFrame(sol)))
    if a.proposals:
        rows = [
            {
                "proposal": p.label,
                **p.outcome,
                **{f"margin {pid}": float(m) for pid, m in zip(p.parties, p.margins, strict=True)},
                "accepted by": ", ".join(p.accepted_by) or "nobody",
                **p.metrics,
                **(
                    {"red lines broken": "; ".join(f"{w}: {t} by {b:.3g}" for w, t, b in p.broken)}
                    if a.red_lines
                    else {}
                ),
            }
            for p in a.proposals
        ]
        sec.tables.append(Table("Proposals on the table: margin over no deal", pd.DataFrame(rows)))
    if a.packages:
        rows = [
            {
                "package": p.name,
                **p.outcome,
                **p.metrics,
                **{f"gain {pid}": float(g) for pid, g in zip(p.parties, p.gains, strict=True)},
            }
            for p in a.packages
        ]
        sec.tables.append(Table("Packages needing the least concession", pd.DataFrame(rows)))
    out.append(sec)

    sec = Section("forecasts", "Where the bargaining is heading")
    sec.paragraphs.append(
        "Each collective-decision model's forecast per issue, with its 90 % Monte-Carlo "
        "interval where computed. On real data the simple compromise model is the one to beat "
        "(docs/forecast.md)."
    )
    ff = r.forecast_frame()
    sec.tables.append(Table("Forecasts", ff))
    series = {
        name: f.trajectory
        for name, f in r.forecasts.items()
        if f.trajectory is not None and len(f.trajectory) > 1
    }
    if series:
        sec.figures.append(
            figures.trajectories(
                [i.label for i in s.issues], series, units, [i.options for i in s.issues]
            )
        )
    if r.talks is not None:
        ses = r.talks.session
        sec.paragraphs.append(
            _esc(
                f"Simulated session ({ses.protocol}; strategies {_strategies(ses)}): "
                + (
                    f"agreement in round {ses.round} on "
                    + "; ".join(f"{k}: {v}" for k, v in ses.outcome_units.items())
                    if ses.agreement
                    else f"no agreement ({ses.reason}) after {ses.played} rounds"
                )
                + "."
            )
        )
        for h in r.talks.hints[:6]:
            sec.paragraphs.append(_esc("What would change the ending: " + h.text))
    out.append(sec)

    sec = Section("time", "What time does to the gap")
    if r.clock is not None:
        t = r.clock
        bo = t.breakout_months if np.isfinite(t.breakout_months).any() else None
        sec.figures.append(
            figures.clock_chart(
                t.times,
                dict(zip(t.seat_labels, t.reservations.T, strict=True)),
                bo,
                t.zone_open,
                t.unit,
            )
        )
    else:
        sec.paragraphs.append("The scenario declares no clocks: its no-deal point does not move.")
    if r.breakout:
        sec.tables.append(Table("Breakout months each package means", r.breakout_frame()))
    out.append(sec)

    sec = Section("uncertainty", "How sure are we")
    if r.montecarlo is not None:
        draws = r.draws()
        if draws:
            sec.figures.append(
                figures.distributions(
                    [i.label for i in s.issues], draws, units, [i.options for i in s.issues]
                )
            )
        summary = r.montecarlo.summary()
        sec.tables.append(Table("Monte-Carlo summary", summary))
        params = pd.DataFrame(
            [
                {"input": ".".join(str(x) for x in u.path), "kind": getattr(u, "kind", "")}
                for u in r.montecarlo.params
            ]
        )
        sec.tables.append(Table("Uncertain inputs varied", params))
    else:
        sec.paragraphs.append(
            "No Monte-Carlo was run: "
            + _esc("; ".join(r.notes) or "no uncertain inputs or draws = 0.")
        )
    out.append(sec)
    from accord.report.road import road_section

    road = road_section(s)
    return out if road is None else [*out, road]


def build_report(r: JobResult, created: str | None = None) -> str:
    """The complete HTML report of a job."""
    when = created or dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    sub = r.scenario.meta.description or ""
    if r.scenario.meta.date:
        sub = f"{r.scenario.meta.date} · {sub}"
    return render(
        r.scenario,
        sections(r),
        answers=answers(r),
        subtitle=sub,
        version=__version__,
        digest=r.compiled.digest,
        seed=r.options.seed,
        created=when,
    )


def _metric_note(metrics: dict[str, float]) -> str:
    """' (breakout 1.8 mo)' for a package with a breakout metric, else ''."""
    m = metrics.get("breakout_months")
    return f" (breakout {m:.2g} mo)" if m is not None and np.isfinite(m) else ""
