"""The state of one read: the options a user gave (`ReadOptions`), the mapping notes readers
record (`note`), and the limits readers check while they count rows, actors and issues.

`accord.io.read_with_notes` opens a `reading` around a reader; outside one, `options()` are the
defaults and notes are dropped. Limit errors name the limit and what sets it (design §4).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from accord.errors import LimitError
from accord.scenario import schema

MAX_ROWS = 250_000
MAX_PROBLEMS = 50
ROWS_ENV = "ACCORD_MAX_ROWS"


def max_rows() -> int:
    """The data-row limit: ``$ACCORD_MAX_ROWS`` when set to a positive integer, else
    `MAX_ROWS` (enough for `MAX_ACTORS` × `MAX_ISSUES` rows of the long CSV)."""
    text = os.environ.get(ROWS_ENV, "").strip().replace("_", "")
    try:
        value = int(text) if text else MAX_ROWS
    except ValueError:
        return MAX_ROWS
    return value if value > 0 else MAX_ROWS


@dataclass(frozen=True)
class ReadOptions:
    """How to read what a file leaves open; set by `accord.io.read` for one read.

    ``salience_scale`` (1 or 100) says how saliences are written when a file mixes the 0–1 and
    0–100 scales; ``scale`` gives the (low, high) scale of issues whose format has none (BDM,
    canonical CSV without a sidecar) instead of the span of the positions.
    """

    salience_scale: int | None = None
    scale: tuple[float, float] | None = None


@dataclass
class _Reading:
    options: ReadOptions
    notes: list[str] = field(default_factory=list)


_READING: ContextVar[_Reading | None] = ContextVar("accord_io_reading", default=None)


@contextmanager
def reading(options: ReadOptions | None = None) -> Iterator[list[str]]:
    """Collect the mapping notes of the reads inside; yields the list they are added to."""
    state = _Reading(options or ReadOptions())
    token = _READING.set(state)
    try:
        yield state.notes
    finally:
        _READING.reset(token)


def options() -> ReadOptions:
    """The options of the read in progress (defaults outside `reading`)."""
    state = _READING.get()
    return state.options if state is not None else ReadOptions()


def note(message: str) -> None:
    """Record how a reader mapped a convention of its format onto the scenario."""
    state = _READING.get()
    if state is not None and message not in state.notes:
        state.notes.append(message)


def check_count(what: str, count: int, limit: int, hint: str, file: str | None = None) -> None:
    """Raise `LimitError` as soon as `count` passes `limit` (called while reading)."""
    if count > limit:
        where = f" in {file}" if file else ""
        raise LimitError(f"{what}{where}", count, limit, f"the limit is set by {hint}")


def check_actors(count: int, file: str | None = None) -> None:
    """The actor limit of every scenario, checked while a reader counts actors."""
    check_count("actors", count, schema.MAX_ACTORS, "accord.scenario.schema.MAX_ACTORS", file)


def check_issues(count: int, file: str | None = None) -> None:
    """The issue limit of every scenario, checked while a reader counts issues."""
    check_count("issues", count, schema.MAX_ISSUES, "accord.scenario.schema.MAX_ISSUES", file)


def check_rows(count: int, file: str | None = None) -> None:
    """The data-row limit of the table formats."""
    limit = max_rows()
    check_count("data rows", count, limit, f"${ROWS_ENV} (default {MAX_ROWS:,})", file)
