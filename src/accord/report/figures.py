"""The report's figures, drawn with matplotlib (Agg) and returned as PNG bytes.

Each function takes plain arrays or result records and returns a `Figure` record (title,
caption, PNG bytes); nothing here computes a result. PNG at a modest resolution keeps the
offline report small (every figure is embedded as a data URI) and prints well.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import matplotlib.ticker
import numpy as np
from matplotlib.figure import Figure as MplFigure
from numpy.typing import NDArray

from accord.scenario import Compiled, Issue, Scenario

DPI = 110
Vec = Sequence[float] | NDArray[np.float64]
PALETTE = (
    "#1f5fa8",
    "#c0392b",
    "#2e8b57",
    "#8e44ad",
    "#d68910",
    "#17a2b8",
    "#7f8c8d",
    "#b03a2e",
    "#1abc9c",
    "#34495e",
)
MARKERS = ("D", "s", "^", "v", "P", "X", "*", "h")


@dataclass(frozen=True)
class Figure:
    """A rendered figure: an id for anchors, its title, a caption, PNG and SVG bytes (the run
    directory keeps both, so a figure can be taken into a paper or a slide)."""

    id: str
    title: str
    caption: str
    png: bytes
    svg: bytes = b""


def _render(fig: MplFigure, fid: str, title: str, caption: str) -> Figure:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI, bbox_inches="tight", metadata={"Software": None})
    svg = io.BytesIO()
    with plt.rc_context({"svg.hashsalt": fid}):
        fig.savefig(
            svg, format="svg", bbox_inches="tight", metadata={"Date": None, "Creator": None}
        )
    plt.close(fig)
    return Figure(fid, title, caption, buf.getvalue(), svg.getvalue())


def render(fig: MplFigure, fid: str, title: str, caption: str) -> Figure:
    """A matplotlib figure drawn elsewhere (e.g. `accord.present.plots`) as a report figure."""
    return _render(fig, fid, title, caption)


def party_colours(s: Scenario, c: Compiled) -> dict[str, str]:
    """A colour per seat; every actor takes its seat's colour, the unseated are grey."""
    colours: dict[str, str] = {}
    for j, seat in enumerate(c.seats.ids):
        colours[seat] = PALETTE[j % len(PALETTE)]
        for row in c.seat_members[j]:
            colours[c.actors.ids[row]] = colours[seat]
    for a in c.actors.ids:
        colours.setdefault(a, "#9e9e9e")
    return colours


