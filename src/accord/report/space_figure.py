"""The bargaining-space figure: the utilities of two seats over every package on the grid,
the Pareto frontier, no deal, the agreement zone, the bargaining solutions, the proposals
tabled (numbered, with a key) and a simulated session's offers.

Split from `accord.report.figures` (the same `Figure` records, the same palette); nothing
here computes a result.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
from numpy.typing import NDArray

from accord.report.figures import MARKERS, PALETTE, Figure, Vec, _render


@dataclass(frozen=True, eq=False)
class TwoSeatSpace:
    """The utility space of two seats as the frontier figure shows it: the seats' labels, a
    cloud of packages (N, 2), the Pareto frontier (F, 2) and the no-deal point. `zone` marks
    the cloud's packages every seat accepts by its rule (red lines, consensus); without it, the
    packages at least at the no-deal point. `breaks` marks packages that break a seated party's
    red line (outside the frontier's domain), drawn apart."""

    labels: tuple[str, str]
    cloud: NDArray[np.float64]
    frontier: NDArray[np.float64]
    no_deal: Vec
    zone: NDArray[np.bool_] | None = None
    breaks: NDArray[np.bool_] | None = None


def frontier_plot(
    space: TwoSeatSpace,
    points: Mapping[str, Vec],
    proposals: Mapping[str, Vec] | None = None,
    path: Sequence[tuple[int, Vec]] | None = None,
    outcome: Vec | None = None,
) -> Figure:
    """The utility space of two seats: outcomes, Pareto frontier, no-deal point, agreement zone
    (shaded), bargaining solutions (`points`), named `proposals`, and a simulated session's
    offers (`path`: proposer index and utilities) and agreement (`outcome`)."""
    fig, ax = plt.subplots(figsize=(7.2, 6.2))
    _draw_space(ax, space)
    key = _draw_points(ax, points, proposals or {})
    if path:
        _draw_offers(ax, path, space.labels)
    if outcome is not None:
        ax.scatter(
            [outcome[0]],
            [outcome[1]],
            marker="*",
            s=220,
            color="#d68910",
            edgecolor="black",
            zorder=7,
            label="simulated agreement",
        )
    ax.set_xlabel(f"utility of {space.labels[0]}")
    ax.set_ylabel(f"utility of {space.labels[1]}")
    ax.set_xlim(-0.02, 1.02)
    ax.set_ylim(-0.02, 1.02)
    ax.legend(fontsize=7, loc="lower left", frameon=True)
    if key:
        fig.legend(
            handles=key, loc="upper left", bbox_to_anchor=(0.08, 0.0), fontsize=7,
            frameon=False, title="Tabled packages", title_fontsize=7, alignment="left",
        )  # fmt: skip
    ax.grid(alpha=0.25)
    return _render(
        fig,
        "frontier",
        "The bargaining space",
        "Every package on the grid in the utilities of the two seats. Blue: the "
        "Pareto frontier. Black cross: no deal (the reservation values). Green: "
        "packages both sides prefer to no deal. Numbered open circles: packages tabled "
        "or agreed in reality (key below the plot). Lines: a simulated session's offers; "
        "an offer the other seat's red lines or decision rule veto is worth 0 to it, so it "
        "sits on an axis.",
    )


def _draw_space(ax: Any, space: TwoSeatSpace) -> None:
    """The cloud of packages, those breaking a red line, the frontier, the zone and no deal."""
    cloud, breaks = space.cloud, space.breaks
    ax.scatter(
        cloud[:, 0],
        cloud[:, 1],
        s=3,
        color="#c8d3df",
        alpha=0.6,
        rasterized=True,
        label="possible packages",
    )
    if breaks is not None and breaks.any():
        ax.scatter(
            cloud[breaks, 0],
            cloud[breaks, 1],
            s=3,
            color="#e8a49c",
            alpha=0.6,
            rasterized=True,
            label="breaks a red line",
        )
    f = space.frontier[np.argsort(space.frontier[:, 0])]
    ax.plot(f[:, 0], f[:, 1], color="#1f5fa8", lw=2, label="Pareto frontier")
    d0, d1 = space.no_deal
    ax.axvline(d0, color="#999999", lw=0.8, ls=":")
    ax.axhline(d1, color="#999999", lw=0.8, ls=":")
    ax.fill_between([d0, 1.02], d1, 1.02, color="#2e8b57", alpha=0.08, zorder=0)
    in_zone = (cloud[:, 0] >= d0) & (cloud[:, 1] >= d1) if space.zone is None else space.zone
    if in_zone.any():
        ax.scatter(
            cloud[in_zone, 0],
            cloud[in_zone, 1],
            s=4,
            color="#2e8b57",
            alpha=0.7,
            label="agreement zone",
            rasterized=True,
        )
    else:
        ax.text(
            d0 + 0.01,
            min(d1 + 0.02, 0.98),
            "no package here:\nthe zone is empty",
            fontsize=8,
            color="#2e8b57",
            va="bottom",
        )
    ax.scatter([d0], [d1], marker="X", s=120, color="black", zorder=5, label="no deal")


def _draw_points(ax: Any, points: Mapping[str, Vec], proposals: Mapping[str, Vec]) -> list[Any]:
    """The bargaining solutions (in the legend) and the proposals, numbered on the plot; returns
    the key to the numbers (proposals tabled together sit close, and names would overlap)."""
    for j, (name, p) in enumerate(points.items()):
        ax.scatter(
            [p[0]],
            [p[1]],
            marker=MARKERS[j % len(MARKERS)],
            s=90,
            zorder=6,
            color=PALETTE[(j + 2) % len(PALETTE)],
            edgecolor="black",
            label=name,
        )
    key = []
    at = np.array([tuple(p) for p in proposals.values()], dtype=float).reshape(-1, 2)
    for k, (name, p) in enumerate(proposals.items(), 1):
        ax.scatter(
            [p[0]],
            [p[1]],
            marker="o",
            s=60,
            facecolor="white",
            edgecolor="#8e44ad",
            linewidth=1.5,
            zorder=6,
        )
        ax.annotate(
            str(k),
            (p[0], p[1]),
            xytext=_away(at, k - 1),
            textcoords="offset points",
            ha="center",
            va="center",
            fontsize=8,
            fontweight="bold",
            color="#8e44ad",
            zorder=7,
        )
        key.append(
            plt.Line2D([], [], marker="o", ls="", mfc="white", mec="#8e44ad", label=f"{k}  {name}")
        )
    return key


def _away(at: NDArray[np.float64], i: int, r: float = 9.0) -> tuple[float, float]:
    """Offset (points) for the number of point `i`: away from its nearest neighbour in `at`,
    up and to the right when it stands alone."""
    d = at - at[i]
    dist = np.hypot(d[:, 0], d[:, 1])
    dist[i] = np.inf
    j = int(np.argmin(dist))
    if not np.isfinite(dist[j]) or dist[j] > 0.08:
        return (r * 0.7, r * 0.7)
    v = -d[j] / max(dist[j], 1e-12)
    return (float(r * v[0]), float(r * v[1]))


def _draw_offers(ax: Any, path: Sequence[tuple[int, Vec]], labels: tuple[str, str]) -> None:
    """Each proposer's offers of a simulated session, as one line per proposer."""
    for who in sorted({w for w, _ in path}):
        pts = np.array([u for w, u in path if w == who])
        ax.plot(
            pts[:, 0],
            pts[:, 1],
            "-o",
            ms=3,
            lw=0.8,
            alpha=0.8,
            color=PALETTE[(who + 4) % len(PALETTE)],
            label=f"offers by {labels[who] if who < 2 else who}",
        )
