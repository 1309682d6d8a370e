"""One round of Bueno de Mesquita's expected-utility model, vectorised over dyads.

Scholz, Calbert & Smith (2011), "Unravelling Bueno de Mesquita's group decision model",
*J. Theoretical Politics* 23(4):510–531 (ICAART 2011 pp. 18–30), reconstructing Bueno de
Mesquita (1994) in *European Community Decision Making* pp. 71–104. Equation numbers are the
paper's. Every dyad quantity is an (n, n) array; the third-party votes of eqs 30/31 are an
(n, n, n) sum, accumulated over blocks of voters so memory stays bounded for 250 actors.

Positions here are plain floats on one issue; ``span`` is the range R that normalises distances.
Row ``i`` of every (n, n) matrix is the actor that evaluates (jmckib's "from the actor's
perspective": the evaluating actor's own risk exponent is used throughout, §2.4.3).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]

Denominator = Literal["paper", "scholz-code"]
Security = Literal["target", "challenger"]
OfferRule = Literal["least-movement", "eu-weighted"]

_VOTER_BLOCK = 2_000_000


@dataclass(frozen=True)
class Switches:
    """The named switches for the ambiguities of the model (forecast-models.md §2.4)."""

    denominator: Denominator = "scholz-code"
    q: float = 1.0
    security: Security = "target"
    offer: OfferRule = "eu-weighted"
    capitulation: bool = False
    reset_risk: bool = True


def median_position(x: FloatArray, w: FloatArray, span: float) -> float:
    """BDM's "median": the actor position that wins every pairwise vote (§2.3).

    The vote of ``j`` against ``k`` is ``Σ_i w_i (|x_i − x_k| − |x_i − x_j|)/R`` with risk 1,
    so the winner minimises ``Σ_i w_i |x_i − p|`` over the distinct positions ``p``. Ties go to
    the lowest position (jmckib's scan order depends on Python 2 set hashing; a fixed rule keeps
    the result independent of actor order).
    """
    cand = np.unique(x)
    loss = (w[None, :] * np.abs(x[None, :] - cand[:, None])).sum(axis=1) / span
    best = loss.min()
    return float(cand[np.flatnonzero(loss <= best + 1e-12 * max(1.0, abs(best)))[0]])


def mean_position(x: FloatArray, w: FloatArray) -> float:
    """The ``c·s``-weighted mean position (Scholz's "mean", the compromise model)."""
    total = w.sum()
    return float((w * x).sum() / total) if total > 0 else float(x.mean())


def win_probability(
    x: FloatArray, w: FloatArray, r: FloatArray, span: float, denominator: Denominator
) -> FloatArray:
    """``P[i, j]``: the probability that i beats j in a challenge (eqs 30/31).

    Voter k's vote for ``x_i`` over ``x_j`` is ``w_k (d_kj^{r_k} − d_ki^{r_k})`` with
    ``d = |x_k − ·|/R``. ``paper`` divides the positive votes by the sum of all votes' absolute
    values on that dyad, so ``P[i, j] + P[j, i] = 1``. ``scholz-code`` divides by the sum of the
    absolute votes over every ordered pair of actors (jmckib's finding; it reproduces Table 2).
    """
    n = len(x)
    v = (np.abs(x[:, None] - x[None, :]) / span) ** r[:, None]
    num = np.zeros((n, n))
    tot = np.zeros((n, n))
    block = max(1, _VOTER_BLOCK // max(1, n * n))
    for lo in range(0, n, block):
        vk = v[lo : lo + block]
        diff = w[lo : lo + block, None, None] * (vk[:, None, :] - vk[:, :, None])
        num += np.maximum(diff, 0.0).sum(axis=0)
        if denominator == "paper":
            tot += np.abs(diff).sum(axis=0)
    if denominator == "paper":
        return np.divide(num, tot, out=np.zeros_like(num), where=tot > 0)
    vs = np.sort(v, axis=1)
    rank = 2.0 * np.arange(n) - n + 1.0
    denom = float(2.0 * (w * (vs * rank[None, :]).sum(axis=1)).sum())
    return num / denom if denom > 0 else np.zeros_like(num)


@dataclass(frozen=True)
class Reference:
    """What every challenge on one issue is weighed against (eqs 5–7, 22–24): the median
    position ``μ`` (`mu`), the range ``R`` that normalises distances (`span`) and ``Q`` (`q`),
    the probability that the status quo holds when no challenge is made. The batched model
    passes `mu` and `span` per game, as (B, 1, 1) arrays."""

    mu: float | FloatArray
    span: float | FloatArray
    q: float


def expected_utility(
    xa: FloatArray, xb: FloatArray, sb: FloatArray, p: FloatArray, r: FloatArray, ref: Reference
) -> FloatArray:
    """``E(U_ab)``: expected utility of a challenging b, under risk exponent ``r`` (eqs 5–7).

    ``E = s_b[P U_s + (1−P) U_f] + (1−s_b) U_s − Q U_sq − (1−Q)[T U_b + (1−T) U_w]`` with the
    utilities of eqs 15, 16 and 22–24 and ``T = 1`` when ``|x_a − μ| < |x_a − x_b|``. All
    arguments broadcast.
    """
    mu, span, q = ref.mu, ref.span, ref.q
    d = np.abs(xa - xb) / span
    u_s = 2.0 - 4.0 * (0.5 - 0.5 * d) ** r
    u_f = 2.0 - 4.0 * (0.5 + 0.5 * d) ** r
    u_sq = 2.0 - 4.0 * 0.5**r
    eu = sb * (p * u_s + (1.0 - p) * u_f) + (1.0 - sb) * u_s - q * u_sq
    if q < 1.0:
        dm = np.abs(xa - mu) / span
        u_b = 2.0 - 4.0 * np.clip(0.5 - 0.25 * (dm + d), 0.0, None) ** r
        u_w = 2.0 - 4.0 * (0.5 + 0.25 * (dm + d)) ** r
        t = (np.abs(xa - mu) < np.abs(xa - xb)).astype(float)
        eu = eu - (1.0 - q) * (t * u_b + (1.0 - t) * u_w)
    return np.asarray(eu, dtype=float)


def dyad_eus(
    x: FloatArray, s: FloatArray, p: FloatArray, r: FloatArray, ref: Reference
) -> tuple[FloatArray, FloatArray]:
    """``(E^i(U_ij), E^i(U_ji))`` as (n, n) arrays, both under evaluator i's risk exponent."""
    ri = r[:, None]
    own = expected_utility(x[:, None], x[None, :], s[None, :], p, ri, ref)
    other = expected_utility(x[None, :], x[:, None], s[:, None], p.T, ri, ref)
    return own, other


def risk_exponents(
    x: FloatArray,
    w: FloatArray,
    s: FloatArray,
    r_prev: FloatArray,
    mu: float,
    span: float,
    sw: Switches,
) -> FloatArray:
    """Risk exponents ``r_i`` from each actor's security (eqs 32–34).

    ``Sec_i = Σ_{j≠i} E(U_ji)``, evaluated with the target's exponent (``security="target"``,
    jmckib's ``E^i(U_ji)``) or with the challenger's (``"challenger"``, ``E^j(U_ji)``); the
    exponents used are 1 when ``reset_risk`` (Scholz: r is reset every round) or last round's.
    """
    n = len(x)
    r0 = np.ones(n) if sw.reset_risk else r_prev
    p = win_probability(x, w, r0, span, sw.denominator)
    r_eval = r0[:, None] if sw.security == "target" else r0[None, :]
    ref = Reference(mu, span, sw.q)
    danger = expected_utility(x[None, :], x[:, None], s[:, None], p.T, r_eval, ref)
    np.fill_diagonal(danger, 0.0)
    sec = danger.sum(axis=1)
    hi, lo = sec.max(), sec.min()
    if hi - lo <= 1e-15 * max(1.0, abs(hi)):
        big_r = np.zeros(n)
    else:
        big_r = (2.0 * sec - hi - lo) / (hi - lo)
    return np.asarray((1.0 - big_r / 3.0) / (1.0 + big_r / 3.0), dtype=float)


def choose_offers(x: FloatArray, own: FloatArray, other: FloatArray, sw: Switches) -> FloatArray:
    """Each actor's new position: the offer it accepts, or its old position (§6, fig. 6).

    For receiver i and proposer j, ``a = E^i(U_ij)`` and ``b = E^i(U_ji)``:
    conflict ``b > a > 0`` (i moves to x_j); compromise ``b > 0 > a, b > |a|`` (i moves to
    ``x_i + (x_j − x_i)|a/b|``, eq 35); capitulation ``b > 0 > a, b < |a|`` (i moves to x_j,
    only when ``capitulation`` is on: in Scholz's code, as ported by jmckib, the branch can
    never fire). Conflicts are taken first, then compromises, then capitulations; within a
    class the least movement wins, except that ``offer="eu-weighted"`` ranks compromises by
    ``(|a| x_i + |b| x_j)/(|a| + |b|)`` as Scholz's code did. Ties go to the lower position.
    One game (``x`` of shape (n,), tables (n, n)) or a batch along leading axes (``x`` (D, n),
    tables (D, n, n)) for `accord.forecast.models.bdm_batched`: the same operations either way.
    """
    a, b = own, other
    xi = np.broadcast_to(x[..., :, None], a.shape)
    xj = np.broadcast_to(x[..., None, :], a.shape)
    distinct = np.abs(xi - xj) > 1e-12
    conflict = distinct & (b > a) & (a > 0)
    opposite = distinct & (b > 0) & (a < 0)
    compromise = opposite & (b > np.abs(a))
    capitulate = opposite & (b < np.abs(a)) & sw.capitulation
    ratio = np.divide(np.abs(a), b, out=np.zeros_like(a), where=compromise)
    comp_pos = xi + (xj - xi) * ratio
    if sw.offer == "eu-weighted":
        wsum = np.abs(a) + np.abs(b)
        comp_key = np.divide(
            np.abs(a) * xi + np.abs(b) * xj, wsum, out=np.zeros_like(a), where=wsum > 0
        )
    else:
        comp_key = np.abs(comp_pos - xi)
    new = x.copy()
    done = np.zeros(x.shape, dtype=bool)
    for mask, pos, key in (
        (conflict, xj, np.abs(xj - xi)),
        (compromise, comp_pos, comp_key),
        (capitulate, xj, np.abs(xj - xi)),
    ):
        mask = mask & ~done[..., None]
        rows = mask.any(axis=-1)
        if not rows.any():
            continue
        k = np.where(mask, key, np.inf)
        kmin = k.min(axis=-1, keepdims=True)
        with np.errstate(invalid="ignore"):
            tie = mask & (k <= kmin + 1e-12 * np.maximum(1.0, np.abs(kmin)))
        chosen = np.where(tie, pos, np.inf).min(axis=-1)
        new[rows] = chosen[rows]
        done |= rows
    return new


@dataclass(frozen=True)
class RoundState:
    """What a round leaves behind: the new positions and the exponents used."""

    x: FloatArray
    r: FloatArray


def bdm_round(
    x: FloatArray,
    c: FloatArray,
    s: FloatArray,
    r_prev: FloatArray,
    span: float,
    sw: Switches,
) -> RoundState:
    """One round (Appendix steps 2–11): exponents from security, then simultaneous moves."""
    w = c * s
    mu = median_position(x, w, span)
    r = risk_exponents(x, w, s, r_prev, mu, span, sw)
    p = win_probability(x, w, r, span, sw.denominator)
    own, other = dyad_eus(x, s, p, r, Reference(mu, span, sw.q))
    return RoundState(choose_offers(x, own, other, sw), r)
