"""The one bounded cache (`accord.cache.LRUCache`) and the web's uses of it."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from accord.cache import LRUCache
from accord.scenario import builtin_names
from accord.web.service import Library
from accord.web.store import Store


def test_bound_and_least_recently_used_eviction() -> None:
    c: LRUCache[str, int] = LRUCache(3)
    for i, k in enumerate("abc"):
        c.put(k, i)
    assert c.get("a") == 0  # "a" is now the most recent: "b" goes first
    c.put("d", 3)
    assert len(c) == 3
    assert "b" not in c and c.keys() == ["c", "a", "d"]
    c.put("c", 9)  # an update is a use
    c.put("e", 4)
    assert c.keys() == ["d", "c", "e"]
    assert "a" not in c and c.get("c") == 9 and c.get("a", -1) == -1


def test_eviction_order_is_exact() -> None:
    c: LRUCache[int, int] = LRUCache(2)
    c.put(1, 1)
    c.put(2, 2)
    c.get(1)
    c.put(3, 3)
    assert c.keys() == [1, 3]
    assert 1 in c  # a membership test is not a use
    c.put(4, 4)
    assert c.keys() == [3, 4]


def test_get_or_build_builds_once_and_caches_none() -> None:
    c: LRUCache[str, int | None] = LRUCache(2)
    calls: list[str] = []

    def build(k: str) -> None:
        calls.append(k)

    assert c.get_or_build("x", lambda: build("x")) is None
    assert c.get_or_build("x", lambda: build("x")) is None
    assert calls == ["x"]
    c.pop("x")
    c.pop("never there")
    c.get_or_build("x", lambda: build("x"))
    assert calls == ["x", "x"]


def test_a_failed_build_keeps_nothing() -> None:
    c: LRUCache[str, int] = LRUCache(2)

    def fail() -> int:
        raise KeyError("nope")

    with pytest.raises(KeyError):
        c.get_or_build("k", fail)
    assert "k" not in c and len(c) == 0


def test_size_must_be_positive() -> None:
    with pytest.raises(ValueError, match="at least one entry"):
        LRUCache(0)


def test_concurrent_use_keeps_the_bound() -> None:
    c: LRUCache[int, int] = LRUCache(16)

    def work(start: int) -> None:
        for i in range(start, start + 500):
            c.get_or_build(i % 40, lambda i=i: i)  # type: ignore[misc]
            c.put(i, i)

    threads = [threading.Thread(target=work, args=(n * 1000,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(c) == 16
    c.clear()
    assert len(c) == 0


def test_library_keeps_at_most_its_cache_size(tmp_path: Path) -> None:
    lib = Library(Store(tmp_path / "data", register=False), cache_size=2)
    names = builtin_names()[:3]
    first = lib.get(names[0])
    assert lib.get(names[0]) is first  # kept: not read again
    for n in names[1:]:
        lib.get(n)
    assert len(lib._cache) == 2 and names[0] not in lib._cache
    assert lib.get(names[0]) is not first  # evicted, read again


def test_an_added_scenario_respects_the_bound(tmp_path: Path) -> None:
    lib = Library(Store(tmp_path / "data", register=False), cache_size=2)
    s = lib.get("teaching-trade")
    for _ in range(3):
        lib.add("meta: {title: x}\n", s, "x.yaml")
    assert len(lib._cache) == 2  # the former hand-written cache grew past its size here


def test_outcome_grids_are_kept_by_digest() -> None:
    from accord.io import load
    from accord.web import play

    s = load("teaching-trade")
    d = play.domain_of(s)
    assert play.domain_of(s) is d
    assert play._DOMAINS.size == 8 and len(play._DOMAINS) <= 8


def test_figures_are_drawn_once_per_key(client: TestClient) -> None:
    ctx = client.app.state.ctx  # type: ignore[attr-defined]
    drawn: list[int] = []

    def draw() -> bytes:
        drawn.append(1)
        return b"png"

    assert ctx.figure("k", draw) == b"png" and ctx.figure("k", draw) == b"png"
    assert drawn == [1]
    for i in range(ctx.figures.size + 5):
        ctx.figure(f"f{i}", draw)
    assert len(ctx.figures) == ctx.figures.size
    assert "k" not in ctx.figures
