"""Benchmark of accord.bargain: sessions per second, single and batched, a 7-party session, a
tournament on 2 processes against serial, and NegMAS on the same utilities when installed.

Run: ``.venv/bin/python benchmarks/bench_bargain.py [--quick]``.

Work is matched to NegMAS's: in NegMAS's `SAOMechanism` one *step* lets each of the two
negotiators act once, so ``n_steps=100`` allows up to 200 offers; accord's sessions here run
``rounds=200`` offers. The NegMAS run (benchmarks/.negmas-venv, made by setup_negmas.sh) is a
separate process reading the same utility table from a temporary .npy file; NegMAS is never
imported by accord.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np

from accord.bargain import random_domain, run_session
from accord.bargain.batched import time_dependent_batch, time_dependent_multilateral
from accord.bargain.strategies import StrategyLike
from accord.bargain.tournament import tournament

HERE = Path(__file__).resolve().parent
NEGMAS = HERE / ".negmas-venv" / "bin" / "python"
STEPS = 100
ROUNDS = 2 * STEPS
PAIRS = {"boulware": (0.2, 0.2), "conceder": (2.0, 2.0)}

NEGMAS_SCRIPT = r"""
import json, sys, time
import numpy as np
from negmas import SAOMechanism, make_issue
from negmas.preferences import MappingUtilityFunction
from negmas.sao import BoulwareTBNegotiator, ConcederTBNegotiator

u = np.load(sys.argv[1])
steps, budget = int(sys.argv[2]), float(sys.argv[3])
issues = [make_issue(u.shape[0], "o")]
tables = [{(i,): float(u[i, a]) for i in range(u.shape[0])} for a in range(2)]
out = {}
for name, cls in (("boulware", BoulwareTBNegotiator), ("conceder", ConcederTBNegotiator)):
    def one():
        m = SAOMechanism(issues=issues, n_steps=steps)
        for a in range(2):
            uf = MappingUtilityFunction(tables[a], outcome_space=m.outcome_space,
                                        reserved_value=0.0)
            m.add(cls(name=f"a{a}"), preferences=uf)
        m.run()
        return m.state
    one()
    t0, n = time.process_time(), 0
    while time.process_time() - t0 < budget:
        st = one()
        n += 1
    out[name] = {"per_s": n / (time.process_time() - t0), "agreement": st.agreement is not None,
                 "step": st.step}
print(json.dumps(out))
"""


NEGMAS_7 = r"""
import json, sys, time
import numpy as np
from negmas import SAOMechanism, make_issue
from negmas.preferences import MappingUtilityFunction
from negmas.sao import BoulwareTBNegotiator, ConcederTBNegotiator, LinearTBNegotiator

u = np.load(sys.argv[1])
steps, budget = int(sys.argv[2]), float(sys.argv[3])
issues = [make_issue(u.shape[0], "o")]
kinds = [BoulwareTBNegotiator, LinearTBNegotiator, ConcederTBNegotiator]
tables = [{(i,): float(u[i, a]) for i in range(u.shape[0])} for a in range(u.shape[1])]
def one():
    m = SAOMechanism(issues=issues, n_steps=steps)
    for a in range(u.shape[1]):
        uf = MappingUtilityFunction(tables[a], outcome_space=m.outcome_space, reserved_value=0.1)
        m.add(kinds[a % 3](name=f"a{a}"), preferences=uf)
    m.run()
    return m.state
one()
t0, n = time.process_time(), 0
while time.process_time() - t0 < budget:
    st = one()
    n += 1
print(json.dumps({"per_s": n / (time.process_time() - t0), "agreement": st.agreement is not None,
                  "step": st.step}))
"""
SEVEN = ["boulware", "linear", "conceder"] * 2 + ["boulware"]


def rate(fn: Callable[[], object], budget: float) -> float:
    """Calls per CPU second of `fn` over about `budget` CPU seconds (after one warm-up call).

    CPU time of this process, as in the NegMAS runs: the machine is shared, and wall-clock
    rates taken minutes apart would compare the neighbours' load, not the code."""
    fn()
    t0, n = time.process_time(), 0
    while time.process_time() - t0 < budget:
        fn()
        n += 1
    return n / (time.process_time() - t0)


def busy(n: int) -> int:
    """A pure-Python CPU-bound loop: what two processes can gain on this machine at best."""
    total = 0
    for i in range(n):
        total += i * i
    return total


