"""Bargaining solutions and the gap: hand cases and hypothesis invariants."""

from __future__ import annotations

import numpy as np
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from accord.analysis import (
    agreement_mask,
    egalitarian_point,
    gap,
    kalai_smorodinsky_point,
    nash_point,
    package_ranking,
    pareto_frontier,
    utilitarian_point,
)

U = np.array([[0.0, 1.0], [1.0, 0.0], [0.6, 0.6], [0.5, 0.5], [0.8, 0.3], [0.35, 0.75]])


def test_solutions_by_hand() -> None:
    d = np.zeros(2)
    assert nash_point(U, d) == 2
    assert kalai_smorodinsky_point(U, d) == 2
    assert egalitarian_point(U, d) == 2
    assert utilitarian_point(U) == 2
    # a stronger party 1 pulls the asymmetric Nash point its way: 0.8^3·0.3 > 0.6^3·0.6
    assert nash_point(U, d, weights=np.array([3.0, 1.0])) == 4
    # with disagreement (0.4, 0.2): KS ideal is (0.8, 0.75); gains ratio favours row 2
    assert kalai_smorodinsky_point(U, np.array([0.4, 0.2])) == 2


def test_empty_zone_and_gap_by_hand() -> None:
    u = np.array([[0.2, 0.9], [0.9, 0.2], [0.55, 0.45]])
    d = np.array([0.5, 0.5])
    assert not agreement_mask(u, d).any()
    assert nash_point(u, d) is None
    assert kalai_smorodinsky_point(u, d) is None
    g = gap(u, d, ("a", "b"), np.ones((2, 1)))
    assert g.zone_empty
    assert g.total_row == 2
    assert np.isclose(g.total, 0.05)
    assert np.allclose(g.total_by_party, [0.0, 0.05])
    assert np.isclose(g.minimax, 0.05)
    assert np.allclose(g.issue_units[:, 0], [0.0, 0.05])
    assert package_ranking(u, d)[0] == 2
    assert egalitarian_point(u, d) == 2


def test_no_deal_copy_is_not_a_deal() -> None:
    d = np.array([0.5, 0.5])
    u = np.array([[0.5, 0.5], [0.4, 0.9]])
    g = gap(u, d, ("a", "b"), np.ones((2, 1)))
    assert g.zone_empty and np.isclose(g.total, 0.1)


utility_sets = st.integers(2, 4).flatmap(
    lambda a: st.tuples(
        arrays(
            np.float64,
            st.tuples(st.integers(1, 40), st.just(a)),
            elements=st.floats(0, 1, allow_nan=False),
        ),
        arrays(np.float64, st.just(a), elements=st.integers(0, 8).map(lambda v: v / 10)),
    )
)


def on_frontier(u: np.ndarray, i: int) -> bool:
    return i in set(pareto_frontier(u).tolist())


@given(utility_sets)
@settings(max_examples=60, deadline=None)
def test_nash_and_ks_on_frontier_and_in_zone(case) -> None:
    u, d = case
    zone = agreement_mask(u, d)
    for i in (nash_point(u, d), kalai_smorodinsky_point(u, d)):
        if i is None:
            continue
        assert zone[i]
        assert on_frontier(u, i)
    if zone.any():
        assert kalai_smorodinsky_point(u, d) is not None
    assert on_frontier(u, utilitarian_point(u))  # type: ignore[arg-type]
    assert on_frontier(u, egalitarian_point(u, d))  # type: ignore[arg-type]


@given(utility_sets, st.randoms(use_true_random=False))
@settings(max_examples=40, deadline=None)
def test_solutions_invariant_to_party_order(case, rnd) -> None:
    u, d = case
    cols = np.array(rnd.sample(range(u.shape[1]), u.shape[1]))
    for f in (nash_point, kalai_smorodinsky_point, egalitarian_point):
        i, j = f(u, d), f(u[:, cols], d[cols])
        assert (i is None) == (j is None)
        if i is not None and j is not None:
            score = {
                nash_point: lambda x, dd: np.log(x - dd).sum(),
                egalitarian_point: lambda x, dd: (x - dd).min(),
                kalai_smorodinsky_point: None,
            }[f]
            if score is not None:
                assert np.isclose(score(u[i], d), score(u[j], d))


@given(utility_sets)
@settings(max_examples=40, deadline=None)
def test_solutions_invariant_to_dominated_outcomes(case) -> None:
    u, d = case
    f = pareto_frontier(u)
    extra = np.clip(u[f] - 0.01, 0, None)
    assume(not np.any(np.all(extra == u[f], axis=1)))
    v = np.vstack([u, extra])
    for fn in (nash_point, kalai_smorodinsky_point, egalitarian_point):
        i, j = fn(u, d), fn(v, d)
        assert (i is None) == (j is None)
        if i is not None and j is not None:
            assert np.allclose(u[i], v[j])
    assert np.allclose(u[utilitarian_point(u)], v[utilitarian_point(v)])


@given(utility_sets)
@settings(max_examples=40, deadline=None)
def test_gap_zero_iff_zone_open(case) -> None:
    u, d = case
    f = pareto_frontier(u)
    g = gap(u[f], d, tuple("abcd"[: u.shape[1]]), np.ones((u.shape[1], 1)))
    if g.total_row is None:
        return
    assert g.zone_empty == (not agreement_mask(u, d).any())
    assert (g.total > 0) if g.zone_empty else (g.total < 1e-9)
    assert g.minimax <= g.total + 1e-12
