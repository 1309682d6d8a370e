"""Scoring models against known outcomes."""

from __future__ import annotations

import json

import numpy as np
import pytest

from accord.errors import InputError
from accord.forecast.evaluate import evaluate, paired_bootstrap


def _cases(make_scenario):
    # compromise: 25 (error 5 on the outcome 30), median: 0 (error 30), status quo 0.
    one = make_scenario([[0.0], [100.0]], [[1.0], [1.0]], [3.0, 1.0], outcomes=[30.0])
    two = make_scenario(
        [[0.0, 0.0], [50.0, 10.0]],
        [[1.0, 1.0], [1.0, 1.0]],
        [1.0, 1.0],
        scales=[(0.0, 50.0), (0.0, 10.0)],
        outcomes=[25.0, None],
    )
    return [("one", one), ("two", two)]


def test_errors_and_scores_by_hand(make_scenario) -> None:
    ev = evaluate(_cases(make_scenario), ["compromise", "median", "status-quo"], n_boot=200)
    by = {s.model: s for s in ev.scores}
    # compromise: |25 − 30| = 5 points; |25 − 25| on a 0–50 scale = 0 points.
    assert by["compromise"].mae == pytest.approx(2.5)
    assert by["compromise"].rmse == pytest.approx(np.sqrt(12.5))
    assert by["compromise"].hit5 == 1.0
    # median: the lowest position with half the weight: 0 and 0 → errors 30 and 50.
    assert by["median"].mae == pytest.approx(40.0)
    assert by["median"].hit20 == 0.0
    assert by["median"].mae_diff == pytest.approx(37.5)
    assert by["compromise"].diff_low == by["compromise"].diff_high == 0.0
    assert ev.scores[0].model == "compromise"
    assert len(ev.errors) == 6 and by["median"].n == 2
    json.dumps(ev.to_dict())
    assert list(ev.to_frame()["model"]) == [s.model for s in ev.scores]


def test_bootstrap_is_seeded_and_brackets_the_difference(make_scenario) -> None:
    a = evaluate(_cases(make_scenario), ["median"], seed=5, n_boot=300)
    b = evaluate(_cases(make_scenario), ["median"], seed=5, n_boot=300)
    assert a.to_dict() == b.to_dict()
    assert "compromise" in {s.model for s in a.scores}
    rng = np.random.default_rng(0)
    err, base = rng.uniform(0, 10, 40), rng.uniform(0, 10, 40)
    lo, hi = paired_bootstrap(err, base, rng.integers(0, 40, size=(2000, 40)))
    assert lo < (err - base).mean() < hi


def test_no_outcome_is_an_input_error(make_scenario) -> None:
    s = make_scenario([[0.0], [100.0]], [[1.0], [1.0]], [1.0, 1.0])
    with pytest.raises(InputError, match="known outcome"):
        evaluate([("x", s)])
    with pytest.raises(InputError, match="bootstrap"):
        evaluate(_cases(make_scenario), n_boot=5)


def test_builtin_cases_score_every_model(almaty, ec_emissions) -> None:
    ev = evaluate([("almaty", almaty), ("ec", ec_emissions)], n_boot=200)
    assert all(s.n == 7 for s in ev.scores)
    assert all(0 <= s.mae <= 100 for s in ev.scores)
