"""The closed-form models on hand-checked cases."""

from __future__ import annotations

import numpy as np
import pytest

from accord.errors import InputError
from accord.forecast import MODELS
from accord.forecast.models.nash import golden_max
from accord.forecast.models.simple import CondorcetMedian, weighted_quantile
from accord.scenario import compile

POS = [[0.0], [50.0], [100.0]]
SAL = [[1.0], [0.5], [1.0]]
CAP = [1.0, 1.0, 2.0]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("compromise", 225 / 3.5),
        ("compromise-c", 62.5),
        ("compromise-s", 50.0),
        ("mean", 50.0),
        ("median", 100.0),
        ("condorcet", 100.0),
        ("pivot", 50.0),
        ("status-quo", 0.0),
    ],
)
def test_simple_models_by_hand(make_scenario, name: str, expected: float) -> None:
    c = compile(make_scenario(POS, SAL, CAP))
    f = MODELS.create(name).forecast(c)
    assert f.point == pytest.approx([expected])
    assert f.trajectory is None and f.stop == "closed form"


def test_pivot_gridlock_keeps_status_quo_between_pivots(make_scenario) -> None:
    c = compile(make_scenario(POS, SAL, CAP, status_quo=[70.0]))
    assert MODELS.create("pivot", quota=0.74).forecast(c).point == pytest.approx([70.0])
    assert MODELS.create("pivot", quota=0.5).forecast(c).point == pytest.approx([50.0])


def test_weighted_quantile_is_lowest_position_reaching_the_share() -> None:
    x = np.array([3.0, 1.0, 2.0])
    w = np.array([1.0, 1.0, 1.0])
    assert weighted_quantile(x, w, 0.5) == 2.0
    assert weighted_quantile(x, np.array([1.0, 2.0, 1.0]), 0.5) == 1.0


def _loss(x: np.ndarray, w: np.ndarray, p: float) -> float:
    return float((w * np.abs(x - p)).sum())


def test_condorcet_median_equals_weighted_median_in_one_dimension() -> None:
    rng = np.random.default_rng(3)
    for _ in range(50):
        x = rng.integers(0, 10, size=7).astype(float)
        w = rng.uniform(0.1, 1.0, size=7)
        med = weighted_quantile(x, w, 0.5)
        win = CondorcetMedian.winner(x, w)
        assert _loss(x, w, win) == pytest.approx(_loss(x, w, med))


def test_nash_and_ks_by_hand(make_scenario) -> None:
    # sq = 0; the actor at 20 gains only on (0, 40); with c = 1, 1, 2 the first-order condition
    # 3/x = 1/(40 - x) gives x = 30; Kalai–Smorodinsky equates (40 - x)/20 with x/40: x = 80/3.
    c = compile(make_scenario([[20.0], [50.0], [100.0]], [[1.0], [1.0], [1.0]], CAP))
    assert MODELS.create("nash").forecast(c).point == pytest.approx([30.0], abs=1e-6)
    ks = MODELS.create("kalai-smorodinsky").forecast(c).point
    assert ks == pytest.approx([80 / 3], abs=1e-6)


def test_nash_status_quo_between_actors_is_the_only_feasible_point(make_scenario) -> None:
    c = compile(make_scenario(POS, SAL, CAP, status_quo=[30.0]))
    assert MODELS.create("nash").forecast(c).point == pytest.approx([30.0])


def test_nash_quadratic_without_reference_point_is_interior(make_scenario) -> None:
    c = compile(make_scenario(POS, SAL, CAP))
    f = MODELS.create("nash-quadratic").forecast(c).point[0]
    assert 40.0 < f < 80.0
    lin = MODELS.create("nash", disagreement="worst", weights="equal").forecast(c).point[0]
    assert 0.0 <= lin <= 100.0


def test_golden_section_finds_the_peak() -> None:
    assert golden_max(lambda t: -((t - 0.3) ** 2), 0.0, 1.0) == pytest.approx(0.3, abs=1e-8)


@pytest.mark.parametrize(
    ("name", "params"),
    [
        ("compromise", {"weights": "votes"}),
        ("pivot", {"quota": 0.2}),
        ("nash", {"utility": "quadratic", "exponent": 3.0}),
        ("nash", {"disagreement": "anywhere"}),
        ("nash", {"utility": "power", "exponent": -1.0}),
    ],
)
def test_bad_parameters_are_input_errors(name: str, params: dict) -> None:
    with pytest.raises(InputError):
        MODELS.create(name, **params)
