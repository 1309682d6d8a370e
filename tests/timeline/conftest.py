"""Fixtures of the timeline tests: the built-in Iran timeline, loaded and run once."""

from __future__ import annotations

import pytest

from accord.timeline import LoadedTimeline, TimelineResult, load_timeline, run_timeline


@pytest.fixture(scope="session")
def iran() -> LoadedTimeline:
    """The built-in timeline, every round's scenario built."""
    return load_timeline("iran-2012-2015")


@pytest.fixture(scope="session")
def iran_result(iran: LoadedTimeline) -> TimelineResult:
    """The timeline run with one fast forecast model (the CLI tests ask for the same)."""
    return run_timeline(iran, models=("compromise",))
