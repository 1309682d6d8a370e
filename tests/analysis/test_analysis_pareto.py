"""Pareto frontier: exactness against brute force, hypothesis invariants."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from accord.analysis import dominated_by, pareto_frontier
from accord.analysis.pareto import _prefilter, _skyline, _sweep_2d


def brute(u: np.ndarray) -> np.ndarray:
    return np.array([i for i in range(len(u)) if not dominated_by_any(u, i)], dtype=np.int64)


def dominated_by_any(u: np.ndarray, i: int) -> bool:
    return bool(np.any(np.all(u >= u[i], axis=1) & np.any(u > u[i], axis=1)))


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
