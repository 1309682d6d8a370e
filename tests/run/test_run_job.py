"""`accord run` end to end: every built-in scenario, the run directory and the report."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner

import accord
from accord.cli.main import app
from accord.job import JobOptions, run_job
from accord.report.build import build_report
from accord.scenario import builtin_names

FAST = ["--draws", "12", "--months", "6", "--rounds", "16", "--resolution", "5"]


class _Collect(HTMLParser):
    """Collects tags, attributes and ids to check the report's structure."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.urls: list[str] = []
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.images = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        d = dict(attrs)
        if d.get("id"):
            self.ids.add(str(d["id"]))
        for key in ("src", "href"):
            v = d.get(key)
            if tag == "a" and key == "href" and v and v.startswith(("https://", "http://")):
                continue  # a link a reader may follow (a source); nothing is fetched
            if v and not v.startswith(("data:", "#")):
                self.urls.append(v)
        if tag == "img":
            self.images += 1
        if tag not in {"meta", "img", "br", "link", "input", "hr"}:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"unbalanced </{tag}>")
        else:
            self.stack.pop()


def _check_report(text: str, figures: set[str]) -> None:
    p = _Collect()
    p.feed(text)
    assert not p.errors, p.errors[:3]
    assert not p.urls, f"external references: {p.urls[:3]}"
    assert not re.search(r"""src\s*=\s*["']?https?://""", text)
    assert not re.search(r"""<link[^>]*href\s*=\s*["']?https?://""", text)
    assert {f"fig-{f}" for f in figures} <= p.ids
    assert "sources" in p.ids
    assert len(text.encode()) < 2 * 1024 * 1024


@pytest.mark.parametrize("name", builtin_names())
def test_run_every_builtin_scenario(name: str, tmp_path: Path) -> None:
    out = tmp_path / "run"
    result = CliRunner().invoke(app, ["run", name, "--out", str(out), *FAST])
    assert result.exit_code == 0, result.output
    assert "Run directory" in result.output
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["status"] == "complete"
    assert manifest["seed"] == 0
    assert len(manifest["scenario_hash"]) == 64
    for table in ("analysis.csv", "forecasts.csv", "summary.json", "scenario.yaml"):
        assert (out / table).is_file(), table
    figures = {"issue-maps"}
    s = accord.load(name)
    if len(s.seats) == 2:
        figures.add("frontier")
    if s.clocks:
        figures.add("clock")
    _check_report((out / "report.html").read_text(encoding="utf-8"), figures)
    assert accord.load(str(out / "scenario.yaml")) == s


def test_almaty_story_names_the_zone_and_proposals(tmp_path: Path) -> None:
    out = tmp_path / "run"
    result = CliRunner().invoke(app, ["run", "almaty-2013", "--out", str(out), *FAST])
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert "agreement zone" in text
    assert "P5+1 Almaty proposal" in text
    assert "Breakout time with no deal" in text
    html = (out / "report.html").read_text(encoding="utf-8")
    _check_report(html, {"issue-maps", "frontier", "trajectories", "clock", "montecarlo"})
    assert "judgement" in html


def test_same_seed_same_tables() -> None:
    s = accord.load("teaching-budget")
    o = JobOptions(draws=8, months=3, rounds=10, resolution=4, seed=7)
    a, b = run_job(s, o), run_job(s, o)
    assert a.forecast_frame().to_csv() == b.forecast_frame().to_csv()
    assert a.montecarlo is None or a.montecarlo.runs.equals(b.montecarlo.runs)
    fixed = "2026-01-01 00:00 UTC"
    assert build_report(a, created=fixed) == build_report(b, created=fixed)


def test_stages_are_saved_as_they_finish() -> None:
    seen: list[str] = []
    run_job(
        accord.load("teaching-trade"),
        JobOptions(draws=0, months=2, rounds=8),
        on_stage=lambda name, _: seen.append(name),
    )
    assert seen[:3] == ["analysis", "forecasts", "negotiation"]


def test_run_refuses_bad_input(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("meta: {title: x}\nissues: []\nactors: []\n")
    out = tmp_path / "run"
    result = CliRunner().invoke(app, ["run", str(bad), "--out", str(out)])
    assert result.exit_code == 2
    assert "bad.yaml" in result.output
    assert not out.exists()


def test_run_refuses_non_empty_output(tmp_path: Path) -> None:
    (tmp_path / "keep.txt").write_text("mine")
    result = CliRunner().invoke(app, ["run", "teaching-trade", "--out", str(tmp_path), *FAST])
    assert result.exit_code == 2
    assert (tmp_path / "keep.txt").read_text() == "mine"


def test_the_default_draws_are_the_jobs_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without ``--draws`` the run asks for `JobOptions`' default, and its help says which."""
    import accord.job
    from accord.errors import AccordError

    def stop(*args: object, **kwargs: object) -> None:
        raise AccordError("stopped before any engine ran")

    monkeypatch.setattr(accord.job, "run_job", stop)
    out = tmp_path / "run"
    result = CliRunner().invoke(app, ["run", "teaching-trade", "--out", str(out)])
    assert result.exit_code == 2 and "stopped" in result.output
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["arguments"]["draws"] == JobOptions.draws >= 2_000
    help_text = " ".join(CliRunner().invoke(app, ["run", "--help"]).output.split())
    assert f"default: {JobOptions.draws:,}" in help_text
