"""Concurrent writes: 32 moves at once on one play session lose nothing (issue 18)."""

from __future__ import annotations

from collections import Counter
from concurrent.futures import ThreadPoolExecutor

from fastapi.testclient import TestClient

MOVES = 32


def _start(client: TestClient) -> tuple[str, dict]:
    r = client.post(
        "/api/plays",
        json={"scenario": "teaching-trade", "seat": "buyer", "rounds": 100, "seed": 3},
    )
    assert r.status_code == 201, r.text
    return r.json()["id"], r.json()


def test_concurrent_moves_are_all_kept_or_refused(client: TestClient) -> None:
    pid, state = _start(client)
    offer = state["suggest"]

    def move(_: int) -> int:
        return client.post(f"/api/plays/{pid}/move", json={"offer": offer}).status_code

    with ThreadPoolExecutor(MOVES) as pool:
        statuses = Counter(pool.map(move, range(MOVES)))
    kept = client.get(f"/api/plays/{pid}").json()["turn"]
    assert not [s for s in statuses if s >= 500], statuses
    assert statuses[200] == kept and kept > 1, (statuses, kept)  # every answered move is kept


def test_a_move_on_a_stale_turn_is_409(client: TestClient) -> None:
    pid, state = _start(client)
    turn, offer = state["turn"], state["suggest"]

    def move(_: int) -> int:
        body = {"offer": offer, "turn": turn}
        return client.post(f"/api/plays/{pid}/move", json=body).status_code

    with ThreadPoolExecutor(8) as pool:
        statuses = Counter(pool.map(move, range(8)))
    assert statuses == Counter({200: 1, 409: 7}), statuses
    assert client.get(f"/api/plays/{pid}").json()["turn"] == turn + 1
