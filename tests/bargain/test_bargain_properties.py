"""Invariants as hypothesis properties: the batch equals the loop, the frontier, Nash."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.bargain import domain_from_utilities, pareto_indices, random_domain, run_session
from accord.bargain.batched import batchable, time_dependent_batch
from accord.bargain.strategies import make_strategy
from accord.errors import InputError

exponents = st.floats(min_value=0.05, max_value=8.0, allow_nan=False)


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    n=st.integers(2, 120),
    e0=exponents,
    e1=exponents,
    rounds=st.integers(1, 60),
    res=st.floats(0.0, 0.6),
)
def test_batch_equals_the_session_loop(
    seed: int, n: int, e0: float, e1: float, rounds: int, res: float
) -> None:
    d = random_domain(n, 2, reservation=res, seed=seed)
    pairs = [(e0, e1), (e1, e0)]
    vector = time_dependent_batch(d, np.array(pairs), rounds)
    blocks = time_dependent_batch(d, np.array(pairs), rounds, block=3)
    for k, (a, b) in enumerate(pairs):
        s = run_session(d, [("linear", {"e": a}), ("linear", {"e": b})], rounds=rounds, trace=False)
        single = time_dependent_batch(d, np.array([[a, b]]), rounds)
        for got, row in ((vector, k), (blocks, k), (single, 0)):
            assert bool(got.agreement[row]) == s.agreement
            assert int(got.round[row]) == (-1 if s.round is None else s.round)
            assert int(got.outcome[row]) == (-1 if s.outcome is None else s.outcome)
            assert got.utility[row] == pytest.approx(s.utility)


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10_000), n=st.integers(1, 80), a=st.integers(2, 4))
def test_pareto_frontier_is_exactly_the_undominated_outcomes(seed: int, n: int, a: int) -> None:
    rng = np.random.default_rng(seed)
    u = np.round(rng.random((n, a)), 1)  # ties on purpose
    front = set(pareto_indices(u).tolist())
    for i in range(n):
        dominated = ((u >= u[i]).all(axis=1) & (u > u[i]).any(axis=1)).any()
        assert (i in front) == (not dominated) or (
            not dominated and any((u[j] == u[i]).all() for j in front)
        )


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 10_000), n=st.integers(2, 200), a=st.integers(2, 3))
def test_nash_point_is_on_the_frontier_and_individually_rational(seed: int, n: int, a: int) -> None:
    d = random_domain(n, a, reservation=0.2, seed=seed)
    if d.nash is None:
        assert d.agreement_zone().size == 0
        return
    assert (d.utility[d.nash] >= d.reservation - 1e-12).all()
    assert d.pareto_distance[d.nash] == pytest.approx(0.0, abs=1e-12)
    assert (d.utility >= 0).all() and (d.utility <= 1).all()


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000), e0=exponents, e1=exponents)
def test_agreements_are_individually_rational(seed: int, e0: float, e1: float) -> None:
    d = random_domain(300, 2, reservation=0.35, seed=seed)
    s = run_session(d, [("linear", {"e": e0}), ("frequency", {"e": e1})], rounds=40)
    if s.agreement:
        assert (s.utility >= d.reservation - 1e-9).all()


def test_batch_refuses_bad_shapes_and_handles_walk_away() -> None:
    d = random_domain(50, 2, seed=1)
    with pytest.raises(InputError):
        time_dependent_batch(d, np.array([0.2, 0.2]), 10)
    with pytest.raises(InputError):
        time_dependent_batch(d, np.array([[0.0, 1.0]]), 10)
    full = domain_from_utilities(d.utility, reservation=np.array([1.0, 0.0]))
    b = time_dependent_batch(full, np.array([[1.0, 1.0]]), 10)
    assert b.walked and not b.agreement.any()
    assert batchable([make_strategy("boulware"), make_strategy("conceder")])
    assert not batchable([make_strategy("boulware"), make_strategy("hardliner")])
    assert not batchable([make_strategy("boulware:acceptance=time:0.9"), make_strategy("linear")])


@settings(max_examples=25, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    parties=st.integers(3, 7),
    rounds=st.integers(2, 120),
    e=st.lists(st.sampled_from([0.2, 0.5, 1.0, 2.0, 4.0]), min_size=7, max_size=7),
)
def test_vectorised_multilateral_equals_the_session_loop(
    seed: int, parties: int, rounds: int, e: list[float]
) -> None:
    from accord.bargain.batched import time_dependent_multilateral

    d = random_domain(150, parties, seed=seed, reservation=0.2)
    lineup = [("linear", {"e": x}) for x in e[:parties]]
    s = run_session(d, lineup, "multilateral", rounds=rounds, trace=False)
    r, o = time_dependent_multilateral(d, np.array(e[:parties]), rounds)
    if s.agreement:
        assert (r, o) == (s.round, s.outcome)
    else:
        assert (r, o) == (-1, -1)
