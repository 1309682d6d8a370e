"""What the pages and the API do with scenarios, on top of the engines.

`Library` resolves a scenario id (a built-in name or a stored upload) to a `Scenario`, stores
uploads after reading them with the `accord.io` readers, applies the edits of the form
(positions, saliences, capabilities) and evaluates a scenario: the agreement zone and the
bargaining solutions (`accord.analysis.analyze`) and the forecasts of the fast models
(`accord.forecast.MODELS`). Nothing here computes a result of its own.

Decisions:
- An upload is one file, or several files that belong together (a CSV with its
  ``.issues.csv`` sidecar; the XML files of a GENIUS folder; the JSON profiles of a
  GeniusWeb domain). They are written to a fresh
  temporary folder under names made of their own safe characters only, read, and stored as
  the scenario's YAML text; a reader's problem names the uploaded file, not the temp path.
- Edits never change a stored scenario: they are applied to a copy for the evaluation, and
  ``copy`` stores the edited copy as a new scenario. An edited number keeps its source.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from accord.cache import LRUCache
from accord.errors import InputError, LimitError, Problem
from accord.io import native, read
from accord.results import jsonable
from accord.scenario import Estimate, Scenario, builtin_names, builtin_path, compile
from accord.web.edits import apply_edits
from accord.web.store import Store, valid_id

if TYPE_CHECKING:
    from accord.web.workers import Pool

__all__ = ["Library", "apply_edits", "evaluate", "read_upload", "scenario_view"]

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
MAX_UPLOAD_FILES = 20
LIVE_MODELS = ("compromise", "median", "bdm", "nash", "exchange", "ktab")
SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]")


class NotFound(Exception):
    """An id that names nothing stored (the API answers 404)."""


def safe_filename(name: str) -> str:
    """The base name of an uploaded file with only letters, digits, ``._-`` kept."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = SAFE_NAME.sub("_", base).lstrip(".")
    return base[:100] or "upload"


class Library:
    """Scenarios by id: the built-in ones and the uploads in the store (parsed ones cached)."""

    def __init__(self, store: Store, pool: Pool | None = None, cache_size: int = 32) -> None:
        self.store = store
        self.pool = pool
        self._cache: LRUCache[str, Scenario] = LRUCache(cache_size)

    def listing(self) -> list[dict[str, Any]]:
        """Every scenario: the built-in ones first, then the uploads, newest first."""
        out = [
            {
                "id": n,
                "title": self.get(n).meta.title,
                "builtin": True,
                "filename": None,
                "created": None,
            }
            for n in builtin_names()
        ]
        out += [{**row, "builtin": False} for row in self.store.scenarios()]
        return out

    def get(self, sid: str) -> Scenario:
        """The scenario called `sid`; `NotFound` when there is none."""
        if not valid_id(sid):
            raise NotFound(sid)
        return self._cache.get_or_build(sid, lambda: self._read(sid))

    def _read(self, sid: str) -> Scenario:
        """Scenario `sid` read from its file or the store (in a worker); `NotFound` if none."""
        if sid in builtin_names():
            return native.read(builtin_path(sid))
        row = self.store.scenario(sid)
        if row is None:
            raise NotFound(sid)
        s: Scenario = self._job("parse", row["yaml"], row["filename"], what="reading the scenario")
        return s

    def parsed(self, key: str, text: str) -> Scenario:
        """Scenario text stored elsewhere (a play's copy), read in a worker and kept by `key`."""
        return self._cache.get_or_build(
            key, lambda: self._job("parse", text, "<play>", what="reading the scenario")
        )

    def is_builtin(self, sid: str) -> bool:
        """Whether `sid` names a built-in scenario."""
        return sid in builtin_names()

    def delete(self, sid: str) -> None:
        """Remove an uploaded scenario (built-in ones cannot be removed)."""
        if self.is_builtin(sid):
            raise InputError(Problem("a built-in scenario cannot be deleted", ("id",), sid))
        if not valid_id(sid) or not self.store.delete_scenario(sid):
            raise NotFound(sid)
        self._cache.pop(sid)

    def _job(self, name: str, *args: Any, what: str) -> Any:
        """Job `name` of `accord.web.work`, in the worker pool when there is one."""
        if self.pool is not None:
            return self.pool.run(name, *args, what=what)
        from accord.web import work

        return getattr(work, name)(*args)

    def add(self, yaml_text: str, s: Scenario, filename: str) -> str:
        """Store scenario `s` given as its checked YAML text; returns the new id."""
        sid = self.store.add_scenario(s.meta.title, filename, yaml_text)
        self._cache.put(sid, s)
        return sid

    def upload(self, files: list[tuple[str, bytes]]) -> tuple[str, Scenario]:
        """Read uploaded files ``(name, bytes)`` as one scenario, store it, return its id."""
        name, text, s = self._job("upload", files, what="reading the upload")
        return self.add(text, s, name), s

    def evaluate(self, sid: str, changes: dict[str, Any], models: tuple[str, ...]) -> Any:
        """The evaluation of scenario `sid` with the editor's `changes` (a worker job)."""
        return self._job("evaluate_changes", self.get(sid), changes, models, what="the analysis")

    def save_copy(self, sid: str, changes: dict[str, Any], title: str | None) -> tuple[str, Any]:
        """Store scenario `sid` with `changes` as a new upload; ``(new id, scenario)``."""
        text, s = self._job("save_changes", self.get(sid), changes, title, what="the copy")
        return self.add(text, s, f"{sid}-edited.yaml"), s

    def figure(self, sid: str) -> bytes:
        """The issue-maps PNG of scenario `sid` (a worker job)."""
        return bytes(self._job("figure", self.get(sid), what="the figure"))


