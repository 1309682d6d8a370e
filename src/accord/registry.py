"""Registries of named, trait-annotated components (models, strategies, protocols).

Each engine keeps one `Registry`. A component is registered with a decorator that states its
traits, can be looked up and created by name (`accord list models`), and third parties can add
theirs through the entry-point group ``accord.<kind>`` (style.md: NegMAS's registry, OpenSpiel's
`GameType`). The contract test suites iterate over `Registry.entries()`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from typing import Any, Generic, TypeVar

from accord.errors import UnknownNameError

T = TypeVar("T")


@dataclass(frozen=True)
class Entry(Generic[T]):
    """A registered component: its name, the object, its traits and a one-line summary."""

    name: str
    obj: T
    traits: dict[str, Any] = field(default_factory=dict)
    summary: str = ""

    def create(self, **params: Any) -> Any:
        """Call the registered class or factory with `params`."""
        factory: Callable[..., Any] = self.obj  # type: ignore[assignment]
        return factory(**params)


class Registry(Generic[T]):
    """Name → component, with declared traits. Iteration order is registration order."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self._entries: dict[str, Entry[T]] = {}
        self._plugins_loaded = False

    def register(self, name: str, **traits: Any) -> Callable[[T], T]:
        """Decorator: register the decorated class or function under `name` with `traits`."""

        def deco(obj: T) -> T:
            self.add(name, obj, **traits)
            return obj

        return deco

    def add(self, name: str, obj: T, **traits: Any) -> None:
        """Register `obj` under `name`; a name can be registered once."""
        if name in self._entries:
            raise ValueError(f"{self.kind} {name!r} is registered twice")
        doc = (getattr(obj, "__doc__", None) or "").strip().splitlines()
        self._entries[name] = Entry(name, obj, dict(traits), doc[0] if doc else "")

    def _load_plugins(self) -> None:
        if self._plugins_loaded:
            return
        self._plugins_loaded = True
        for ep in entry_points(group=f"accord.{self.kind}"):
            if ep.name not in self._entries:
                self.add(ep.name, ep.load())

    def get(self, name: str) -> Entry[T]:
        """The entry registered as `name`; `UnknownNameError` lists the known names."""
        self._load_plugins()
        try:
            return self._entries[name]
        except KeyError:
            raise UnknownNameError(self.kind, name, self._entries) from None

    def create(self, name: str, **params: Any) -> Any:
        """Create the component registered as `name` with `params`."""
        return self.get(name).create(**params)

    def names(self) -> list[str]:
        """Registered names in registration order."""
        self._load_plugins()
        return list(self._entries)

    def entries(self) -> list[Entry[T]]:
        """Registered entries in registration order."""
        self._load_plugins()
        return list(self._entries.values())

    def __contains__(self, name: object) -> bool:
        self._load_plugins()
        return name in self._entries

    def __iter__(self) -> Iterator[str]:
        return iter(self.names())

    def __len__(self) -> int:
        return len(self.names())
