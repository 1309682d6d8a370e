"""`accord sweep` and `accord tournament` end to end, including a killed and resumed sweep."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from accord.cli.main import app

runner = CliRunner()
SWEEP = ["sweep", "almaty-2013", "--task", "status-quo", "--seed", "5"]


def test_sweep_writes_a_run_directory(tmp_path: Path) -> None:
    out = tmp_path / "run"
    r = runner.invoke(
        app,
        [
            *SWEEP,
            "--draws",
            "40",
            "--plan",
            "lhs",
            "--executor",
            "serial",
            "--out",
            str(out),
            "--sensitivity",
            "oat",
        ],
    )
    assert r.exit_code == 0, r.output
    assert "40 runs" in r.output and "status_quo.capacity" in r.output
    for name in ("manifest.json", "runs.csv", "summary.csv", "sensitivity.csv", "uncertain.json"):
        assert (out / name).is_file(), name
    assert not (out / "chunks").exists()
    m = json.loads((out / "manifest.json").read_text())
    assert m["status"] == "complete" and m["arguments"]["draws"] == 40
    assert len(m["scenario"]["digest"]) == 64
    assert len((out / "runs.csv").read_text().splitlines()) == 41


def test_sweep_json(tmp_path: Path) -> None:
    r = runner.invoke(
        app,
        [*SWEEP, "--draws", "12", "--executor", "serial", "--out", str(tmp_path / "j"), "--json"],
    )
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert data["result"]["draws"] == 12
    assert "status_quo.stockpile_20" in data["result"]["metrics"]


def test_sweep_refuses_a_non_empty_directory(tmp_path: Path) -> None:
    (tmp_path / "keep.txt").write_text("x")
    r = runner.invoke(app, [*SWEEP, "--draws", "5", "--executor", "serial", "--out", str(tmp_path)])
    assert r.exit_code == 2
    assert "not empty" in r.output and "Traceback" not in r.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.txt"]


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--plan", "grid"], "expected one of"),
        (["--executor", "cloud"], "expected one of"),
        (["--sensitivity", "morris"], "expected oat or sobol"),
        (["--draws", "0"], "at least one draw"),
        (["--address", "tcp://127.0.0.1:1"], "needs --executor dask"),
    ],
)
def test_sweep_bad_arguments_exit_2(tmp_path: Path, extra: list[str], message: str) -> None:
    out = tmp_path / "o"
    r = runner.invoke(app, [*SWEEP, "--draws", "5", "--out", str(out), *extra])
    assert r.exit_code == 2, r.output
    assert message in r.output
    assert not out.exists() or not any(out.iterdir())


def test_sweep_needs_a_model_for_forecasts(tmp_path: Path) -> None:
    r = runner.invoke(app, ["sweep", "--draws", "5", "--out", str(tmp_path / "o")])
    assert r.exit_code == 2 and "--model" in r.output
    r = runner.invoke(app, ["sweep", "--model", "no-such-model", "--out", str(tmp_path / "o")])
    assert r.exit_code == 2 and "no-such-model" in r.output


def test_resume_refuses_other_arguments(tmp_path: Path) -> None:
    out = tmp_path / "o"
    assert (
        runner.invoke(
            app, [*SWEEP, "--draws", "6", "--executor", "serial", "--out", str(out)]
        ).exit_code
        == 0
    )
    r = runner.invoke(app, ["sweep", "--draws", "7", "--out", str(out), "--resume"])
    assert r.exit_code == 2 and "draws = 6" in r.output
    r = runner.invoke(app, ["sweep", "--out", str(tmp_path / "none"), "--resume"])
    assert r.exit_code == 2 and "not a run directory" in r.output


def test_killed_sweep_resumes_to_the_same_bytes(tmp_path: Path) -> None:
    args = [*SWEEP, "--draws", "150", "--chunk", "5", "--plan", "sobol"]
    killed = tmp_path / "killed"
    env = dict(os.environ, COLUMNS="100")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "accord.cli.main",
            *args,
            "--executor",
            "serial",
            "--out",
            str(killed),
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    chunks = killed / "chunks"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if chunks.is_dir() and len(list(chunks.glob("*.csv"))) >= 3:
            break
        time.sleep(0.02)
    assert proc.poll() is None, "the sweep ended before it could be killed"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    kept = len(list(chunks.glob("*.csv")))
    assert 3 <= kept < 30 and not (killed / "runs.csv").exists()

    r = runner.invoke(app, ["sweep", "--out", str(killed), "--resume", "--executor", "serial"])
    assert r.exit_code == 0, r.output
    assert f"resumed: {kept}" in r.output or "resumed:" in r.output

    whole = tmp_path / "whole"
    r = runner.invoke(app, [*args, "--executor", "process", "--workers", "2", "--out", str(whole)])
    assert r.exit_code == 0, r.output
    assert (killed / "runs.csv").read_bytes() == (whole / "runs.csv").read_bytes()
    assert (killed / "summary.csv").read_bytes() == (whole / "summary.csv").read_bytes()


def test_tournament_runs_or_says_why(tmp_path: Path) -> None:
    out = tmp_path / "t"
    r = runner.invoke(
        app,
        [
            "tournament",
            "--repetitions",
            "1",
            "--executor",
            "serial",
            "--out",
            str(out),
            "--rounds",
            "10",
        ],
    )
    try:
        import accord.bargain.tournament  # noqa: F401
    except ImportError:
        assert r.exit_code == 2 and "not available" in r.output
        return
    assert r.exit_code == 0, r.output
    assert (out / "sessions.csv").is_file() and (out / "summary.csv").is_file()
    assert json.loads((out / "manifest.json").read_text())["status"] == "complete"


def test_sweep_breakout_with_sobol_sensitivity(tmp_path: Path) -> None:
    out = tmp_path / "b"
    r = runner.invoke(
        app,
        [
            "sweep",
            "--task",
            "breakout",
            "--months",
            "6",
            "--draws",
            "16",
            "--executor",
            "serial",
            "--out",
            str(out),
            "--sensitivity",
            "sobol",
        ],
    )
    if r.exit_code == 2 and "not available" in r.output:
        pytest.skip("the clocks engine is not available")
    assert r.exit_code == 0, r.output
    header = (out / "sensitivity.csv").read_text().splitlines()[0]
    assert header.startswith("metric,parameter,S1,S1_conf,ST,ST_conf")
    assert "breakout_months" in r.output


def test_months_needs_the_breakout_task(tmp_path: Path) -> None:
    r = runner.invoke(app, [*SWEEP, "--months", "3", "--out", str(tmp_path / "m")])
    assert r.exit_code == 2 and "--task breakout" in r.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--task", "forecast", "-m", "bdm,median"], "one model per sweep"),
        (["--task", "breakout", "-m", "bdm:rounds=3"], "model parameters apply to --task forecast"),
    ],
)
def test_one_model_and_its_parameters_only_where_they_apply(
    tmp_path: Path, args: list[str], message: str
) -> None:
    out = tmp_path / "o"
    r = runner.invoke(app, ["sweep", "almaty-2013", "--draws", "5", "--out", str(out), *args])
    assert r.exit_code == 2 and message in r.output
    assert not out.exists()


def test_resuming_a_finished_sweep_says_there_is_nothing_to_do(tmp_path: Path) -> None:
    out = tmp_path / "done"
    args = [*SWEEP, "--draws", "6", "--executor", "serial", "--out", str(out)]
    assert runner.invoke(app, args).exit_code == 0
    summary = (out / "summary.csv").read_bytes()
    r = runner.invoke(app, ["sweep", "--out", str(out), "--resume", "--executor", "serial"])
    assert r.exit_code == 0, r.output
    assert "nothing to resume" in r.output
    assert (out / "summary.csv").read_bytes() == summary
