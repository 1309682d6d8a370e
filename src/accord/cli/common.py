"""What every CLI command shares: the console, loading a scenario, errors → exit status 2.

**Printing user text (read this before writing command output).** Scenario titles, names,
labels, options, citations and file names are data, never Rich markup. Print everything through
`console` / `err_console` below; they are `SafeConsole`s, which guarantee for *every* string:
- control characters (ANSI/OSC escape sequences, carriage returns, bidi overrides) are shown
  as visible escapes (``\\x1b``), never sent to the terminal raw;
- only the handful of style tags accord's own code writes (``[bold]``, ``[red]``, ``[dim]``,
  ``[/]``, …: colour and emphasis words) are interpreted; any other bracketed text, such as
  ``[draft v2]`` or a stray ``[/x]``, is printed as written instead of vanishing or crashing.
Still wrap data in `esc` when you interpolate it into markup: the console cannot tell a title
that happens to read ``[bold]`` from your own tag, `esc` can. Table cells, titles and
f-strings all pass through the same console, so nothing else is needed.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import typer
from rich.console import Console
from rich.markup import RE_TAGS, escape
from rich.text import Text

from accord.errors import AccordError, InputError
from accord.results import jsonable
from accord.scenario import Scenario

# C0 and C1 controls except newline and tab, DEL, and the bidi embedding/override/isolate marks.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_STYLE_WORDS = frozenset(
    {"bold", "dim", "italic", "underline", "reverse", "strike", "not", "on", "default"}
    | {"black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"}
    | {f"bright_{c}" for c in ("black", "red", "green", "yellow", "blue", "magenta", "cyan")}
    | {"bright_white"}
)


def visible(text: str) -> str:
    """`text` with control characters replaced by visible escapes (``\\x1b``, ``\\u202e``)."""
    return _CONTROL.sub(lambda m: _escape_char(m.group()), text)


def _escape_char(ch: str) -> str:
    code = ord(ch)
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def esc(text: object) -> str:
    """User text made safe to interpolate into Rich markup: brackets escaped, controls visible."""
    return escape(visible(str(text)))


def guard_markup(markup: str) -> str:
    """Markup in which only accord's own style tags stay tags; every other bracketed text is
    escaped so that it prints as written, and closing tags with no open tag are escaped too
    (Rich would raise `MarkupError`)."""
    out: list[str] = []
    position = 0
    open_tags: list[str] = []
    for match in RE_TAGS.finditer(markup):
        full, escapes, tag = match.groups()
        start, end = match.span()
        out.append(markup[position:start])
        position = end
        if len(escapes) % 2 == 1 or _keep_tag(tag, open_tags):
            out.append(full)
        else:
            out.append(f"{escapes}\\[{tag}]")
    out.append(markup[position:])
    return "".join(out)


def _keep_tag(tag: str, open_tags: list[str]) -> bool:
    """Whether `tag` is one of accord's style tags (tracking which are open)."""
    name = tag.strip().lower()
    if name.startswith("/"):
        name = name[1:].strip()
        if not name:
            if open_tags:
                open_tags.pop()
                return True
            return False
        if name in open_tags:
            del open_tags[len(open_tags) - 1 - open_tags[::-1].index(name)]
            return True
        return False
    if name and all(word in _STYLE_WORDS for word in name.split()):
        open_tags.append(name)
        return True
    return False


class SafeConsole(Console):
    """A Rich console on which no string can break the markup or reach the terminal as a
    control sequence: only accord's style tags are interpreted (see the module docstring)."""

    def render_str(self, text: str, **kwargs: Any) -> Text:
        """Render `text` after making controls visible and guarding its markup."""
        text = visible(text)
        markup = kwargs.get("markup")
        if markup or (markup is None and self._markup):
            text = guard_markup(text)
        return super().render_str(text, **kwargs)


console = SafeConsole(highlight=False, emoji=False)
err_console = SafeConsole(stderr=True, highlight=False, emoji=False)

F = TypeVar("F", bound=Callable[..., Any])

SCENARIO_HELP = "a built-in scenario name (see `accord list scenarios`) or a scenario file"


@contextmanager
def user_errors() -> Iterator[None]:
    """Turn an `AccordError` or `OSError` into one message per problem on stderr, exit 2."""
    try:
        yield
    except InputError as e:
        for p in e.problems:
            err_console.print(f"[bold red]error:[/] {esc(p)}", soft_wrap=True)
        raise typer.Exit(2) from None
    except AccordError as e:
        err_console.print(f"[bold red]error:[/] {esc(e)}", soft_wrap=True)
        raise typer.Exit(2) from None
    except OSError as e:  # disk full, permission denied: the writer has cleaned up already
        from accord.cli.main import os_error_message

        err_console.print(f"[bold red]error:[/] {esc(os_error_message(e))}", soft_wrap=True)
        raise typer.Exit(2) from None


def load_scenario(source: str, fmt: str | None = None) -> Scenario:
    """Load a built-in scenario or a file, inside `user_errors` by the caller."""
    from accord.io import load

    return load(source, fmt)


def print_json(obj: Any) -> None:
    """Write `obj` as JSON on stdout."""
    sys.stdout.write(json.dumps(jsonable(obj), indent=2, ensure_ascii=False) + "\n")


def ensure_new_dir(path: Path) -> Path:
    """Create an output directory; refuse to write into a non-empty one."""
    if path.exists() and any(path.iterdir()):
        raise InputError(f"{path}: the output directory exists and is not empty")
    path.mkdir(parents=True, exist_ok=True)
    return path


def print_breakout(s: Scenario, packages: dict[str, dict[str, float]], heading: str) -> None:
    """ "This package means N months": breakout months of named outcomes (issue units) under
    `heading`, and what they assume, for scenarios whose issues set enrichment limits
    (`accord.clocks.breakout_metric`); nothing for other scenarios."""
    from accord.clocks import breakout_months, has_breakout_metric
    from accord.present.breakout import breakout_assumptions
    from accord.present.format import months

    if not has_breakout_metric(s) or not packages:
        return
    console.print(f"[bold]{heading}[/]")
    for name, units in packages.items():
        console.print(escape(f"  {name}: {months(breakout_months(s, units))}"))
    assumed = breakout_assumptions(s)
    if assumed:
        console.print(f"  [dim]{escape(assumed)}[/]")