def machine_ceiling(ex: ProcessPoolExecutor, n: int = 3_000_000) -> float:
    """Speed-up of two busy loops on the pool over the same two in this process."""
    t0 = time.perf_counter()
    busy(n)
    busy(n)
    serial = time.perf_counter() - t0
    t0 = time.perf_counter()
    list(ex.map(busy, [n, n]))
    return serial / (time.perf_counter() - t0)


def negmas_rates(u: np.ndarray, budget: float, script: str = NEGMAS_SCRIPT) -> Any:
    """NegMAS's JSON result on utility table `u`, or None when NegMAS is not set up."""
    if not NEGMAS.exists():
        return None
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "u.npy"
        np.save(path, u)
        proc = subprocess.run(
            [str(NEGMAS), "-c", script, str(path), str(STEPS), str(budget)],
            capture_output=True,
            text=True,
            timeout=600,
        )
    if proc.returncode != 0:
        print("NegMAS run failed:", proc.stderr.strip().splitlines()[-1:])
        return None
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    quick = "--quick" in sys.argv
    budget = 0.5 if quick else 2.0
    batch = 2_000 if quick else 10_000
    d = random_domain(1000, 2, seed=0)
    rng = np.random.default_rng(0)
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"domain: {d.size} outcomes, 2 parties; {ROUNDS} offers = NegMAS n_steps={STEPS}; "
        f"{os.cpu_count()} cores, load average {load}; rates per CPU second, NegMAS's too"
    )

    called = rate(lambda: run_session(d, ["boulware", "boulware"], rounds=ROUNDS), budget)
    read = rate(lambda: list(run_session(d, ["boulware", "boulware"], rounds=ROUNDS).steps), budget)
    print(
        f"run_session(d, ['boulware', 'boulware'], rounds={ROUNDS}) as a user calls it: "
        f"{called:,.0f}/s; with its trace read: {read:,.0f}/s (per CPU second)"
    )
    steps = len(run_session(d, ["boulware", "boulware"], rounds=ROUNDS).steps)
    each = (1 / read - 1 / called) / steps * 1e6
    slow: list[StrategyLike] = ["boulware:acceptance=const:0.99", "frequency"]
    loop_called = rate(lambda: run_session(d, slow, rounds=ROUNDS, trace=False), budget)
    loop_read = rate(lambda: list(run_session(d, slow, rounds=ROUNDS).steps), budget)
    print(
        f"  reading its {steps} steps costs {each:.2f} µs a step; a line-up without a kernel "
        f"({', '.join(map(str, slow))}), session loop: {loop_called:,.0f}/s, "
        f"{loop_read:,.0f}/s with the trace read"
    )
    ours: dict[str, dict[str, float]] = {}
    for name, (e0, e1) in PAIRS.items():
        lineup: list[StrategyLike] = [("linear", {"e": e0}), ("linear", {"e": e1})]
        pair = np.array([[e0, e1]])

        def loop_once(lineup: list[StrategyLike] = lineup) -> object:
            return run_session(d, lineup, rounds=ROUNDS, trace=False)

        def single_once(pair: np.ndarray = pair) -> object:
            return time_dependent_batch(d, pair, ROUNDS)

        loop = rate(loop_once, budget)
        single = rate(single_once, budget)
        jitter = np.array([e0, e1]) * rng.uniform(0.9, 1.1, (batch, 2))
        t0 = time.process_time()
        b = time_dependent_batch(d, jitter, ROUNDS)
        batched = batch / (time.process_time() - t0)
        s = run_session(d, lineup, rounds=ROUNDS)
        ours[name] = {"loop": loop, "single": single, "batched": batched}
        print(
            f"{name:9s} pair: agreement round {s.round}; session loop {loop:8,.0f}/s, "
            f"fast single {single:8,.0f}/s, batched ({batch:,} sessions, exponents ±10 %) "
            f"{batched:10,.0f}/s  [{b.agreement.mean():.0%} agree]"
        )

    d7 = random_domain(1000, 7, seed=1, reservation=0.1)
    for proto in ("multilateral", "mediated"):
        t0 = time.perf_counter()
        s7 = run_session(
            d7,
            [
                "boulware",
                "linear",
                "conceder",
                "frequency",
                "tft-relative",
                "random",
                "nash-seeker",
            ],
            proto,
            rounds=ROUNDS,
        )
        dt = time.perf_counter() - t0
        print(
            f"7-party {proto:12s}: {dt * 1000:7.1f} ms for one session of up to {ROUNDS} "
            f"rounds ({s7.reason}, {s7.played} rounds, traced)"
        )

    doms = [random_domain(400, 2, seed=s, reservation=0.1) for s in range(4)]
    strats = [
        "boulware",
        "linear",
        "conceder",
        "hardliner",
        "tft-relative",
        "frequency",
        "random",
        "nash-seeker",
    ]
    kw = dict(rounds=100, repetitions=1 if quick else 3, seed=0, batched=False)
    t0, c0 = time.perf_counter(), time.process_time()
    serial = tournament(doms, strats, **kw)  # type: ignore[arg-type]
    t_serial, cpu_serial = time.perf_counter() - t0, time.process_time() - c0
    kids0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    with ProcessPoolExecutor(2) as ex:
        ex.submit(int, 0).result()
        list(ex.map(abs, [1, 2]))
        t0 = time.perf_counter()
        pooled = tournament(doms, strats, executor=ex, chunksize=32, **kw)  # type: ignore[arg-type]
        t_pool = time.perf_counter() - t0
        ceiling = machine_ceiling(ex)
    kids1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu_pool = (kids1.ru_utime + kids1.ru_stime) - (kids0.ru_utime + kids0.ru_stime)
    same = serial.sessions.equals(pooled.sessions)
    print(
        f"tournament: {serial.params['sessions']} sessions; serial {t_serial:.2f} s, "
        f"2 processes {t_pool:.2f} s: {t_serial / t_pool:.2f}x (target ≥ 1.85x); "
        f"identical results: {same}"
    )
    print(
        f"  CPU: serial {cpu_serial:.2f} s, the 2 workers {cpu_pool:.2f} s in all; "
        f"speed-up if both cores were free ≈ {2 * cpu_serial / max(cpu_pool, 1e-9):.2f}x; "
        f"a pure-Python busy loop gets {ceiling:.2f}x on this machine now"
    )

    neg = negmas_rates(d.utility, budget * 2)
    if neg is None:
        print("NegMAS: not set up (run benchmarks/setup_negmas.sh); ratios skipped")
        return
    nb = neg["boulware"]["per_s"]
    print(
        f"NegMAS boulware vs run_session as called: {called / nb:,.0f}x (target ≥ 100x); "
        f"with the trace read {read / nb:,.0f}x"
    )
    for name, r in neg.items():
        o = ours[name]
        print(
            f"NegMAS {name:9s}: {r['per_s']:7.1f}/s (agreement {r['agreement']}, step "
            f"{r['step']}); accord loop {o['loop'] / r['per_s']:7.1f}x, fast single "
            f"{o['single'] / r['per_s']:8.1f}x (target ≥ 100x), batched "
            f"{o['batched'] / r['per_s']:9.1f}x (target ≥ 2,000x)"
        )
    r7 = negmas_rates(d7.utility, budget * 2, NEGMAS_7)
    if r7 is not None:
        s7 = run_session(d7, SEVEN, "multilateral", rounds=7 * STEPS, trace=False)
        ours7 = rate(
            lambda: run_session(d7, SEVEN, "multilateral", rounds=7 * STEPS, trace=False), budget
        )
        e7 = np.array([{"boulware": 0.2, "linear": 1.0, "conceder": 2.0}[x] for x in SEVEN])
        fast7 = rate(lambda: time_dependent_multilateral(d7, e7, 7 * STEPS), budget)
        same = time_dependent_multilateral(d7, e7, 7 * STEPS) == (s7.round, s7.outcome)
        print(
            f"7 parties (Boulware/linear/conceder, n_steps={STEPS}): NegMAS {r7['per_s']:.2f}/s "
            f"(agreement {r7['agreement']}, step {r7['step']}); accord session loop "
            f"{ours7:,.1f}/s (agreement {s7.agreement}, round {s7.round}): "
            f"{ours7 / r7['per_s']:.0f}x; vectorised {fast7:,.0f}/s (same result: {same}): "
            f"{fast7 / r7['per_s']:.0f}x (target ≥ 100x)"
        )


if __name__ == "__main__":
    main()
