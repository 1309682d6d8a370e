"""The report as a brief: true headings, at most six sections, long tables collapsed, every
figure exported as SVG and PNG, byte-identical for the same seed."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

import accord
from accord.cli.main import app
from accord.job import JobOptions, run_job
from accord.report.build import report_figures, sections

FAST = ["--draws", "12", "--months", "6", "--rounds", "6", "--resolution", "5"]


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("brief") / "run"
    r = CliRunner().invoke(app, ["run", "almaty-2013", "--out", str(out), *FAST])
    assert r.exit_code == 0, r.output
    return out


def test_every_figure_is_exported_as_svg_and_png(run_dir: Path) -> None:
    figs = {p.name for p in (run_dir / "figures").iterdir()}
    for fid in ("issue-maps", "frontier", "trajectories", "clock", "montecarlo"):
        assert f"{fid}.svg" in figs and f"{fid}.png" in figs
    svg = (run_dir / "figures" / "frontier.svg").read_text(encoding="utf-8")
    assert svg.lstrip().startswith("<?xml") and "utility of Iran" in svg


def test_long_tables_are_collapsed_and_no_raw_dumps(run_dir: Path) -> None:
    page = (run_dir / "report.html").read_text(encoding="utf-8")
    main, appendix = page.split('<section id="appendix">', 1)
    assert "<table" not in main.split("What time does to the gap", 1)[0]
    assert appendix.count("<details") >= 8
    assert "('actors'," not in page and "actors.0." not in page  # no index paths
    assert "Iran — Supreme Leader Khamenei: salience on Maximum enrichment level" in page


def test_at_most_six_sections_and_svg_bytes_are_reproducible() -> None:
    r = run_job(
        accord.load("teaching-trade"), JobOptions(draws=6, months=2, rounds=6, resolution=4)
    )
    secs = sections(r)
    assert len(secs) <= 6
    a = [f.svg for f in report_figures(secs)]
    b = [f.svg for f in report_figures(sections(r))]
    assert a == b and all(x for x in a)
