"""The built-in metric ``breakout_months``: months to one weapon's worth of 90 % uranium.

A package sets the programme state that `accord.nuclear` times, by the issue-id convention of
`accord.clocks.breakout_metric` (``enrichment_level`` in % U-235, ``stockpile_20`` and
``stockpile_leu`` in kg UF6 or kg U, ``capacity`` in SWU/yr); what the package leaves unset
comes from the base programme state (the latest built-in state dated on or before the scenario,
or ``metrics: {breakout_months: {base: NAME}}``). The whole grid is timed at once with
`accord.nuclear.vector.breakout_months_array`; no enrichment capacity reads ``inf`` months.
Parameters: ``base`` (built-in state name), ``target`` (``isis`` | ``sq``),
``reconfigure_months`` (≥ 0), ``tails`` (fraction).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np

from accord.metrics.registry import METRICS, FloatArray, MetricContext, MetricFn
from accord.nuclear.breakout import RECONFIGURE_MONTHS, ProgrammeState
from accord.nuclear.enrichment import U_IN_UF6
from accord.nuclear.states import builtin_state, builtin_state_names
from accord.nuclear.vector import breakout_months_array

LEVEL, STOCK_20, STOCK_LEU, CAPACITY = (
    "enrichment_level",
    "stockpile_20",
    "stockpile_leu",
    "capacity",
)
ROLES = (LEVEL, STOCK_20, STOCK_LEU, CAPACITY)
NEAR_20 = 0.1975
LEU = 0.035
PARAMS = ("base", "target", "reconfigure_months", "tails")


def base_state(date: dt.date | None, name: str | None = None) -> ProgrammeState:
    """The named built-in state, else the latest dated on or before `date` (else the earliest)."""
    if name is not None:
        return builtin_state(name)
    states = [builtin_state(n) for n in builtin_state_names()]
    dated = sorted((s for s in states if s.date), key=lambda s: str(s.date))
    if date is not None:
        before = [s for s in dated if dt.date.fromisoformat(str(s.date)) <= date]
        if before:
            return before[-1]
    return dated[0]


def _mass_factor(unit: str | None) -> float:
    return U_IN_UF6 if "uf6" in (unit or "kg UF6").lower() else 1.0


@dataclass(frozen=True)
class BreakoutMonths:
    """Breakout months of the programme state a package implies (ISIS convention)."""

    unit: str = "months"
    label: str = "breakout time"

    def bind(self, context: MetricContext) -> MetricFn:
        """The vectorised function for one scenario; `ValueError` if it has no nuclear issue."""
        if not any(context.column(r) is not None for r in ROLES):
            raise ValueError(f"breakout_months needs at least one of the issues {list(ROLES)}")
        p: dict[str, Any] = dict(context.params)
        unknown = sorted(set(p) - set(PARAMS))
        if unknown:
            raise ValueError(f"unknown parameters {unknown}; known: {list(PARAMS)}")
        base = base_state(context.date, p.get("base"))
        target = p.get("target", "isis")
        if target not in ("isis", "sq"):
            raise ValueError(f"target must be 'isis' or 'sq', not {target!r}")
        reconf = float(p.get("reconfigure_months", RECONFIGURE_MONTHS))
        if not reconf >= 0:
            raise ValueError("reconfigure_months must be ≥ 0")
        tails = None if p.get("tails") is None else float(p["tails"])
        cols = {r: context.column(r) for r in ROLES}
        factor = {r: _mass_factor(context.issue_units[c]) for r, c in cols.items() if c is not None}

        def months(units: FloatArray) -> FloatArray:
            return _months(units, base, cols, factor, target, reconf, tails)

        return months


def _months(
    units: FloatArray,
    base: ProgrammeState,
    cols: dict[str, int | None],
    factor: dict[str, float],
    target: Any,
    reconf: float,
    tails: float | None,
) -> FloatArray:
    """`accord.clocks.breakout_metric.state_for_outcome` + `breakout`, on arrays."""
    units = np.atleast_2d(np.asarray(units, dtype=float))
    n = len(units)
    out = np.empty(n)
    level = units[:, cols[LEVEL]] / 100.0 if cols[LEVEL] is not None else None
    if cols[STOCK_LEU] is not None and level is not None:
        leu = np.where((level > 0) & (level < LEU), level, LEU)
    else:
        leu = np.full(n, LEU)
    for value in np.unique(leu):
        rows = np.flatnonzero(leu == value)
        assays, kg = _stocks(
            units[rows], base, cols, factor, None if level is None else level[rows], float(value)
        )
        cap = (
            units[rows, cols[CAPACITY]]
            if cols[CAPACITY] is not None
            else np.full(len(rows), base.capacity())
        )
        if level is not None:
            cap = np.where(level[rows] <= 0, 0.0, cap)
        out[rows] = breakout_months_array(
            assays,
            kg,
            cap,
            natural_kg_u=base.natural_kg_u,
            target=target,
            tails=tails,
            reconfigure_months=reconf,
        )
    return out


def _stocks(
    units: FloatArray,
    base: ProgrammeState,
    cols: dict[str, int | None],
    factor: dict[str, float],
    level: FloatArray | None,
    leu: float,
) -> tuple[tuple[float, ...], FloatArray]:
    """Stock masses (N, L) at a fixed tuple of assays for rows sharing one LEU assay."""
    assays = sorted(
        {s.assay for s in base.stocks}
        | ({NEAR_20} if cols[STOCK_20] is not None else set())
        | ({leu} if cols[STOCK_LEU] is not None else set())
    )
    n = len(units)
    kg = np.zeros((n, len(assays)))
    for s in base.stocks:
        kg[:, _at(assays, s.assay)] += s.kg_u
    if level is not None:
        for j, a in enumerate(assays):
            kg[:, j] = np.where(a <= level + 1e-9, kg[:, j], 0.0)
    if (c := cols[STOCK_20]) is not None:
        kg[:, _at(assays, NEAR_20)] = units[:, c] * factor[STOCK_20]
    if (c := cols[STOCK_LEU]) is not None:
        for j, a in enumerate(assays):
            if a < 0.1 and abs(a - leu) > 1e-9:
                kg[:, j] = 0.0
        kg[:, _at(assays, leu)] = units[:, c] * factor[STOCK_LEU]
    return tuple(assays), np.maximum(kg, 0.0)


def _at(assays: list[float], a: float) -> int:
    return min(range(len(assays)), key=lambda j: abs(assays[j] - a))


METRICS.add("breakout_months", BreakoutMonths(), unit="months", higher_is="safer")
