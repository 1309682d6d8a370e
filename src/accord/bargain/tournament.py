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
from concurrent.futures import Executor, as_completed
from dataclasses import dataclass, field
from itertools import product
from typing import Any, NamedTuple

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


class _Item(NamedTuple):
    """One planned session: its index, the scenario's index, the strategy index of every seat,
    and the repetition."""

    session: int
    scenario: int
    assign: tuple[int, ...]
    rep: int


class _Result(NamedTuple):
    """How one session ended: agreement, its round (None without), every seat's utility (its
    reservation without agreement) and the rounds played."""

    agreement: bool
    round: int | None
    utility: np.ndarray
    played: int


@dataclass(frozen=True)
class _Plan:
    """What every chunk of a tournament shares: the strategies and how a session is played."""

    strategies: tuple[StrategySpec, ...]
    protocol: str
    protocol_params: dict[str, Any]
    rounds: int
    seed: int
    batched: bool


def _rows(d: Domain, item: _Item, labels: list[str], res: _Result) -> list[dict[str, Any]]:
    """The per-seat rows of one session of the plan."""
    u = res.utility
    nash = None if d.nash is None else d.utility[d.nash]
    nd = float("nan") if nash is None else float(np.linalg.norm(u - nash))
    welfare = float(u.sum())
    names = [labels[k] for k in item.assign]
    return [
        {
            "session": item.session,
            "scenario": d.name,
            "scenario_index": item.scenario,
            "repetition": item.rep,
            "assignment": " vs ".join(names),
            "seat": seat,
            "strategy": names[a],
            "agreement": res.agreement,
            "round": res.round,
            "rounds_played": res.played,
            "utility": float(u[a]),
            "reservation": float(d.reservation[a]),
            "gain": float(u[a] - d.reservation[a]),
            "welfare": welfare,
            "nash_distance": nd,
        }
        for a, seat in enumerate(d.ids)
    ]


def _play_chunk(
    plan: _Plan, domains: dict[int, Domain], chunk: list[_Item]
) -> list[dict[str, Any]]:
    """Play one chunk of sessions: one by one through the protocol (the path `run_session`
    takes, vectorised for two time-dependent seats), or, with ``batched``, every bilateral
    time-dependent AC_next session of a scenario in one `time_dependent_batch`."""
    labels = [_label(s) for s in plan.strategies]
    out: dict[int, list[dict[str, Any]]] = {}
    groups: dict[int, list[_Item]] = {}
    for item in chunk:
        d = domains[item.scenario]
        strats = [_fresh(plan.strategies[k]) for k in item.assign]
        alternating = plan.protocol == "alternating"
        proto = "multilateral" if alternating and d.n > 2 else plan.protocol
        together = plan.batched and proto == "alternating" and not plan.protocol_params
        if together and batchable(strats):
            groups.setdefault(item.scenario, []).append(item)
            continue
        s = make_protocol(proto, **plan.protocol_params).run(
            d, strats, rounds=plan.rounds, seed=run_seed(plan.seed, item.session), trace=False
        )
        res = _Result(s.agreement, s.round, s.utility, s.played)
        out[item.session] = _rows(d, item, labels, res)
    for si, items in groups.items():
        out.update(_play_batch(plan, domains[si], items, labels))
    return [row for i in sorted(out) for row in out[i]]


def _play_batch(
    plan: _Plan, d: Domain, items: list[_Item], labels: list[str]
) -> dict[int, list[dict[str, Any]]]:
    """The rows of bilateral time-dependent sessions on one domain, played as one batch."""
    exponent = {k: _exponent(plan.strategies[k]) for k in {k for x in items for k in x.assign}}
    exps = np.array([[exponent[k] for k in item.assign] for item in items])
    b = time_dependent_batch(d, exps, plan.rounds)
    out = {}
    for j, item in enumerate(items):
        rnd = int(b.round[j]) if b.agreement[j] else None
        played = rnd + 1 if rnd is not None else (0 if b.walked else plan.rounds)
        res = _Result(bool(b.agreement[j]), rnd, b.utility[j], played)
        out[item.session] = _rows(d, item, labels, res)
    return out


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
    items = _schedule(domains, len(strategies), repetitions)
    chunks = [items[k : k + chunksize] for k in range(0, len(items), chunksize)]
    pp = dict(protocol_params or {})
    specs = list(strategies)
    how = _Plan(tuple(specs), protocol, pp, rounds, seed, batched)
    rows = _run_chunks(how, domains, chunks, executor, progress)
    frame = pd.DataFrame([r for part in rows for r in part])
    params = {
        "scenarios": [d.name for d in domains],
        "strategies": [_label(s) for s in specs],
        "protocol": protocol,
        "protocol_params": pp,
        "rounds": rounds,
        "repetitions": repetitions,
        "seed": seed,
        "sessions": len(items),
        "levels": levels,
    }
    return TournamentResult(frame, params)


def _schedule(domains: list[Domain], n_strategies: int, repetitions: int) -> list[_Item]:
    """Every session of the tournament in order: scenario, assignment, repetition."""
    total = sum(n_strategies**d.n for d in domains) * repetitions
    if total > MAX_SESSIONS:
        raise LimitError(
            "tournament sessions",
            total,
            MAX_SESSIONS,
            "use fewer strategies, scenarios or repetitions",
        )
    items: list[_Item] = []
    for si, d in enumerate(domains):
        for assign in product(range(n_strategies), repeat=d.n):
            for rep in range(repetitions):
                items.append(_Item(len(items), si, assign, rep))
    return items


def _run_chunks(
    how: _Plan,
    domains: list[Domain],
    chunks: list[list[_Item]],
    executor: Executor | None,
    progress: Callable[[int, int], None] | None,
) -> list[list[dict[str, Any]]]:
    """The rows of every chunk, in chunk order, played here or on `executor`; `progress`
    hears of every finished chunk."""
    total = sum(len(c) for c in chunks)

    def args(chunk: list[_Item]) -> tuple[Any, ...]:
        return (how, {item.scenario: domains[item.scenario] for item in chunk}, chunk)

    rows: list[list[dict[str, Any]]] = [[] for _ in chunks]
    done = 0
    if executor is None:
        for k, chunk in enumerate(chunks):
            rows[k] = _play_chunk(*args(chunk))
            done += len(chunk)
            if progress:
                progress(done, total)
        return rows
    futures = {executor.submit(_play_chunk, *args(c)): k for k, c in enumerate(chunks)}
    for fut in as_completed(futures):
        k = futures[fut]
        rows[k] = fut.result()
        done += len(chunks[k])
        if progress:
            progress(done, total)
    return rows
