"""The HTML pages: the scenario list and upload, a scenario (view, edit, play, sweep), a play
session and a run. Jinja2 templates in ``templates/``; the live parts are small vanilla-JS
scripts in ``static/`` that call the JSON API. The forms also work without JavaScript: they
post here, and a bad input shows the page again with its problems and a 4xx status.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi import Path as PathParam
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from pydantic import ValidationError

from accord import __version__
from accord.errors import InputError, Problem
from accord.io.native import problems_from_validation
from accord.web.context import Context, ctx, error_status, problem_dict, problems_of
from accord.web.store import ID_RE

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
templates.env.globals["version"] = __version__
Ctx = Annotated[Context, Depends(ctx)]
ScenarioId = Annotated[str, PathParam(pattern=ID_RE.pattern, max_length=64)]
AnyId = Annotated[str, PathParam(pattern=ID_RE.pattern, max_length=64)]


def _page(request: Request, name: str, code: int = 200, **context: Any) -> HTMLResponse:
    return templates.TemplateResponse(request, name, context, status_code=code)


def _index(
    request: Request, c: Context, problems: list[dict[str, Any]] | None = None, status: int = 200
) -> HTMLResponse:
    from accord.io import FORMATS, _load_formats

    _load_formats()
    exts = sorted({e for f in FORMATS.values() if f.reader is not None for e in f.extensions})
    return _page(
        request,
        "index.html",
        status,
        scenarios=c.library.listing(),
        plays=c.store.plays()[:10],
        runs=c.store.runs()[:10],
        problems=problems or [],
        extensions=exts,
    )


def page_error(request: Request, exc: BaseException) -> HTMLResponse:
    """The page of an error a user caused: its problems, with the status of the error."""
    probs = [problem_dict(p) for p in problems_of(exc)]
    status = error_status(exc)
    if request.url.path == "/upload":
        return _index(request, request.app.state.ctx, probs, status)
    return _page(request, "error.html", status, problems=probs, status=status)


@router.get("/", response_class=HTMLResponse)
def index(request: Request, c: Ctx) -> HTMLResponse:
    """The scenarios, the upload form, recent plays and runs."""
    return _index(request, c)


@router.post("/upload")
async def upload(request: Request, c: Ctx) -> Response:
    """Upload from the page's form; back to the list with the problems when it fails."""
    from starlette.datastructures import UploadFile

    from accord.web.api import read_files

    form = await request.form()
    files = [f for f in form.getlist("files") if isinstance(f, UploadFile) and f.filename]
    if not files:
        raise InputError(Problem("choose a file to upload", ("files",)))
    sid, _ = await run_in_threadpool(c.library.upload, await read_files(files))
    return RedirectResponse(f"/scenarios/{sid}", status_code=303)


@router.get("/scenarios/{sid}", response_class=HTMLResponse)
def scenario(request: Request, sid: ScenarioId, c: Ctx) -> HTMLResponse:
    """A scenario: the figure, actors × issues as an editable form, analysis and forecasts,
    the play and sweep forms, the sources."""
    from accord.bargain import STRATEGIES
    from accord.forecast import MODELS
    from accord.web.jobs import TASK_NAMES
    from accord.web.play import default_strategies
    from accord.web.service import scenario_view

    s = c.library.get(sid)
    view = scenario_view(s)
    defaults = default_strategies(s)
    return _page(
        request,
        "scenario.html",
        sid=sid,
        s=view,
        builtin=c.library.is_builtin(sid),
        strategies=STRATEGIES.names(),
        defaults=defaults,
        models=MODELS.names(),
        tasks=TASK_NAMES,
        limits=c.jobs.limits,
    )


@router.post("/scenarios/{sid}/play")
async def start_play(request: Request, sid: ScenarioId, c: Ctx) -> Response:
    """Start a play session from the scenario page's form."""
    from accord.web.api import PlayBody
    from accord.web.api import start_play as create

    form = await request.form()
    fields = {k: str(v) for k, v in form.items()}
    seat = fields.get("seat", "")
    opponents = {
        k[len("opponent_") :]: v
        for k, v in fields.items()
        if k.startswith("opponent_") and k != f"opponent_{seat}"
    }
    try:
        body = PlayBody(
            scenario=sid,
            seat=seat,
            opponents=opponents,
            rounds=_int(fields.get("rounds"), "rounds", 20),
            seed=_int(fields.get("seed"), "seed", 0),
        )
    except ValidationError as e:
        raise InputError(problems_from_validation(e)) from None
    state = await run_in_threadpool(create, c, body)
    return RedirectResponse(f"/plays/{state['id']}", status_code=303)


