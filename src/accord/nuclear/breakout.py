"""Breakout time: how many months a programme needs to make one weapon's worth of 90 % uranium.

A programme state holds stocks (kg U at each assay) and centrifuges by type (installed and
operating, SWU/yr per machine). For each feed path the separative work is summed step by step
with `accord.nuclear.enrichment` and divided by the enrichment capacity; an explicit allowance
for reconfiguring cascades is added. The method follows the ISIS breakout estimates (Albright &
Walrond, *Iranian breakout estimates, updated September 2013*, isis-online.org) reduced to ideal
cascades: time = Σ SWU ÷ capacity (+ reconfiguration).

Paths reported:

- one per feed level — ``natural`` (unlimited unless ``natural_kg_u`` is set) and each stock
  level — a single step from that feed to the product; a stock too small at the requested tails
  has its tails raised (feed-limited, `enrichment.step_from_stock`), and a stock without enough
  U-235 makes the path infeasible;
- ``all stocks``: the multi-step chain natural → each stock level in ascending assay → 90 %.
  Working back from the product, each step either uses only the stock at its feed level (with
  the tails that stock needs) or has its shortfall made in the step below, down to natural
  uranium, whichever takes less separative work. This is the "use every stock" breakout of the
  ISIS estimates.

Decisions where the brief is silent:

- Targets: ``isis`` = 25 kg of 90 % uranium (22.5 kg U-235, the ISIS convention) or ``sq`` =
  one IAEA significant quantity, 25 kg U-235 (27.78 kg U at 90 %).
- Default tails by feed: 0.3 % from natural, 0.4 % from LEU (< 10 %), 0.5 % from ≥ 10 % feed —
  the conventions of the fact sheet's worked cases (§4). One ``tails`` value overrides all.
- Capacity counts operating machines (``basis="installed"`` counts every installed machine, the
  ISIS worst case for a state that would first bring idle machines on line).
- Reconfiguration allowance: ``reconfigure_months`` (default 0.5) is added once for every step of
  a path — cascades re-piped to a new feed and product assay. Naive breakout (fact sheet §4)
  runs shorter than every published estimate: ISIS's 1.0–1.6 months (Oct 2013) against a naive
  0.4–0.7 months for the 20 % step implies 0.5–1 month of overhead; the official JCPOA "≥ 12
  months" against a naive 9.2 implies ~1.4 months a step on its two-step path (which also
  reinstalls stored machines). 0.5 a step is the low end: breakout estimates err short.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Literal

import pandas as pd

from accord.errors import InputError, Problem
from accord.nuclear.enrichment import NATURAL, WEAPON_GRADE, Step, step, step_from_stock
from accord.results import jsonable

Target = Literal["isis", "sq"]
Basis = Literal["operating", "installed"]

MACHINE_SWU: dict[str, float] = {"IR-1": 0.75, "IR-2m": 4.0}
"""Default output per machine (SWU/yr): IR-1 0.7–1.0 (ISIS 2011 data ⇒ 0.70–0.76), IR-2m 3–5
("3 to 5 times faster", DW 2013; IranWire used 4). Fact sheet §4."""

TARGET_KG_U: dict[str, float] = {"isis": 25.0, "sq": 25.0 / WEAPON_GRADE}
TARGET_LABEL = {"isis": "25 kg of 90 % uranium", "sq": "25 kg U-235 (IAEA significant quantity)"}
RECONFIGURE_MONTHS = 0.5


def default_tails(xf: float) -> float:
    """Tails assay by feed assay: 0.3 % from natural, 0.4 % from LEU, 0.5 % from ≥ 10 % feed."""
    if xf < 0.01:
        return 0.003
    if xf < 0.10:
        return 0.004
    return 0.005


@dataclass(frozen=True)
class Machine:
    """Centrifuges of one type: how many are installed and operating, and SWU/yr each."""

    type: str
    installed: int
    operating: int
    swu_per_year: float
    source: str | None = None

    def capacity(self, basis: Basis = "operating") -> float:
        """SWU/yr of these machines."""
        n = self.operating if basis == "operating" else self.installed
        return n * self.swu_per_year


@dataclass(frozen=True)
class Stock:
    """Uranium at one assay, in kg U (UF6 is converted on input)."""

    assay: float
    kg_u: float
    source: str | None = None


@dataclass(frozen=True)
class ProgrammeState:
    """An enrichment programme at one moment: stocks, machines, and where the numbers came from."""

    name: str
    stocks: tuple[Stock, ...] = ()
    machines: tuple[Machine, ...] = ()
    label: str = ""
    date: str | None = None
    natural_kg_u: float | None = None
    notes: tuple[str, ...] = ()

    def capacity(self, basis: Basis = "operating") -> float:
        """Enrichment capacity in SWU/yr."""
        return sum(m.capacity(basis) for m in self.machines)

    def stock_at(self, assay: float) -> float:
        """kg U held at ``assay`` (summed over entries at the same assay)."""
        return sum(s.kg_u for s in self.stocks if abs(s.assay - assay) < 1e-9)

    def with_stock(self, assay: float, kg_u: float) -> ProgrammeState:
        """The same state with the stock at ``assay`` set to ``kg_u`` kg U."""
        kept = tuple(s for s in self.stocks if abs(s.assay - assay) >= 1e-9)
        new = (*kept, Stock(assay, kg_u)) if kg_u > 0 else kept
        return replace(self, stocks=tuple(sorted(new, key=lambda s: s.assay)))

    def with_capacity(self, swu_per_year: float) -> ProgrammeState:
        """The same stocks with one notional machine group giving ``swu_per_year`` SWU/yr."""
        m = Machine("aggregate", 1, 1, float(swu_per_year))
        return replace(self, machines=(m,))

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready record (stocks in kg U)."""
        return jsonable(
            {
                "name": self.name,
                "label": self.label,
                "date": self.date,
                "stocks": [{"assay": s.assay, "kg_u": s.kg_u} for s in self.stocks],
                "machines": [
                    {
                        "type": m.type,
                        "installed": m.installed,
                        "operating": m.operating,
                        "swu_per_year": m.swu_per_year,
                    }
                    for m in self.machines
                ],
                "capacity_swu_per_year": self.capacity(),
                "natural_kg_u": self.natural_kg_u,
            }
        )


