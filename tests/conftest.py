"""Shared fixtures: the built-in scenarios and the shared reference data."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

import accord
from accord.scenario import Scenario

# CI runs each property on the same examples every time (a failure there is a reproducible bug,
# never a flake); a developer's run explores new examples and keeps failures in .hypothesis/.
settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

SHARED = Path(__file__).resolve().parents[2] / "shared"


@pytest.fixture(scope="session")
def almaty() -> Scenario:
    """The built-in Almaty 2013 scenario."""
    return accord.load("almaty-2013")


@pytest.fixture(scope="session")
def ec_emissions() -> Scenario:
    """The EC emission-standards case of Bueno de Mesquita (1994)."""
    return accord.load("ec-emissions-1994")


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The shared/ folder beside the repository (CI lays a copy there)."""
    if not SHARED.is_dir():
        pytest.skip("shared/ is not beside the repository")
    return SHARED
