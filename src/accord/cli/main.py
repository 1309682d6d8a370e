"""The `accord` command: one typer app; each command group registers itself here.

`main` is the last line of defence (issue 18): a user never sees a raw traceback by default.
- An `AccordError` that escaped a command's own handling → its message, exit status 2.
- An `OSError` (disk full, permission denied, a missing directory) → one line naming the file
  and the reason, exit status 2; writers clean up their temporary files on the way out.
- Ctrl-C → "interrupted", exit status 130.
- Anything else is a bug in accord → a short message naming the exception and pointing at
  ``--debug`` (or ``ACCORD_DEBUG=1``), which shows the full traceback; exit status 1.
- NumPy's floating-point ``RuntimeWarning``s (overflow in an intermediate step of a model on
  extreme inputs) print source lines that mean nothing to a user; they are hidden unless
  debugging. Results are checked for finiteness where it matters, not through warnings.
"""

from __future__ import annotations

import os
import sys
import warnings

import typer

from accord.cli import (
    analyze,
    clock,
    experiments,
    extract,
    forecast,
    negotiate,
    run,
    scenario_cmds,
    serve,
    timeline,
)

app = typer.Typer(
    name="accord",
    help="Model, analyse, simulate and forecast multi-party negotiations.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

DEBUG_ENV = "ACCORD_DEBUG"

for _module in (
    scenario_cmds,
    run,
    analyze,
    forecast,
    negotiate,
    clock,
    experiments,
    serve,
    extract,
    timeline,
):
    _module.register(app)


@app.callback()
def _options(
    debug: bool = typer.Option(
        False, "--debug", help=f"show full tracebacks of internal errors (or set {DEBUG_ENV}=1)"
    ),
) -> None:
    """Model, analyse, simulate and forecast multi-party negotiations."""
    if debug:
        os.environ[DEBUG_ENV] = "1"
        warnings.simplefilter("default", RuntimeWarning)


def _debugging() -> bool:
    return os.environ.get(DEBUG_ENV, "").strip() not in ("", "0")


def main() -> None:
    """Entry point of the `accord` script: run the app, turning every failure into a message."""
    from accord.cli.common import err_console, esc
    from accord.errors import AccordError

    if not _debugging():
        warnings.simplefilter("ignore", RuntimeWarning)
    try:
        app()
    except SystemExit:
        raise
    except KeyboardInterrupt:
        err_console.print("[yellow]interrupted[/]")
        sys.exit(130)
    except AccordError as e:
        err_console.print(f"[bold red]error:[/] {esc(e)}", soft_wrap=True)
        sys.exit(2)
    except OSError as e:
        if _debugging():
            raise
        err_console.print(f"[bold red]error:[/] {esc(os_error_message(e))}", soft_wrap=True)
        sys.exit(2)
    except Exception as e:  # the last line of defence
        if _debugging():
            raise
        err_console.print(
            f"[bold red]internal error:[/] {esc(type(e).__name__)}: {esc(_first_line(e))}\n"
            f"This is a bug in accord. Run again with --debug (or {DEBUG_ENV}=1) to see the "
            "full traceback, and please report it.",
            soft_wrap=True,
        )
        sys.exit(1)


def os_error_message(e: OSError) -> str:
    """One line for an `OSError`: the file(s) and the reason (``No space left on device``)."""
    reason = e.strerror or str(e) or type(e).__name__
    files = [str(f) for f in (e.filename, e.filename2) if f is not None]
    return f"{' → '.join(files)}: {reason}" if files else reason


def _first_line(e: BaseException) -> str:
    text = str(e).strip().splitlines()
    line = text[0] if text else ""
    return line if len(line) <= 200 else line[:197] + "..."


if __name__ == "__main__":
    main()
