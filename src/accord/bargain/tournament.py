"""Tournaments: strategies × scenarios × seat assignments × repetitions.

Every assignment of the strategies to the seats of every scenario is played (for two seats:
every ordered pair, self-play included, so each strategy plays each seat — the seat
rotation), `repetitions` times. Session *i* draws from ``SeedSequence(seed, spawn_key=(i,))``
(`accord.seeding.run_seed`), so the results do not depend on the executor or the chunking.
Sessions are cut into chunks of `chunksize`, one task each, on any
`concurrent.futures.Executor` (a process pool, a Dask client's executor); ``progress(done,
total)`` is called after each chunk.

With ``batched=True`` (default), bilateral alternating-offers sessions between
time-dependent strategies under AC_next are played together by
`accord.bargain.batched.time_dependent_batch` — same results, much faster.

Decisions: a scenario with more than two seats under ``protocol="alternating"`` is played
with the multilateral protocol (unanimity); a party's result is its utility of the agreement,
or its reservation when there is none; welfare is the sum over the seats; the distance to Nash
is the Euclidean distance in utility space from that result to the Nash point.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, field
from itertools import product
from typing import Any

import numpy as np
import pandas as pd

from accord.bargain.batched import batchable, time_dependent_batch
from accord.bargain.domain import Domain, domain_from_compiled
from accord.bargain.protocols import make_protocol
from accord.bargain.strategies import Strategy, StrategyLike, TimeDependent, make_strategy
from accord.errors import InputError, LimitError, Problem
from accord.results import jsonable
from accord.scenario import Compiled, Scenario, compile
from accord.seeding import run_seed

MAX_SESSIONS = 2_000_000
StrategySpec = StrategyLike
ScenarioLike = str | Scenario | Compiled | Domain


@dataclass(frozen=True, eq=False)
class TournamentResult:
    """Per-session, per-seat rows of a tournament, and a summary per strategy."""

    sessions: pd.DataFrame
    params: dict[str, Any] = field(default_factory=dict)

    def summary(self) -> pd.DataFrame:
        """Per strategy: sessions, agreement rate, own utility, gain, welfare, Nash distance,
        rounds."""
        g = self.sessions.groupby("strategy", sort=False)
        out = pd.DataFrame(
            {
                "sessions": g.size(),
                "agreement_rate": g["agreement"].mean(),
                "own_utility": g["utility"].mean(),
                "gain": g["gain"].mean(),
                "welfare": g["welfare"].mean(),
                "nash_distance": g["nash_distance"].mean(),
                "rounds": g["rounds_played"].mean(),
            }
        ).reset_index()
        return out.sort_values("own_utility", ascending=False, kind="stable").reset_index(drop=True)

    def to_frame(self) -> pd.DataFrame:
        """Tidy table: one row per (session, seat)."""
        return self.sessions.copy()

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready record: parameters, the summary and every session row."""
        return {
            "params": jsonable(self.params),
            "summary": jsonable(self.summary().to_dict(orient="records")),
            "sessions": jsonable(self.sessions.to_dict(orient="records")),
        }


def as_domain(item: ScenarioLike, levels: int = 5) -> Domain:
    """A bargaining domain from a scenario name or file, a `Scenario`, `Compiled` or `Domain`."""
    if isinstance(item, Domain):
        return item
    if isinstance(item, str):
        from accord.io import load

        return domain_from_compiled(compile(load(item)), levels, name=item)
    if isinstance(item, Scenario):
        return domain_from_compiled(compile(item), levels, name=item.meta.title)
    if isinstance(item, Compiled):
        return domain_from_compiled(item, levels)
    raise InputError(
        Problem(
            "expected a scenario name, file, Scenario, Compiled or Domain",
            ("scenarios",),
            repr(item),
        )
    )


def _label(spec: StrategySpec) -> str:
    if isinstance(spec, Strategy):
        return spec.label()
    if isinstance(spec, tuple):
        name, params = spec
        return name + (":" + ",".join(f"{k}={v}" for k, v in params.items()) if params else "")
    return str(spec)


def _fresh(spec: StrategySpec) -> Strategy:
    return copy.deepcopy(spec) if isinstance(spec, Strategy) else make_strategy(spec)


def _rows(
    d: Domain,
    i: int,
    si: int,
    rep: int,
    labels: list[str],
    agreement: bool,
    rnd: int | None,
    u: np.ndarray,
    played: int,
) -> list[dict[str, Any]]:
    nash = None if d.nash is None else d.utility[d.nash]
    nd = float("nan") if nash is None else float(np.linalg.norm(u - nash))
    welfare = float(u.sum())
    return [
        {
            "session": i,
            "scenario": d.name,
            "scenario_index": si,
            "repetition": rep,
            "assignment": " vs ".join(labels),
            "seat": seat,
            "strategy": labels[a],
            "agreement": agreement,
            "round": rnd,
            "rounds_played": played,
            "utility": float(u[a]),
            "reservation": float(d.reservation[a]),
            "gain": float(u[a] - d.reservation[a]),
            "welfare": welfare,
            "nash_distance": nd,
        }
        for a, seat in enumerate(d.ids)
    ]


