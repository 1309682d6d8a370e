"""A plain per-dyad loop implementation of one BDM round, for cross-checks and benchmarks.

It follows the structure of the published Python port of Scholz's code
(jmckib/bdm-scholz-expected-utility-model): every probability is a triple loop over actors, so a
round costs O(n⁵). `accord.forecast.models.bdm_core` computes the same round with numpy; the
tests compare the two, and ``benchmarks/bench_forecast.py`` times them. Nothing here is
registered as a model, and it does not ship: it lives with the tests that use it.
"""

from __future__ import annotations

from accord.forecast.models.bdm_core import Switches


def _vote(xk: float, wk: float, rk: float, xi: float, xj: float, span: float) -> float:
    return wk * ((abs(xk - xj) / span) ** rk - (abs(xk - xi) / span) ** rk)


def _prob(
    x: list[float], w: list[float], r: list[float], i: int, j: int, span: float, sw: Switches
) -> float:
    n = len(x)
    num = sum(max(0.0, _vote(x[k], w[k], r[k], x[i], x[j], span)) for k in range(n))
    if sw.denominator == "paper":
        den = sum(abs(_vote(x[k], w[k], r[k], x[i], x[j], span)) for k in range(n))
    else:
        den = sum(
            abs(_vote(x[k], w[k], r[k], x[a1], x[a2], span))
            for k in range(n)
            for a1 in range(n)
            for a2 in range(n)
        )
    return num / den if den > 0 else 0.0


def _eu(
    xa: float, xb: float, sb: float, p: float, r: float, mu: float, span: float, q: float
) -> float:
    d = abs(xa - xb) / span
    u_s = 2 - 4 * (0.5 - 0.5 * d) ** r
    u_f = 2 - 4 * (0.5 + 0.5 * d) ** r
    eu = sb * (p * u_s + (1 - p) * u_f) + (1 - sb) * u_s - q * (2 - 4 * 0.5**r)
    if q < 1.0:
        dm = abs(xa - mu) / span
        u_b = 2 - 4 * max(0.0, 0.5 - 0.25 * (dm + d)) ** r
        u_w = 2 - 4 * (0.5 + 0.25 * (dm + d)) ** r
        t = 1.0 if abs(xa - mu) < abs(xa - xb) else 0.0
        eu -= (1 - q) * (t * u_b + (1 - t) * u_w)
    return eu


def median_loop(x: list[float], w: list[float], span: float) -> float:
    """The pairwise-vote winner by a sequential scan over the sorted distinct positions."""
    cand = sorted(set(x))
    med = cand[0]
    for pos in cand[1:]:
        votes = sum(_vote(x[k], w[k], 1.0, pos, med, span) for k in range(len(x)))
        if votes > 1e-12:
            med = pos
    return med


def bdm_round_loop(
    x: list[float],
    c: list[float],
    s: list[float],
    r_prev: list[float],
    span: float,
    sw: Switches,
) -> tuple[list[float], list[float]]:
    """One round, dyad by dyad: returns the new positions and the risk exponents used."""
    n = len(x)
    w = [c[i] * s[i] for i in range(n)]
    mu = median_loop(x, w, span)
    r0 = [1.0] * n if sw.reset_risk else list(r_prev)
    sec = []
    for i in range(n):
        total = 0.0
        for j in range(n):
            if j == i:
                continue
            rr = r0[i] if sw.security == "target" else r0[j]
            p = _prob(x, w, r0, j, i, span, sw)
            total += _eu(x[j], x[i], s[i], p, rr, mu, span, sw.q)
        sec.append(total)
    hi, lo = max(sec), min(sec)
    big_r = [
        0.0 if hi - lo <= 1e-15 * max(1.0, abs(hi)) else (2 * v - hi - lo) / (hi - lo) for v in sec
    ]
    r = [(1 - v / 3) / (1 + v / 3) for v in big_r]
    new = list(x)
    for i in range(n):
        best: dict[str, list[tuple[float, float]]] = {
            "conflict": [],
            "compromise": [],
            "capitulation": [],
        }
        for j in range(n):
            if abs(x[i] - x[j]) <= 1e-12:
                continue
            a = _eu(x[i], x[j], s[j], _prob(x, w, r, i, j, span, sw), r[i], mu, span, sw.q)
            b = _eu(x[j], x[i], s[i], _prob(x, w, r, j, i, span, sw), r[i], mu, span, sw.q)
            if b > a > 0:
                best["conflict"].append((abs(x[j] - x[i]), x[j]))
            elif b > 0 > a and b > abs(a):
                pos = x[i] + (x[j] - x[i]) * abs(a / b)
                if sw.offer == "eu-weighted":
                    key = (abs(a) * x[i] + abs(b) * x[j]) / (abs(a) + abs(b))
                else:
                    key = abs(pos - x[i])
                best["compromise"].append((key, pos))
            elif b > 0 > a and b < abs(a) and sw.capitulation:
                best["capitulation"].append((abs(x[j] - x[i]), x[j]))
        for kind in ("conflict", "compromise", "capitulation"):
            if best[kind]:
                kmin = min(k for k, _ in best[kind])
                new[i] = min(p for k, p in best[kind] if k <= kmin + 1e-12 * max(1.0, abs(kmin)))
                break
    return new, r
