"""Red lines, metric terms, shapes and bloc rules at the command line, and on the Almaty case."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml
from typer.testing import CliRunner

import accord
from accord.cli.main import app
from accord.job import JobOptions, run_job

runner = CliRunner()


def base() -> dict[str, Any]:
    return {
        "meta": {"title": "t"},
        "issues": [
            {"id": "level", "scale": [0, 10], "status_quo": 5},
            {"id": "mode", "options": ["low", "mid", "high"], "status_quo": "mid"},
        ],
        "actors": [
            {
                "id": "a",
                "capability": 2,
                "positions": {"level": 1, "mode": "low"},
                "salience": {"level": 0.5, "mode": 0.5},
            },
            {
                "id": "b",
                "capability": 1,
                "positions": {"level": 9, "mode": "high"},
                "salience": {"level": 0.5, "mode": 0.5},
            },
        ],
    }


BAD = [
    (
        {"red_lines": [{"metric": "nope", "op": ">=", "value": 1}]},
        "red_lines[0].metric",
        "unknown metric",
    ),
    (
        {"red_lines": [{"issue": "nope", "op": ">=", "value": 1}]},
        "red_lines[0].issue",
        "red line on a missing issue",
    ),
    (
        {"red_lines": [{"issue": "mode", "op": "in", "options": ["huge"]}]},
        "red_lines[0].options[0]",
        "expected one of the options",
    ),
    (
        {"red_lines": [{"issue": "level", "op": "<=", "value": 12}]},
        "red_lines[0].value",
        "threshold outside the issue's scale",
    ),
    (
        {
            "metric_terms": [
                {
                    "metric": "breakout_months",
                    "weight": 0.5,
                    "shape": {"kind": "piecewise", "points": [[0, 0], [1, 1], [2, 0]]},
                }
            ]
        },
        "metric_terms[0]",
        "does not apply",
    ),
    (
        {"shapes": {"mode": {"kind": "piecewise", "points": [[0, 1], [2, 0]]}}},
        "shapes",
        "needs a continuous issue",
    ),
    (
        {"shapes": {"level": {"kind": "piecewise", "points": [[3, 1], [2, 0]]}}},
        "shapes",
        "strictly increasing",
    ),
]


@pytest.mark.parametrize(("edit", "where", "message"), BAD)
def test_bad_preferences_exit_2_naming_field_and_value(
    tmp_path: Path, edit: dict[str, Any], where: str, message: str
) -> None:
    data = base()
    data["actors"][0].update(edit)
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    r = runner.invoke(app, ["validate", str(path)])
    assert r.exit_code == 2, r.output
    assert where in r.stderr and message in r.stderr
    assert "Traceback" not in r.output + r.stderr
    assert re.search(r"bad\.yaml:\d+: ", r.stderr)


def test_non_monotone_metric_shape_is_refused() -> None:
    data = accord.load("almaty-2013").model_dump(mode="json", exclude_none=True)
    data["actors"][2]["metric_terms"][0]["shape"]["points"] = [[0, 0], [6, 1], [12, 0]]
    with pytest.raises(accord.errors.InputError, match="must be monotone"):
        accord.Scenario.model_validate(data)


def test_quorum_needs_a_threshold() -> None:
    data = base()
    data["blocs"] = [{"id": "ab", "members": ["a", "b"], "seat": "a", "rule": "quorum"}]
    with pytest.raises(accord.errors.InputError, match="quorum rule needs a threshold"):
        accord.Scenario.model_validate(data)


def test_schema_describes_the_new_fields() -> None:
    r = runner.invoke(app, ["schema"])
    assert r.exit_code == 0
    schema = json.loads(r.stdout)
    defs = schema["$defs"]
    assert {"red_lines", "metric_terms", "shapes"} <= set(defs["Actor"]["properties"])
    assert {"rule", "threshold"} <= set(defs["Bloc"]["properties"])
    assert {"RedLine", "MetricTerm", "Shape"} <= set(defs)


def test_analyze_prints_rules_red_lines_and_binding_lines() -> None:
    r = runner.invoke(app, ["analyze", "almaty-2013"])
    assert r.exit_code == 0, r.output
    out = " ".join(r.output.split())
    assert "decides by consensus" in out
    assert (
        "Iran's plan of action (Apr 2013) breaks the red line Maximum enrichment level ≤ 5 % "
        "U-235 by 15 % U-235 of United States, United Kingdom, France" in out
    )
    assert "Red lines binding on the zone:" in out
    r = runner.invoke(app, ["analyze", "almaty-2013", "--json"])
    d = json.loads(r.output)
    assert d["rules"]["p5plus1"] == "consensus" and d["red_lines"]
    assert all("breakout_months" in p["metrics"] for p in d["packages"])


@pytest.fixture(scope="module")
def job():  # type: ignore[no-untyped-def]
    s = accord.load("almaty-2013")
    return run_job(s, JobOptions(models=("compromise",), draws=0, months=0, rounds=5))


def test_analyze_and_run_give_one_verdict_per_proposal(job) -> None:  # type: ignore[no-untyped-def]
    alone = accord.analyze(accord.load("almaty-2013"))
    for a, b in zip(alone.proposals, job.analysis.proposals, strict=True):
        assert a.id == b.id and a.accepted_by == b.accepted_by
        assert a.members_refusing == b.members_refusing
    iran_plan = {v.id: v for v in alone.proposals}["iran_plan"]
    assert iran_plan.refused_by == ("p5plus1",)
    from accord.present.story import story

    text = " ".join(s.text for answer in story(job) for s in answer.sentences)
    assert "as a whole accepts" not in text
    assert "Iran's plan of action (Apr 2013): refused by P5+1" in text


def test_the_recommended_package_does_not_shorten_breakout(job) -> None:  # type: ignore[no-untyped-def]
    a = job.analysis
    nash = a.solutions["nash"]
    assert nash is not None
    assert nash.metrics["breakout_months"] >= a.no_deal_metrics["breakout_months"]
    for p in a.packages:
        assert p.metrics["breakout_months"] >= a.no_deal_metrics["breakout_months"]
    assert np.isfinite(a.no_deal_metrics["breakout_months"])


def test_list_metrics() -> None:
    r = runner.invoke(app, ["list", "metrics", "--json"])
    assert r.exit_code == 0, r.output
    assert "breakout_months" in [row["name"] for row in json.loads(r.stdout)]


def test_analyze_says_when_it_samples() -> None:
    r = runner.invoke(app, ["analyze", "almaty-2013", "--resolution", "401"])
    assert r.exit_code == 0, r.output
    assert "from a uniform sample" in " ".join(r.output.split())
