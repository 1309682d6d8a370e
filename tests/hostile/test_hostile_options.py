"""Extreme command-line options: a clean error naming the option, exit status 2 (issue 18)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from accord.cli.main import app

runner = CliRunner()
S = "teaching-trade"

CASES: list[tuple[list[str], str]] = [
    (["analyze", S, "--resolution", "0"], "resolution"),
    (["analyze", S, "--resolution", "99999999999"], "resolution"),
    (["analyze", S, "--parties", "x"], "parties"),
    (["forecast", S, "--seed", "-1"], "seed"),
    (["negotiate", S, "--seed", "-1"], "seed"),
    (["negotiate", S, "-r", "0"], "rounds"),
    (["negotiate", S, "-r", "100000000000"], "limit"),
    (["negotiate", S, "--resolution", "100000"], "resolution"),
    (["negotiate", S, "--discount", "nan"], "discount"),
    (["negotiate", S, "--discount", "inf"], "discount"),
    (["clock", "almaty-2013", "--months", "nan"], "horizon"),
    (["clock", "almaty-2013", "--months", "1e300"], "limit"),
    (["clock", "almaty-2013", "--step", "0"], "step"),
    (["breakout", "--capacity", "nan"], "capacity"),
    (["breakout", "--tails", "2"], "assay"),
    (["breakout", "--machines", "IR-1=nan"], "machines"),
    (["evaluate", S, "--boot", "-1"], "bootstrap"),
    (["sweep", S, "-m", "compromise", "-n", "100000000000", "-o", "OUT"], "limit"),
    (["sweep", S, "-m", "compromise", "-n", "2", "--seed", "-5", "-o", "OUT"], "seed"),
    (["sweep", S, "-m", "compromise", "-n", "2", "--workers", "0", "-o", "OUT"], "worker"),
    (["run", S, "--seed", "-1", "-o", "OUT"], "seed"),
]


@pytest.mark.parametrize(("args", "expected"), CASES, ids=[" ".join(c[0][:4]) for c in CASES])
def test_extreme_options_are_clean_errors(tmp_path: Path, args: list[str], expected: str) -> None:
    args = [str(tmp_path / "out") if a == "OUT" else a for a in args]
    result = runner.invoke(app, args)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert result.exit_code == 2, result.output
    assert expected in result.output


def test_run_over_the_time_step_limit_names_options_it_has(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["run", "almaty-2013", "--months", "100000000", "-o", str(tmp_path / "o")]
    )
    assert result.exit_code == 2
    assert "time steps" in result.output
    assert "(--months)" in result.output and "accord clock --step" in result.output
