"""The JSON API under ``/api``: everything the pages do (OpenAPI schema at ``/openapi.json``).

Scenarios (list, upload, view, delete, download as YAML, issue-maps figure, evaluate with
edits, save an edited copy), the registries, play sessions (start, state, the utility of an
offer under consideration, a move) and background runs (start, progress, files). Every id in
a path is checked against one pattern; a run's files are named from a fixed list. Errors a
user can cause are 4xx answers with the accord problem list (`accord.web.context`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Path, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field
from starlette.datastructures import UploadFile as StarletteUpload

from accord.errors import InputError, LimitError, Problem
from accord.io import native
from accord.web import play as playmode
from accord.web.context import Conflict, Context, ctx
from accord.web.jobs import RUN_FILES, run_view
from accord.web.service import LIVE_MODELS, MAX_UPLOAD_BYTES, NotFound, scenario_view
from accord.web.store import ID_RE

router = APIRouter(prefix="/api")
ID = ID_RE.pattern
ScenarioId = Annotated[str, Path(pattern=ID, max_length=64, description="scenario id")]
PlayId = Annotated[str, Path(pattern=ID, max_length=64, description="play id")]
RunId = Annotated[str, Path(pattern=ID, max_length=64, description="run id")]
Ctx = Annotated[Context, Depends(ctx)]
Offer = dict[str, int] | list[int]
MOVE_RETRIES = 20


class Body(BaseModel):
    """Request bodies refuse unknown fields."""

    model_config = ConfigDict(extra="forbid")


class ChangesBody(Body):
    """The editor's changes (`accord.web.edits`): actors' numbers, the status quo, actors and
    issues added or removed, and the blocs, clocks, proposals or table as YAML text."""

    edits: dict[str, dict[str, Any]] = Field(default_factory=dict, max_length=500)
    status_quo: dict[str, float | str] = Field(default_factory=dict, max_length=500)
    add_actors: list[dict[str, Any]] = Field(default_factory=list, max_length=100)
    remove_actors: list[str] = Field(default_factory=list, max_length=500)
    add_issues: list[dict[str, Any]] = Field(default_factory=list, max_length=100)
    remove_issues: list[str] = Field(default_factory=list, max_length=500)
    sections: dict[str, str] = Field(default_factory=dict, max_length=4)

    def changes(self) -> dict[str, Any]:
        """The changes as plain data for a worker job."""
        return self.model_dump(exclude={"models", "title"})


class EditsBody(ChangesBody):
    """Changes to evaluate, and the models to forecast with (all live models by default)."""

    models: list[str] | None = Field(default=None, max_length=20)


class CopyBody(ChangesBody):
    """Changes to apply and an optional new title for the stored copy."""

    title: str | None = Field(default=None, min_length=1, max_length=300)


class PlayBody(Body):
    """A new play session: the scenario, the person's seat and the others' strategies."""

    scenario: str = Field(pattern=ID, max_length=64)
    seat: str = Field(max_length=64)
    opponents: dict[str, str] = Field(default_factory=dict)
    protocol: str | None = Field(default=None, max_length=40)
    rounds: int = Field(default=20, ge=2, le=playmode.MAX_PLAY_ROUNDS)
    seed: int = Field(default=0, ge=0, lt=2**63)


class OfferBody(Body):
    """An offer under consideration: issue id → value index (or one index per issue)."""

    offer: Offer
    round: int = Field(default=0, ge=0)


class MoveBody(Body):
    """The person's move: accept the offer on the table, or make (counter-)offer `offer`."""

    accept: bool = False
    offer: Offer | None = None
    turn: int | None = Field(default=None, ge=0, description="the turn of the state you saw")


class RunBody(Body):
    """A Monte-Carlo sweep to run in the background."""

    scenario: str = Field(pattern=ID, max_length=64)
    task: str = "forecast"
    model: str | None = "compromise"
    draws: int = Field(default=200, ge=1)
    plan: str = "random"
    seed: int = Field(default=0, ge=0, lt=2**63)


@router.get("/health", tags=["meta"])
async def health(c: Ctx) -> dict[str, Any]:
    """Whether the server is up, with its run queue and worker pool (answered on the event
    loop itself, so it needs no free thread or worker)."""
    return {
        "status": "ok",
        "runs_active": c.jobs.active,
        "jobs_running": c.pool.running,
        "limits": c.jobs.limits.__dict__,
        "work_limits": c.pool.limits.__dict__,
    }


@router.get("/registry", tags=["meta"])
def registry() -> dict[str, Any]:
    """Names of the forecast models, strategies, protocols, sweep tasks and file formats."""
    from accord.bargain import PROTOCOLS, STRATEGIES
    from accord.forecast import MODELS
    from accord.io import FORMATS, _load_formats
    from accord.web.jobs import TASK_NAMES

    _load_formats()
    return {
        "models": [{"name": e.name, "summary": e.summary} for e in MODELS.entries()],
        "strategies": [{"name": e.name, "summary": e.summary} for e in STRATEGIES.entries()],
        "protocols": [
            {"name": e.name, "summary": e.summary, "play": e.name in playmode.PLAY_PROTOCOLS}
            for e in PROTOCOLS.entries()
        ],
        "tasks": list(TASK_NAMES),
        "formats": [
            {"name": f.name, "extensions": list(f.extensions), "summary": f.summary}
            for f in FORMATS.values()
            if f.reader is not None
        ],
        "live_models": list(LIVE_MODELS),
    }


