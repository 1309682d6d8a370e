"""Bueno de Mesquita's model over a batch of independent games: (B, n, n) dyads, (B, n, n, n) votes.

The same round as `accord.forecast.models.bdm_core` (Scholz, Calbert & Smith 2011, eqs 5–7,
15–16, 22–24, 30–36), with a leading axis over games. A Monte-Carlo chunk of D draws of a
K-issue scenario is B = D·K one-issue games (BDM runs issue by issue), so one call plays them
all round by round; a game leaves the batch when its own stopping rule fires, exactly as in
`BDM.run_issue`. Every reduction runs over the same axis, in the same order, as the one-game
code, so a game's result does not depend on the batch it ran in (tested bit for bit).
"""

from __future__ import annotations

import numpy as np

from accord.forecast.base import FloatArray, Model
from accord.forecast.models.batched import Batch, batch_kernel
from accord.forecast.models.bdm import BDM
from accord.forecast.models.bdm_core import Reference, Switches, choose_offers

_VOTES = 1_000_000
"""Largest vote tensor (B·n³ numbers) built at once; bigger batches are cut into slices."""


def median_positions(x: FloatArray, w: FloatArray, span: FloatArray) -> FloatArray:
    """`bdm_core.median_position` per row of ``x`` (B, n): the lowest loss-minimising position."""
    cand = np.sort(x, axis=1)
    loss = (w[:, None, :] * np.abs(x[:, None, :] - cand[:, :, None])).sum(axis=2) / span[:, None]
    best = loss.min(axis=1, keepdims=True)
    ok = loss <= best + 1e-12 * np.maximum(1.0, np.abs(best))
    return np.asarray(cand[np.arange(len(x)), np.argmax(ok, axis=1)])


def mean_positions(x: FloatArray, w: FloatArray) -> FloatArray:
    """`bdm_core.mean_position` per row: the ``c·s``-weighted mean (plain mean if no weight)."""
    total = w.sum(axis=1)
    safe = np.where(total > 0, total, 1.0)
    return np.where(total > 0, (w * x).sum(axis=1) / safe, x.mean(axis=1))


def win_probabilities(
    x: FloatArray, w: FloatArray, r: FloatArray | None, span: FloatArray, denominator: str
) -> FloatArray:
    """`bdm_core.win_probability` per game: ``P[b, i, j]`` (eqs 30/31); ``r`` None is r = 1."""
    n = x.shape[1]
    v = np.abs(x[:, :, None] - x[:, None, :]) / span[:, None, None]
    if r is not None:
        v = v ** r[:, :, None]
    diff = np.subtract(v[:, :, None, :], v[:, :, :, None])
    if denominator == "paper":
        diff *= w[:, :, None, None]
        tot = np.abs(diff).sum(axis=1)
        num = np.maximum(diff, 0.0).sum(axis=1)
        return np.divide(num, tot, out=np.zeros_like(num), where=tot > 0)
    # w ≥ 0, so w·max(d, 0) is max(w·d, 0) bit for bit, in one pass fewer over n³ numbers
    np.maximum(diff, 0.0, out=diff)
    diff *= w[:, :, None, None]
    num = diff.sum(axis=1)
    vs = np.sort(v, axis=2)
    rank = 2.0 * np.arange(n) - n + 1.0
    denom = 2.0 * (w * (vs * rank[None, None, :]).sum(axis=2)).sum(axis=1)
    safe = np.where(denom > 0, denom, 1.0)
    return np.where(denom[:, None, None] > 0, num / safe[:, None, None], 0.0)


def expected_utilities(
    xa: FloatArray,
    xb: FloatArray,
    sb: FloatArray,
    p: FloatArray,
    r: FloatArray | None,
    ref: Reference,
) -> FloatArray:
    """`bdm_core.expected_utility` with the `Reference` per game (``mu`` and ``span`` shaped
    (B, 1, 1)); ``r`` None stands for exponents of 1."""
    mu, span, q = ref.mu, ref.span, ref.q
    d = np.abs(xa - xb) / span
    if r is None:  # x ** 1.0 is x: the same numbers without the powers
        u_s = 2.0 - 4.0 * (0.5 - 0.5 * d)
        u_f = 2.0 - 4.0 * (0.5 + 0.5 * d)
        u_sq: FloatArray | float = 2.0 - 4.0 * 0.5
    else:
        u_s = 2.0 - 4.0 * (0.5 - 0.5 * d) ** r
        u_f = 2.0 - 4.0 * (0.5 + 0.5 * d) ** r
        u_sq = 2.0 - 4.0 * 0.5**r
    eu = sb * (p * u_s + (1.0 - p) * u_f) + (1.0 - sb) * u_s - q * u_sq
    if q < 1.0:
        dm = np.abs(xa - mu) / span
        e = 1.0 if r is None else r
        u_b = 2.0 - 4.0 * np.clip(0.5 - 0.25 * (dm + d), 0.0, None) ** e
        u_w = 2.0 - 4.0 * (0.5 + 0.25 * (dm + d)) ** e
        t = (np.abs(xa - mu) < np.abs(xa - xb)).astype(float)
        eu = eu - (1.0 - q) * (t * u_b + (1.0 - t) * u_w)
    return np.asarray(eu, dtype=float)