def _play_chunk(
    domains: dict[int, Domain],
    strategies: list[StrategySpec],
    protocol: str,
    protocol_params: dict[str, Any],
    rounds: int,
    seed: int,
    chunk: list[tuple[int, int, tuple[int, ...], int]],
    batched: bool,
) -> list[dict[str, Any]]:
    """Play one chunk of sessions ``(i, scenario index, assignment, repetition)``."""
    labels = [_label(s) for s in strategies]
    out: dict[int, list[dict[str, Any]]] = {}
    groups: dict[int, list[tuple[int, int, tuple[int, ...], int]]] = {}
    for item in chunk:
        i, si, assign, rep = item
        d = domains[si]
        strats = [_fresh(strategies[k]) for k in assign]
        proto = protocol if not (protocol == "alternating" and d.n > 2) else "multilateral"
        if batched and proto == "alternating" and not protocol_params and batchable(strats):
            groups.setdefault(si, []).append(item)
            continue
        s = make_protocol(proto, **protocol_params).run(
            d, strats, rounds=rounds, seed=run_seed(seed, i), trace=False
        )
        played = s.played
        out[i] = _rows(
            d, i, si, rep, [labels[k] for k in assign], s.agreement, s.round, s.utility, played
        )
    for si, items in groups.items():
        d = domains[si]
        exps = np.array([[_exponent(strategies[k]) for k in assign] for _, _, assign, _ in items])
        b = time_dependent_batch(d, exps, rounds)
        for j, (i, _, assign, rep) in enumerate(items):
            rnd = int(b.round[j]) if b.agreement[j] else None
            played = rnd + 1 if rnd is not None else (0 if b.walked else rounds)
            out[i] = _rows(
                d,
                i,
                si,
                rep,
                [labels[k] for k in assign],
                bool(b.agreement[j]),
                rnd,
                b.utility[j],
                played,
            )
    return [row for i in sorted(out) for row in out[i]]


def _exponent(spec: StrategySpec) -> float:
    s = _fresh(spec)
    assert isinstance(s, TimeDependent)
    return s.e


def tournament(
    scenarios: Sequence[ScenarioLike],
    strategies: Sequence[StrategySpec],
    *,
    protocol: str = "alternating",
    rounds: int = 100,
    repetitions: int = 1,
    seed: int = 0,
    executor: Executor | None = None,
    chunksize: int = 256,
    progress: Callable[[int, int], None] | None = None,
    batched: bool = True,
    levels: int = 5,
    protocol_params: dict[str, Any] | None = None,
) -> TournamentResult:
    """Play every assignment of `strategies` to the seats of every scenario (module doc)."""
    if not scenarios or not strategies:
        raise InputError(
            Problem(
                "a tournament needs at least one scenario and one strategy",
                ("scenarios" if not scenarios else "strategies",),
                [],
            )
        )
    if repetitions < 1 or chunksize < 1:
        raise InputError(
            Problem("repetitions and chunksize must be ≥ 1", ("repetitions",), repetitions)
        )
    for spec in strategies:
        _fresh(spec)
    domains = [as_domain(x, levels) for x in scenarios]
    for d in domains:
        _ = d.nash, d.order, d.sorted_utility, d.best, d.pareto
    plan: list[tuple[int, int, tuple[int, ...], int]] = []
    total = sum(len(strategies) ** d.n for d in domains) * repetitions
    if total > MAX_SESSIONS:
        raise LimitError(
            "tournament sessions",
            total,
            MAX_SESSIONS,
            "use fewer strategies, scenarios or repetitions",
        )
    i = 0
    for si, d in enumerate(domains):
        for assign in product(range(len(strategies)), repeat=d.n):
            for rep in range(repetitions):
                plan.append((i, si, assign, rep))
                i += 1
    chunks = [plan[k : k + chunksize] for k in range(0, len(plan), chunksize)]
    pp = dict(protocol_params or {})
    specs = list(strategies)

    def args(chunk: list[tuple[int, int, tuple[int, ...], int]]) -> tuple[Any, ...]:
        used = {si: domains[si] for _, si, _, _ in chunk}
        return (used, specs, protocol, pp, rounds, seed, chunk, batched)

    rows: list[list[dict[str, Any]]] = [[] for _ in chunks]
    done = 0
    if executor is None:
        for k, chunk in enumerate(chunks):
            rows[k] = _play_chunk(*args(chunk))
            done += len(chunk)
            if progress:
                progress(done, total)
    else:
        futures = {executor.submit(_play_chunk, *args(c)): k for k, c in enumerate(chunks)}
        from concurrent.futures import as_completed

        for fut in as_completed(futures):
            k = futures[fut]
            rows[k] = fut.result()
            done += len(chunks[k])
            if progress:
                progress(done, total)
    frame = pd.DataFrame([r for part in rows for r in part])
    params = {
        "scenarios": [d.name for d in domains],
        "strategies": [_label(s) for s in specs],
        "protocol": protocol,
        "protocol_params": pp,
        "rounds": rounds,
        "repetitions": repetitions,
        "seed": seed,
        "sessions": total,
        "levels": levels,
    }
    return TournamentResult(frame, params)
