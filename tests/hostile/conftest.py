"""Shared pieces of the hostile-input tests (issue 18): a small valid scenario to corrupt."""

from __future__ import annotations

import copy
from typing import Any

import pytest

SMALL: dict[str, Any] = {
    "meta": {"title": "small"},
    "issues": [{"id": "a", "scale": [0, 10], "status_quo": 0}],
    "actors": [
        {"id": "x", "capability": 1, "positions": {"a": 2}, "salience": {"a": 1}},
        {"id": "y", "capability": 2, "positions": {"a": 8}, "salience": {"a": 0.5}},
    ],
}


@pytest.fixture
def small() -> dict[str, Any]:
    """A fresh copy of a small valid scenario (two actors, one issue) to corrupt."""
    return copy.deepcopy(SMALL)


def bomb(levels: int = 9, width: int = 9, indent: str = "") -> str:
    """A "billion laughs" YAML block: `width` ** `levels` strings from a few hundred bytes."""
    lines = [f"{indent}l0: &l0 [{', '.join(['lol'] * width)}]"]
    for i in range(1, levels):
        refs = ", ".join([f"*l{i - 1}"] * width)
        lines.append(f"{indent}l{i}: &l{i} [{refs}]")
    return "\n".join(lines) + "\n"