def read_upload(files: list[tuple[str, bytes]]) -> tuple[str, Scenario]:
    """Read uploaded files as one scenario with the `accord.io` readers (module docstring)."""
    if not files:
        raise InputError(Problem("no file was uploaded", ("file",)))
    if len(files) > MAX_UPLOAD_FILES:
        raise LimitError("files in one upload", len(files), MAX_UPLOAD_FILES)
    total = sum(len(b) for _, b in files)
    if total > MAX_UPLOAD_BYTES:
        raise LimitError("upload size", total, MAX_UPLOAD_BYTES, "bytes")
    names = [safe_filename(n) for n, _ in files]
    if len(set(names)) != len(names):
        raise InputError(Problem("two uploaded files have the same name", ("file",), names))
    with tempfile.TemporaryDirectory(prefix="accord-upload-") as tmp:
        folder = Path(tmp)
        kinds = {n.lower().rsplit(".", 1)[-1] for n in names}
        if len(files) > 1 and len(kinds) == 1 and kinds <= {"xml", "json"}:
            folder = folder / ("upload.genius" if kinds == {"xml"} else "upload.geniusweb")
            folder.mkdir()
            primary = folder
        else:
            main = [n for n in names if not n.lower().endswith(".issues.csv")]
            if len(main) != 1:
                raise InputError(
                    Problem(
                        "upload one scenario file (with its .issues.csv sidecar, or the XML files "
                        "of one GENIUS domain)",
                        ("file",),
                        names,
                    )
                )
            primary = folder / main[0]
        for name, (_, data) in zip(names, files, strict=True):
            (folder / name).write_bytes(data)
        shown = primary.name if primary.is_dir() else names[names.index(primary.name)]
        try:
            s = read(primary)
        except InputError as e:
            raise InputError([_rename(p, tmp, shown) for p in e.problems]) from None
    return shown, s


def _rename(p: Problem, tmp: str, shown: str) -> Problem:
    """The problem with the temporary folder taken out of its file name."""
    file = p.file
    if file is not None and file.startswith(tmp):
        file = file[len(tmp) :].lstrip("/\\") or shown
    msg = p.message.replace(tmp + "/", "").replace(tmp, "")
    return Problem(msg, p.path, p.value, file or shown, p.line)


