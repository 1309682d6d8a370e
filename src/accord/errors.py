"""Exceptions every layer raises, and the `Problem` record that names what is wrong.

A bad input is reported as one `Problem` per defect: the file, the line where the format
has lines, the field path, the offending value and what was expected. The CLI prints each
problem on its own line and exits with status 2 (design §4).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

Path = tuple[str | int, ...]


def format_path(path: Path) -> str:
    """Render a field path as `actors[2].positions.fordow`."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out or "<root>"


@dataclass(frozen=True)
class Problem:
    """One defect of an input: where it is, what it holds, and what was expected."""

    message: str
    path: Path = ()
    value: Any = None
    file: str | None = None
    line: int | None = None

    def located(self, file: str | None = None, line: int | None = None) -> Problem:
        """Copy with the file and line filled in where they are still unknown."""
        return replace(self, file=self.file or file, line=self.line or line)

    def __str__(self) -> str:
        parts = []
        if self.file:
            parts.append(self.file + (f":{self.line}" if self.line is not None else ""))
        shown = "" if self.value is None else _short(self.value)
        if self.path:
            parts.append(format_path(self.path) + (f" = {shown}" if shown else ""))
        elif shown:
            parts.append(shown)
        return ": ".join([*parts, self.message])


def _short(value: Any, limit: int = 60) -> str:
    try:
        text = repr(value)
    except ValueError:  # an int past the 4,300-digit conversion limit
        return f"<{type(value).__name__} too large to show>"
    return text if len(text) <= limit else text[: limit - 3] + "..."


class AccordError(Exception):
    """Base class for errors a user can act on; the CLI turns them into exit status 2."""


class InputError(AccordError):
    """A file or a value does not describe a valid input. Holds every problem found."""

    def __init__(self, problems: Sequence[Problem] | Problem | str) -> None:
        if isinstance(problems, str):
            problems = [Problem(problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems: list[Problem] = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    def located(self, file: str | None = None) -> InputError:
        """The same problems with `file` filled in where it is missing."""
        return InputError([p.located(file=file) for p in self.problems])

    @classmethod
    def collect(cls, problems: Iterable[Problem]) -> None:
        """Raise with every problem given, or return when there are none."""
        found = list(problems)
        if found:
            raise cls(found)


class LimitError(AccordError):
    """A request is over an explicit limit (outcome-space size, actors, rounds, file size)."""

    def __init__(self, what: str, requested: float, limit: float, hint: str = "") -> None:
        self.what, self.requested, self.limit = what, requested, limit
        msg = f"{what}: {requested:,.0f} requested, the limit is {limit:,.0f}"
        super().__init__(msg + (f"; {hint}" if hint else ""))


class UnknownNameError(AccordError, KeyError):
    """A name looked up in a registry or among built-in scenarios does not exist."""

    def __init__(self, kind: str, name: str, known: Iterable[str]) -> None:
        self.kind, self.name = kind, name
        self.known = sorted(known)
        super().__init__(f"unknown {kind} {name!r}; known: {', '.join(self.known) or 'none'}")

    def __str__(self) -> str:
        return str(self.args[0])


def env_limit(name: str, default: int) -> int:
    """A limit that the environment variable `name` may raise (a positive integer), else
    `default`; errors over such a limit name the variable, so a user knows how to raise it."""
    text = os.environ.get(name, "").strip().replace("_", "")
    try:
        value = int(float(text)) if text else default
    except (ValueError, OverflowError):
        return default
    return value if value > 0 else default


def improper_unicode(data: Any) -> list[Problem]:
    """A problem for every string (value or key) of raw input that is not proper Unicode: a
    lone surrogate cannot be written as UTF-8 and would crash every writer and the terminal."""
    out: list[Problem] = []
    stack: list[tuple[Any, Path]] = [(data, ())]
    while stack:
        item, path = stack.pop()
        if isinstance(item, str):
            if not _encodable(item):
                out.append(Problem("not proper Unicode (it holds a lone surrogate)", path, item))
        elif isinstance(item, dict):
            for key, value in item.items():
                if isinstance(key, str) and not _encodable(key):
                    out.append(Problem("a key is not proper Unicode", path, key))
                stack.append((value, (*path, str(key))))
        elif isinstance(item, list | tuple):
            stack.extend((v, (*path, i)) for i, v in enumerate(item))
    return out


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