def issue_maps(
    s: Scenario,
    c: Compiled,
    forecasts: Mapping[str, Vec] | None = None,
    intervals: Mapping[str, tuple[Vec, Vec]] | None = None,
) -> Figure:
    """One row per issue: actors on the issue's scale (size ∝ capability, colour by seat),
    the status quo, and each model's forecast (with its interval where given)."""
    forecasts = forecasts or {}
    intervals = intervals or {}
    colours = party_colours(s, c)
    k = c.k
    height = 1.3 + 0.16 * len(forecasts)
    cols = 2 if k > 3 else 1
    rows = -(-k // cols)
    fig, grid_axes = plt.subplots(
        rows, cols, figsize=(9 * cols / 1.4, height * rows + 0.9), squeeze=False
    )
    for extra in grid_axes.ravel()[k:]:
        extra.axis("off")
    for i, ax in enumerate(grid_axes.ravel()[:k]):
        ax.axhline(0, color="#bbbbbb", lw=1, zorder=0)
        _draw_actors(ax, c, i, colours)
        sq = c.to_units(c.status_quo)[i]
        ax.axvline(sq, color="black", ls="--", lw=1.2, zorder=2)
        ax.text(sq, 1.05, "status quo", fontsize=7, ha="center", va="bottom")
        _draw_forecasts(ax, i, forecasts, intervals)
        _issue_axis(ax, s.issues[i], c.lo[i], c.hi[i], len(forecasts))
    _seat_legend(fig, c, forecasts)
    return _render(
        fig,
        "issue-maps",
        "Where everyone stands",
        "Each actor on each issue's scale (size ∝ capability, colour by seat at the "
        "table; faded: no stake). Dashed: the status quo. Black markers: the "
        "forecasts, with their Monte-Carlo intervals.",
    )


def _draw_actors(ax: Any, c: Compiled, i: int, colours: Mapping[str, str]) -> None:
    """The actors on issue `i`: sized by capability, faded without a stake, stacked where they
    coincide, the strongest labelled where labels would not overlap."""
    lo, hi = c.lo[i], c.hi[i]
    cap = c.actors.capability
    size = 40 + 360 * cap / cap.max() if cap.max() > 0 else np.full(len(cap), 100.0)
    xs = c.to_units(c.actors.position)[:, i]
    jitter = _stack_offsets(xs, (hi - lo) / 60)
    for a in range(c.actors.n):
        alpha = 0.35 if c.actors.salience[a, i] == 0 else 0.85
        ax.scatter(
            xs[a],
            jitter[a],
            s=size[a],
            color=colours[c.actors.ids[a]],
            alpha=alpha,
            edgecolor="white",
            linewidth=0.8,
            zorder=3,
        )
    labelled: list[float] = []
    for a in np.argsort(-cap, kind="stable"):
        if all(abs(xs[a] - x) > (hi - lo) / 25 for x in labelled):
            labelled.append(xs[a])
            ax.annotate(
                c.actors.ids[a],
                (xs[a], jitter[a]),
                xytext=(6, 6),
                textcoords="offset points",
                ha="left",
                fontsize=7,
                color="#333333",
            )


def _draw_forecasts(
    ax: Any, i: int, forecasts: Mapping[str, Vec], intervals: Mapping[str, tuple[Vec, Vec]]
) -> None:
    """Each model's forecast of issue `i` on a row of its own below the actors, with its
    interval where given; the first panel names them for the legend."""
    for j, (name, point) in enumerate(forecasts.items()):
        y = -0.4 - 0.22 * j
        m = MARKERS[j % len(MARKERS)]
        ax.scatter(
            point[i],
            y,
            marker=m,
            s=46,
            color="#222222",
            zorder=4,
            label=name if i == 0 else None,
        )
        if name in intervals:
            lo_i, hi_i = intervals[name][0][i], intervals[name][1][i]
            ax.plot([lo_i, hi_i], [y, y], color="#222222", lw=1.2, zorder=4)


def _issue_axis(ax: Any, issue: Issue, lo: float, hi: float, n_forecasts: int) -> None:
    """The issue's scale (its option labels for an options issue) and its title with unit."""
    pad = (hi - lo) * 0.04
    ax.set_xlim(lo - pad, hi + pad)
    ax.set_ylim(-0.55 - 0.22 * max(n_forecasts, 1), 1.3)
    ax.set_yticks([])
    for side in ("left", "right", "top"):
        ax.spines[side].set_visible(False)
    if issue.options:
        ax.set_xticks(range(len(issue.options)))
        ax.set_xticklabels([_wrap(o) for o in issue.options], fontsize=7)
    else:
        ax.tick_params(axis="x", labelsize=7)
    unit = f" ({issue.unit})" if issue.unit else ""
    ax.set_title(issue.label + unit, fontsize=9, loc="left")


def _seat_legend(fig: MplFigure, c: Compiled, forecasts: Mapping[str, Vec]) -> None:
    """One legend below the panels: the seats' colours, the unseated, the models' markers."""
    handles = [
        plt.Line2D([], [], marker="o", ls="", color=PALETTE[j % len(PALETTE)], label=seat)
        for j, seat in enumerate(c.seats.labels)
    ]
    handles.append(plt.Line2D([], [], marker="o", ls="", color="#9e9e9e", label="not seated"))
    for j, name in enumerate(forecasts):
        handles.append(
            plt.Line2D([], [], marker=MARKERS[j % len(MARKERS)], ls="", color="#222222", label=name)
        )
    fig.legend(
        handles=handles,
        loc="lower center",
        ncol=min(6, len(handles)),
        fontsize=7,
        frameon=False,
        bbox_to_anchor=(0.5, 0.0),
    )
    legend_rows = -(-len(handles) // min(6, len(handles)))
    bottom = (0.25 + 0.2 * legend_rows) / fig.get_figheight()
    fig.tight_layout(rect=(0, min(bottom, 0.4), 1, 1))


def _wrap(text: str, width: int = 14) -> str:
    words, lines, line = text.split(), [], ""
    for w in words:
        if line and len(line) + len(w) + 1 > width:
            lines.append(line)
            line = w
        else:
            line = f"{line} {w}".strip()
    lines.append(line)
    return "\n".join(lines)


def _stack_offsets(xs: NDArray[np.float64], tol: float) -> NDArray[np.float64]:
    """Vertical offsets so that actors at the same place are stacked, not hidden."""
    out = np.zeros(len(xs))
    order = np.argsort(xs, kind="stable")
    level: list[float] = []
    for a in order:
        n_same = sum(1 for x in level if abs(x - xs[a]) <= tol)
        out[a] = 0.12 * n_same
        level.append(xs[a])
    return out


def _option_axis(ax: Any, options: Sequence[str] | None, axis: str) -> None:
    if options:
        width = 12 if axis == "y" else 8
        ticks, labels = list(range(len(options))), [_wrap(o, width) for o in options]
        if axis == "y":
            ax.set_yticks(ticks, labels, fontsize=6)
        else:
            ax.set_xticks(ticks, labels, fontsize=6)


def _issue_panels(
    issue_labels: Sequence[str], units: Sequence[str] | None, height: float
) -> tuple[MplFigure, list[tuple[int, Any]]]:
    """A grid of small panels, one per issue (titled with its unit), spare cells hidden."""
    k = len(issue_labels)
    cols = min(3, k)
    rows = -(-k // cols)
    fig, axes = plt.subplots(rows, cols, figsize=(3.3 * cols, height * rows), squeeze=False)
    panels = []
    for i in range(rows * cols):
        ax = axes[i // cols, i % cols]
        if i >= k:
            ax.axis("off")
            continue
        unit = f" ({units[i]})" if units and units[i] else ""
        ax.set_title(issue_labels[i] + unit, fontsize=8, loc="left")
        ax.tick_params(labelsize=7)
        panels.append((i, ax))
    return fig, panels


def trajectories(
    issue_labels: Sequence[str],
    series: Mapping[str, NDArray[np.float64]],
    units: Sequence[str] | None = None,
    options: Sequence[Sequence[str] | None] | None = None,
    status_quo: Vec | None = None,
) -> Figure:
    """Forecast by round for each model that has rounds, one panel per issue; the status quo
    dashed."""
    fig, panels = _issue_panels(issue_labels, units, 2.5)
    for i, ax in panels:
        if status_quo is not None:
            ax.axhline(status_quo[i], color="black", ls="--", lw=1, label="status quo")
        for j, (name, traj) in enumerate(series.items()):
            ax.plot(
                np.arange(len(traj)),
                traj[:, i],
                marker=MARKERS[j % len(MARKERS)],
                ms=3,
                lw=1.2,
                color=PALETTE[j % len(PALETTE)],
                label=name,
            )
        ax.set_xlabel("round", fontsize=7)
        _option_axis(ax, options[i] if options else None, "y")
        ax.grid(alpha=0.25)
    panels[0][1].legend(fontsize=7)
    fig.tight_layout()
    return _render(
        fig,
        "trajectories",
        "Forecasts round by round",
        "How each model with rounds moves the expected outcome of every issue "
        "(dashed: the status quo).",
    )


def clock_chart(
    months: NDArray[np.float64],
    no_deal: Mapping[str, NDArray[np.float64]],
    breakout: NDArray[np.float64] | None,
    zone_open: NDArray[np.bool_] | None,
    time_unit: str = "month",
) -> Figure:
    """Each seat's no-deal utility over time and, where known, breakout months over time."""
    panels = 2 if breakout is not None else 1
    fig, axes = plt.subplots(1, panels, figsize=(5.2 * panels, 3.6), squeeze=False)
    ax = axes[0, 0]
    for j, (name, u) in enumerate(no_deal.items()):
        ax.plot(months, u, lw=2, color=PALETTE[j % len(PALETTE)], label=name)
    if zone_open is not None and zone_open.any():
        ax.fill_between(
            months,
            0,
            1,
            where=zone_open,
            color="#2e8b57",
            alpha=0.1,
            step="mid",
            label="agreement zone open",
        )
    ax.set_xlabel(f"{time_unit}s from the scenario date")
    ax.set_ylabel("utility of no deal")
    ax.set_ylim(0, 1)
    ax.legend(fontsize=7)
    ax.grid(alpha=0.25)
    ax.set_title("Who gains from delay", fontsize=9, loc="left")
    if breakout is not None:
        bx = axes[0, 1]
        bx.plot(months, breakout, lw=2, color="#c0392b")
        bx.set_xlabel(f"{time_unit}s from the scenario date")
        bx.set_ylabel("breakout time of no deal (months)")
        bx.set_ylim(bottom=0)
        bx.grid(alpha=0.25)
        bx.set_title("The enrichment clock", fontsize=9, loc="left")
    fig.tight_layout()
    return _render(
        fig,
        "clock",
        "What time does to the talks",
        "Left: each seat's utility of no deal as the clocks run (drift of the status "
        "quo, costs of waiting). Right: the breakout time the no-deal path implies.",
    )


def distributions(
    issue_labels: Sequence[str],
    draws: Mapping[str, NDArray[np.float64]],
    units: Sequence[str] | None = None,
    options: Sequence[Sequence[str] | None] | None = None,
    caption: str | None = None,
    status_quo: Vec | None = None,
) -> Figure:
    """Monte-Carlo distributions of each model's forecast, one panel per issue: histograms
    (share of draws on the y-axis) for continuous issues, the share of draws per option for
    options issues (a mean of option indices would mean nothing)."""
    fig, panels = _issue_panels(issue_labels, units, 2.4)
    n_models = max(len(draws), 1)
    for i, ax in panels:
        opts = options[i] if options else None
        if opts:
            width = 0.8 / n_models
            for j, (name, d) in enumerate(draws.items()):
                idx = np.clip(np.rint(d[:, i]), 0, len(opts) - 1).astype(int)
                share = np.bincount(idx, minlength=len(opts)) / max(len(idx), 1)
                xs = np.arange(len(opts)) - 0.4 + width * (j + 0.5)
                ax.bar(xs, share, width=width, color=PALETTE[j % len(PALETTE)], label=name)
        else:
            values = np.concatenate([d[:, i] for d in draws.values()])
            lo, hi = float(values.min()), float(values.max())
            pad = max(hi - lo, 1e-9 + abs(hi) * 0.02) * 0.1
            bins = np.linspace(lo - pad, hi + pad, 31)
            for j, (name, d) in enumerate(draws.items()):
                w = np.full(len(d), 1.0 / max(len(d), 1))
                ax.hist(
                    d[:, i],
                    bins=bins,
                    weights=w,
                    alpha=0.5,
                    color=PALETTE[j % len(PALETTE)],
                    label=name,
                )
        if status_quo is not None:
            ax.axvline(status_quo[i], color="black", ls="--", lw=1, label="status quo")
        ax.set_ylabel("share of draws", fontsize=7)
        ax.set_ylim(0, None)
        ax.yaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0, decimals=0))
        _option_axis(ax, opts, "x")
    panels[0][1].legend(fontsize=7)
    fig.tight_layout()
    return _render(
        fig,
        "montecarlo",
        "How sure are we",
        caption
        or "Forecasts over Monte-Carlo draws of every uncertain input the scenario declares.",
    )
