"""Contract suite: every registered strategy under every registered protocol."""

from __future__ import annotations

import json
import pickle

import numpy as np
import pytest

from accord.bargain import PROTOCOLS, STRATEGIES, make_strategy, random_domain, run_session
from accord.results import jsonable

STRATEGY_NAMES = STRATEGIES.names()
PROTOCOL_NAMES = PROTOCOLS.names()
ROUNDS = 30


def _domain(protocol: str):
    n = 2 if protocol == "alternating" else 3
    return random_domain(300, n, issues=3, reservation=0.3, seed=7)


def _lineup(name: str, n: int) -> list[str]:
    partners = ["linear", "conceder", "boulware"]
    return [name, *partners[: n - 1]]


@pytest.mark.parametrize("protocol", PROTOCOL_NAMES)
@pytest.mark.parametrize("name", STRATEGY_NAMES)
def test_contract(name: str, protocol: str) -> None:
    d = _domain(protocol)
    lineup = _lineup(name, d.n)
    s = run_session(d, lineup, protocol, rounds=ROUNDS, seed=3)
    # terminates by the deadline
    assert s.played <= ROUNDS and len(s.steps) <= ROUNDS
    assert s.reason in {"agreement", "deadline", "walk-away"}
    assert s.agreement == (s.reason == "agreement")
    # never offers outside the space
    for st in s.steps:
        assert 0 <= st.offer < d.size
    # no party accepts below its reservation
    for st in s.steps:
        for a, resp in enumerate(st.responses):
            if resp:
                assert st.utility[a] >= st.reservation[a] - 1e-9
    if s.agreement:
        assert (s.discounted >= s.reservation - 1e-9).all()
        assert s.round is not None and s.outcome is not None
    # reproducible under a seed
    again = run_session(d, lineup, protocol, rounds=ROUNDS, seed=3)
    assert json.dumps(jsonable(again)) == json.dumps(jsonable(s))


@pytest.mark.parametrize("name", STRATEGY_NAMES)
def test_strategy_declares_traits_and_pickles(name: str) -> None:
    entry = STRATEGIES.get(name)
    for trait in ("family", "deterministic", "needs_opponent_utility", "multilateral", "cite"):
        assert trait in entry.traits
    assert entry.summary
    st = make_strategy(name)
    assert st.name == name
    clone = pickle.loads(pickle.dumps(st))
    assert clone.params() == st.params()


@pytest.mark.parametrize("name", STRATEGY_NAMES)
def test_deterministic_trait_holds(name: str) -> None:
    d = random_domain(300, 2, reservation=0.2, seed=11)
    a = run_session(d, [name, "random"], rounds=ROUNDS, seed=1)
    b = run_session(d, [name, "random"], rounds=ROUNDS, seed=2)
    c = run_session(d, [name, "linear"], rounds=ROUNDS, seed=1)
    c2 = run_session(d, [name, "linear"], rounds=ROUNDS, seed=99)
    if STRATEGIES.get(name).traits["deterministic"]:
        assert [x.offer for x in c.steps] == [x.offer for x in c2.steps]
    else:
        assert [x.offer for x in a.steps] != [x.offer for x in b.steps]


@pytest.mark.parametrize("name", STRATEGY_NAMES)
def test_sees_only_its_own_utility_unless_declared(name: str) -> None:
    d = random_domain(200, 2, seed=5)
    seen = []
    st = make_strategy(name)
    original = st.start

    def spy(view):  # type: ignore[no-untyped-def]
        seen.append(view.others_utility is not None)
        original(view)

    st.start = spy  # type: ignore[method-assign]
    run_session(d, [st, "linear"], rounds=10)
    assert seen == [bool(STRATEGIES.get(name).traits["needs_opponent_utility"])]


def test_registries_list_every_protocol() -> None:
    assert set(PROTOCOL_NAMES) == {"alternating", "multilateral", "mediated"}
    assert {
        "boulware",
        "linear",
        "conceder",
        "hardliner",
        "nash-seeker",
        "frequency",
        "random",
        "tft-relative",
        "tft-absolute",
        "tft-averaged",
    } <= set(STRATEGY_NAMES)
    assert np.isfinite(len(STRATEGY_NAMES))
