"""One truth per question (issue 16 §1): the Python API, `accord run --json`, `accord analyze
--json`, the HTML report and the web API give the same verdicts and numbers for every built-in
scenario, on the one default grid (`accord.space.DEFAULT_RESOLUTION`)."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import accord
from accord.cli.main import app
from accord.job import JobOptions, JobResult, run_job
from accord.present.story import story
from accord.results import jsonable
from accord.scenario import builtin_names
from accord.space import DEFAULT_RESOLUTION

FAST = {"draws": 0, "months": 2, "rounds": 6}


def _python(name: str) -> JobResult:
    return run_job(accord.load(name), JobOptions(**FAST))  # type: ignore[arg-type]


def _verdicts(analysis: dict[str, Any]) -> dict[str, list[str]]:
    return {p["id"]: sorted(p["refused_by"]) for p in analysis["proposals"]}


def _text(page: str) -> str:
    """The visible text of the report's summary box, whitespace normalised."""
    box = page.split('id="summary"', 1)[1].split("</div>", 1)[0]
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", box)).split())


@pytest.mark.parametrize("name", builtin_names())
def test_cli_report_and_python_agree(name: str, tmp_path: Path) -> None:
    r = _python(name)
    want = jsonable(r.to_dict())
    args = [f"--{k}={v}" for k, v in FAST.items()]
    out = CliRunner().invoke(app, ["run", name, "--out", str(tmp_path / "run"), "--json", *args])
    assert out.exit_code == 0, out.output
    got = json.loads(out.stdout)
    assert got["answers"] == want["answers"]
    assert got["analysis"]["zone"] == want["analysis"]["zone"]
    assert got["analysis"]["solutions"] == want["analysis"]["solutions"]
    assert _verdicts(got["analysis"]) == _verdicts(want["analysis"])
    assert got["breakout_months"] == want["breakout_months"]
    assert got["forecasts"] == want["forecasts"]

    ana = CliRunner().invoke(app, ["analyze", name, "--json"])
    assert ana.exit_code == 0, ana.output
    a = json.loads(ana.stdout)
    assert a["resolution"] == want["analysis"]["resolution"] == DEFAULT_RESOLUTION
    assert a["zone"] == want["analysis"]["zone"]
    assert a["solutions"] == want["analysis"]["solutions"]
    assert _verdicts(a) == _verdicts(want["analysis"])

    page = (tmp_path / "run" / "report.html").read_text(encoding="utf-8")
    summary = _text(page)
    for answer in story(r):
        assert answer.heading in summary
        said = " ".join(s.text for s in answer.summary)
        assert " ".join(said.split()) in summary, answer.key


@pytest.fixture(scope="module")
def web() -> Any:
    pytest.importorskip("fastapi")
    from fastapi.testclient import TestClient

    return TestClient


@pytest.mark.parametrize("name", builtin_names())
def test_web_api_agrees_with_python(name: str, web: Any, tmp_path: Path) -> None:
    """The web API's zone, solutions and forecasts equal the Python API's on the grid it
    states (its ``space_size``)."""
    from accord.forecast import MODELS
    from accord.web import create_app

    with web(create_app(tmp_path / "data"), base_url="http://localhost") as client:
        got = client.post(f"/api/scenarios/{name}/evaluate", json={}).json()
    s = accord.load(name)
    a = accord.analyze(s)
    assert got["zone"]["space_size"] == a.space_size  # the same default grid everywhere
    assert got["zone"]["empty"] == a.zone_empty
    assert got["zone"]["share"] == pytest.approx(a.zone_share, abs=1e-6)
    for key, p in a.solutions.items():
        assert (got["solutions"][key] is None) == (p is None)
        if p is not None:
            assert got["solutions"][key]["outcome"] == p.outcome
    c = accord.compile(s)
    for model, values in got["forecasts"].items():
        f = MODELS.create(model).forecast(c, seed=0)
        for k, issue in enumerate(s.issues):
            v = values[issue.id]
            if issue.options:
                assert v == issue.show(float(f.point[k]))
            else:
                assert v == pytest.approx(float(f.point[k]), rel=1e-5, abs=1e-9)


def test_web_api_uses_the_default_grid(web: Any, tmp_path: Path) -> None:
    from accord.web import create_app

    with web(create_app(tmp_path / "data"), base_url="http://localhost") as client:
        got = client.post("/api/scenarios/almaty-2013/evaluate", json={}).json()
    assert got["zone"]["space_size"] == accord.analyze(accord.load("almaty-2013")).space_size