def scenario_view(s: Scenario) -> dict[str, Any]:
    """The scenario as the pages show it: issues, actors × issues, seats, clocks, sources."""
    c = compile(s)
    issues = []
    for i in s.issues:
        lo, hi = i.bounds
        issues.append(
            {
                "id": i.id,
                "label": i.label,
                "unit": i.unit or "",
                "options": list(i.options) if i.options else None,
                "lo": lo,
                "hi": hi,
                "status_quo": _plain(i.status_quo),
            }
        )
    actors = []
    for a in s.actors:
        actors.append(
            {
                "id": a.id,
                "label": a.label,
                "capability": _num(a.capability),
                "positions": {k: _plain(v) for k, v in a.positions.items()},
                "salience": {k: _num(v) for k, v in a.salience.items()},
            }
        )
    sources = [
        {"id": x.id, "cite": x.reference(), "url": web_url(x.url), "grade": x.grade}
        for x in s.meta.sources
    ]
    names = {i.id: i.label for i in s.issues} | {a.id: a.label for a in s.actors}
    return jsonable(
        {
            "title": s.meta.title,
            "description": s.meta.description or "",
            "date": str(s.meta.date) if s.meta.date else None,
            "time_unit": s.meta.time_unit,
            "salience_scale": s.meta.salience_scale,
            "issues": issues,
            "actors": actors,
            "seats": [
                {"id": i, "label": lab} for i, lab in zip(c.seats.ids, c.seats.labels, strict=True)
            ],
            "clocks": [
                {
                    "kind": k.kind,
                    "id": k.id,
                    "target": getattr(k, "issue", None) or getattr(k, "actor", None),
                    "target_label": names.get(
                        str(getattr(k, "issue", None) or getattr(k, "actor", ""))
                    ),
                }
                for k in s.clocks
            ],
            "proposals": [{"id": p.id, "label": p.label, "by": p.by} for p in s.proposals],
            "sections": sections_yaml(s),
            "sources": sources,
        }
    )


def web_url(url: str | None) -> str | None:
    """`url` when it is an http(s) address, else None: a page links nothing else."""
    if url and re.match(r"^https?://[^\s/$.?#][^\s]*$", url.strip(), re.IGNORECASE):
        return url.strip()
    return None


def sections_yaml(s: Scenario) -> dict[str, str]:
    """The blocs, clocks, proposals and table of `s` as YAML text, for the editor."""
    import yaml

    from accord.web.edits import SECTIONS

    data = native.to_data(s)
    return {
        k: yaml.safe_dump(data[k], sort_keys=False, allow_unicode=True) if data.get(k) else ""
        for k in SECTIONS
    }


def _plain(v: Any) -> Any:
    return v.value if isinstance(v, Estimate) else v


def _num(v: Any) -> float:
    return float(v.value) if isinstance(v, Estimate) else float(v)


def evaluate(s: Scenario, models: tuple[str, ...] = LIVE_MODELS) -> dict[str, Any]:
    """The agreement zone, the bargaining solutions and the forecasts of `models`."""
    from accord.analysis import analyze
    from accord.forecast.lineup import forecast_models
    from accord.present.format import percent

    c = compile(s)
    a = analyze(s, n_packages=3)
    who = {x.id: x.label for x in s.actors} | dict(zip(a.parties, a.party_labels, strict=True))
    forecasts: dict[str, dict[str, Any]] = {}
    lineup = forecast_models(c, models, seed=0)  # a model over its limit is skipped, with why
    for f in lineup.forecasts:
        forecasts[f.model] = {
            i.id: i.show(float(v)) if i.options else float(v)
            for i, v in zip(s.issues, f.point, strict=True)
        }
    sol = {
        k: (
            None
            if p is None
            else {"outcome": p.outcome, "utility": dict(zip(p.parties, p.utilities, strict=True))}
        )
        for k, p in a.solutions.items()
    }
    return jsonable(
        {
            "parties": dict(zip(a.parties, a.party_labels, strict=True)),
            "reservation": dict(zip(a.parties, a.reservation, strict=True)),
            "zone": {
                "empty": a.zone_empty,
                "share": a.zone_share,
                "share_text": percent(a.zone_share),
                "size": a.zone_size,
                "space_size": a.space_size,
            },
            "solutions": sol,
            "resolution": a.resolution,
            "enumerated": a.enumerated,
            "proposals": [
                {
                    "id": v.id,
                    "label": v.label,
                    "by": v.by,
                    "by_label": who.get(v.by or "", v.by),
                    "accepted_by": v.accepted_by,
                    "refused_by": v.refused_by,
                }
                for v in a.proposals
            ],
            "forecasts": forecasts,
            "skipped": [k.to_dict() for k in lineup.skipped],
            "status_quo": a.status_quo,
        },
        digits=6,
    )


def issue_maps_png(s: Scenario, with_forecasts: bool = True) -> bytes:
    """The issue-maps figure of `accord.report.figures` with the live models' forecasts."""
    from accord.forecast.lineup import forecast_models
    from accord.report.figures import issue_maps

    c = compile(s)
    fc: dict[str, list[float]] = {}
    if with_forecasts:
        for f in forecast_models(c, ("compromise", "median", "bdm"), seed=0).forecasts:
            fc[f.model] = np.asarray(f.point).tolist()
    return issue_maps(s, c, fc).png
