"""Model and strategy specs on the command line: ``bdm:rounds=8,converge=false``.

One grammar for every command (issue 16 §5): a spec is a registered name, optionally followed
by ``:key=value`` pairs separated by commas. A list of specs is comma-separated too; a
``key=value`` item after a spec belongs to that spec (``compromise,bdm:rounds=8,converge=false``
is two models). Values read as booleans (true/false), integers, floats or text; the model
itself validates them.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from accord.errors import InputError, Problem


def value(text: str) -> Any:
    """``true`` → True, ``8`` → 8, ``0.5`` → 0.5, anything else stays text."""
    low = text.strip().lower()
    if low in ("true", "yes", "on"):
        return True
    if low in ("false", "no", "off"):
        return False
    for cast in (int, float):
        try:
            return cast(text)
        except ValueError:
            pass
    return text.strip()


def parse_specs(items: Iterable[str], option: str = "--model") -> list[tuple[str, dict[str, Any]]]:
    """Names with their parameters, in order, from repeatable and comma-separated options."""
    out: list[tuple[str, dict[str, Any]]] = []
    for item in items:
        for token in filter(None, (t.strip() for t in item.split(","))):
            name, colon, first = token.partition(":")
            if not colon and "=" in token:
                if not out:
                    raise InputError(Problem("a key=value before any name", (option,), token))
                key, _, v = token.partition("=")
                out[-1][1][key.strip()] = value(v)
                continue
            params: dict[str, Any] = {}
            if first:
                key, eq, v = first.partition("=")
                if not eq:
                    raise InputError(Problem("expected name:key=value", (option,), token))
                params[key.strip()] = value(v)
            out.append((name.strip(), params))
    return out
