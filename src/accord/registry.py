"""Registries of named, trait-annotated components (models, strategies, protocols).

Each engine keeps one `Registry`. A component is registered with a decorator that states its
traits, can be looked up and created by name (`accord list models`), and third parties can add
theirs through the entry-point group ``accord.<kind>`` (style.md: NegMAS's registry, OpenSpiel's
`GameType`). The contract test suites iterate over `Registry.entries()`.

Everything about a component is written once, where it is defined:

- **name** and **traits** in the ``register`` decorator;
- **summary**: the first line of its docstring;
- **parameter schema** (`Param`): read from the signature of its ``__init__`` (or of the
  factory function), with the type hints: ``int``, ``float``, ``bool``, ``str``, a
  ``Literal[...]`` of choices, optionally ``| None``. A signature that ends in ``**kwargs``
  takes the parameters of the base class's ``__init__`` too. The trait ``params`` (the names)
  is filled from the schema unless the decorator states it.

`Registry.create(name, **params)` (and `Entry.create`) checks the parameters against the schema
first: an unknown name, a value of the wrong type or outside the choices is an `InputError`
naming ``<kind>.<component>.<param>``, the value and what was expected, with every problem at
once. Text values are converted by the schema (``"8"`` → 8, ``"false"`` → False), so the CLI
and web forms pass what the user typed: `Registry.parse` reads ``"bdm:rounds=8,converge=false"``.

Plugins (entry points) may declare ``traits`` as a class attribute; a registry's
``defaults`` fill the traits a plugin leaves out with the most conservative values (for models:
not deterministic, no rounds, not bound to the span, one issue at a time), so a plugin is held
to the contract suites like a built-in component.
"""

from __future__ import annotations

import inspect
import types
import typing
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from typing import Any, Generic, Literal, TypeVar

from accord.errors import InputError, Problem, UnknownNameError

T = TypeVar("T")

_TRUE = {"true", "yes", "on", "1"}
_FALSE = {"false", "no", "off", "0"}
_NONE = {"none", "null", ""}