@dataclass(frozen=True)
class BreakoutPath:
    """One way to the target: its steps, total SWU, stock used and time."""

    name: str
    feasible: bool
    steps: tuple[Step, ...] = ()
    months: float | None = None
    naive_months: float | None = None
    note: str = ""

    @property
    def swu(self) -> float:
        """Total separative work of the path (kg-SWU)."""
        return sum(s.swu for s in self.steps)

    @property
    def feed_kg_u(self) -> float:
        """Feed of the first step (kg U at the path's lowest assay)."""
        return self.steps[0].feed if self.steps else 0.0

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready record."""
        return jsonable(
            {
                "path": self.name,
                "feasible": self.feasible,
                "months": self.months,
                "naive_months": self.naive_months,
                "swu": self.swu if self.steps else None,
                "note": self.note,
                "steps": [s.to_dict() for s in self.steps],
            }
        )


@dataclass(frozen=True)
class Breakout:
    """Breakout of one programme state: every feed path, the fastest, and the assumptions."""

    state: str
    target: str
    product_kg_u: float
    capacity_swu_per_year: float
    reconfigure_months: float
    basis: str
    paths: tuple[BreakoutPath, ...] = field(default_factory=tuple)

    @property
    def fastest(self) -> BreakoutPath | None:
        """The feasible path with the fewest months (None if none is feasible)."""
        ok = [p for p in self.paths if p.feasible and p.months is not None]
        return min(ok, key=lambda p: p.months or 0.0) if ok else None

    @property
    def months(self) -> float | None:
        """Breakout months of the fastest path."""
        f = self.fastest
        return None if f is None else f.months

    def path(self, name: str) -> BreakoutPath:
        """The path called ``name``."""
        for p in self.paths:
            if p.name == name:
                return p
        raise KeyError(name)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready record."""
        f = self.fastest
        return jsonable(
            {
                "state": self.state,
                "target": self.target,
                "target_label": TARGET_LABEL.get(self.target, self.target),
                "product_kg_u": self.product_kg_u,
                "capacity_swu_per_year": self.capacity_swu_per_year,
                "basis": self.basis,
                "reconfigure_months": self.reconfigure_months,
                "months": self.months,
                "fastest_path": None if f is None else f.name,
                "paths": [p.to_dict() for p in self.paths],
            }
        )

    def to_frame(self) -> pd.DataFrame:
        """One row per step of every path (an infeasible path has one row without a step)."""
        rows: list[dict[str, Any]] = []
        for p in self.paths:
            base = {
                "path": p.name,
                "feasible": p.feasible,
                "path_months": p.months,
                "path_swu": p.swu if p.steps else None,
            }
            if not p.steps:
                rows.append({**base, "step": None})
            for k, s in enumerate(p.steps):
                rows.append({**base, "step": k + 1, **s.to_dict()})
        return pd.DataFrame(rows)


def assay_label(x: float) -> str:
    """``0.035`` → ``"3.5 %"``; natural uranium → ``"natural"``."""
    if abs(x - NATURAL) < 1e-9:
        return "natural"
    return f"{x * 100:.4g} %"


