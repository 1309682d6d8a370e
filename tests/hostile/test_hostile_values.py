"""Extreme numbers: refused at validation or handled, never a crash or "nan" (issue 18)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml
from typer.testing import CliRunner

from accord.cli.main import app
from accord.errors import InputError
from accord.io import native

runner = CliRunner()

Mutation = Callable[[dict[str, Any]], None]


def _scale(d: dict[str, Any]) -> None:
    d["issues"][0]["scale"] = [-1e308, 1e308]


def _inf_range(d: dict[str, Any]) -> None:
    d["actors"][0]["capability"] = {"value": 1, "range": [float("-inf"), float("inf")]}


def _nan_range(d: dict[str, Any]) -> None:
    d["actors"][0]["capability"] = {"value": 1, "range": [float("nan"), 2]}


def _nan_dist(d: dict[str, Any]) -> None:
    d["actors"][0]["capability"] = {"value": 1, "dist": {"kind": "normal", "mean": 1, "sd": "nan"}}


def _nan_drift(d: dict[str, Any]) -> None:
    d["clocks"] = [{"kind": "drift", "issue": "a", "rate": float("nan")}]


def _inf_salience(d: dict[str, Any]) -> None:
    d["actors"][1]["salience"]["a"] = float("inf")


def _round(value: Any) -> Mutation:
    return lambda d: d["meta"].__setitem__("round_length", value)


BAD: dict[str, tuple[Mutation, str]] = {
    "scale ±1e308": (_scale, "hi − lo overflows"),
    "infinite range": (_inf_range, "finite number"),
    "NaN range": (_nan_range, "finite number"),
    "NaN sd": (_nan_dist, "finite number"),
    "NaN drift rate": (_nan_drift, "finite number"),
    "infinite salience": (_inf_salience, "finite number"),
    "round_length 0": (_round(0), "round_length > 0"),
    "round_length < 0": (_round(-2.5), "round_length > 0"),
    "round_length estimate < 0": (_round({"value": -1, "judgement": True}), "round_length > 0"),
}


@pytest.mark.parametrize("case", list(BAD))
def test_non_finite_and_impossible_numbers_are_refused(small: dict[str, Any], case: str) -> None:
    mutate, message = BAD[case]
    mutate(small)
    with pytest.raises(InputError, match=message) as e:
        native.from_data(small)
    paths = [p.path for p in e.value.problems]
    assert len(set(paths)) == len(paths)  # one message per defect, not one per union branch
    assert all(message in p.message for p in e.value.problems)


@pytest.mark.parametrize("suffix", [".yaml", ".json"])
def test_non_finite_numbers_in_files_are_clean_errors(
    tmp_path: Path, small: dict[str, Any], suffix: str
) -> None:
    _nan_drift(small)
    f = tmp_path / f"s{suffix}"
    f.write_text(yaml.safe_dump(small) if suffix == ".yaml" else native.json.dumps(small))
    result = runner.invoke(app, ["validate", str(f)])
    assert result.exit_code == 2
    assert "clocks[0]" in result.output and "finite" in result.output


def _identical(d: dict[str, Any]) -> None:
    for a in d["actors"]:
        a["positions"]["a"] = 5


def _identical_at_status_quo(d: dict[str, Any]) -> None:
    for a in d["actors"]:
        a["positions"]["a"] = 0


def _huge_finite(d: dict[str, Any]) -> None:
    d["issues"][0]["scale"] = [-1e307, 1e307]
    d["actors"][0]["positions"]["a"] = -1e307
    d["actors"][1]["positions"]["a"] = 1e307
    d["actors"][0]["capability"] = 1e300


ODD: dict[str, Mutation] = {
    "identical positions": _identical,
    "identical positions at the status quo": _identical_at_status_quo,
    "huge finite numbers": _huge_finite,
}


@pytest.mark.parametrize("case", list(ODD))
@pytest.mark.parametrize("command", ["show", "analyze", "forecast", "negotiate"])
def test_odd_but_valid_scenarios_run_without_crash_or_nan(
    tmp_path: Path, small: dict[str, Any], case: str, command: str
) -> None:
    ODD[case](small)
    f = tmp_path / "s.yaml"
    f.write_text(yaml.safe_dump(small))
    result = runner.invoke(app, [command, str(f)])
    assert result.exit_code == 0, result.output
    assert " nan" not in result.output.lower()
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_condorcet_is_exact_in_quadratic_memory() -> None:
    from accord.forecast.models.simple import CondorcetMedian

    rng = np.random.default_rng(3)
    for _ in range(50):
        n = int(rng.integers(1, 12))
        x = rng.integers(0, 5, size=n).astype(float)
        w = rng.random(n)
        cand = np.unique(x)
        dist = np.abs(x[None, :] - cand[:, None])
        v = (w[None, None, :] * (dist[None, :, :] - dist[:, None, :])).sum(axis=2)
        undefeated = np.flatnonzero((v >= -1e-9).all(axis=1))
        assert CondorcetMedian.winner(x, w) == cand[undefeated[0]]


def test_condorcet_at_the_actor_limit_stays_small() -> None:
    import tracemalloc

    from accord.forecast.models.simple import CondorcetMedian

    rng = np.random.default_rng(0)
    x, w = rng.random(1000), rng.random(1000)
    tracemalloc.start()
    CondorcetMedian.winner(x, w)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 64 * 2**20  # n³ doubles would be 8 GB


def test_a_frontier_search_over_budget_is_refused_before_the_work(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from accord.analysis.analyze import analyze
    from accord.errors import LimitError

    issues = [{"id": f"i{k}", "scale": [0, 9], "status_quo": 0} for k in range(12)]
    rng = np.random.default_rng(2)
    actors = [
        {
            "id": f"a{n}",
            "capability": 1 + n,
            "positions": {f"i{k}": float(rng.integers(0, 10)) for k in range(12)},
            "salience": {f"i{k}": round(float(rng.random()), 2) for k in range(12)},
        }
        for n in range(4)
    ]
    s = native.from_data({"meta": {"title": "10^12"}, "issues": issues, "actors": actors})
    monkeypatch.setenv("ACCORD_MAX_FRONTIER_WORK", "1000000")
    with pytest.raises(LimitError, match="ACCORD_MAX_FRONTIER_WORK"):
        analyze(s, resolution=10)


def _wide(n_actors: int, n_issues: int) -> Any:
    from accord.scenario import compile

    rng = np.random.default_rng(1)
    issues = [{"id": f"i{k}", "scale": [0, 10], "status_quo": 0} for k in range(n_issues)]
    actors = [
        {
            "id": f"a{n}",
            "capability": 1,
            "positions": {f"i{k}": float(rng.integers(0, 11)) for k in range(n_issues)},
            "salience": {f"i{k}": 0.5 for k in range(n_issues)},
        }
        for n in range(n_actors)
    ]
    return compile(native.from_data({"meta": {"title": "w"}, "issues": issues, "actors": actors}))


@pytest.mark.parametrize(
    ("model", "setting"),
    [
        ("exchange", "ACCORD_MAX_EXCHANGE_PAIRS"),
        ("exchange", "ACCORD_MAX_EXCHANGE_WORK"),
        ("bdm", "ACCORD_MAX_BDM_WORK"),
    ],
)
def test_models_refuse_work_over_their_limit_before_starting(
    monkeypatch: pytest.MonkeyPatch, model: str, setting: str
) -> None:
    from accord.errors import LimitError
    from accord.forecast import MODELS

    c = _wide(30, 6)
    assert np.isfinite(MODELS.create(model).forecast(c, seed=0).point).all()
    monkeypatch.setenv(setting, "1000")
    with pytest.raises(LimitError, match=setting):
        MODELS.create(model).forecast(c, seed=0)
