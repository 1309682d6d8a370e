"""The state one web app shares between its requests, and the answers to errors.

`Context` holds the store, the scenario library and the job pool of one data directory.
`problem_response` turns every error a user can cause into a 4xx JSON answer that carries the
accord `Problem` list (message, field path, value, file, line), so the pages can show each
problem where it belongs and a client never sees a traceback.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse

from accord.cache import LRUCache
from accord.errors import (
    AccordError,
    InputError,
    LimitError,
    Problem,
    UnknownNameError,
    format_path,
)
from accord.results import jsonable
from accord.web.jobs import Jobs, QueueFull
from accord.web.service import Library, NotFound
from accord.web.store import Store
from accord.web.workers import Busy, Pool

FIGURES_KEPT = 32
"""Drawn figures kept per app (a PNG is 50–200 kB)."""


class Conflict(AccordError):
    """A change was made against a state that has changed since (HTTP 409)."""


@dataclass
class Context:
    """The store, library and job pool of one running app."""

    store: Store
    library: Library
    jobs: Jobs
    pool: Pool
    figures: LRUCache[str, bytes] = field(default_factory=lambda: LRUCache(FIGURES_KEPT))

    def figure(self, key: str, draw: Callable[[], bytes]) -> bytes:
        """A PNG figure, drawn once per key (in a worker) and kept for the next request."""
        return self.figures.get_or_build(key, draw)


def ctx(request: Request) -> Context:
    """The app's `Context` (a FastAPI dependency)."""
    context: Context = request.app.state.ctx
    return context


def problem_dict(p: Problem) -> dict[str, Any]:
    """A `Problem` as JSON, with its one-line text (text that cannot be UTF-8, such as a lone
    surrogate from an upload, is shown escaped rather than failing the answer)."""
    return printable(
        jsonable(
            {
                "message": p.message,
                "path": format_path(p.path),
                "value": p.value,
                "file": p.file,
                "line": p.line,
                "text": str(p),
            }
        )
    )


def printable(x: Any) -> Any:
    """`x` with every string made encodable as UTF-8 (lone surrogates escaped)."""
    if isinstance(x, str):
        return x.encode("utf-8", "backslashreplace").decode("utf-8")
    if isinstance(x, dict):
        return {printable(k): printable(v) for k, v in x.items()}
    if isinstance(x, list | tuple):
        return [printable(v) for v in x]
    return x


def error_status(e: BaseException) -> int:
    """The HTTP status of an error a user caused."""
    if isinstance(e, NotFound):
        return 404
    if isinstance(e, QueueFull | Busy):
        return 429
    if isinstance(e, Conflict):
        return 409
    if isinstance(e, LimitError) and "upload" in e.what:
        return 413
    return 422


def problems_of(e: BaseException) -> list[Problem]:
    """The problems an error stands for."""
    if isinstance(e, InputError):
        return e.problems
    if isinstance(e, NotFound):
        return [Problem("not found", ("id",), str(e.args[0]) if e.args else None)]
    if isinstance(e, UnknownNameError):
        return [Problem(str(e), (e.kind,), e.name)]
    return [Problem(str(e))]


def problem_response(e: BaseException) -> JSONResponse:
    """The JSON answer to a user's error: ``{"detail": ..., "problems": [...]}``."""
    probs = problems_of(e)
    detail = printable("; ".join(p.message for p in probs) or str(e))
    headers = {"Retry-After": "10"} if isinstance(e, QueueFull | Busy) else None
    return JSONResponse(
        {"detail": detail, "problems": [problem_dict(p) for p in probs]},
        status_code=error_status(e),
        headers=headers,
    )


USER_ERRORS: tuple[type[Exception], ...] = (AccordError, NotFound)