def risk_exponents(
    x: FloatArray,
    w: FloatArray,
    s: FloatArray,
    r_prev: FloatArray | None,
    mu: FloatArray,
    span: FloatArray,
    sw: Switches,
) -> FloatArray:
    """`bdm_core.risk_exponents` per game (eqs 32–34)."""
    r0 = None if sw.reset_risk else r_prev
    p = win_probabilities(x, w, r0, span, sw.denominator)
    r_eval = None if r0 is None else r0[:, :, None] if sw.security == "target" else r0[:, None, :]
    ref = Reference(mu[:, None, None], span[:, None, None], sw.q)
    danger = expected_utilities(
        x[:, None, :], x[:, :, None], s[:, :, None], p.transpose(0, 2, 1), r_eval, ref
    )
    n = x.shape[1]
    danger[:, np.arange(n), np.arange(n)] = 0.0
    sec = danger.sum(axis=2)
    hi, lo = sec.max(axis=1, keepdims=True), sec.min(axis=1, keepdims=True)
    flat = hi - lo <= 1e-15 * np.maximum(1.0, np.abs(hi))
    big_r = np.where(flat, 0.0, (2.0 * sec - hi - lo) / np.where(flat, 1.0, hi - lo))
    return np.asarray((1.0 - big_r / 3.0) / (1.0 + big_r / 3.0), dtype=float)


def bdm_rounds(
    x: FloatArray, c: FloatArray, s: FloatArray, r_prev: FloatArray, span: FloatArray, sw: Switches
) -> tuple[FloatArray, FloatArray]:
    """One round of every game (`bdm_core.bdm_round`): new positions and the exponents used."""
    w = c * s
    mu = median_positions(x, w, span)
    r = risk_exponents(x, w, s, r_prev, mu, span, sw)
    p = win_probabilities(x, w, r, span, sw.denominator)
    ref, ri = Reference(mu[:, None, None], span[:, None, None], sw.q), r[:, :, None]
    own = expected_utilities(x[:, :, None], x[:, None, :], s[:, None, :], p, ri, ref)
    other = expected_utilities(
        x[:, None, :], x[:, :, None], s[:, :, None], p.transpose(0, 2, 1), ri, ref
    )
    return choose_offers(x, own, other, sw), r


def run_games(
    model: BDM, x0: FloatArray, c: FloatArray, s: FloatArray, span: FloatArray
) -> FloatArray:
    """Final forecast of every game (rows of ``x0``, ``c``, ``s``; ``span`` per game)."""
    w = c * s

    def point(rows: np.ndarray, x: FloatArray, sp: FloatArray) -> FloatArray:
        if model.forecast_rule == "mean":
            return mean_positions(x, w[rows])
        return median_positions(x, w[rows], sp)

    out = np.empty(len(x0))
    trivial = (span <= 0) | (np.ptp(x0, axis=1) <= 0) | (w.sum(axis=1) <= 0)
    t_rows = np.flatnonzero(trivial)
    out[t_rows] = point(t_rows, x0[t_rows], np.maximum(span[t_rows], 1.0))
    live = np.flatnonzero(~trivial)
    x, r = x0[live].copy(), np.ones((len(live), x0.shape[1]))
    last = point(live, x, span[live])
    quiet = np.zeros(len(live), dtype=np.int64)
    going = np.arange(len(live))
    for _ in range(model.rounds):
        if len(going) == 0:
            break
        rows = live[going]
        x[going], r[going] = _round_in_slices(
            x[going], c[rows], s[rows], r[going], span[rows], model
        )
        new = point(rows, x[going], span[rows])
        if model.converge:
            still = np.abs(new - last[going]) < model.tol * span[rows]
            quiet[going] = np.where(still, quiet[going] + 1, 0)
        last[going] = new
        if model.converge:
            going = going[quiet[going] < model.patience]
    out[live] = last
    return out


def _round_in_slices(
    x: FloatArray, c: FloatArray, s: FloatArray, r: FloatArray, span: FloatArray, model: BDM
) -> tuple[FloatArray, FloatArray]:
    n = x.shape[1]
    size = max(1, _VOTES // max(1, n**3))
    if len(x) <= size:
        return bdm_rounds(x, c, s, r, span, model.switches)
    xs, rs = [], []
    for lo in range(0, len(x), size):
        sl = slice(lo, lo + size)
        a, b = bdm_rounds(x[sl], c[sl], s[sl], r[sl], span[sl], model.switches)
        xs.append(a)
        rs.append(b)
    return np.concatenate(xs), np.concatenate(rs)


@batch_kernel(BDM)
def _bdm(model: Model, b: Batch) -> FloatArray:
    """Every (draw, issue) game of the batch at once; the forecasts (B, K), normalised."""
    assert isinstance(model, BDM)
    d, n, k = b.position.shape
    x0 = b.position.transpose(0, 2, 1).reshape(d * k, n)
    s = b.salience.transpose(0, 2, 1).reshape(d * k, n)
    c = np.repeat(b.capability, k, axis=0)
    span = np.ones(d * k) if model.range_basis == "scale" else np.ptp(x0, axis=1).astype(float)
    return run_games(model, x0, c, s, span).reshape(d, k)
