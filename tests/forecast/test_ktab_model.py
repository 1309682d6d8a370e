"""KTAB-style Spatial Model of Politics: its pieces by hand, its run as properties."""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.errors import InputError, LimitError
from accord.forecast import MODELS
from accord.forecast.models.ktab import (
    KTAB,
    distances,
    pce,
    risk_attitudes,
    utility,
    victory,
    vote,
)
from accord.scenario import compile

from .conftest import build_scenario


def test_registered_with_traits() -> None:
    entry = MODELS.get("ktab")
    assert entry.traits["multi_issue"] and entry.traits["probabilities"]
    assert "KTAB" in entry.traits["cite"]
    assert isinstance(MODELS.create("ktab"), KTAB)


@pytest.mark.parametrize(
    ("rule", "expect"),
    [
        ("prop", [-0.5, 0.0, 0.5]),
        ("binary", [-1.0, 0.0, 1.0]),
        ("propbin", [-0.6, 0.0, 0.6]),
        ("cubic", [-0.125, 0.0, 0.125]),
        ("propcbc", [-0.3125, 0.0, 0.3125]),
        ("asymprosp", [-0.5, 0.0, 1 / 3]),
    ],
)
def test_vote_functions(rule: str, expect: list[float]) -> None:
    assert vote(rule, 2.0, np.array([-0.5, 0.0, 0.5])) == pytest.approx(2 * np.array(expect))


def test_votes_ignore_rounding_noise() -> None:
    assert vote("prop", 1.0, np.array([1e-14, -1e-13])) == pytest.approx([0.0, 0.0], abs=0)


def test_victory_probabilities() -> None:
    assert victory(np.array(3.0), np.array(1.0), "linear") == pytest.approx(0.75)
    assert victory(np.array(3.0), np.array(1.0), "square") == pytest.approx(0.9)
    assert victory(np.array(2.0), np.array(1.0), "octic") == pytest.approx(256 / 257)
    assert victory(np.array(0.0), np.array(0.0), "linear") == pytest.approx(0.5)
    assert victory(np.array(1.2), np.array(1.0), "binary") == pytest.approx(1.0)
    assert victory(np.array(1.05), np.array(1.0), "binary") == pytest.approx(0.75)
    assert victory(np.array(1.0), np.array(1.1), "binary") == pytest.approx(0.0)


def test_conditional_pce() -> None:
    p2 = np.array([[0.5, 0.7], [0.3, 0.5]])
    assert pce(p2, np.ones((2, 2)), "conditional") == pytest.approx([0.7, 0.3])
    p3 = np.array([[0.5, 0.6, 0.8], [0.4, 0.5, 0.5], [0.2, 0.5, 0.5]])
    raw = np.array([0.6 * 0.8, 0.4 * 0.5, 0.2 * 0.5])
    assert pce(p3, np.ones((3, 3)), "conditional") == pytest.approx(raw / raw.sum())


def test_markov_pce_balances_the_flows() -> None:
    strength = np.array([[0.0, 3.0], [1.0, 0.0]])
    p_win = victory(strength, strength.T, "linear")
    pi = pce(p_win, strength, "markov")
    rate_01 = strength[0, 1] * p_win[0, 1]  # 0 overturns 1
    rate_10 = strength[1, 0] * p_win[1, 0]
    assert pi.sum() == pytest.approx(1.0)
    assert pi[1] * rate_01 == pytest.approx(pi[0] * rate_10)
    assert pi[0] > pi[1]


def test_risk_attitudes() -> None:
    p = np.array([0.1, 0.2, 0.7])
    assert risk_attitudes(p, "min") == pytest.approx([0.0, 1 / 6, 1.0])
    assert risk_attitudes(p, "max") == pytest.approx([-1.0, -2 / 3, 1.0])
    assert risk_attitudes(p, "mid") == pytest.approx((3 * p - 0.7 - 0.2) / 1.2)
    assert risk_attitudes(np.full(3, 1 / 3), "mid") == pytest.approx([0, 0, 0])


def test_distance_and_utility() -> None:
    x = np.array([[0.0, 0.0], [0.3, 0.4]])
    s = np.array([[1.0, 0.0], [0.5, 0.5]])
    d = distances(x, s)
    assert d[0, 1] == pytest.approx(0.3)  # actor 0 only sees dimension 0
    assert d[1, 0] == pytest.approx(np.sqrt((0.5 * 0.3) ** 2 + (0.5 * 0.4) ** 2) / np.sqrt(0.5))
    assert utility(np.array([0.0, 1.0, 0.5]), 1.0) == pytest.approx([1.0, 0.0, 0.75])
    assert utility(np.array(0.5), -1.0) == pytest.approx(0.25)


