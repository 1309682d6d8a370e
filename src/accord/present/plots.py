"""``.plot()`` for notebooks: matplotlib figures of an analysis, a session and a forecast.

Each function returns the `matplotlib.figure.Figure` (drawn on `ax` when one is given), with
axes labelled, the no-deal point and the status quo marked. matplotlib is imported here only,
when a plot is asked for.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from accord.present.format import number

COLOURS = ("#1f5fa8", "#c0392b", "#2e8b57", "#8e44ad", "#d68910", "#17a2b8")


def _plt() -> Any:
    import matplotlib.pyplot as plt

    return plt


def _axes(ax: Any, size: tuple[float, float] = (6.0, 5.0)) -> tuple[Any, Any]:
    plt = _plt()
    if ax is not None:
        return ax.figure, ax
    fig, new = plt.subplots(figsize=size)
    return fig, new


def plot_analysis(a: Any, ax: Any = None) -> Any:
    """The bargaining space: Pareto frontier, no-deal point, bargaining solutions, proposals.

    Two parties: the frontier in their utilities. More parties: each solution's and proposal's
    utility per party, with the no-deal utilities as a dashed line.
    """
    fig, ax = _axes(ax)
    sols = {n.replace("_", "–"): p for n, p in a.solutions.items() if p is not None}
    if len(a.parties) == 2:
        f = a.frontier_utilities[np.argsort(a.frontier_utilities[:, 0])]
        ax.plot(f[:, 0], f[:, 1], color=COLOURS[0], lw=2, label="Pareto frontier")
        d = a.reservation
        ax.scatter([d[0]], [d[1]], marker="X", s=100, color="black", label="no deal", zorder=5)
        ax.axvline(d[0], color="#999", ls=":", lw=0.8)
        ax.axhline(d[1], color="#999", ls=":", lw=0.8)
        for j, (name, p) in enumerate(sols.items()):
            ax.scatter(
                *p.utilities, s=70, color=COLOURS[(j + 1) % 6], edgecolor="k", label=name, zorder=6
            )
        for p in a.proposals:
            ax.scatter(*p.utilities, s=50, facecolor="white", edgecolor=COLOURS[3], zorder=6)
            ax.annotate(
                p.label, p.utilities, xytext=(4, -9), textcoords="offset points", fontsize=7
            )
        ax.set_xlabel(f"utility of {a.party_labels[0]}")
        ax.set_ylabel(f"utility of {a.party_labels[1]}")
        ax.set_xlim(-0.02, 1.02)
        ax.set_ylim(-0.02, 1.02)
    else:
        x = np.arange(len(a.parties))
        named = {
            **{k: p.utilities for k, p in sols.items()},
            **{p.label: p.utilities for p in a.proposals},
        }
        width = 0.8 / max(len(named), 1)
        for j, (name, u) in enumerate(named.items()):
            ax.bar(x - 0.4 + width * (j + 0.5), u, width, label=name, color=COLOURS[j % 6])
        ax.hlines(a.reservation, x - 0.45, x + 0.45, color="black", ls="--", label="no deal")
        ax.set_xticks(x, a.party_labels, rotation=20, fontsize=8)
        ax.set_ylabel("utility")
        ax.set_ylim(0, 1.05)
    zone = "no agreement zone" if a.zone_empty else f"zone: {100 * a.zone_share:.1f} % of the grid"
    ax.set_title(f"{a.title}\n{zone} ({a.space_size:,} packages)", fontsize=9, loc="left")
    ax.legend(fontsize=7)
    ax.grid(alpha=0.25)
    return fig


def plot_session(ses: Any, ax: Any = None) -> Any:
    """Offers in the utility space of the first two seats (left) and each seat's utility of
    the offers over the rounds (right), with the no-deal utilities dashed."""
    plt = _plt()
    if ax is not None:
        fig, axes = ax.figure, [ax]
    else:
        fig, axes = plt.subplots(1, 2, figsize=(11, 4.6))
    steps = ses.steps
    if not steps:
        axes[0].text(0.5, 0.5, "no offers recorded (trace off)", ha="center")
        return fig
    u = np.array([s.utility for s in steps])
    rounds = np.array([s.round for s in steps])
    who = np.array([s.proposer for s in steps])
    if len(axes) == 2 and u.shape[1] >= 2:
        left = axes[0]
        for j, seat in enumerate(ses.ids):
            m = who == seat
            left.plot(
                u[m, 0],
                u[m, 1],
                "-o",
                ms=3,
                lw=0.8,
                color=COLOURS[j % 6],
                label=f"offers by {seat}",
            )
        left.scatter(*ses.reservation[:2], marker="X", s=90, color="black", label="no deal")
        if ses.agreement:
            left.scatter(
                *ses.utility[:2],
                marker="*",
                s=200,
                color=COLOURS[4],
                edgecolor="k",
                label="agreement",
            )
        left.set_xlabel(f"utility of {ses.ids[0]}")
        left.set_ylabel(f"utility of {ses.ids[1]}")
        left.set_xlim(-0.02, 1.02)
        left.set_ylim(-0.02, 1.02)
        left.legend(fontsize=7)
        left.grid(alpha=0.25)
    right = axes[-1]
    for j, seat in enumerate(ses.ids):
        right.plot(rounds, u[:, j], lw=1.2, color=COLOURS[j % 6], label=f"utility of {seat}")
        res = np.array([s.reservation[j] for s in steps])
        right.plot(rounds, res, ls="--", lw=0.9, color=COLOURS[j % 6], label=f"no deal of {seat}")
    right.set_xlabel("round")
    right.set_ylabel("utility of the offer on the table")
    right.set_ylim(0, 1.02)
    right.legend(fontsize=7)
    right.grid(alpha=0.25)
    end = f"agreement in round {ses.round}" if ses.agreement else f"no agreement ({ses.reason})"
    fig.suptitle(f"{ses.protocol} session: {end}", fontsize=10)
    fig.tight_layout()
    return fig


def plot_forecast(f: Any) -> Any:
    """The forecast per issue, by round for models with rounds: one small panel per issue,
    each actor's position as a faint line when the model records them; options issues on
    an axis of option labels."""
    plt = _plt()
    k = len(f.issue_ids)
    cols = min(3, k)
    rows = -(-k // cols)
    fig, axes = plt.subplots(rows, cols, figsize=(3.6 * cols, 2.7 * rows), squeeze=False)
    traj = f.trajectory if f.trajectory is not None else np.asarray(f.point)[None, :]
    for i in range(rows * cols):
        ax_i = axes[i // cols, i % cols]
        if i >= k:
            ax_i.axis("off")
            continue
        if f.positions is not None:
            for a in range(f.positions.shape[1]):
                ax_i.plot(f.positions[:, a, i], color="#bbbbbb", lw=0.7)
        ax_i.plot(traj[:, i], "-o", ms=3, color=COLOURS[0], label="forecast")
        title = f.issue_labels[i] if i < len(f.issue_labels) else f.issue_ids[i]
        ax_i.set_title(title, fontsize=8, loc="left")
        ax_i.set_xlabel("round", fontsize=7)
        opts = f.options[i] if i < len(f.options) else None
        if opts:
            ax_i.set_yticks(range(len(opts)), opts, fontsize=6)
        else:
            ax_i.tick_params(labelsize=7)
            ax_i.yaxis.set_major_formatter(lambda v, _: number(v))
        ax_i.grid(alpha=0.25)
    fig.suptitle(f"Forecast of {f.model} ({f.stop})", fontsize=10)
    fig.tight_layout()
    return fig


def plot_of(obj: Any, ax: Any = None) -> Any:
    """The figure of an analysis, a session or a forecast (what ``.plot()`` returns)."""
    name = type(obj).__name__
    if name == "Analysis":
        return plot_analysis(obj, ax)
    if name == "Session":
        return plot_session(obj, ax)
    if hasattr(obj, "point") and hasattr(obj, "model"):
        return plot_forecast(obj)
    raise TypeError(f"no plot for {name}")
