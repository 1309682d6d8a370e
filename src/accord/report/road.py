"""The report's "The road to the deal": a scenario seen as one round of a longer timeline.

When the scenario `accord run` reports on is the base of a built-in timeline (almaty-2013 is
the April 2013 round of iran-2012-2015), the report gains a section with one figure — the
agreement zone and the gap over the rounds, each round's recorded outcome marked — and the
retrodiction's hit table. Other scenarios get no such section.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from accord.report.figures import Figure, _render
from accord.report.html import Section, Table
from accord.scenario import Scenario, scenario_digest
from accord.timeline import (
    RoundResult,
    TimelineResult,
    builtin_timeline_names,
    load_timeline,
    run_timeline,
)

OUTCOME_STYLE = {
    "no agreement": ("x", "#c0392b"),
    "interim deal": ("*", "#2e8b57"),
    "framework": ("P", "#17a2b8"),
    "final deal": ("*", "#1f5fa8"),
}


def timeline_for(s: Scenario) -> TimelineResult | None:
    """The evaluated built-in timeline whose base is scenario `s` (None if there is none)."""
    digest = scenario_digest(s)
    for name in builtin_timeline_names():
        loaded = load_timeline(name)
        if scenario_digest(loaded.base) == digest:
            return run_timeline(loaded, models=())
    return None


def road_figure(rounds: Sequence[RoundResult]) -> Figure:
    """Zone share and gaps over the rounds, outcomes marked (one figure, two panels)."""
    x = list(range(len(rounds)))
    labels = [
        "\n".join(textwrap.wrap(r.label, 13)[:3]) + f"\n{dt.date.fromisoformat(r.date):%b %Y}"
        for r in rounds
    ]
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(9.5, 6.0), sharex=True)
    zone = [0.0 if r.zone_empty else 100 * r.zone_share for r in rounds]
    top.bar(x, zone, color="#2e8b57", alpha=0.55, label="agreement zone (% of outcomes)")
    pad = max([*zone, 0.1]) * 0.08
    for i, r in enumerate(rounds):
        if r.kind == "event":
            for ax in (top, bottom):
                ax.axvline(i, color="#7f8c8d", ls="--", lw=1)
        elif r.outcome in OUTCOME_STYLE:
            marker, colour = OUTCOME_STYLE[r.outcome]
            top.scatter([i], [zone[i] + pad], marker=marker, s=90, color=colour, zorder=3)
            top.annotate(r.outcome, (i, zone[i] + 2 * pad), ha="center", fontsize=7, color=colour)
    top.set_ylabel("zone, % of outcomes")
    top.set_ylim(0, max([*zone, 0.1]) * 1.45)
    top.grid(alpha=0.25, axis="y")
    top.set_title("The agreement zone, round by round", fontsize=9, loc="left")
    offer = [r.offer_gap for r in rounds]
    short = [r.tabled_shortfall for r in rounds]
    _series(bottom, x, offer, "gap between the two sides' offers (0–1)", "#8e44ad", "o")
    _series(bottom, x, short, "shortfall of the closest tabled package (utility)", "#c0392b", "s")
    bottom.set_ylim(bottom=0)
    bottom.grid(alpha=0.25)
    bottom.legend(fontsize=7, loc="upper right")
    bottom.set_title("The gap", fontsize=9, loc="left")
    bottom.set_xticks(x, labels, fontsize=7)
    fig.tight_layout()
    return _render(
        fig,
        "road",
        "The road to the deal",
        "Top: the share of outcomes every seat prefers to no deal in each round; markers give "
        "the recorded outcome (x: no agreement; stars: interim and final deal; plus: "
        "framework); the dashed line is an event between rounds. Bottom: the distance between "
        "the packages the two sides tabled, and how far the closest tabled package fell short "
        "of acceptance by every seat (0: one was acceptable to all).",
    )


def _series(ax: plt.Axes, x: list[int], ys: list[float | None], label: str, c: str, m: str) -> None:
    pts = [(i, y) for i, y in zip(x, ys, strict=True) if y is not None]
    if pts:
        ax.plot(*zip(*pts, strict=True), marker=m, color=c, lw=1.5, label=label)


def _rounds_frame(rounds: Sequence[RoundResult]) -> pd.DataFrame:
    """One row per round: what happened, the zone, the gaps, no-deal utilities, breakout."""
    rows = []
    for r in rounds:
        row: dict[str, object] = {
            "round": r.label,
            "date": r.date,
            "recorded": r.outcome or r.kind,
            "zone (% of outcomes)": 100 * r.zone_share,
            "offer gap": np.nan if r.offer_gap is None else r.offer_gap,
            "shortfall of the closest package": (
                np.nan if r.tabled_shortfall is None else r.tabled_shortfall
            ),
        }
        row.update({f"no deal, {label}": r.no_deal[s] for s, label in r.seats.items()})
        row["breakout, no deal (months)"] = (
            np.nan if r.status_quo_breakout is None else r.status_quo_breakout
        )
        rows.append(row)
    return pd.DataFrame(rows)


def road_section(s: Scenario) -> Section | None:
    """The section for the report, or None when `s` is no built-in timeline's base."""
    result = timeline_for(s)
    if result is None:
        return None
    sec = Section("road", "The road to the deal")
    retro = result.retrodiction
    sec.paragraphs.append(
        f"This scenario is one round of the timeline “{result.title}” "
        f"({len(result.rounds)} steps; `accord timeline {result.name}`). Each round "
        "changes only what its sources record, and the clocks run between the rounds."
    )
    sec.figures.append(road_figure(result.rounds))
    sec.appendix.append(Table("The road to the deal, round by round", _rounds_frame(result.rounds)))
    rates = "; ".join(
        f"{how}: {retro.hits(rule)} of {len(retro.scores)}"
        for rule, how in (("seats", "by seats"), ("members", "by members (consensus)"))
    )
    sec.paragraphs.append(
        f"Retrodiction — did accord's verdict match what happened? Hits {rates}. A round "
        "without a deal is a hit when no tabled package is acceptable to all; a deal is a "
        "hit when the agreed package is acceptable to all (docs/iran-2012-2015.md)."
    )
    rows = [
        {
            "round": sc.label,
            "date": sc.date,
            "recorded": sc.outcome,
            "accord, by seats": sc.said_seats,
            "seats": "hit" if sc.hit_seats else "miss",
            "accord, by members": sc.said_members,
            "members": "hit" if sc.hit_members else "miss",
        }
        for sc in retro.scores
    ]
    sec.appendix.append(
        Table("The road to the deal: the retrodiction hit table", pd.DataFrame(rows))
    )
    return sec
