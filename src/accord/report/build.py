"""Build `report.html` from a `JobResult`: a brief an analyst can publish (issue 16 §4).

The page opens with a one-screen summary answering the mission's questions in plain words
(`accord.present.story`), then at most six sections, each one figure and a few sentences.
Tables longer than a few lines go into collapsed appendices. A figure whose engine had
nothing to say (no clocks, one seat, no uncertain input) is left out with a sentence saying
why, never drawn empty. Every figure is also returned by `report_figures` so the CLI can
write it as SVG and PNG into the run directory.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd

from accord import __version__
from accord.job import JobResult
from accord.present.breakout import breakout_assumptions
from accord.present.calendar import round_when
from accord.present.caveats import model_notes
from accord.present.format import input_label, issue_value, months, number, utility
from accord.present.story import (
    MODEL_NAMES,
    S,
    Value,
    session_sentence,
    stalled,
    story,
    varied_text,
)
from accord.report import figures
from accord.report.html import Section, Table, render
from accord.report.space_figure import TwoSeatSpace, frontier_plot
from accord.scenario.decide import decide
from accord.seeding import make_rng
from accord.space import DEFAULT_RESOLUTION, ENUMERATE_LIMIT, grid

CLOUD_POINTS = 6000


def _frontier_figure(r: JobResult) -> figures.Figure | None:
    c, a = r.compiled, r.analysis
    if c.seats.n != 2:
        return None
    space = grid(c, resolution=r.options.resolution or DEFAULT_RESOLUTION)
    if space.size > ENUMERATE_LIMIT:
        return None
    rng = make_rng(r.options.seed)
    n = min(space.size, CLOUD_POINTS)
    idx = np.sort(rng.choice(space.size, size=n, replace=False))
    zone = breaks = None
    if a.rules or a.red_lines:
        every = np.arange(space.size)
        v = decide(c, space.outcomes(every))
        idx = np.union1d(idx, every[v.zone][:CLOUD_POINTS])
        zone, breaks = v.zone[idx], ~v.all_feasible[idx]
    cloud = space.utilities_of(c.seats, idx)
    names = {"nash": "Nash point", "kalai_smorodinsky": "Kalai–Smorodinsky point"}
    points = {
        names[name] + _metric_note(p.metrics): p.utilities
        for name, p in a.solutions.items()
        if p is not None and name in names
    }
    proposals = {p.label + _metric_note(p.metrics): p.utilities for p in a.proposals}
    path = None
    outcome = None
    if r.talks is not None:
        ses = r.talks.session
        ids = list(ses.ids)
        path = [
            (ids.index(st.proposer) if st.proposer in ids else 0, st.utility) for st in ses.steps
        ]
        if ses.agreement and not r.talks.status_quo_deal:
            outcome = ses.utility
    labels = (c.seats.labels[0], c.seats.labels[1])
    seen = TwoSeatSpace(labels, cloud, a.frontier_utilities, c.seats.reservation, zone, breaks)
    return frontier_plot(seen, points, proposals, path, outcome)


def _seats_figure(r: JobResult) -> figures.Figure:
    """More than two seats: each seat's utility of every bargaining solution and proposal,
    with its no-deal utility marked (`accord.present.plots.plot_analysis`)."""
    from accord.present.plots import plot_analysis

    return figures.render(
        plot_analysis(r.analysis),
        "frontier",
        "The bargaining space",
        f"Each of the {r.compiled.seats.n} seats' utility of the bargaining solutions and "
        "the tabled proposals (bars); black dashes: its utility of no deal. A package is in "
        "the agreement zone when every bar clears its dash.",
    )


def _positions(r: JobResult) -> Section:
    s, c = r.scenario, r.compiled
    sec = Section("positions", "Who wants what")
    sec.paragraphs.append(
        f"{len(s.actors)} actors on {len(s.issues)} issue{'s' if len(s.issues) != 1 else ''}; "
        "at the table: "
        + ", ".join(c.seats.labels)
        + ". Each dot is an actor, sized by capability; the dashed line is the status quo "
        "(the outcome if no deal is made)."
    )
    forecasts = {
        n: f.point
        for n, f in r.forecasts.items()
        if n in ("compromise", "median", "bdm", "ktab", "exchange")
    }
    sec.figures.append(figures.issue_maps(s, c, forecasts, r.intervals()))
    rows = []
    for j, act in enumerate(s.actors):
        pos = c.to_units(c.actors.position[j])
        row: dict[str, Any] = {"actor": act.label, "capability": float(c.actors.capability[j])}
        for k, i in enumerate(s.issues):
            row[i.label] = (
                f"{issue_value(i, float(pos[k]), unit=True)} (salience "
                f"{c.actors.salience[j, k]:.2f})"
            )
        rows.append(row)
    sec.appendix.append(Table("Positions and saliences of every actor", pd.DataFrame(rows)))
    return sec


def _zone(r: JobResult) -> Section:
    c, a = r.compiled, r.analysis
    title = "Why the talks stall" if stalled(r) else "Is there a deal to be had?"
    sec = Section("zone", title)
    sec.paragraphs.extend(next(x for x in story(r) if x.key == "why").sentences)
    sec.paragraphs.append(
        S(
            f"The grid: {a.space_size:,} packages, {a.resolution} points per continuous issue "
            f"({'every one evaluated' if a.enumerated else 'sampled and searched'}). "
            "No-deal utilities: ",
            ", ".join(
                f"{lab} {utility(v)}"
                for lab, v in zip(c.seats.labels, c.seats.reservation, strict=True)
            ),
            ".",
        )
    )
    fig = _frontier_figure(r)
    if fig is None and c.seats.n > 2:
        fig = _seats_figure(r)
    if fig is not None:
        sec.figures.append(fig)
    sol = [
        {
            "solution": name.replace("_", "–"),
            **p.outcome,
            **p.metrics,
            **{
                f"utility of {lab}": float(u)
                for lab, u in zip(a.party_labels, p.utilities, strict=True)
            },
        }
        for name, p in a.solutions.items()
        if p is not None
    ]
    if sol:
        sec.appendix.append(
            Table(f"Bargaining solutions (on the grid of {a.space_size:,})", pd.DataFrame(sol))
        )
    if a.proposals:
        rows = [
            {
                "proposal": p.label,
                **p.outcome,
                **{
                    f"margin of {lab}": float(m)
                    for lab, m in zip(a.party_labels, p.margins, strict=True)
                },
                "verdict": "accepted by every seat"
                if not p.refused_by
                else "refused by " + ", ".join(p.refused_by),
                **p.metrics,
                **(
                    {
                        "red lines broken": "; ".join(
                            f"{w}: {t}" + (f" by {b}" if b else "") for w, t, b in p.broken_lines()
                        )
                    }
                    if a.red_lines
                    else {}
                ),
            }
            for p in a.proposals
        ]
        sec.appendix.append(
            Table("Proposals on the table: margin over no deal", pd.DataFrame(rows))
        )
    if a.packages:
        rows = [
            {
                "package": p.name,
                **p.outcome,
                **p.metrics,
                **{
                    f"gain of {lab}": float(g)
                    for lab, g in zip(a.party_labels, p.gains, strict=True)
                },
            }
            for p in a.packages
        ]
        sec.appendix.append(Table("Packages needing the least concession", pd.DataFrame(rows)))
    return sec


def _forecasts(r: JobResult) -> Section:
    s = r.scenario
    sec = Section("forecasts", "Where bargaining is heading")
    end = next(x for x in story(r) if x.key == "end").sentences
    sec.paragraphs.extend(end[:-1] if r.talks is not None else end)
    sec.paragraphs.extend(model_notes(s, r.compiled, r.forecasts, r.sensitivity))
    series = {
        MODEL_NAMES.get(n, n): f.trajectory
        for n, f in r.forecasts.items()
        if f.trajectory is not None and len(f.trajectory) > 1
    }
    if series:
        sec.figures.append(
            figures.trajectories(
                [i.label for i in s.issues],
                series,
                [i.unit or "" for i in s.issues],
                [i.options for i in s.issues],
                status_quo=r.compiled.to_units(r.compiled.status_quo),
            )
        )
    if r.talks is not None:
        sec.paragraphs.append(session_sentence(r))
        for h in r.talks.hints[:3]:
            sec.paragraphs.append("What would change the ending: " + h.text)
    shown = r.forecast_frame()[["model", "issue", "forecast", "uncertainty", "rounds", "stop"]]
    sec.appendix.append(Table("Every model's forecast per issue", shown))
    bdm = r.forecasts.get("bdm")
    if bdm is not None and bdm.positions is not None:
        sec.appendix.append(Table("BDM: every actor's position by round", _moves(r, bdm)))
    ex = r.forecasts.get("exchange")
    if ex is not None and hasattr(ex, "exchanges_frame") and getattr(ex, "exchanges", None):
        sec.appendix.append(Table("Exchange model: every realised trade", ex.exchanges_frame()))
    ktab = r.forecasts.get("ktab")
    if ktab is not None and ktab.probabilities:
        sec.appendix.append(
            Table("KTAB: probability of each final outcome", _probabilities(r, ktab))
        )
    if r.talks is not None:
        sec.appendix.append(Table("The simulated session, offer by offer", _offers(r)))
    return sec


def _moves(r: JobResult, f: Any) -> pd.DataFrame:
    s, c = r.scenario, r.compiled
    rows = []
    for rnd, pos in enumerate(f.positions):
        for a, aid in enumerate(f.actor_ids):
            rows.append(
                {
                    "round": rnd,
                    "actor": c.actors.labels[list(c.actors.ids).index(aid)]
                    if aid in c.actors.ids
                    else aid,
                    **{i.label: issue_value(i, float(pos[a, k])) for k, i in enumerate(s.issues)},
                }
            )
    return pd.DataFrame(rows)


def _probabilities(r: JobResult, f: Any) -> pd.DataFrame:
    rows = [
        {"issue": i.label, "outcome": issue_value(i, float(k), unit=True), "probability": float(p)}
        for i in r.scenario.issues
        for k, p in sorted((f.probabilities.get(i.id) or {}).items(), key=lambda kv: -kv[1])
        if p >= 0.005
    ]
    return pd.DataFrame(rows)


def _offers(r: JobResult) -> pd.DataFrame:
    assert r.talks is not None
    ses = r.talks.session
    return pd.DataFrame(
        [
            {
                "round": st.round,
                "when": round_when(r.scenario, st.round),
                "proposer": st.proposer,
                **{k: (v if isinstance(v, str) else number(v)) for k, v in st.offer_units.items()},
            }
            for st in ses.steps
        ]
    )


def _time(r: JobResult) -> Section:
    sec = Section("time", "What time does to the gap")
    if r.clock is not None:
        t = r.clock
        sec.paragraphs.extend(next(x for x in story(r) if x.key == "time").sentences)
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
        sec.tables.append(
            Table(
                "Breakout time each package means",
                pd.DataFrame(
                    [
                        {"package": _package_name(r, k), "breakout": months(v)}
                        for k, v in r.breakout.items()
                    ]
                ),
            )
        )
        assumed = breakout_assumptions(r.scenario)
        if assumed:
            sec.paragraphs.append(assumed)
    return sec


def _package_name(r: JobResult, key: str) -> str:
    for p in r.scenario.proposals:
        if p.id == key:
            return p.label
    return key


def _uncertainty(r: JobResult) -> Section:
    s = r.scenario
    sec = Section("uncertainty", "How sure are we")
    if r.montecarlo is None:
        sec.paragraphs.append(
            "No Monte-Carlo was run: "
            + (
                "the scenario marks no number as uncertain (give a number a range or a "
                "distribution to vary it)."
                if not r.notes or any("no uncertain" in n for n in r.notes)
                else "; ".join(r.notes) + "."
            )
        )
        return sec
    mc = r.montecarlo
    sec.paragraphs.extend(next(x for x in story(r) if x.key == "sure").sentences)
    draws = r.draws()
    if draws:
        sec.figures.append(
            figures.distributions(
                [i.label for i in s.issues],
                {MODEL_NAMES.get(n, n): d for n, d in draws.items()},
                [i.unit or "" for i in s.issues],
                [i.options for i in s.issues],
                caption=f"Each model's forecast over {mc.draws:,} Monte-Carlo draws "
                f"({mc.plan} plan). Varied: {varied_text(mc.params)}. Options issues show the "
                "share of draws per option; dashed: the status quo.",
                status_quo=r.compiled.to_units(r.compiled.status_quo),
            )
        )
    sec.appendix.append(
        Table(
            "Uncertain inputs varied",
            pd.DataFrame(
                [
                    {
                        "input": input_label(s, u.path),
                        "nominal": float(u.nominal),
                        "range": f"{number(u.estimate.range[0])} to {number(u.estimate.range[1])}"
                        if u.estimate.range
                        else (u.estimate.dist.kind if u.estimate.dist else ""),
                    }
                    for u in mc.params
                ]
            ),
        )
    )
    return sec


def sections(r: JobResult) -> list[Section]:
    """The report's sections in reading order (at most six)."""
    from accord.report.road import road_section

    out = [_positions(r), _zone(r), _forecasts(r), _time(r), _uncertainty(r)]
    road = road_section(r.scenario)
    return out if road is None else [*out, road]


def report_figures(secs: list[Section]) -> list[figures.Figure]:
    """Every figure of the report, for export as SVG and PNG into the run directory."""
    return [f for sec in secs for f in sec.figures]


def build_report(
    r: JobResult, created: str | None = None, secs: list[Section] | None = None
) -> str:
    """The complete HTML report of a job."""
    when = created or dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    sub = r.scenario.meta.description or ""
    if r.scenario.meta.date:
        sub = f"{r.scenario.meta.date} · {sub}"
    return render(
        r.scenario,
        secs if secs is not None else sections(r),
        answers=story(r),
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


__all__ = ["Value", "build_report", "report_figures", "sections"]
