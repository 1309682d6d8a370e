"""Shared fixtures: the built-in scenarios and the shared reference data."""

from __future__ import annotations

from pathlib import Path

import pytest

import accord
from accord.scenario import Scenario

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