@router.post("/scenarios/{sid}/sweep")
async def start_sweep(request: Request, sid: ScenarioId, c: Ctx) -> Response:
    """Start a background sweep from the scenario page's form."""
    form = await request.form()
    fields = {k: str(v) for k, v in form.items()}
    s = await run_in_threadpool(c.library.get, sid)
    task = fields.get("task", "forecast")
    rid = await run_in_threadpool(
        c.jobs.submit,
        sid,
        s,
        task,
        fields.get("model") if task == "forecast" else None,
        _int(fields.get("draws"), "draws", 200),
        fields.get("plan", "random"),
        _int(fields.get("seed"), "seed", 0),
    )
    return RedirectResponse(f"/runs/{rid}", status_code=303)


def _int(text: str | None, field: str, default: int) -> int:
    if text is None or text.strip() == "":
        return default
    try:
        return int(text)
    except ValueError:
        raise InputError(Problem("expected a whole number", (field,), text)) from None


@router.get("/plays/{pid}", response_class=HTMLResponse)
def play_page(request: Request, pid: AnyId, c: Ctx) -> HTMLResponse:
    """A play session (drawn by play.js from the API)."""
    row = c.store.play(pid)
    if row is None:
        from accord.web.service import NotFound

        raise NotFound(pid)
    return _page(
        request,
        "play.html",
        pid=pid,
        title=row["settings"].get("title", ""),
        scenario=row["scenario"],
        seat=row["settings"]["seat"],
    )


@router.get("/runs/{rid}", response_class=HTMLResponse)
def run_page(request: Request, rid: AnyId, c: Ctx) -> HTMLResponse:
    """A background run: progress, then the summary and the downloads (run.js)."""
    row = c.store.run(rid)
    if row is None:
        from accord.web.service import NotFound

        raise NotFound(rid)
    return _page(request, "run.html", rid=rid, run=row)


@router.get("/docs", response_class=HTMLResponse)
def api_docs(request: Request) -> HTMLResponse:
    """The JSON API's documentation, drawn from the OpenAPI schema on this server (no CDN)."""
    return _page(request, "apidocs.html", groups=api_groups(request.app.openapi()))


def api_groups(schema: dict[str, Any]) -> list[tuple[str, list[dict[str, Any]]]]:
    """The operations of an OpenAPI schema grouped by tag, with parameters and body fields."""
    groups: dict[str, list[dict[str, Any]]] = {}
    comps = schema.get("components", {}).get("schemas", {})
    for path, item in schema.get("paths", {}).items():
        for method, op in item.items():
            doc = (op.get("description") or "").strip()
            groups.setdefault((op.get("tags") or ["other"])[0], []).append(
                {
                    "id": op.get("operationId", ""),
                    "method": method.upper(),
                    "path": path,
                    "summary": op.get("summary", ""),
                    "description": " ".join(doc.split()),
                    "params": [
                        {"name": p["name"], "where": p["in"], "required": p.get("required")}
                        for p in op.get("parameters", [])
                    ],
                    "body": _body(op.get("requestBody"), comps),
                }
            )
    return list(groups.items())


def _body(body: dict[str, Any] | None, comps: dict[str, Any]) -> dict[str, Any] | None:
    if not body:
        return None
    content: dict[str, Any] = body.get("content") or {}
    kind = next(iter(content), "")
    media: dict[str, Any] = content.get(kind) or {}
    ref = str(media.get("schema", {}).get("$ref", ""))
    props = comps.get(ref.rsplit("/", 1)[-1], {}).get("properties", {})
    fields = [{"name": k, "type": v.get("type", "")} for k, v in props.items()]
    return {"kind": kind, "fields": fields}
