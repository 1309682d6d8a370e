"""What every CLI command shares: the console, loading a scenario, errors → exit status 2."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import typer
from rich.console import Console
from rich.markup import escape

from accord.errors import AccordError, InputError
from accord.results import jsonable
from accord.scenario import Scenario

console = Console(highlight=False)
err_console = Console(stderr=True, highlight=False)

F = TypeVar("F", bound=Callable[..., Any])

SCENARIO_HELP = "a built-in scenario name (see `accord list scenarios`) or a scenario file"


@contextmanager
def user_errors() -> Iterator[None]:
    """Turn an `AccordError` into one message per problem on stderr and exit status 2."""
    try:
        yield
    except InputError as e:
        for p in e.problems:
            err_console.print(f"[bold red]error:[/] {escape(str(p))}", soft_wrap=True)
        raise typer.Exit(2) from None
    except AccordError as e:
        err_console.print(f"[bold red]error:[/] {escape(str(e))}", soft_wrap=True)
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


def breakout_lines(s: Scenario, packages: dict[str, dict[str, float]]) -> list[str]:
    """ "This package means N months": breakout months of named outcomes (issue units), for
    scenarios whose issues set enrichment limits (`accord.clocks.breakout_metric`)."""
    from accord.clocks import breakout_months, has_breakout_metric

    if not has_breakout_metric(s):
        return []
    out = []
    for name, units in packages.items():
        months = breakout_months(s, units)
        shown = "no breakout (no enrichment)" if months is None else f"{months:.1f} months"
        out.append(f"  {name}: {shown}")
    return out