@router.get("/scenarios", tags=["scenarios"])
def list_scenarios(c: Ctx) -> list[dict[str, Any]]:
    """The built-in scenarios and the uploaded ones."""
    return c.library.listing()


@router.post("/scenarios", status_code=201, tags=["scenarios"])
async def upload_scenario(c: Ctx, files: list[UploadFile] = File(...)) -> dict[str, Any]:
    """Upload a scenario file in any readable format (YAML, JSON, the CSV formats; several
    files for a CSV with its ``.issues.csv`` sidecar or a GENIUS domain's XML files)."""
    got = await read_files(files)
    sid, s = await run_in_threadpool(c.library.upload, got)
    return {"id": sid, "title": s.meta.title, "url": f"/scenarios/{sid}"}


async def read_files(files: Sequence[StarletteUpload]) -> list[tuple[str, bytes]]:
    """The uploaded files' names and bytes, refusing more than the size limit."""
    got: list[tuple[str, bytes]] = []
    total = 0
    for f in files:
        data = await f.read(MAX_UPLOAD_BYTES + 1)
        total += len(data)
        if total > MAX_UPLOAD_BYTES:
            raise LimitError("upload size", total, MAX_UPLOAD_BYTES, "bytes")
        got.append((f.filename or "upload", data))
    return got


@router.get("/scenarios/{sid}", tags=["scenarios"])
def get_scenario(sid: ScenarioId, c: Ctx) -> dict[str, Any]:
    """The scenario: meta, issues, actors × issues, seats, clocks, proposals and sources."""
    s = c.library.get(sid)
    return {"id": sid, "builtin": c.library.is_builtin(sid), **scenario_view(s)}


@router.delete("/scenarios/{sid}", status_code=204, tags=["scenarios"])
def delete_scenario(sid: ScenarioId, c: Ctx) -> Response:
    """Remove an uploaded scenario (the built-in ones stay)."""
    c.library.delete(sid)
    return Response(status_code=204)


@router.get(
    "/scenarios/{sid}/download",
    tags=["scenarios"],
    responses={200: {"content": {"application/x-yaml": {}}}},
)
def download_scenario(sid: ScenarioId, c: Ctx) -> Response:
    """The scenario as an accord YAML file."""
    s = c.library.get(sid)
    return Response(
        native.dumps_yaml(s),
        media_type="application/x-yaml",
        headers={"Content-Disposition": f'attachment; filename="{sid}.yaml"'},
    )


@router.get(
    "/scenarios/{sid}/issue-maps.png",
    tags=["scenarios"],
    responses={200: {"content": {"image/png": {}}}},
)
def issue_maps(sid: ScenarioId, c: Ctx) -> Response:
    """The issue-maps figure: actors on every issue, the status quo and three forecasts."""
    s = c.library.get(sid)
    from accord.scenario import scenario_digest

    png = c.figure(f"maps:{scenario_digest(s)}", lambda: c.library.figure(sid))
    return Response(png, media_type="image/png", headers={"Cache-Control": "max-age=60"})


@router.post("/scenarios/{sid}/evaluate", tags=["scenarios"])
def evaluate_scenario(sid: ScenarioId, body: EditsBody, c: Ctx) -> dict[str, Any]:
    """The agreement zone, bargaining solutions, proposal verdicts and forecasts of the
    scenario with the editor's changes (``scenario``: the edited scenario, when changed)."""
    from accord.forecast import MODELS

    models = tuple(body.models) if body.models is not None else LIVE_MODELS
    unknown = [m for m in models if m not in MODELS]
    if unknown:
        raise InputError(
            [
                Problem(f"unknown model; known: {', '.join(MODELS.names())}", ("models",), m)
                for m in unknown
            ]
        )
    result: dict[str, Any] = c.library.evaluate(sid, body.changes(), models)
    return result


@router.post("/scenarios/{sid}/copy", status_code=201, tags=["scenarios"])
def copy_scenario(sid: ScenarioId, body: CopyBody, c: Ctx) -> dict[str, Any]:
    """Store the scenario with the editor's changes as a new uploaded scenario."""
    new, s = c.library.save_copy(sid, body.changes(), body.title)
    return {"id": new, "title": s.meta.title, "url": f"/scenarios/{new}"}


# plays
def _play_of(c: Context, pid: str) -> tuple[dict[str, Any], Any, playmode.Settings]:
    row = c.store.play(pid)
    if row is None:
        raise NotFound(pid)
    settings = dict(row["settings"])
    s = c.library.parsed(f"play-{pid}", settings.pop("yaml"))
    settings.pop("title", None)
    return row, s, playmode.Settings(**settings)


