"""Benchmark of Stokman's exchange model and the KTAB-style SMP.

Run ``.venv/bin/python benchmarks/bench_exchange.py``. Prints times and ratios against

- the exchange model's published baseline: the Decide tool needs about 10 s for 15 actors ×
  13 issues × 10 rounds (forecast-models.md §3.1 item 6);
- a baseline measured here on the same input: the same rounds written as plain per-pair
  Python loops (`accord.forecast.models.exchange.reference_round`); the two must agree;
- for KTAB, a plain per-triple loop of the challenge assessment (the O(n³) step of a turn,
  `SMPState::probEduChlg` over all h = i, j, third parties n), against the vectorised one.

Not a test: nothing is asserted except that each baseline computes the same numbers.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import partial
from typing import Any

import numpy as np

from accord.forecast.models.exchange import (
    Exchange,
    exchange_round,
    next_start,
    outcome,
    reference_round,
)
from accord.forecast.models.ktab import KTAB, PERCEIVED, distances, utility, victory, vote
from accord.scenario import Compiled, Scenario, compile

PUBLISHED_DECIDE = 10.0


def best_of(
    fn: Callable[[], Any], repeat: int, clock: Callable[[], float] = time.perf_counter
) -> float:
    """The fastest of `repeat` timed calls, in seconds (wall clock unless `clock` is given)."""
    times = []
    for _ in range(repeat):
        t0 = clock()
        fn()
        times.append(clock() - t0)
    return min(times)


def scenario(n: int, k: int, seed: int) -> Compiled:
    """A random compiled scenario of `n` actors and `k` issues on 0–100."""
    rng = np.random.default_rng(seed)
    issues = [{"id": f"i{j}", "scale": [0, 100], "status_quo": 50} for j in range(k)]
    acts = [
        {
            "id": f"a{i:03d}",
            "capability": float(rng.uniform(1, 10)),
            "positions": {f"i{j}": float(rng.integers(0, 101)) for j in range(k)},
            "salience": {f"i{j}": float(rng.uniform(0.05, 1)) for j in range(k)},
        }
        for i in range(n)
    ]
    s = Scenario.model_validate({"meta": {"title": "bench"}, "issues": issues, "actors": acts})
    return compile(s)


def exchange_with_loops(c: Compiled, rounds: int = 10) -> np.ndarray:
    """The exchange model's rounds driven by the plain-loop round; returns the forecast."""
    rng = np.random.default_rng(0)
    order = np.argsort(np.array(c.actors.ids), kind="stable")
    s = c.actors.salience[order]
    w = c.actors.capability[order, None] * s
    x = c.actors.position[order].astype(float)
    y = x
    for _ in range(rounds):
        y, trades = reference_round(x, s, w, rng)
        if not trades:
            break
        x = next_start(x, y, s)
    return np.asarray(c.to_units(outcome(y, w)))


def challenges_with_loops(
    m: KTAB, x: np.ndarray, s: np.ndarray, c: np.ndarray, r: np.ndarray
) -> np.ndarray:
    """``P[i ≻ j]`` as i estimates it, one (i, j, n) triple at a time (smp.cpp's loops)."""
    n = len(c)
    d = distances(x, s)
    wgt = PERCEIVED[m.perceived]
    cs = c * s.sum(axis=1)
    floor = 1e-10 * cs.sum()
    out = np.full((n, n), 0.5)

    def u(h: int, k: int, j: int) -> float:
        return float(utility(d[k, j], (1 - wgt) * r[h] + wgt * r[k]))

    def v(w: float, delta: float) -> float:
        return float(vote(m.vote, w, np.array(delta)))

    for i in range(n):
        for j in range(n):
            if i == j:
                continue
            ci = v(cs[i], u(i, i, i) - u(i, i, j))
            cj = v(cs[j], u(i, j, i) - u(i, j, j))
            s_ij = floor + max(ci, 0) + max(cj, 0)
            s_ji = floor - min(ci, 0) - min(cj, 0)
            base_ij, base_ji = s_ij, s_ji
            for k in range(n):
                if k in (i, j):
                    continue
                uni, unj, unn = u(i, k, i), u(i, k, j), u(i, k, k)
                cn = v(cs[k], uni - unj)
                cni, cnj = base_ij + max(cn, 0), base_ji - min(cn, 0)
                pin = cni / (cni + cnj)
                vn = v(cs[k], pin * (unn - uni) + (1 - pin) * (unj - unn))
                s_ij += max(vn, 0)
                s_ji -= min(vn, 0)
            out[i, j] = float(victory(np.array(s_ij), np.array(s_ji), m.victory))
    return out


def bench_exchange() -> None:
    c = scenario(15, 13, seed=1)
    m = Exchange()
    f = m.forecast(c, seed=0)
    fast = best_of(lambda: m.forecast(c, seed=0), 5)
    cpu = best_of(lambda: m.forecast(c, seed=0), 5, time.process_time)
    slow = best_of(lambda: exchange_with_loops(c), 1)
    same = np.allclose(exchange_with_loops(c), f.point, atol=1e-9)
    a = c.actors
    w = a.capability[:, None] * a.salience
    one = best_of(
        lambda: exchange_round(a.position, a.salience, w, 0.0, np.random.default_rng(0)), 5
    )
    print(
        "exchange model, 15 actors × 13 issues × 10 rounds "
        f"({len(f.exchanges)} exchanges realised, {f.stop})"
    )
    print(
        f"  vectorised            {fast * 1e3:9.1f} ms   (CPU {cpu * 1e3:.1f} ms; "
        f"one round {one * 1e3:.1f} ms)"
    )
    print(
        f"  plain per-pair loops  {slow * 1e3:9.1f} ms   ratio {slow / fast:6.1f}×  "
        f"same forecast: {same}"
    )
    print(
        f"  Decide (published)    {PUBLISHED_DECIDE * 1e3:9.1f} ms   ratio "
        f"{PUBLISHED_DECIDE / fast:6.1f}×"
    )


def bench_ktab() -> None:
    m = KTAB()
    print("KTAB SMP (3 issues)")
    for n in (17, 100):
        c = scenario(n, 3, seed=2)
        f = m.forecast(c)
        t = best_of(partial(m.forecast, c), 3 if n < 50 else 1)
        cpu = best_of(partial(m.forecast, c), 3 if n < 50 else 1, time.process_time)
        print(
            f"  {n:3d} actors: {t * 1e3:9.1f} ms (CPU {cpu * 1e3:.1f} ms) for {f.rounds} turns "
            f"({cpu / max(f.rounds, 1) * 1e3:.1f} ms CPU a turn; {f.stop})"
        )
    for n in (17, 40):
        c = scenario(n, 3, seed=3)
        x, s, cap = c.actors.position, c.actors.salience / 3, c.actors.capability
        r = np.linspace(-0.5, 0.5, n)
        vec = best_of(partial(m.challenges, x, s, cap, r), 5)
        loop = best_of(partial(challenges_with_loops, m, x, s, cap, r), 1)
        same = np.allclose(challenges_with_loops(m, x, s, cap, r), m.challenges(x, s, cap, r)[0])
        print(
            f"  challenge step, {n} actors: vectorised {vec * 1e3:.2f} ms, plain loops "
            f"{loop * 1e3:.1f} ms, ratio {loop / vec:.0f}×, same P: {same}"
        )


if __name__ == "__main__":
    bench_exchange()
    bench_ktab()