def test_a_dominant_coalition_wins() -> None:
    s = build_scenario(
        [[80], [82], [78], [80], [10], [15]],
        [[0.8], [0.7], [0.9], [0.6], [0.8], [0.7]],
        [10, 8, 9, 7, 1, 1],
    )
    f = KTAB().forecast(compile(s))
    assert f.point[0] > 70
    dist = f.probabilities["i0"]
    assert sum(dist.values()) == pytest.approx(1.0)
    best = max(dist, key=lambda v: dist[v])
    assert 70 <= float(best) <= 85


def test_builtin_probabilities_sum_to_one(almaty) -> None:
    c = compile(almaty)
    f = KTAB().forecast(c)
    json.dumps(f.to_dict())
    assert set(f.probabilities) == set(c.issue_ids)
    for k, issue in enumerate(c.issue_ids):
        dist = f.probabilities[issue]
        assert sum(dist.values()) == pytest.approx(1.0)
        if c.n_options[k]:
            assert {int(v) for v in dist} <= set(range(int(c.n_options[k])))
    assert sum(f.params["actor_probabilities"].values()) == pytest.approx(1.0)
    assert f.params["pce"] == "conditional"
    assert f.positions.shape == (f.rounds + 1, c.actors.n, c.k)
    assert f.stop.startswith(("converged", "turn cap"))


@pytest.mark.parametrize(
    "options",
    [{"vote": v} for v in ("binary", "propbin", "cubic", "propcbc", "asymprosp")]
    + [{"victory": v} for v in ("square", "quartic", "octic", "binary")]
    + [
        {"pce": "markov"},
        {"risk": "min"},
        {"risk": "max"},
        {"risk": "neutral"},
        {"perceived": "none"},
        {"perceived": "full"},
        {"bargain": "s1p1"},
        {"third_party": "none"},
        {"resolution": "stochastic"},
    ],
)
def test_every_option_runs(options: dict, almaty) -> None:
    c = compile(almaty)
    f = KTAB(max_turns=15, **options).forecast(c, seed=4)
    assert np.isfinite(f.point).all()
    assert ((f.point >= c.lo - 1e-9) & (f.point <= c.hi + 1e-9)).all()
    for dist in f.probabilities.values():
        assert sum(dist.values()) == pytest.approx(1.0)


def test_stochastic_resolution_is_seeded(almaty) -> None:
    c = compile(almaty)
    m = KTAB(resolution="stochastic", max_turns=20)
    assert np.array_equal(m.forecast(c, seed=9).positions, m.forecast(c, seed=9).positions)


def test_turn_limits_are_honoured(almaty) -> None:
    c = compile(almaty)
    assert KTAB(max_turns=3, min_turns=1).forecast(c).rounds <= 3
    assert KTAB(min_turns=5, max_turns=8).forecast(c).rounds >= 5


def test_bad_parameters_are_refused() -> None:
    with pytest.raises(InputError, match="expected one of") as err:
        KTAB(vote="majority", pce="borda")  # type: ignore[arg-type]
    assert len(err.value.problems) == 2
    with pytest.raises(InputError, match="min_turns"):
        KTAB(min_turns=5, max_turns=2)
    with pytest.raises(LimitError, match="turns"):
        KTAB(max_turns=10**5)


def test_too_many_actors_are_refused() -> None:
    n = 251
    s = build_scenario([[i % 100] for i in range(n)], [[0.5]] * n, [1.0] * n)
    with pytest.raises(LimitError, match="actors"):
        KTAB().forecast(compile(s))


@st.composite
def cases(draw: st.DrawFn) -> dict:
    n = draw(st.integers(2, 6))
    k = draw(st.integers(1, 3))
    return {
        "positions": [[draw(st.integers(0, 100)) for _ in range(k)] for _ in range(n)],
        "saliences": [[draw(st.integers(1, 20)) / 20 for _ in range(k)] for _ in range(n)],
        "capabilities": [draw(st.integers(1, 50)) / 5 for _ in range(n)],
    }


@settings(max_examples=25, deadline=None)
@given(case=cases())
def test_positions_stay_in_span_and_probabilities_sum_to_one(case: dict) -> None:
    f = KTAB(max_turns=20).forecast(compile(build_scenario(**case)))
    x = np.array(case["positions"], dtype=float)
    lo, hi = x.min(axis=0) - 1e-6, x.max(axis=0) + 1e-6
    assert ((f.positions >= lo) & (f.positions <= hi)).all()
    assert ((f.point >= lo) & (f.point <= hi)).all()
    assert f.probabilities is not None
    for dist in f.probabilities.values():
        assert sum(dist.values()) == pytest.approx(1.0)
        assert all(v >= 0 for v in dist.values())


@settings(max_examples=15, deadline=None)
@given(case=cases())
def test_identical_actors_do_not_move(case: dict) -> None:
    n, k = len(case["positions"]), len(case["positions"][0])
    same = {**case, "positions": [case["positions"][0]] * n}
    f = KTAB().forecast(compile(build_scenario(**same)))
    assert f.point == pytest.approx(case["positions"][0], abs=1e-9)
    assert f.rounds == 2 and f.positions.shape[2] == k
