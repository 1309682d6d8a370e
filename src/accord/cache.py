"""One small bounded cache: keeps the most recently used entries, at most `size` of them.

The web app keeps parsed scenarios, outcome grids and drawn figures between requests, and each
of those places had its own ordered dictionary, lock and eviction loop. `LRUCache` is that once.
`functools.lru_cache` does not fit: it caches a function of its arguments, while these callers
look up by a key (a scenario's digest) that is not what they build from (the scenario), and the
scenario library must also add and remove entries by hand.

Decisions:

- Least recently used first out: a lookup that finds an entry makes it the most recent.
- Thread-safe: one lock around every read and write of the order. `get_or_build` builds
  *outside* the lock, so a slow build (parsing, drawing a figure) never blocks lookups of other
  keys; two threads missing the same key at once may both build it, and the second result
  replaces the first (the values are equal: each is built from the same key).
- ``None`` can be cached: a miss is told apart from a cached ``None``.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")
_MISSING = object()


class LRUCache(Generic[K, V]):
    """At most `size` entries (≥ 1); adding one more evicts the least recently used."""

    def __init__(self, size: int) -> None:
        if size < 1:
            raise ValueError(f"a cache holds at least one entry, not {size}")
        self.size = size
        self._data: OrderedDict[K, V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: K, default: V | None = None) -> V | None:
        """The value kept for `key` (now the most recently used), else `default`."""
        with self._lock:
            if key not in self._data:
                return default
            self._data.move_to_end(key)
            return self._data[key]

    def put(self, key: K, value: V) -> None:
        """Keep `value` for `key` as the most recently used; evict beyond `size`."""
        with self._lock:
            self._data[key] = value
            self._data.move_to_end(key)
            while len(self._data) > self.size:
                self._data.popitem(last=False)

    def get_or_build(self, key: K, build: Callable[[], V]) -> V:
        """The value kept for `key`, or ``build()`` kept and returned (built outside the lock)."""
        with self._lock:
            found: object = self._data.get(key, _MISSING)
            if found is not _MISSING:
                self._data.move_to_end(key)
                return self._data[key]
        value = build()
        self.put(key, value)
        return value

    def pop(self, key: K) -> None:
        """Forget `key` (nothing happens when it is not kept)."""
        with self._lock:
            self._data.pop(key, None)

    def clear(self) -> None:
        """Forget every entry."""
        with self._lock:
            self._data.clear()

    def keys(self) -> list[K]:
        """The keys kept, least recently used first (the order of eviction)."""
        with self._lock:
            return list(self._data)

    def __contains__(self, key: object) -> bool:
        """Whether `key` is kept (does not count as a use)."""
        with self._lock:
            return key in self._data

    def __len__(self) -> int:
        with self._lock:
            return len(self._data)
