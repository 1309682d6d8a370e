"""A model over its limit is skipped with its reason; the other models still run."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from accord.cli.main import app
from accord.errors import AccordError, LimitError
from accord.forecast.lineup import Skipped, forecast_models
from accord.io import load
from accord.scenario import compile

runner = CliRunner()


@pytest.fixture
def bdm_over(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every scenario is over BDM's work limit."""
    monkeypatch.setenv("ACCORD_MAX_BDM_WORK", "1")


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_forecast_of_several_models_skips_the_one_over_its_limit(bdm_over: None) -> None:
    r = runner.invoke(app, ["forecast", "-m", "compromise", "-m", "bdm", "-m", "median"])
    assert r.exit_code == 0, r.output
    out = _flat(r.output)
    assert "2 models (1 skipped)" in out
    assert "│ skipped │" in out.replace("  ", " ") and "bdm" in out
    assert "bdm skipped: BDM work (actors³ × issues × rounds): 79,860 requested" in out
    assert "ACCORD_MAX_BDM_WORK" in out
    assert "compromise: 2.8 months" in out and "median: 20.1 months" in out


def test_forecast_of_every_model_runs_the_others(bdm_over: None) -> None:
    r = runner.invoke(app, ["forecast", "ec-emissions-1994", "--json"])
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    ran = [f["model"] for f in out["forecasts"]]
    assert "bdm" not in ran and "compromise" in ran and "ktab" in ran
    assert [k["model"] for k in out["skipped"]] == ["bdm"]
    assert "the limit is 1" in out["skipped"][0]["reason"]


def test_nothing_skipped_is_an_empty_list() -> None:
    r = runner.invoke(app, ["forecast", "ec-emissions-1994", "-m", "bdm", "--json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["skipped"] == []


def test_the_one_model_asked_for_over_its_limit_is_an_error(bdm_over: None) -> None:
    r = runner.invoke(app, ["forecast", "-m", "bdm"])
    assert r.exit_code == 2
    assert "BDM work (actors³ × issues × rounds)" in _flat(r.output)
    assert "Forecast per issue" not in r.output


def test_every_model_over_its_limit_is_an_error(
    bdm_over: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ACCORD_MAX_EXCHANGE_PAIRS", "1")
    r = runner.invoke(app, ["forecast", "-m", "bdm", "-m", "exchange", "--json"])
    assert r.exit_code == 2
    out = _flat(r.output)
    assert "every model is over a limit: bdm: BDM work" in out
    assert "exchange: exchange candidates" in out
    assert "{" not in r.stdout  # nothing partial


def test_a_bad_parameter_is_still_refused_before_any_model_runs() -> None:
    r = runner.invoke(app, ["forecast", "-m", "compromise", "-m", "bdm:rounds=5000"])
    assert r.exit_code == 2
    assert "BDM rounds" in _flat(r.output)
    assert "Forecast per issue" not in r.output


def test_forecast_models_keeps_the_order_asked(
    bdm_over: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    c = compile(load("almaty-2013"))
    names = ["median", "bdm", "compromise"]
    lineup = forecast_models(c, names, seed=0)
    assert [f.model for f in lineup.forecasts] == ["median", "compromise"]
    assert [type(x).__name__ for x in lineup.in_order(names)] == ["Forecast", "Skipped", "Forecast"]
    assert lineup.to_dict()["skipped"][0]["model"] == "bdm"
    with pytest.raises(LimitError, match="BDM work"):
        forecast_models(c, ["bdm"])
    monkeypatch.setenv("ACCORD_MAX_EXCHANGE_PAIRS", "1")
    with pytest.raises(AccordError, match="every model is over a limit"):
        forecast_models(c, ["bdm", "exchange"])


def test_run_job_skips_a_model_over_its_limit_and_runs_the_rest(bdm_over: None) -> None:
    from accord.job import JobOptions, run_job

    s = load("almaty-2013")
    r = run_job(s, JobOptions(models=("compromise", "bdm"), draws=4, months=0, resolution=3))
    assert set(r.forecasts) == {"compromise"}
    assert any(n.startswith("model bdm skipped: BDM work") for n in r.notes)
    assert r.montecarlo is not None  # the Monte-Carlo runs without the skipped model
    assert not any(col.startswith("bdm.") for col in r.montecarlo.runs.columns)
    assert any(col.startswith("compromise.") for col in r.montecarlo.runs.columns)
    assert Skipped("bdm", "x").to_dict() == {"model": "bdm", "reason": "x"}