def start_play(c: Context, body: PlayBody) -> dict[str, Any]:
    """Create a play session; returns its state with its id."""
    s = c.library.get(body.scenario)
    st = playmode.settings_for(s, body.seat, body.opponents, body.protocol, body.rounds, body.seed)
    pid = c.store.add_play(
        body.scenario, {**st.to_dict(), "title": s.meta.title, "yaml": native.dumps_yaml(s)}
    )
    return {"id": pid, "url": f"/plays/{pid}", **play_state(c, pid)}


def play_state(c: Context, pid: str) -> dict[str, Any]:
    """What the person sees in play `pid` now."""
    row, s, st = _play_of(c, pid)
    moves = row["moves"]
    return _with_extras(playmode.state(s, st, moves), s, pid, row["scenario"], len(moves))


def _with_extras(
    state: dict[str, Any], s: Any, pid: str, scenario: str, turn: int
) -> dict[str, Any]:
    return {
        **state,
        "turn": turn,
        "choices": playmode.choices(s, playmode.domain_of(s)),
        "title": s.meta.title,
        "id": pid,
        "scenario": scenario,
    }


@router.get("/plays", tags=["play"])
def list_plays(c: Ctx) -> list[dict[str, Any]]:
    """Every play session, newest first."""
    return c.store.plays()


@router.post("/plays", status_code=201, tags=["play"])
def create_play(body: PlayBody, c: Ctx) -> dict[str, Any]:
    """Take one seat of a scenario's session against the strategies of the other seats."""
    return start_play(c, body)


@router.get("/plays/{pid}", tags=["play"])
def get_play(pid: PlayId, c: Ctx) -> dict[str, Any]:
    """The session as the person sees it: offers so far, time left, the no-deal point."""
    return play_state(c, pid)


@router.post("/plays/{pid}/utility", tags=["play"])
def play_utility(pid: PlayId, body: OfferBody, c: Ctx) -> dict[str, Any]:
    """The person's utility of an offer they consider, beside their no-deal utility."""
    _, s, st = _play_of(c, pid)
    return playmode.utility_of(s, st, body.offer, body.round)


@router.post("/plays/{pid}/move", tags=["play"])
def play_move(pid: PlayId, body: MoveBody, c: Ctx) -> dict[str, Any]:
    """Propose, reject with a counter-offer, or accept; returns the new state.

    Moves on one session are serialised: a move is stored only if no other move was stored
    since the state it was checked against (an optimistic version check in SQLite, which also
    holds between several servers). With ``turn`` (the ``turn`` of the state you saw) a move
    made on a stale state is refused with 409; without it, it is checked again on the new one.
    """
    for _ in range(MOVE_RETRIES):
        row, s, st = _play_of(c, pid)
        seen = len(row["moves"])
        if body.turn is not None and body.turn != seen:
            raise Conflict(
                f"the session has moved on (turn {seen}, your move was for turn {body.turn}); "
                "reload it"
            )
        move = playmode.check_move(s, st, row["moves"], body.accept, body.offer)
        moves = [*row["moves"], move]
        after = playmode.state(s, st, moves)
        if c.store.save_play(pid, moves, after["status"], expect=seen):
            return _with_extras(after, s, pid, row["scenario"], len(moves))
    raise Conflict("the session is changing too fast; try the move again")


# runs
@router.get("/runs", tags=["runs"])
def list_runs(c: Ctx) -> list[dict[str, Any]]:
    """Every background run, newest first, with its progress."""
    return [run_view(r) for r in c.store.runs()]


@router.post("/runs", status_code=202, tags=["runs"])
def create_run(body: RunBody, c: Ctx) -> JSONResponse:
    """Start a Monte-Carlo sweep in the background (429 when the queue is full)."""
    s = c.library.get(body.scenario)
    model = body.model if body.task == "forecast" else None
    rid = c.jobs.submit(body.scenario, s, body.task, model, body.draws, body.plan, body.seed)
    return JSONResponse({"id": rid, "url": f"/runs/{rid}", "status": "queued"}, status_code=202)


@router.get("/runs/{rid}", tags=["runs"])
def get_run(rid: RunId, c: Ctx) -> dict[str, Any]:
    """A run's status, progress (done of total) and, when complete, its summary."""
    row = c.store.run(rid)
    if row is None:
        raise NotFound(rid)
    return run_view(row)


@router.get("/runs/{rid}/files/{name}", tags=["runs"])
def run_file(rid: RunId, name: str, c: Ctx) -> FileResponse:
    """A file of a complete run: runs.csv, summary.csv, manifest.json, uncertain.json,
    report.html."""
    if name not in RUN_FILES:
        raise InputError(Problem(f"not a run file; files: {', '.join(RUN_FILES)}", ("name",), name))
    row = c.store.run(rid)
    if row is None:
        raise NotFound(rid)
    path = c.store.run_dir(rid) / name
    if row["status"] != "complete" or not path.is_file():
        raise NotFound(f"{rid}/{name}")
    media = {"html": "text/html", "csv": "text/csv", "json": "application/json"}
    kind = media[name.rsplit(".", 1)[1]]
    disposition = "inline" if name.endswith(".html") else "attachment"
    return FileResponse(
        path,
        media_type=kind,
        headers={"Content-Disposition": f'{disposition}; filename="{rid}-{name}"'},
    )
