"""Monte-Carlo: reproducible under a seed whatever the executor and chunking; summaries."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
import pytest

from accord.errors import InputError, LimitError
from accord.experiments.executors import SerialExecutor, make_executor
from accord.experiments.montecarlo import design, monte_carlo, summarize, wilson
from accord.experiments.rundir import csv_text
from accord.experiments.tasks import ForecastTask, StatusQuoTask, make_task
from accord.experiments.uncertain import uncertain_numbers
from accord.scenario import Scenario
from accord.seeding import run_rng


def noisy(scenario: Scenario, rng: np.random.Generator) -> dict[str, float]:
    """A stochastic task: the stockpile status quo plus noise from the run's generator."""
    return {
        "noisy": scenario.status_quo_of("stockpile_20") + rng.normal(),
        "coin": float(rng.random() < 0.3),
    }


def test_same_seed_same_bytes_any_chunking(almaty: Scenario) -> None:
    ref = csv_text(monte_carlo(almaty, noisy, draws=40, seed=7).runs)
    for chunk in (1, 7, 40):
        r = monte_carlo(almaty, noisy, draws=40, seed=7, chunk=chunk, executor=SerialExecutor())
        assert csv_text(r.runs) == ref
    with make_executor("thread", workers=3) as ex:
        r = monte_carlo(almaty, noisy, draws=40, seed=7, chunk=3, executor=ex)
    assert csv_text(r.runs) == ref
    other = monte_carlo(almaty, noisy, draws=40, seed=8)
    assert csv_text(other.runs) != ref


def test_process_pool_gives_the_same_bytes(almaty: Scenario) -> None:
    task = StatusQuoTask()
    ref = csv_text(monte_carlo(almaty, task, draws=30, seed=3, plan="lhs").runs)
    with make_executor("process", workers=2) as ex:
        r = monte_carlo(almaty, task, draws=30, seed=3, plan="lhs", chunk=4, executor=ex)
    assert csv_text(r.runs) == ref


def test_random_plan_draws_run_i_from_its_own_seed(almaty: Scenario) -> None:
    r = monte_carlo(almaty, StatusQuoTask(), draws=5, seed=11)
    u = run_rng(11, 3).random(len(uncertain_numbers(almaty)))
    assert r.runs.loc[3, "issues.stockpile_20.status_quo"] == pytest.approx(160 + 22 * u[0])
    assert (
        r.runs.loc[3, "status_quo.stockpile_20"] == r.runs.loc[3, "issues.stockpile_20.status_quo"]
    )


@pytest.mark.parametrize("plan", ["lhs", "sobol"])
def test_qmc_designs_are_stratified(plan: str) -> None:
    n = 64
    u = design(plan, n, 3, seed=5)
    assert u is not None and u.shape == (n, 3)
    for j in range(3):
        strata = np.floor(u[:, j] * n).astype(int)
        assert sorted(strata) == list(range(n))
    assert np.array_equal(u, design(plan, n, 3, seed=5))
    assert not np.array_equal(u, design(plan, n, 3, seed=6))


def test_lhs_covers_the_range(almaty: Scenario) -> None:
    r = monte_carlo(almaty, StatusQuoTask(), draws=20, seed=1, plan="lhs")
    x = np.sort(r.runs["issues.capacity.status_quo"].to_numpy())
    strata = np.floor((x - 6000) / 3700 * 20).astype(int)
    assert list(strata) == list(range(20))


def test_summary_gives_probabilities_for_binary_metrics(almaty: Scenario) -> None:
    r = monte_carlo(almaty, noisy, draws=400, seed=2)
    table = r.summary().set_index("metric")
    assert bool(table.loc["coin", "binary"]) and not bool(table.loc["noisy", "binary"])
    p = table.loc["coin", "probability"]
    assert 0.22 < p < 0.38
    assert table.loc["coin", "prob_low95"] < p < table.loc["coin", "prob_high95"]
    assert 160 < table.loc["noisy", "p05"] < table.loc["noisy", "p50"] < table.loc["noisy", "p95"]
    d = r.to_dict()
    assert d["draws"] == 400 and "coin" in d["metrics"]
    assert list(r.to_frame()["metric"]) == ["noisy", "coin"]


def test_summary_leaves_out_missing_values() -> None:
    runs = pd.DataFrame({"run": [0, 1, 2], "m": [1.0, float("nan"), 3.0]})
    row = summarize(runs, ["m"]).iloc[0]
    assert row["n"] == 2 and row["missing"] == 1 and row["mean"] == 2.0


def test_wilson_interval() -> None:
    p, lo, hi = wilson(0, 10)
    assert p == 0 and lo == 0 and 0.25 < hi < 0.3
    p, lo, hi = wilson(5, 10)
    assert lo == pytest.approx(1 - hi)


def test_bad_requests_are_refused(almaty: Scenario) -> None:
    with pytest.raises(InputError, match="at least one draw"):
        monte_carlo(almaty, noisy, draws=0)
    with pytest.raises(LimitError, match="draws"):
        monte_carlo(almaty, noisy, draws=10**9)
    with pytest.raises(InputError, match="expected one of"):
        monte_carlo(almaty, noisy, draws=3, plan="grid")
    with pytest.raises(InputError, match="chunk"):
        monte_carlo(almaty, noisy, draws=3, chunk=0)


def test_a_task_must_return_the_same_metrics(almaty: Scenario) -> None:
    def fickle(s: Scenario, rng: np.random.Generator) -> Mapping[str, float]:
        return {"a": 1.0} if rng.random() < 0.5 else {"b": 1.0}

    with pytest.raises(InputError, match="returned metrics"):
        monte_carlo(almaty, fickle, draws=30)


def test_unknown_task_name() -> None:
    with pytest.raises(KeyError, match="unknown task"):
        make_task("astrology")


def test_forecast_task_varies_with_the_status_quo(almaty: Scenario) -> None:
    from accord.forecast import MODELS

    if "status-quo" not in MODELS:
        pytest.skip("the status-quo model is not registered")
    r = monte_carlo(almaty, ForecastTask("status-quo"), draws=10, seed=0)
    np.testing.assert_allclose(r.runs["forecast.capacity"], r.runs["issues.capacity.status_quo"])


@pytest.mark.parametrize(
    ("name", "params", "metrics"),
    [
        ("zone", {"resolution": 3}, ["zone_exists", "zone_share"]),
        ("session", {"rounds": 10}, ["agreement", "round"]),
        ("breakout", {"model": "compromise"}, ["breakout_months", "breakout_months.compromise"]),
    ],
)
def test_engine_tasks(
    almaty: Scenario, name: str, params: dict[str, object], metrics: list[str]
) -> None:
    from accord.errors import AccordError

    try:
        task = make_task(name, **params)
    except AccordError as e:
        pytest.skip(f"engine not available: {e}")
    r = monte_carlo(almaty, task, draws=3, seed=0)
    assert list(r.metrics) == metrics
    again = monte_carlo(almaty, task, draws=3, seed=0)
    assert csv_text(again.runs) == csv_text(r.runs)
