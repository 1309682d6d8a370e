"""Fixtures of the forecast tests: small scenarios built from plain arrays."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import pytest

from accord.scenario import Scenario

ScenarioFactory = Callable[..., Scenario]


def build_scenario(
    positions: Sequence[Sequence[float]],
    saliences: Sequence[Sequence[float]],
    capabilities: Sequence[float],
    scales: Sequence[tuple[float, float]] | None = None,
    status_quo: Sequence[float] | None = None,
    outcomes: Sequence[float | None] | None = None,
    ids: Sequence[str] | None = None,
) -> Scenario:
    """A scenario with actors × issues given as nested lists (issue units, salience 0–1)."""
    n_issues = len(positions[0])
    scales = scales or [(0.0, 100.0)] * n_issues
    status_quo = status_quo or [lo for lo, _ in scales]
    ids = ids or [f"a{i}" for i in range(len(positions))]
    issues: list[dict[str, Any]] = []
    for k in range(n_issues):
        issue: dict[str, Any] = {
            "id": f"i{k}",
            "scale": list(scales[k]),
            "status_quo": status_quo[k],
        }
        if outcomes is not None and outcomes[k] is not None:
            issue["outcome"] = outcomes[k]
        issues.append(issue)
    actors = [
        {
            "id": ids[a],
            "capability": capabilities[a],
            "positions": {f"i{k}": positions[a][k] for k in range(n_issues)},
            "salience": {f"i{k}": saliences[a][k] for k in range(n_issues)},
        }
        for a in range(len(positions))
    ]
    return Scenario.model_validate({"meta": {"title": "test"}, "issues": issues, "actors": actors})


@pytest.fixture()
def make_scenario() -> ScenarioFactory:
    """Factory of small scenarios from arrays (see `build_scenario`)."""
    return build_scenario