@dataclass(frozen=True)
class Param:
    """One parameter of a component: its name, type, default and, for a Literal, its choices.

    ``type`` is one of ``int``, ``float``, ``bool``, ``str``, ``choice`` or ``any`` (no usable
    hint); ``optional`` says that None is accepted.
    """

    name: str
    type: str
    default: Any = None
    choices: tuple[Any, ...] = ()
    optional: bool = False
    required: bool = False

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready description (for web forms and ``accord list``)."""
        out: dict[str, Any] = {"name": self.name, "type": self.type, "optional": self.optional}
        if not self.required:
            out["default"] = self.default
        if self.choices:
            out["choices"] = list(self.choices)
        return out

    def convert(self, value: Any) -> Any:
        """`value` (a Python value, or text as typed) as this parameter's type; ValueError
        with what was expected otherwise."""
        if value is None:
            if self.optional or (self.default is None and not self.required):
                return None
            raise ValueError(f"expected {self.expected()}, not None")
        if self.optional and isinstance(value, str) and value.strip().lower() in _NONE:
            return None
        if self.type == "bool":
            return _to_bool(value)
        if self.type == "int":
            return _to_int(value)
        if self.type == "float":
            if isinstance(value, bool):
                raise ValueError("expected a number")
            try:
                return float(value)
            except (TypeError, ValueError):
                raise ValueError("expected a number") from None
        if self.type == "choice":
            for c in self.choices:
                if value == c or (isinstance(value, str) and value.strip() == str(c)):
                    return c
            raise ValueError(f"expected one of {', '.join(map(str, self.choices))}")
        if self.type == "str":
            if not isinstance(value, str):
                raise ValueError("expected text")
            return value
        return _loose(value) if isinstance(value, str) else value

    def expected(self) -> str:
        """What this parameter takes, in words."""
        if self.type == "choice":
            return "one of " + ", ".join(map(str, self.choices))
        return {"int": "an integer", "float": "a number", "bool": "true or false"}.get(
            self.type, "a value"
        )


def _to_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
        return value.strip().lower() in _TRUE
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    raise ValueError("expected true or false")


def _to_int(value: Any) -> int:
    if isinstance(value, bool):
        raise ValueError("expected an integer")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        try:
            return int(value.strip())
        except ValueError:
            pass
    raise ValueError("expected an integer")


def _loose(text: str) -> Any:
    """Text with no schema type: an int, a float, or the text itself."""
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text


def _param(p: inspect.Parameter, hint: Any) -> Param:
    """The `Param` of one signature parameter from its (resolved) type hint."""
    optional = False
    args: tuple[Any, ...] = ()
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        args = tuple(a for a in typing.get_args(hint) if a is not type(None))
        optional = len(args) < len(typing.get_args(hint))
        hint = args[0] if len(args) == 1 else Any
        origin = typing.get_origin(hint)
    required = p.default is inspect.Parameter.empty
    default = None if required else p.default
    if origin is Literal:
        return Param(p.name, "choice", default, typing.get_args(hint), optional, required)
    kind = {bool: "bool", int: "int", float: "float", str: "str"}.get(hint, "any")
    return Param(p.name, kind, default, (), optional, required)


def schema(obj: Any) -> tuple[tuple[Param, ...], bool]:
    """The parameters of a class's ``__init__`` (following ``**kwargs`` to its bases) or of a
    function, and whether it takes further keyword arguments no schema describes."""
    targets: list[Any] = (
        [vars(c).get("__init__", object.__init__) for c in obj.__mro__ if "__init__" in vars(c)]
        if inspect.isclass(obj)
        else [obj]
    )
    params: dict[str, Param] = {}
    open_ended = False
    for fn in targets:
        if fn is object.__init__:
            break
        try:
            sig = inspect.signature(fn)
            hints = typing.get_type_hints(fn)
        except (TypeError, ValueError, NameError):
            return tuple(params.values()), True
        more = False
        for p in sig.parameters.values():
            if p.name == "self" or p.kind is p.VAR_POSITIONAL:
                continue
            if p.kind is p.VAR_KEYWORD:
                more = True
                continue
            params.setdefault(p.name, _param(p, hints.get(p.name, Any)))
        if not more:
            open_ended = False
            break
        open_ended = True
    return tuple(params.values()), open_ended


@dataclass(frozen=True)
class Entry(Generic[T]):
    """A registered component: name, object, traits, one-line summary and parameter schema."""

    name: str
    obj: T
    traits: dict[str, Any] = field(default_factory=dict)
    summary: str = ""
    params: tuple[Param, ...] = ()
    open_params: bool = False
    kind: str = ""

    def param(self, name: str) -> Param | None:
        """The schema of parameter `name`, or None."""
        return next((p for p in self.params if p.name == name), None)

    def check(self, params: Mapping[str, Any]) -> dict[str, Any]:
        """`params` converted to the schema's types; `InputError` with every problem."""
        out: dict[str, Any] = {}
        problems: list[Problem] = []
        known = ", ".join(p.name for p in self.params) or "none"
        for key, value in params.items():
            p = self.param(key)
            path = (self.kind, self.name, key)
            if p is None:
                if self.open_params:
                    out[key] = _loose(value) if isinstance(value, str) else value
                    continue
                problems.append(Problem(f"unknown parameter; known: {known}", path, value))
                continue
            try:
                out[key] = p.convert(value)
            except ValueError as e:
                problems.append(Problem(str(e), path, value))
        InputError.collect(problems)
        return out

    def create(self, **params: Any) -> Any:
        """Call the registered class or factory with `params`, checked against the schema."""
        factory: Callable[..., Any] = self.obj  # type: ignore[assignment]
        return factory(**self.check(params))


class Registry(Generic[T]):
    """Name → component, with declared traits. Iteration order is registration order.

    ``defaults`` are the traits given to a component that does not declare them (plugins).
    """

    def __init__(self, kind: str, defaults: Mapping[str, Any] | None = None) -> None:
        self.kind = kind
        self.defaults = dict(defaults or {})
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
        params, open_params = schema(obj)
        declared = {**self.defaults, **dict(getattr(obj, "traits", None) or {}), **traits}
        declared.setdefault("params", tuple(p.name for p in params))
        self._entries[name] = Entry(
            name, obj, declared, doc[0] if doc else "", params, open_params, self.kind
        )

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
        """Create the component registered as `name` with `params` (checked, see `Entry`)."""
        return self.get(name).create(**params)

    def parse(self, spec: str) -> tuple[str, dict[str, Any]]:
        """``"name:key=value,key=value"`` → (name, parameters converted by the schema)."""
        name, _, rest = spec.partition(":")
        name = name.strip()
        entry = self.get(name)
        raw: dict[str, str] = {}
        for part in filter(None, (x.strip() for x in rest.split(","))):
            key, eq, value = part.partition("=")
            if not eq:
                raise InputError(
                    Problem(f"expected key=value after the {self.kind} name", (self.kind,), spec)
                )
            raw[key.strip()] = value.strip()
        return name, entry.check(raw)

    def from_spec(self, spec: str) -> Any:
        """The component described by ``"name:key=value,…"`` (`parse`), created."""
        name, params = self.parse(spec)
        return self.create(name, **params)

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
