"""A 10^12-outcome analyze is refused before the costly frontier steps, not after (issue 18)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml
from typer.testing import CliRunner

from accord.analysis import search
from accord.analysis.search import projected_work
from accord.cli.main import app

runner = CliRunner()


def _huge(tmp_path: Path, parties: int = 4, seed: int = 2) -> Path:
    """12 issues of 10 values at resolution 10: exactly the 10^12 space limit, so not refused."""
    rng = np.random.default_rng(seed)
    issues = [{"id": f"i{k}", "scale": [0, 9], "status_quo": 0} for k in range(12)]
    actors = [
        {
            "id": f"a{n}",
            "capability": 1 + n,
            "positions": {f"i{k}": float(rng.integers(0, 10)) for k in range(12)},
            "salience": {f"i{k}": round(float(rng.random()), 2) for k in range(12)},
        }
        for n in range(parties)
    ]
    f = tmp_path / "huge.yaml"
    f.write_text(yaml.safe_dump({"meta": {"title": "10^12"}, "issues": issues, "actors": actors}))
    return f


def _count_candidates(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    seen: list[int] = []
    real = search.pareto_frontier

    def counted(u: Any, *args: Any, **kwargs: Any) -> Any:
        seen.append(len(u))
        return real(u, *args, **kwargs)

    monkeypatch.setattr(search, "pareto_frontier", counted)
    return seen


@pytest.mark.parametrize("parties", [4, 8])
def test_a_doomed_frontier_search_is_refused_before_its_costly_steps(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, parties: int
) -> None:
    monkeypatch.delenv("ACCORD_MAX_FRONTIER_WORK", raising=False)
    seen = _count_candidates(monkeypatch)
    f = _huge(tmp_path, parties)
    result = runner.invoke(app, ["analyze", str(f), "--resolution", "10"])
    assert result.exit_code == 2, result.output
    out = " ".join(result.output.split())
    assert "Pareto-frontier search work (comparisons)" in out
    assert "the limit is 2,000,000,000" in out
    assert "at issue i11 (12 of 12), projected from the frontier's growth over the first" in out
    assert "ACCORD_MAX_FRONTIER_WORK" in out
    # the steps that cost seconds (10^5 candidates and more) never ran
    assert seen and max(seen) < 60_000, seen
    assert len(seen) < 12


def test_a_search_within_the_budget_still_runs_to_the_end(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ACCORD_MAX_FRONTIER_WORK", raising=False)
    f = _huge(tmp_path, parties=3, seed=0)
    result = runner.invoke(app, ["analyze", str(f), "--resolution", "10", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["space_size"] == 10**12
    assert data["frontier"]


def test_projected_work_follows_polynomial_growth() -> None:
    # F_k = k^2 exactly: the fit recovers p = 2 and projects F_j = j^2
    sizes = [1, 1, 4, 9, 16]
    at, work = projected_work(sizes, [10, 10, 10])
    assert at == 2  # the last step, issue 7, starts from F_6 = 36
    assert abs(work - 36**2 * 10) <= 1
    assert projected_work(sizes, [10, 1000, 10])[0] == 1
    assert projected_work([1, 5], [10]) == (0, 0)  # one issue is too few to fit a growth
    assert projected_work([1, 3, 9, 9, 9], [10])[1] == 9**2 * 10  # no growth: no more work
