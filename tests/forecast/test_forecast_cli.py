"""`accord forecast` and `accord evaluate` end to end."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from accord.cli.main import app
from accord.forecast import MODELS

runner = CliRunner()


def test_forecast_shows_every_model_status_quo_and_positions() -> None:
    r = runner.invoke(app, ["forecast"])
    assert r.exit_code == 0, r.output
    for name in MODELS.names():
        assert name in r.output
    assert "status quo" in r.output and "positions" in r.output
    r = runner.invoke(app, ["forecast", "teaching-trade", "-m", "median"])
    assert "2 weeks" in r.output and "3.00" not in r.output  # labels, never option codes


def test_forecast_json_with_trajectory() -> None:
    r = runner.invoke(
        app,
        [
            "forecast",
            "ec-emissions-1994",
            "-m",
            "bdm",
            "-m",
            "compromise",
            "--json",
            "--trajectory",
        ],
    )
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    f = {d["model"]: d for d in out["forecasts"]}
    assert set(f) == {"bdm", "compromise"}
    assert abs(f["compromise"]["forecast"]["delay"] - 7.39) < 0.005
    assert len(f["bdm"]["trajectory"]) == f["bdm"]["rounds"] + 1
    assert out["issues"][0]["positions"] == [4.0, 10.0]


def test_forecast_trajectory_table() -> None:
    r = runner.invoke(app, ["forecast", "ec-emissions-1994", "-m", "bdm", "--trajectory"])
    assert r.exit_code == 0, r.output
    assert "by round" in r.output and "8.42" in r.output
    assert "actors' positions" in r.output


def test_option_labels_in_json() -> None:
    r = runner.invoke(app, ["forecast", "teaching-trade", "-m", "median", "--json"])
    out = json.loads(r.stdout)
    assert out["forecasts"][0]["forecast_label"] == {"delivery": "2 weeks"}


def test_unknown_model_and_missing_file_exit_2(tmp_path) -> None:
    r = runner.invoke(app, ["forecast", "-m", "oracle"])
    assert r.exit_code == 2 and "oracle" in r.output and "Traceback" not in r.output
    r = runner.invoke(app, ["forecast", str(tmp_path / "none.yaml")])
    assert r.exit_code == 2


def test_evaluate_table_and_json() -> None:
    r = runner.invoke(app, ["evaluate", "ec-emissions-1994", "almaty-2013", "--boot", "200"])
    assert r.exit_code == 0, r.output
    assert "MAE" in r.output and "compromise" in r.output
    r = runner.invoke(
        app, ["evaluate", "ec-emissions-1994", "-m", "bdm", "--json", "--boot", "200"]
    )
    out = json.loads(r.stdout)
    assert {s["model"] for s in out["scores"]} == {"bdm", "compromise"}


def test_evaluate_without_outcomes_exits_2() -> None:
    r = runner.invoke(app, ["evaluate", "teaching-trade"])
    assert r.exit_code == 2 and "known outcome" in r.output


def test_the_forecast_table_names_issues_by_label() -> None:
    from typer.testing import CliRunner

    from accord.cli.main import app

    r = CliRunner().invoke(app, ["forecast", "almaty-2013", "-m", "median"], terminal_width=200)
    assert r.exit_code == 0, r.output
    assert "Maximum" in r.output and "Sanctions" in r.output
    assert "enrichment_level" not in r.output and "sanctions" not in r.output
