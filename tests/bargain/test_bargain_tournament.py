"""Tournaments: seeding independent of the executor, batched = loop, summaries, limits."""

from __future__ import annotations

import json
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

import pytest

from accord.bargain import random_domain
from accord.bargain.tournament import tournament
from accord.errors import InputError, LimitError, UnknownNameError
from accord.results import jsonable

STRATS = ["boulware", "linear", "conceder", "hardliner", "random", "frequency"]


@pytest.fixture(scope="module")
def domains():  # type: ignore[no-untyped-def]
    return [random_domain(200, 2, reservation=0.2, seed=3), random_domain(150, 3, seed=4)]


def test_tournament_rows_and_summary(domains) -> None:  # type: ignore[no-untyped-def]
    calls: list[tuple[int, int]] = []
    r = tournament(
        domains,
        STRATS,
        rounds=30,
        repetitions=2,
        seed=5,
        chunksize=50,
        progress=lambda done, total: calls.append((done, total)),
    )
    total = (6**2 + 6**3) * 2
    assert r.params["sessions"] == total and calls[-1] == (total, total)
    f = r.to_frame()
    assert len(f) == 6**2 * 2 * 2 + 6**3 * 2 * 3
    assert set(f["strategy"]) == set(STRATS)
    summ = r.summary()
    assert list(summ.columns) == [
        "strategy",
        "sessions",
        "agreement_rate",
        "own_utility",
        "gain",
        "welfare",
        "nash_distance",
        "rounds",
    ]
    hard = summ.set_index("strategy").loc["hardliner"]
    assert 0 <= hard["agreement_rate"] <= 1
    assert (f["rounds_played"] <= 30).all()
    json.dumps(jsonable(r))


def test_results_do_not_depend_on_the_executor_or_chunks(domains) -> None:  # type: ignore[no-untyped-def]
    serial = tournament(domains[:1], STRATS, rounds=25, repetitions=2, seed=9)
    with ThreadPoolExecutor(2) as ex:
        threaded = tournament(
            domains[:1], STRATS, rounds=25, repetitions=2, seed=9, executor=ex, chunksize=7
        )
    assert serial.sessions.equals(threaded.sessions)
    other = tournament(domains[:1], STRATS, rounds=25, repetitions=2, seed=10)
    assert not serial.sessions.equals(other.sessions)  # the random strategy sees the seed


def test_process_pool(domains) -> None:  # type: ignore[no-untyped-def]
    serial = tournament(domains[:1], STRATS[:3], rounds=20, seed=1)
    with ProcessPoolExecutor(2) as ex:
        pooled = tournament(domains[:1], STRATS[:3], rounds=20, seed=1, executor=ex, chunksize=3)
    assert serial.sessions.equals(pooled.sessions)


def test_batched_equals_the_session_loop(domains) -> None:  # type: ignore[no-untyped-def]
    strats = ["boulware", "linear", "conceder", "linear:e=0.5"]
    a = tournament(domains[:1], strats, rounds=40, batched=True)
    b = tournament(domains[:1], strats, rounds=40, batched=False)
    assert a.sessions.equals(b.sessions)


def test_builtin_scenarios_and_limits() -> None:
    r = tournament(["teaching-trade"], ["boulware", "conceder"], rounds=20)
    assert r.params["scenarios"] == ["teaching-trade"]
    assert r.sessions["agreement"].all()
    with pytest.raises(LimitError, match="tournament sessions"):
        tournament(["ec-emissions-1994"], [*STRATS[:5]])
    with pytest.raises(InputError):
        tournament([], ["boulware"])
    with pytest.raises(UnknownNameError, match="unknown strategies 'nope'"):
        tournament(["teaching-trade"], ["nope"])
