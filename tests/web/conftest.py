"""Fixtures of the web tests: an app over a fresh data directory and a client for it."""

from __future__ import annotations

import time
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("httpx")
warnings.filterwarnings("ignore", message=".*httpx2.*")

from fastapi.testclient import TestClient  # noqa: E402

from accord.web import JobLimits, create_app  # noqa: E402

DATA = Path(__file__).resolve().parents[1] / "data" / "formats"


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A fresh data directory."""
    return tmp_path / "data"


@pytest.fixture
def client(data_dir: Path) -> Iterator[TestClient]:
    """A test client of an app over `data_dir` (small limits so tests stay fast)."""
    app = create_app(data_dir, JobLimits(workers=1, max_queue=3, max_draws=500, time_limit=60))
    with TestClient(app, base_url="http://localhost") as c:
        yield c


def wait_run(client: TestClient, rid: str, timeout: float = 60) -> dict[str, Any]:
    """Poll run `rid` until it is no longer queued or running."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        r = client.get(f"/api/runs/{rid}").json()
        if r["status"] not in ("queued", "running"):
            return r
        time.sleep(0.1)
    raise AssertionError(f"run {rid} did not finish in {timeout} s")


def play_to_end(client: TestClient, pid: str, accept_after: int = 3) -> dict[str, Any]:
    """Play session `pid` to its end: offer one's best, then accept from move `accept_after`."""
    state = client.get(f"/api/plays/{pid}").json()
    n = 0
    while state["status"] == "playing":
        accept = state["mode"] == "respond" and n >= accept_after
        r = client.post(
            f"/api/plays/{pid}/move", json={"accept": accept, "offer": state["suggest"]}
        )
        assert r.status_code == 200, r.text
        state = r.json()
        n += 1
        assert n < 500
    return state
