"""The `accord` command: one typer app; each command group registers itself here."""

from __future__ import annotations

import importlib
import importlib.util

import typer

app = typer.Typer(
    name="accord",
    help="Model, analyse, simulate and forecast multi-party negotiations.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

# Command modules under accord.cli; each defines `register(app)`.
COMMAND_MODULES = (
    "scenario_cmds",
    "run",
    "analyze",
    "forecast",
    "negotiate",
    "clock",
    "experiments",
    "serve",
    "extract",
    "timeline",
)

for _name in COMMAND_MODULES:
    if importlib.util.find_spec(f"accord.cli.{_name}") is not None:
        importlib.import_module(f"accord.cli.{_name}").register(app)


def main() -> None:
    """Entry point of the `accord` script."""
    app()


if __name__ == "__main__":
    main()
