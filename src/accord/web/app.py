"""The FastAPI application: pages, the JSON API, static files, limits and error answers.

``create_app(data_dir)`` builds one app over one data directory (`default_data_dir` when none
is given). Errors a user can cause become 4xx answers with the accord problem list — on the
API as JSON, on the pages as the page with the problems shown; a request body over
`MAX_BODY_BYTES` is refused with 413 before it is read in full; `accord.web.security` guards
hosts, origins and headers; `accord.web.workers` runs the parsing and engine work.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from accord import __version__
from accord.errors import Problem
from accord.web.api import router as api_router
from accord.web.context import USER_ERRORS, Context, problem_dict, problem_response
from accord.web.jobs import JobLimits, Jobs
from accord.web.pages import page_error
from accord.web.pages import router as page_router
from accord.web.security import DEFAULT_HOSTS, BodyLimit, Guard
from accord.web.service import MAX_UPLOAD_BYTES, Library
from accord.web.store import Store
from accord.web.workers import Pool, WorkLimits

MAX_BODY_BYTES = MAX_UPLOAD_BYTES + 64 * 1024
STATIC = Path(__file__).parent / "static"


def default_data_dir() -> Path:
    """``$ACCORD_DATA`` if set, else ``$XDG_DATA_HOME/accord`` (``~/.local/share/accord``)."""
    if os.environ.get("ACCORD_DATA"):
        return Path(os.environ["ACCORD_DATA"])
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "accord"


def create_app(
    data_dir: str | Path | None = None,
    limits: JobLimits | None = None,
    work: WorkLimits | None = None,
    hosts: Iterable[str] = (),
) -> FastAPI:
    """The web app over `data_dir` (created if missing) with background-run `limits`,
    foreground `work` limits (uploads, evaluation, figures) and host names to answer to
    besides ``localhost``, ``127.0.0.1`` and ``::1`` (``*``: any)."""
    store = Store(Path(data_dir) if data_dir is not None else default_data_dir())
    pool = Pool(work)
    runs = limits or JobLimits()
    run_pool = Pool(
        WorkLimits(
            workers=runs.workers,
            queue=runs.max_queue,
            seconds=runs.time_limit + 30,
            memory_mb=pool.limits.memory_mb,
        )
    )
    context = Context(store, Library(store, pool), Jobs(store, runs, run_pool), pool)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> Any:
        pool.warm()
        store.start_heartbeat()
        yield
        store.stop_heartbeat()
        context.jobs.shutdown()

    app = FastAPI(
        title="accord",
        version=__version__,
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        description="Explore and edit negotiation scenarios, see the analysis and "
        "forecasts, run Monte-Carlo sweeps, play one seat.",
    )
    app.state.ctx = context
    app.include_router(api_router)
    app.include_router(page_router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.exception_handler(Exception)
    async def user_error(request: Request, exc: Exception) -> Any:
        if not isinstance(exc, USER_ERRORS):
            return JSONResponse(
                {"detail": f"internal error: {type(exc).__name__}"}, status_code=500
            )
        if request.url.path.startswith("/api"):
            return problem_response(exc)
        return page_error(request, exc)

    for kind in USER_ERRORS:
        app.add_exception_handler(kind, user_error)

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError) -> JSONResponse:
        probs = []
        for err in exc.errors():
            loc = tuple(x for x in err.get("loc", ()) if x != "body")
            probs.append(Problem(str(err.get("msg", "invalid")), loc, _short(err.get("input"))))
        return JSONResponse(
            {
                "detail": "; ".join(p.message for p in probs),
                "problems": [problem_dict(p) for p in probs],
            },
            status_code=422,
        )

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Any:
        if request.url.path.startswith("/api") or exc.status_code != 404:
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code)
        from accord.web.service import NotFound

        return page_error(request, NotFound(request.url.path))

    app.add_middleware(BodyLimit, limit=MAX_BODY_BYTES)
    app.add_middleware(Guard, hosts=(*DEFAULT_HOSTS, *hosts))
    return app


def _short(value: Any) -> Any:
    if isinstance(value, str | int | float | bool) or value is None:
        return value if not isinstance(value, str) or len(value) < 200 else value[:200] + "…"
    return str(value)[:200]
