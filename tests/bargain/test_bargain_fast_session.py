"""run_session's vectorised path: the same Session, trace included, as the round loop."""

from __future__ import annotations

import pytest

import accord
from accord.bargain import domain_from_compiled, random_domain, run_session
from accord.bargain.domain import Domain
from accord.bargain.protocols import AlternatingOffers, _State
from accord.bargain.session import Session
from accord.bargain.strategies import StrategyLike


def loop(d: Domain, strategies: list[StrategyLike], rounds: int, trace: bool = True) -> Session:
    """The round-by-round loop, bypassing the dispatch."""
    p = AlternatingOffers()
    return p._play(_State(p, d, strategies, rounds, 0, None, trace))


DOMAINS = {
    "random": lambda: random_domain(600, 2, seed=3),
    "reservation": lambda: random_domain(300, 2, seed=9, reservation=0.3),
    "almaty": lambda: domain_from_compiled(accord.compile(accord.load("almaty-2013"))),
}
LINEUPS: list[list[StrategyLike]] = [
    ["boulware", "boulware"],
    ["conceder", "linear"],
    [("linear", {"e": 0.5}), "boulware"],
]


@pytest.mark.parametrize("domain", list(DOMAINS))
@pytest.mark.parametrize("rounds", [1, 2, 9, 200])
def test_vectorised_session_is_the_loop_session(domain: str, rounds: int) -> None:
    d = DOMAINS[domain]()
    for lineup in LINEUPS:
        for trace in (True, False):
            fast = run_session(d, lineup, rounds=rounds, trace=trace)
            slow = loop(d, lineup, rounds, trace)
            assert fast.to_dict() == slow.to_dict()
            assert fast.steps == slow.steps
            assert fast.to_frame().equals(slow.to_frame())


def test_the_dispatch_is_taken_and_left_as_it_should(monkeypatch: pytest.MonkeyPatch) -> None:
    from accord.bargain import protocols

    calls: list[int] = []
    real = protocols.time_dependent_full

    def spy(*args: object, **kw: object) -> Session:
        calls.append(1)
        return real(*args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(protocols, "time_dependent_full", spy)
    d = random_domain(200, 2, seed=1)
    run_session(d, ["boulware", "conceder"], rounds=20)
    assert len(calls) == 1
    run_session(d, ["boulware", "frequency"], rounds=20)
    run_session(d, ["boulware", "conceder"], rounds=20, discount=0.9)
    run_session(d, [("boulware", {"acceptance": "const:0.8"}), "conceder"], rounds=20)
    run_session(d, ["boulware", "conceder"], rounds=20, reservation_at=lambda r: d.reservation)
    assert len(calls) == 1


def test_nobody_to_bargain_with_still_walks_away() -> None:
    d = random_domain(50, 2, seed=2, reservation=1.0)
    s = run_session(d, ["boulware", "boulware"], rounds=10)
    assert s.reason == "walk-away" and not s.agreement


def test_the_trace_is_built_when_read_and_pickles_as_a_tuple() -> None:
    import pickle

    from accord.bargain.session import LazySteps

    d = random_domain(400, 2, seed=4)
    fast = run_session(d, ["boulware", "linear"], rounds=60)
    assert isinstance(fast.steps, LazySteps)
    assert fast.steps._steps is None and len(fast.steps) == fast.played
    slow = loop(d, ["boulware", "linear"], 60)
    assert slow.steps == fast.steps and fast.steps[-1] == slow.steps[-1]
    assert fast.steps[1:3] == slow.steps[1:3]
    again = pickle.loads(pickle.dumps(fast))
    assert isinstance(again.steps, tuple) and again.steps == slow.steps
