"""The presentation layer: numbers for people, labels not codes, true headings, the calendar,
model parameters from the command line."""

from __future__ import annotations

import json
from dataclasses import replace

import numpy as np
import pytest
from typer.testing import CliRunner

import accord
from accord.cli.main import app
from accord.cli.specs import parse_specs
from accord.errors import InputError
from accord.job import JobOptions, run_job, session_rounds
from accord.present.calendar import round_when
from accord.present.format import number, option_shares, percent, spread_text
from accord.present.story import stalled, story


@pytest.mark.parametrize(
    ("x", "text"),
    [
        (0.00005, "0.00005"),
        (1.2e6, "1,200,000"),
        (9.75, "9.75"),
        (59.83, "59.8"),
        (167.0, "167"),
        (-0.0, "0"),
        (float("nan"), "–"),
    ],
)
def test_numbers_have_no_exponent(x: float, text: str) -> None:
    assert number(x) == text
    assert "e" not in number(x).lower()


def test_percent_small_and_tiny() -> None:
    def plain(x: float) -> str:
        return percent(x).replace("\u00a0", " ")

    assert plain(0.098) == "9.8 %" and plain(0.42) == "42 %" and plain(0.0001) == "0.01 %"


def test_options_issue_spread_is_shares_per_option() -> None:
    fordow = accord.load("almaty-2013").issue("fordow")
    draws = np.array([2.0] * 9 + [3.0])
    assert option_shares(fordow, draws) == {"suspended": 0.9, "operating": 0.1}
    assert spread_text(fordow, draws).replace("\u00a0", " ") == "suspended 90 %, operating 10 %"
    assert spread_text(fordow, np.full(30, 2.0)) == "no spread across 30 draws"


def test_continuous_spread_collapses_in_words() -> None:
    level = accord.load("almaty-2013").issue("enrichment_level")
    assert spread_text(level, np.full(12, 5.0)) == "no spread across 12 draws"
    assert spread_text(level, np.linspace(4, 6, 101)) == "4.1–5.9"


def test_model_specs_parse_names_and_parameters() -> None:
    assert parse_specs(["compromise,bdm:rounds=8,converge=false", "ktab"]) == [
        ("compromise", {}),
        ("bdm", {"rounds": 8, "converge": False}),
        ("ktab", {}),
    ]
    with pytest.raises(InputError, match="key=value"):
        parse_specs(["rounds=3"])


def test_forecast_takes_model_parameters() -> None:
    r = CliRunner().invoke(
        app, ["forecast", "almaty-2013", "-m", "bdm:rounds=3,converge=false", "--json"]
    )
    assert r.exit_code == 0, r.output
    (f,) = json.loads(r.stdout)["forecasts"]
    assert f["rounds"] == 3 and f["params"]["converge"] is False
    assert f["forecast_label"]["fordow"] == "suspended"


def test_session_rounds_follow_the_calendar() -> None:
    s = accord.load("almaty-2013")  # two months a round, dated April 2013
    assert session_rounds(s, 12) == 6
    assert round_when(s, 4) == "round 4, about 8 months in (December 2013)"


def test_headings_are_true_and_status_quo_is_no_deal() -> None:
    s = accord.load("teaching-trade")
    r = run_job(s, JobOptions(draws=0, months=2, rounds=8, resolution=5))
    answers = {a.key: a for a in story(r)}
    assert not stalled(r)
    assert answers["why"].heading == "Is there a deal to be had?"
    assert r.talks is not None
    deal = replace(
        r.talks,
        session=replace(r.talks.session, agreement=True, outcome=r.talks.status_quo, round=3),
    )
    sq = story(replace(r, talks=deal))
    end = next(a for a in sq if a.key == "end").text
    assert "no deal" in end and "agrees" not in end


def test_stalled_scenario_says_why() -> None:
    s = accord.load("ec-emissions-1994")
    r = run_job(s, JobOptions(draws=0, months=0, rounds=6, resolution=5))
    why = next(a for a in story(r) if a.key == "why")
    assert r.analysis.zone_empty and stalled(r)
    assert why.heading == "Why the talks stall"
    assert "No agreement zone" in why.text


def test_monte_carlo_varies_positions_marked_uncertain_and_says_so(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from importlib import resources

    text = (resources.files("accord.scenario") / "builtin" / "teaching-trade.yaml").read_text(
        encoding="utf-8"
    )
    fixed = accord.load("teaching-trade")
    text = text.replace(
        "positions: {price: {value: 80, source: judgement}",
        "positions: {price: {value: 80, source: judgement, range: [80, 100]}",
    )
    path = tmp_path / "uncertain.yaml"
    path.write_text(text, encoding="utf-8")
    s = accord.load(str(path))
    assert s != fixed
    r = run_job(s, JobOptions(draws=16, months=1, rounds=4, resolution=4))
    assert r.montecarlo is not None
    sure = next(a for a in story(r) if a.key == "sure")
    assert "1 position" in sure.text and "positions stayed fixed" not in sure.text
    drawn = r.montecarlo.runs["actors.buyer.positions.price"]
    assert drawn.min() >= 80 and drawn.max() <= 100 and drawn.std() > 0


def test_run_json_carries_labels_indices_and_actor_moves() -> None:
    r = run_job(accord.load("almaty-2013"), JobOptions(draws=0, models=("bdm",), months=1))
    d = r.to_dict()["forecasts"]["bdm"]
    assert d["forecast"]["fordow"] == {"label": "suspended", "index": 2}
    moves = d["positions"]["khamenei"]
    assert len(moves) == d["rounds"] + 1 and moves[0][3] == "operating"
    assert d["without_stopping_rule"]["rounds"] == 10


def test_sweep_takes_model_parameters(tmp_path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "sweep"
    r = CliRunner().invoke(
        app,
        [
            *("sweep", "teaching-trade", "-m", "bdm:rounds=2,converge=false", "--draws", "4"),
            *("--out", str(out), "--executor", "serial", "--json"),
        ],
    )
    assert r.exit_code == 0, r.output
    manifest = json.loads((out / "manifest.json").read_text())
    assert "bdm:rounds=2,converge=false" in json.dumps(manifest)
    bad = CliRunner().invoke(
        app, ["sweep", "-m", "bdm:rounds=0", "--draws", "2", "--out", str(tmp_path / "b")]
    )
    assert bad.exit_code == 2 and "rounds" in bad.output
