"""ASGI middleware that guards the web app: Host allow-list, same-origin writes, headers, body size.

- **Host allow-list** (against DNS rebinding): a request whose ``Host`` is not an allowed
  name is refused with 400. Allowed by default: ``localhost``, ``127.0.0.1``, ``::1``;
  ``accord serve --allow-host NAME`` adds names (``*`` allows any).
- **Same-origin writes** (against CSRF): a POST, PUT, PATCH or DELETE is refused with 403
  when its ``Origin`` (or, without one, its ``Referer``) is another origin than the request's
  own, or ``null``, or when the browser marks it ``Sec-Fetch-Site: cross-site``. Browsers
  send ``Origin`` with every cross-origin write, so a page elsewhere cannot post here; tools
  such as curl send none and are let through. Decision: same-origin checks rather than
  tokens, because the pages and the JSON API are used without sessions or cookies.
- **Headers** on every answer: a Content-Security-Policy allowing only this origin's
  scripts, styles and images (no inline script), ``X-Frame-Options: DENY``,
  ``X-Content-Type-Options: nosniff`` and ``Referrer-Policy: same-origin``. A run's
  ``report.html`` gets a stricter policy still: no script at all.
- **Body size**: a body over the limit is refused with 413 — by ``Content-Length`` before it
  is read, or, for a chunked body, as soon as the bytes read go over (whatever the app was
  doing with the body is dropped).
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from typing import Any
from urllib.parse import urlsplit

from accord.errors import Problem

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

DEFAULT_HOSTS = ("localhost", "127.0.0.1", "::1")
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)
CSP_REPORT = (
    "default-src 'none'; img-src data:; style-src 'unsafe-inline'; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'none'"
)
HEADERS = [
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"cross-origin-opener-policy", b"same-origin"),
]


def host_name(host: str) -> str:
    """The name part of a ``Host`` header value: no port, no IPv6 brackets, lower case."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[1 : host.find("]")] if "]" in host else host
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


async def refuse(send: Send, status: int, problem: Problem) -> None:
    """Answer with `status` and the problem as the API's JSON error."""
    from accord.web.context import problem_dict

    body = json.dumps({"detail": problem.message, "problems": [problem_dict(problem)]}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                *HEADERS,
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class Guard:
    """Host allow-list, same-origin writes and the security headers (module docstring)."""

    def __init__(self, app: ASGIApp, hosts: Iterable[str] = DEFAULT_HOSTS) -> None:
        self.app = app
        self.hosts = {host_name(h) for h in hosts}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        host = headers.get("host", "")
        if "*" not in self.hosts and host_name(host) not in self.hosts:
            await refuse(
                send,
                400,
                Problem(
                    "this server does not answer to that host name "
                    "(accord serve --allow-host adds one)",
                    ("host",),
                    host[:100],
                ),
            )
            return
        if scope["method"] not in SAFE_METHODS and not same_origin(headers, host):
            await refuse(
                send,
                403,
                Problem("a change from another site is refused", ("origin",), _origin(headers)),
            )
            return
        csp = CSP_REPORT if scope["path"].endswith(".html") else CSP

        async def secured(msg: Message) -> None:
            if msg["type"] == "http.response.start":
                msg["headers"] = [
                    *msg.get("headers", []),
                    (b"content-security-policy", csp.encode()),
                    *HEADERS,
                ]
            await send(msg)

        await self.app(scope, receive, secured)


def _origin(headers: dict[str, str]) -> str | None:
    return headers.get("origin") or headers.get("referer")


def same_origin(headers: dict[str, str], host: str) -> bool:
    """Whether a write comes from this site (or from a tool that names no origin)."""
    if headers.get("sec-fetch-site") in ("cross-site", "same-site"):
        return False
    origin = _origin(headers)
    if origin is None:
        return True
    parts = urlsplit(origin)
    return parts.scheme in ("http", "https") and parts.netloc.lower() == host.lower()


class BodyTooLarge(Exception):
    """The request body went over the limit while it was read."""


class BodyLimit:
    """Refuse request bodies over `limit` bytes with 413 (module docstring)."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = dict(scope.get("headers") or []).get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.limit):
            await refuse(send, 413, self._problem())
            return
        seen = 0
        over = False
        started = False

        async def counted() -> Message:
            nonlocal seen, over
            msg = await receive()
            seen += len(msg.get("body", b""))
            if seen > self.limit:
                over = True
                raise BodyTooLarge
            return msg

        async def held(msg: Message) -> None:
            nonlocal started
            if over:  # the app's answer to a body it could not read in full is dropped
                return
            started = started or msg["type"] == "http.response.start"
            await send(msg)

        with contextlib.suppress(BodyTooLarge):
            await self.app(scope, counted, held)
        if over and not started:
            await refuse(send, 413, self._problem())

    def _problem(self) -> Problem:
        return Problem(f"the request is larger than the limit of {self.limit:,} bytes", ("body",))