def breakout(
    state: ProgrammeState,
    *,
    target: Target = "isis",
    product_assay: float = WEAPON_GRADE,
    tails: float | None = None,
    reconfigure_months: float = RECONFIGURE_MONTHS,
    basis: Basis = "operating",
    capacity: float | None = None,
) -> Breakout:
    """Breakout months of ``state`` along every feed path (see the module docstring).

    ``tails`` overrides the per-feed default tails; ``capacity`` (SWU/yr) overrides the
    machines; ``reconfigure_months`` is added once per step (0 gives the naive breakout).
    """
    if target not in TARGET_KG_U:
        raise InputError(Problem("expected a target of 'isis' or 'sq'", ("target",), target))
    if reconfigure_months < 0:
        raise InputError(Problem("must be ≥ 0", ("reconfigure_months",), reconfigure_months))
    cap = state.capacity(basis) if capacity is None else float(capacity)
    if not cap >= 0:
        raise InputError(Problem("capacity must be ≥ 0 SWU/yr", ("capacity",), cap))
    product = TARGET_KG_U[target] * (WEAPON_GRADE / product_assay if target == "sq" else 1.0)
    have = sum(s.kg_u for s in state.stocks if s.assay >= product_assay - 1e-12)
    need = max(product - have, 0.0)
    levels = sorted({s.assay for s in state.stocks if NATURAL < s.assay < product_assay})
    tail = (lambda xf: tails) if tails is not None else default_tails

    paths: list[BreakoutPath] = []
    for xf in [NATURAL, *levels]:
        stock = state.natural_kg_u if xf == NATURAL else state.stock_at(xf)
        name = f"from {assay_label(xf)}"
        if need == 0:
            paths.append(_timed(name, (), cap, reconfigure_months, "the stock is already product"))
            continue
        t = tail(xf)
        s = (
            step(need, product_assay, xf, t)
            if stock is None
            else step_from_stock(need, product_assay, xf, t, stock)
        )
        if s is None:
            paths.append(
                BreakoutPath(
                    name,
                    False,
                    note=f"feed-limited: {stock:.1f} kg U at {assay_label(xf)} holds "
                    "too little U-235",
                )
            )
            continue
        note = f"feed-limited: tails raised to {s.xt * 100:.2f} %" if s.feed_limited else ""
        paths.append(_timed(name, (s,), cap, reconfigure_months, note))
    if levels:
        paths.append(_all_stocks(state, need, product_assay, levels, tail, cap, reconfigure_months))
    return Breakout(state.name, target, product, cap, reconfigure_months, basis, tuple(paths))


def _all_stocks(
    state: ProgrammeState,
    need: float,
    xp: float,
    levels: list[float],
    tail: Any,
    cap: float,
    reconfigure_months: float,
) -> BreakoutPath:
    steps = _cheapest_chain(state, need, xp, [NATURAL, *levels], tail)
    if steps is None:
        return BreakoutPath("all stocks", False, note="feed-limited: not enough natural uranium")
    limited = [s for s in steps if s.feed_limited]
    note = f"feed-limited: tails changed to {limited[0].xt * 100:.2f} %" if limited else ""
    return _timed("all stocks", tuple(steps), cap, reconfigure_months, note)


def _cheapest_chain(
    state: ProgrammeState, product: float, top: float, chain: list[float], tail: Any
) -> list[Step] | None:
    """The steps (lowest feed first) that make ``product`` kg U at ``top`` from the stocks of
    ``chain`` with the least separative work, or None when natural uranium runs short.

    At each stock level two ways are open: use only that stock, stripping it to whatever tails
    it needs (`step_from_stock`), or enrich it at the usual tails and make the shortfall of feed
    one level down. Stripping a stock to very low tails costs more work than topping it up from
    below, so both are tried and the cheaper kept; this keeps breakout monotone in every stock
    (more material never slows it).
    """
    xf = chain[-1]
    stock = state.natural_kg_u if xf == NATURAL else state.stock_at(xf)
    t = tail(xf)
    if stock is None:
        return [step(product, top, xf, t)]
    options: list[list[Step]] = []
    alone = step_from_stock(product, top, xf, t, stock)
    if alone is not None:
        options.append([alone])
    full = step(product, top, xf, t)
    if full.feed > stock and xf != NATURAL:
        below = _cheapest_chain(state, full.feed - stock, xf, chain[:-1], tail)
        if below is not None:
            options.append([*below, full])
    if not options:
        return None
    return min(options, key=lambda steps: sum(s.swu for s in steps))


def _timed(
    name: str, steps: tuple[Step, ...], cap: float, reconfigure: float, note: str
) -> BreakoutPath:
    total = sum(s.swu for s in steps)
    if not steps:
        return BreakoutPath(name, True, (), 0.0, 0.0, note)
    if cap <= 0:
        return BreakoutPath(name, True, steps, None, None, note or "no enrichment capacity")
    naive = 12.0 * total / cap
    return BreakoutPath(name, True, steps, naive + reconfigure * len(steps), naive, note)
