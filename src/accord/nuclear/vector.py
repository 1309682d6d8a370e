"""Breakout months for many programme states at once: `accord.nuclear.breakout` on arrays.

The scalar `breakout` times one `ProgrammeState` along every feed path and keeps the fastest.
Here the stocks sit at a fixed tuple of assays with a mass per row (0 = no stock at that assay)
and each row has its own capacity, so a whole outcome grid is timed with a few dozen numpy
operations per path. The paths, tails conventions and reconfiguration allowance are exactly those
of the scalar module (the contract test in ``tests/preferences/test_breakout_vector.py`` checks
the two against each other): one single-step path per feed level, and the "all stocks" chain
worked back from the product (Albright & Walrond, ISIS 2013; separative work after Benedict,
Pigford & Levi 1981, eqs. 12.106–12.109).

A row whose capacity is 0 has no breakout in finite time: ``inf`` (the scalar returns None).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from accord.nuclear.breakout import RECONFIGURE_MONTHS, TARGET_KG_U, Target
from accord.nuclear.enrichment import NATURAL, WEAPON_GRADE

FloatArray = NDArray[np.float64]


def _value(x: FloatArray) -> FloatArray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return (2.0 * x - 1.0) * np.log(x / (1.0 - x))


def _swu(p: FloatArray, xp: FloatArray, xf: float, xt: FloatArray) -> tuple[FloatArray, FloatArray]:
    """(feed, swu) of ideal-cascade steps; nan where the assays are out of order."""
    with np.errstate(divide="ignore", invalid="ignore"):
        ok = (xt < xf) & (xf < xp) & (xt > 0)
        f = np.where(ok, p * (xp - xt) / (xf - xt), np.nan)
        s = p * _value(xp) + (f - p) * _value(xt) - f * _value(np.full_like(p, xf))
    return f, np.where(ok, s, np.nan)


def _from_stock(
    p: FloatArray, xp: FloatArray, xf: float, xt: FloatArray, stock: FloatArray | None
) -> FloatArray:
    """SWU of a step using at most ``stock`` kg U of feed (tails raised if needed); nan: too
    little U-235 (`accord.nuclear.enrichment.step_from_stock`)."""
    feed, s = _swu(p, xp, xf, xt)
    if stock is None:
        return s
    with np.errstate(divide="ignore", invalid="ignore"):
        raised = np.where(
            (stock > p) & (stock * xf > p * xp), (stock * xf - p * xp) / (stock - p), np.nan
        )
    raised = np.where(raised < xf, raised, np.nan)
    _, s_raised = _swu(p, xp, xf, raised)
    return np.where(feed <= stock, s, s_raised)


def _tails(xf: float, tails: float | None) -> float:
    if tails is not None:
        return tails
    return 0.003 if xf < 0.01 else 0.004 if xf < 0.10 else 0.005


def breakout_months_array(
    assays: tuple[float, ...],
    kg_u: FloatArray,
    capacity: FloatArray,
    *,
    natural_kg_u: float | None = None,
    target: Target = "isis",
    tails: float | None = None,
    reconfigure_months: float = RECONFIGURE_MONTHS,
) -> FloatArray:
    """Breakout months (N,) of N states: stocks ``kg_u`` (N, L) at ``assays`` (L,), SWU/yr (N,).

    The fastest feasible path per row, as `accord.nuclear.breakout.breakout(...).months`, with
    ``inf`` for no capacity or no feasible path.
    """
    kg_u = np.atleast_2d(np.asarray(kg_u, dtype=float))
    cap = np.broadcast_to(np.asarray(capacity, dtype=float), (kg_u.shape[0],))
    n = kg_u.shape[0]
    xp_scalar = WEAPON_GRADE
    product = TARGET_KG_U[target]
    have = np.zeros(n)
    levels: list[int] = []
    for j, a in enumerate(assays):
        if a >= xp_scalar - 1e-12:
            have += kg_u[:, j]
        elif a > NATURAL:
            levels.append(j)
    levels.sort(key=lambda j: assays[j])
    need = np.maximum(product - have, 0.0)
    xp = np.full(n, xp_scalar)

    def timed(swu: FloatArray, steps: FloatArray | float) -> FloatArray:
        with np.errstate(divide="ignore", invalid="ignore"):
            months = np.where(cap > 0, 12.0 * swu / cap + reconfigure_months * steps, np.inf)
        return np.where(np.isnan(swu), np.nan, months)

    natural = None if natural_kg_u is None else np.full(n, float(natural_kg_u))
    candidates = [
        timed(_from_stock(need, xp, NATURAL, np.full(n, _tails(NATURAL, tails)), natural), 1.0)
    ]
    for j in levels:
        xf = assays[j]
        stock = kg_u[:, j]
        s = _from_stock(need, xp, xf, np.full(n, _tails(xf, tails)), stock)
        candidates.append(timed(np.where(stock > 0, s, np.nan), 1.0))
    if levels:
        candidates.append(_all_stocks(assays, kg_u, levels, need, natural, tails, timed))
    stacked = np.vstack(candidates)
    with np.errstate(invalid="ignore"):
        best = np.where(
            np.isnan(stacked).all(axis=0),
            np.inf,
            np.nanmin(np.where(np.isnan(stacked), np.inf, stacked), axis=0),
        )
    return np.where(need <= 0, 0.0, best)


def _all_stocks(
    assays: tuple[float, ...],
    kg_u: FloatArray,
    levels: list[int],
    need: FloatArray,
    natural: FloatArray | None,
    tails: float | None,
    timed: object,
) -> FloatArray:
    """The multi-step chain natural → each stock level → product, worked back from the product
    (`accord.nuclear.breakout._all_stocks`); nan for rows without any stock."""
    n = len(need)
    product, top = need.copy(), np.full(n, WEAPON_GRADE)
    total, steps = np.zeros(n), np.zeros(n)
    done = np.zeros(n, dtype=bool)
    failed = np.zeros(n, dtype=bool)
    for j in reversed(levels):
        xf = assays[j]
        stock = kg_u[:, j]
        here = ~done & (stock > 0)
        xt = np.full(n, _tails(xf, tails))
        s = _from_stock(product, top, xf, xt, stock)
        fits = here & ~np.isnan(s)
        total = np.where(fits, total + s, total)
        steps = np.where(here, steps + 1, steps)
        done |= fits
        short = here & ~fits
        feed, full = _swu(product, top, xf, xt)
        total = np.where(short, total + full, total)
        product = np.where(short, feed - stock, product)
        top = np.where(short, xf, top)
    rest = ~done
    xt = np.full(n, _tails(NATURAL, tails))
    s = _from_stock(product, top, NATURAL, xt, natural)
    failed = rest & np.isnan(s)
    total = np.where(rest, total + np.nan_to_num(s), total)
    steps = np.where(rest, steps + 1, steps)
    any_stock = (kg_u[:, levels] > 0).any(axis=1)
    months = timed(np.where(failed | ~any_stock, np.nan, total), steps)  # type: ignore[operator]
    return months
