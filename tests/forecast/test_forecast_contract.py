"""The contract every registered forecast model keeps (design.md, style.md point 2).

Parametrised over ``MODELS.names()``, so models added by other modules are held to it too:
reproducible under a seed, invariant to the order actors are listed and to rescaling
capabilities, within the span of positions where the ``within_span`` trait says so, and in the
units of each issue's scale (an affine change of units moves the forecast the same way).
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accord.forecast import MODELS, Forecast
from accord.scenario import Scenario, compile

from .conftest import build_scenario

NAMES = MODELS.names()
TOL = 1e-4  # on the 0–100 scale: a millionth of the range
ORDER_NAMES = NAMES
SETTINGS = settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@st.composite
def cases(draw: st.DrawFn) -> dict:
    n = draw(st.integers(3, 7))
    k = draw(st.integers(1, 2))
    grid = st.integers(0, 20).map(lambda v: v * 5.0)
    return {
        "positions": [[draw(grid) for _ in range(k)] for _ in range(n)],
        "saliences": [[draw(st.integers(1, 20)) / 20 for _ in range(k)] for _ in range(n)],
        "capabilities": [draw(st.integers(1, 50)) / 5 for _ in range(n)],
        "status_quo": [draw(grid) for _ in range(k)],
    }


def run(name: str, s: Scenario, seed: int = 7) -> Forecast:
    return MODELS.create(name).forecast(compile(s), seed=seed)  # type: ignore[no-any-return]


def test_registry_has_the_models_of_part_a() -> None:
    for name in (
        "compromise",
        "compromise-c",
        "compromise-s",
        "mean",
        "median",
        "condorcet",
        "pivot",
        "status-quo",
        "nash",
        "nash-quadratic",
        "kalai-smorodinsky",
        "bdm",
    ):
        entry = MODELS.get(name)
        for trait in ("deterministic", "rounds", "within_span", "multi_issue", "cite"):
            assert trait in entry.traits, (name, trait)


@pytest.mark.parametrize("name", NAMES)
def test_builtin_scenarios_give_json_ready_forecasts(name: str, almaty, ec_emissions) -> None:
    for s in (almaty, ec_emissions):
        f = run(name, s)
        c = compile(s)
        assert f.point.shape == (c.k,) and np.isfinite(f.point).all()
        assert ((f.point >= c.lo - 1e-9) & (f.point <= c.hi + 1e-9)).all()
        json.dumps(f.to_dict())
        assert set(f.to_frame().columns) >= {"model", "round", "issue", "forecast"}


@pytest.mark.parametrize("name", NAMES)
@SETTINGS
@given(case=cases())
def test_reproducible_under_a_seed(name: str, case: dict) -> None:
    s = build_scenario(**case)
    assert run(name, s, 3).point == pytest.approx(run(name, s, 3).point, abs=0)


@pytest.mark.parametrize("name", ORDER_NAMES)
@SETTINGS
@given(case=cases(), order=st.randoms(use_true_random=False))
def test_invariant_to_actor_order(name: str, case: dict, order) -> None:
    n = len(case["capabilities"])
    perm = list(range(n))
    order.shuffle(perm)
    ids = [f"a{i}" for i in range(n)]
    shuffled = {
        "positions": [case["positions"][i] for i in perm],
        "saliences": [case["saliences"][i] for i in perm],
        "capabilities": [case["capabilities"][i] for i in perm],
        "status_quo": case["status_quo"],
        "ids": [ids[i] for i in perm],
    }
    a = run(name, build_scenario(**case)).point
    b = run(name, build_scenario(**shuffled)).point
    assert b == pytest.approx(a, abs=TOL)


@pytest.mark.parametrize("name", NAMES)
@SETTINGS
@given(case=cases(), factor=st.sampled_from([0.01, 3.0, 1000.0]))
def test_invariant_to_rescaling_capabilities(name: str, case: dict, factor: float) -> None:
    scaled = {**case, "capabilities": [c * factor for c in case["capabilities"]]}
    a = run(name, build_scenario(**case)).point
    b = run(name, build_scenario(**scaled)).point
    assert b == pytest.approx(a, abs=TOL)


@pytest.mark.parametrize("name", NAMES)
@SETTINGS
@given(case=cases())
def test_within_span_and_scale(name: str, case: dict) -> None:
    f = run(name, build_scenario(**case))
    x = np.array(case["positions"])
    assert ((f.point >= -1e-9) & (f.point <= 100 + 1e-9)).all()
    if f.trajectory is not None:
        assert ((f.trajectory >= -1e-9) & (f.trajectory <= 100 + 1e-9)).all()
    if MODELS.get(name).traits.get("within_span"):
        assert (f.point >= x.min(axis=0) - TOL).all()
        assert (f.point <= x.max(axis=0) + TOL).all()


@pytest.mark.parametrize("name", NAMES)
@SETTINGS
@given(
    case=cases(),
    shift=st.sampled_from([-40.0, 0.0, 1000.0]),
    stretch=st.sampled_from([0.1, 1.0, 7.0]),
)
def test_honours_each_issue_scale(name: str, case: dict, shift: float, stretch: float) -> None:
    k = len(case["status_quo"])
    moved = {
        **case,
        "positions": [[shift + stretch * v for v in row] for row in case["positions"]],
        "status_quo": [shift + stretch * v for v in case["status_quo"]],
        "scales": [(shift, shift + stretch * 100.0)] * k,
    }
    a = run(name, build_scenario(**case)).point
    b = run(name, build_scenario(**moved)).point
    assert b == pytest.approx(shift + stretch * a, abs=TOL * stretch)
