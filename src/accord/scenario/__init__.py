"""The scenario: schema, validation, compilation to arrays, and the built-in scenarios."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from accord.errors import UnknownNameError
from accord.scenario.checks import check
from accord.scenario.compile import Compiled, Preferences, compile, scenario_digest, utility
from accord.scenario.estimate import Distribution, Estimate, number
from accord.scenario.schema import (
    Actor,
    Bloc,
    CostClock,
    DriftClock,
    Issue,
    Meta,
    Proposal,
    Scenario,
    Source,
)

__all__ = [
    "Actor",
    "Bloc",
    "Compiled",
    "CostClock",
    "Distribution",
    "DriftClock",
    "Estimate",
    "Issue",
    "Meta",
    "Preferences",
    "Proposal",
    "Scenario",
    "Source",
    "builtin_names",
    "builtin_path",
    "check",
    "compile",
    "number",
    "scenario_digest",
    "utility",
]


def _builtin_dir() -> Path:
    return Path(str(resources.files("accord.scenario") / "builtin"))


def builtin_names() -> list[str]:
    """Names of the built-in scenarios, e.g. ``almaty-2013``."""
    return sorted(p.stem for p in _builtin_dir().glob("*.yaml"))


def builtin_path(name: str) -> Path:
    """The data file of built-in scenario `name`."""
    path = _builtin_dir() / f"{name}.yaml"
    if not path.is_file():
        raise UnknownNameError("scenario", name, builtin_names())
    return path
