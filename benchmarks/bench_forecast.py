"""Benchmark of the BDM model (the exchange and KTAB models: ``bench_exchange.py``).

Run ``.venv/bin/python benchmarks/bench_forecast.py``. Prints wall times and ratios against

- the published baseline: the pure-Python port of Scholz's code needs about 36 s for one
  17-actor round (forecast-models.md §2.4.6);
- a measured baseline: a plain per-dyad loop implementation of the same round
  (``tests/forecast/bdm_reference.py``, test-only code), run here on the same input.

Not a test: nothing is asserted.
"""

from __future__ import annotations

import importlib.util
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from accord.forecast import MODELS
from accord.forecast.models.bdm_core import Switches, bdm_round
from accord.scenario import Scenario, compile


def _reference() -> Any:
    """The loop implementation kept with the tests (not shipped with accord)."""
    path = Path(__file__).resolve().parent.parent / "tests" / "forecast" / "bdm_reference.py"
    spec = importlib.util.spec_from_file_location("bdm_reference", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


bdm_round_loop = _reference().bdm_round_loop

PUBLISHED_BDM_ROUND_17 = 36.0


def best_of(fn: Callable[[], Any], repeat: int) -> float:
    """The fastest of `repeat` timed calls, in seconds."""
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def actors(n: int, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Random positions (0–100 in steps of 5), capabilities and saliences of `n` actors."""
    rng = np.random.default_rng(seed)
    return (rng.integers(0, 21, n) * 5.0, rng.uniform(0.05, 1.0, n), rng.uniform(0.1, 1.0, n))


def scenario(n: int, k: int, seed: int) -> Scenario:
    """A random scenario of `n` actors and `k` issues on 0–100."""
    rng = np.random.default_rng(seed)
    issues = [{"id": f"i{j}", "scale": [0, 100], "status_quo": 50} for j in range(k)]
    acts = [
        {
            "id": f"a{i}",
            "capability": float(rng.uniform(0.1, 1)),
            "positions": {f"i{j}": float(rng.integers(0, 101)) for j in range(k)},
            "salience": {f"i{j}": float(rng.uniform(0.1, 1)) for j in range(k)},
        }
        for i in range(n)
    ]
    return Scenario.model_validate({"meta": {"title": "bench"}, "issues": issues, "actors": acts})


def main() -> None:
    sw = Switches()
    x, c, s = actors(17, 1)
    r = np.ones(17)
    fast = best_of(lambda: bdm_round(x, c, s, r, 100.0, sw), 20)
    loop = best_of(lambda: bdm_round_loop(list(x), list(c), list(s), list(r), 100.0, sw), 1)
    new_fast = bdm_round(x, c, s, r, 100.0, sw).x
    new_loop = np.array(bdm_round_loop(list(x), list(c), list(s), list(r), 100.0, sw)[0])
    print("BDM round, 17 actors (Scholz-code switches)")
    print(f"  vectorised           {fast * 1e3:9.2f} ms")
    print(
        f"  per-dyad loop        {loop * 1e3:9.1f} ms   (measured baseline, same input; "
        f"same result: {np.allclose(new_fast, new_loop)})"
    )
    print(f"  speed-up vs loop     {loop / fast:9.0f} x")
    print(f"  speed-up vs 36 s     {PUBLISHED_BDM_ROUND_17 / fast:9.0f} x   (published baseline)")
    x, c, s = actors(250, 2)
    big = best_of(lambda: bdm_round(x, c, s, np.ones(250), 100.0, sw), 3)
    print("BDM round, 250 actors")
    print(f"  vectorised           {big * 1e3:9.1f} ms")
    big_p = best_of(
        lambda: bdm_round(x, c, s, np.ones(250), 100.0, Switches(denominator="paper")), 3
    )
    print(f"  paper denominator    {big_p * 1e3:9.1f} ms")
    comp = compile(scenario(17, 1, 3))
    whole = best_of(lambda: MODELS.create("bdm", rounds=8, converge=False).forecast(comp), 3)
    print(f"BDM model, 17 actors, 8 rounds: {whole * 1e3:.1f} ms")


if __name__ == "__main__":
    main()
