"""`accord serve`: the web app (FastAPI + uvicorn) on this machine; see docs/web.md."""

from __future__ import annotations

from pathlib import Path

import typer

from accord.cli.common import err_console, user_errors
from accord.errors import InputError, Problem


def register(app: typer.Typer) -> None:
    """Add `serve` to `app`."""
    app.command()(serve)


def serve(
    host: str = typer.Option("127.0.0.1", help="address to bind (loopback by default)"),
    port: int = typer.Option(8000, help="TCP port"),
    data: Path | None = typer.Option(
        None, "--data", help="data directory (default: $ACCORD_DATA, else ~/.local/share/accord)"
    ),
    workers: int = typer.Option(1, help="background runs at once"),
    max_draws: int = typer.Option(5000, help="Monte-Carlo draws per run"),
    time_limit: float = typer.Option(300.0, help="seconds per background run"),
    job_workers: int = typer.Option(
        2, help="uploads, analyses and figures worked on at once (each in its own process)"
    ),
    job_seconds: float = typer.Option(60.0, help="seconds per upload, analysis or figure"),
    job_memory: int = typer.Option(1024, help="MB of memory per upload, analysis or figure"),
    allow_host: list[str] = typer.Option(
        [],
        "--allow-host",
        metavar="NAME",
        help="host name to answer to besides localhost (repeat; * for any)",
    ),
) -> None:
    """Explore and edit scenarios, see the analysis and forecasts, run sweeps, play a seat."""
    with user_errors():
        try:
            import uvicorn

            from accord.web import JobLimits, WorkLimits, create_app, default_data_dir
        except ImportError as e:
            raise InputError(
                Problem(
                    f"the web app needs the web extra ({e.name} is missing): "
                    "pip install 'accord[web]'"
                )
            ) from None
        if not 0 < port < 65536:
            raise InputError(Problem("expected a port in 1–65535", ("--port",), port))
        if workers < 1 or max_draws < 1 or time_limit <= 0:
            raise InputError(Problem("workers, max-draws and time-limit must be positive"))
        if job_workers < 1 or job_seconds <= 0 or job_memory < 64:
            raise InputError(
                Problem("job-workers and job-seconds must be positive, job-memory at least 64")
            )
        hosts = [*allow_host]
        if host not in ("0.0.0.0", "::"):
            hosts.append(host)
        folder = data if data is not None else default_data_dir()
        try:
            app = create_app(
                folder,
                JobLimits(workers=workers, max_draws=max_draws, time_limit=time_limit),
                WorkLimits(workers=job_workers, seconds=job_seconds, memory_mb=job_memory),
                hosts,
            )
        except OSError as e:
            raise InputError(
                Problem(f"cannot use the data directory: {e.strerror}", ("--data",), str(folder))
            ) from None
    if host not in ("127.0.0.1", "localhost", "::1"):
        err_console.print(
            f"[yellow]warning:[/] serving on {host}: anyone who can reach this "
            "address can use the app (there are no accounts)"
        )
    err_console.print(f"accord web app on http://{host}:{port}/  (data: {folder})")
    uvicorn.run(app, host=host, port=port, log_level="warning")
