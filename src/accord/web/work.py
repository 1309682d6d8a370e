"""The jobs the web app runs in its worker processes (`accord.web.workers`).

Each function takes and returns picklable values. This module is preloaded by the
forkserver, so it imports the engines once for every job that follows.

Decision: an upload is checked the way every later view will use it before it is stored —
read, written as accord YAML, read back, compiled and shown — so a stored scenario can never
be one that fails when it is viewed (no "poisoned" scenario that answers 500 on every view).
"""

from __future__ import annotations

from typing import Any

import accord.analysis
import accord.forecast  # noqa: F401
from accord.io import native
from accord.scenario import Scenario
from accord.web.edits import Changes, apply_changes
from accord.web.service import LIVE_MODELS, evaluate, issue_maps_png, read_upload, scenario_view
from accord.web.workers import stand_in_main

stand_in_main()  # only in the forkserver, which the server started (see the function)


def ping() -> str:
    """Nothing: starts the forkserver."""
    return "pong"


def upload(files: list[tuple[str, bytes]]) -> tuple[str, str, Scenario]:
    """Read uploaded files as one scenario: ``(file name, YAML text, scenario)``."""
    shown, s = read_upload(files)
    return (shown, *checked_yaml(s, shown))


def checked_yaml(s: Scenario, name: str) -> tuple[str, Scenario]:
    """The YAML text of `s` and the scenario read back from it, shown once as the page does."""
    text = native.dumps_yaml(s)
    back = native.read_text(text, f"{name} (stored as YAML)")
    scenario_view(back)
    return text, back


def parse(text: str, name: str) -> Scenario:
    """A stored scenario's YAML text, read and shown once as the page does (so a scenario
    stored by an older version that cannot be shown is a 422 with its problem, never a 500).
    The text is always YAML, whatever the uploaded file was called."""
    s = native.read_text(text, f"{name} (stored as YAML)")
    scenario_view(s)
    return s


def evaluate_changes(
    s: Scenario, changes: dict[str, Any], models: tuple[str, ...] = LIVE_MODELS
) -> dict[str, Any]:
    """The evaluation (`accord.web.service.evaluate`) of `s` with the editor's changes."""
    edited = apply_changes(s, Changes.of(changes))
    out = evaluate(edited, models)
    if not Changes.of(changes).empty():
        out["scenario"] = scenario_view(edited)
    return out


def save_changes(s: Scenario, changes: dict[str, Any], title: str | None) -> tuple[str, Scenario]:
    """The edited copy of `s` to store: its YAML text and the scenario."""
    edited = apply_changes(s, Changes.of(changes))
    if title:
        edited = edited.model_copy(update={"meta": edited.meta.model_copy(update={"title": title})})
    return checked_yaml(edited, "<copy>")


def figure(s: Scenario) -> bytes:
    """The issue-maps figure as PNG."""
    return issue_maps_png(s)


def sweep(
    root: str, rid: str, s: Scenario, task: Any, args: dict[str, Any], time_limit: float
) -> dict[str, Any]:
    """Background run `rid` (`accord.web.jobs.run_sweep`): its progress is recorded in the
    store at `root`; its final fields are returned to the server."""
    from pathlib import Path

    from accord.web.jobs import run_sweep
    from accord.web.store import Store

    return run_sweep(Store(Path(root), register=False), rid, s, task, args, time_limit)
