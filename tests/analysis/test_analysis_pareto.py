"""Pareto frontier: exactness against brute force, hypothesis invariants."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from accord.analysis import dominated_by, pareto_frontier
from accord.analysis.pareto import TOL, _prefilter, _skyline, _sweep_2d, tolerance


def brute(u: np.ndarray) -> np.ndarray:
    return np.array([i for i in range(len(u)) if not dominated_by_any(u, i)], dtype=np.int64)


def dominated_by_any(u: np.ndarray, i: int, t: float = 0.0) -> bool:
    return bool(np.any(np.all(u >= u[i] - t, axis=1) & np.any(u > u[i] + t, axis=1)))


def noisy(k: int, how: int) -> float:
    """k tenths, computed three ways that differ in the last bits (0.1 + 0.2 != 0.3)."""
    if how == 0:
        return k / 10
    if how == 1:
        return sum([0.1] * k, 0.0)
    return k * 0.1


noisy_tables = st.integers(2, 7).flatmap(
    lambda a: st.lists(
        st.lists(
            st.tuples(st.integers(0, 4), st.integers(0, 2)).map(lambda kh: noisy(*kh)),
            min_size=a,
            max_size=a,
        ),
        min_size=1,
        max_size=40,
    )
)


@given(noisy_tables)
@settings(max_examples=150, deadline=None)
def test_frontier_with_float_ties_matches_brute_force_2_to_7_parties(rows: list) -> None:
    u = np.array(rows, dtype=float)
    t = tolerance(u)
    expected = [i for i in range(len(u)) if not dominated_by_any(u, i, t)]
    assert pareto_frontier(u).tolist() == expected
    exact = [i for i in range(len(u)) if not dominated_by_any(u, i)]
    assert pareto_frontier(u, tol=0).tolist() == exact


def test_float_tie_example_returns_only_the_undominated_row() -> None:
    u = np.array([[0.1 + 0.2, 1, 0.5], [0.3, 1, 0.6]])
    assert pareto_frontier(u).tolist() == [1]
    assert pareto_frontier(u[:, [0, 2]]).tolist() == [1]
    assert pareto_frontier(u, tol=0).tolist() == [0, 1]
    assert TOL == 1e-9


@pytest.mark.parametrize("a", [2, 3, 5])
def test_large_noisy_tables_agree_with_the_small_path(a: int) -> None:
    rng = np.random.default_rng(11)
    base = rng.integers(0, 12, (20_000, a)) / 10
    noise = rng.integers(0, 2, base.shape) * 1e-16
    u = base + noise
    full = pareto_frontier(u)
    t = tolerance(u)
    for i in full[:50]:
        assert not dominated_by_any(u, int(i), t)
    # the large path (prefilter) keeps exactly what the tolerant check over all rows keeps
    keep = [i for i in rng.choice(len(u), 300, replace=False) if not dominated_by_any(u, i, t)]
    assert set(keep) <= set(full.tolist())


utility_sets = st.integers(2, 4).flatmap(
    lambda a: arrays(
        np.float64, st.tuples(st.integers(1, 60), st.just(a)), elements=st.integers(0, 5).map(float)
    )
)


@given(utility_sets)
@settings(max_examples=60, deadline=None)
def test_frontier_is_exactly_the_undominated_set(u: np.ndarray) -> None:
    f = pareto_frontier(u)
    on = np.zeros(len(u), dtype=bool)
    on[f] = True
    for i in range(len(u)):
        assert dominated_by_any(u, i) != on[i]


@given(utility_sets, st.randoms(use_true_random=False))
@settings(max_examples=40, deadline=None)
def test_frontier_invariant_to_row_and_party_order(u: np.ndarray, rnd) -> None:
    perm = np.array(rnd.sample(range(len(u)), len(u)))
    cols = np.array(rnd.sample(range(u.shape[1]), u.shape[1]))
    f = set(perm[pareto_frontier(u[perm][:, cols])].tolist())
    assert f == set(pareto_frontier(u).tolist())


@given(utility_sets)
@settings(max_examples=40, deadline=None)
def test_adding_dominated_outcomes_changes_nothing(u: np.ndarray) -> None:
    f = pareto_frontier(u)
    extra = u[f] - 0.5
    g = pareto_frontier(np.vstack([u, extra]))
    assert g.tolist() == f.tolist()


@pytest.mark.parametrize("a", [2, 3])
def test_prefilter_path_is_exact_on_large_inputs(a: int) -> None:
    rng = np.random.default_rng(7)
    for u in (rng.integers(0, 30, (40_000, a)).astype(float), rng.random((40_000, a))):
        full = np.sort(_sweep_2d(u) if a == 2 else _skyline(u))
        assert pareto_frontier(u).tolist() == full.tolist()
        kept = set(_prefilter(u).tolist())
        assert set(full.tolist()) <= kept


def test_anticorrelated_points_are_all_on_the_frontier() -> None:
    for n in (1001, 30_001):
        x = np.linspace(0, 1, n)
        u = np.column_stack([x, 1 - x])
        assert len(pareto_frontier(u)) == n
    rng = np.random.default_rng(3)
    x = rng.random(50_000)
    u = np.column_stack([x, 1 - x - 0.05 * rng.random(50_000)])
    assert pareto_frontier(u).tolist() == np.sort(_sweep_2d(u)).tolist()


def test_small_case_by_hand() -> None:
    u = np.array([[0, 1], [1, 0], [0.6, 0.6], [0.5, 0.5], [0.6, 0.6], [0, 0.9]])
    assert pareto_frontier(u).tolist() == [0, 1, 2, 4]
    assert dominated_by(u[2], u).tolist() == [False, False, False, True, False, False]
    assert brute(u).tolist() == [0, 1, 2, 4]


def test_edge_shapes() -> None:
    assert pareto_frontier(np.empty((0, 2))).tolist() == []
    assert pareto_frontier(np.array([[1.0], [3.0], [3.0]])).tolist() == [1, 2]
    with pytest.raises(ValueError, match="shape"):
        pareto_frontier(np.zeros(3))


@pytest.mark.parametrize("a", [2, 3])
def test_bargaining_points_on_a_large_table_match_scoring_every_row(a: int, monkeypatch) -> None:
    from accord.analysis import bargaining as b

    rng = np.random.default_rng(5)
    u = np.round(rng.random((30_000, a)), 2)  # many exact ties
    d = np.full(a, 0.3)
    w = np.arange(1.0, a + 1.0)
    fast = [
        b.nash_point(u, d),
        b.nash_point(u, d, weights=w),
        b.kalai_smorodinsky_point(u, d),
        b.egalitarian_point(u, d),
        b.utilitarian_point(u),
    ]
    monkeypatch.setattr(b, "FRONTIER_FROM", 10**9)
    slow = [
        b.nash_point(u, d),
        b.nash_point(u, d, weights=w),
        b.kalai_smorodinsky_point(u, d),
        b.egalitarian_point(u, d),
        b.utilitarian_point(u),
    ]
    assert fast == slow
    assert b.nash_point(u, np.full(a, 2.0)) is None
