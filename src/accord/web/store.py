"""Storage of the web app: uploaded scenarios, play sessions and runs in one SQLite file.

The database is ``accord.db`` in the data directory (stdlib `sqlite3`, WAL journal); a run's
files live under ``runs/<id>/`` beside it. Every id is generated here (a kind letter and 12 hex
digits) and every id that arrives from a request is checked against `ID_RE` before it reaches
SQL or the file system, so no name a user types ever becomes a path.

Several servers may share one data directory: each records a heartbeat in ``servers`` and
owns the runs it started; see `Store.reap`.

Decisions: rows hold JSON text (a scenario as its YAML text, a play as its settings and moves,
a run as its arguments, progress and summary); one connection per operation under a lock keeps
the store safe to share between the server's threads and the background pool.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import secrets
import socket
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ID_RE = re.compile(r"^[a-z][a-z0-9-]{1,63}$")
KINDS = {"scenario": "u", "play": "p", "run": "r"}

SCHEMA = """
CREATE TABLE IF NOT EXISTS scenarios (
    id TEXT PRIMARY KEY, title TEXT NOT NULL, filename TEXT NOT NULL, yaml TEXT NOT NULL,
    created TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS plays (
    id TEXT PRIMARY KEY, scenario TEXT NOT NULL, settings TEXT NOT NULL, moves TEXT NOT NULL,
    status TEXT NOT NULL, created TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS runs (
    id TEXT PRIMARY KEY, scenario TEXT NOT NULL, args TEXT NOT NULL, status TEXT NOT NULL,
    done INTEGER NOT NULL, total INTEGER NOT NULL, message TEXT NOT NULL, summary TEXT,
    created TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS servers (
    id TEXT PRIMARY KEY, host TEXT NOT NULL, pid INTEGER NOT NULL, beat REAL NOT NULL);
"""
BEAT_SECONDS = 5.0
STALE_SECONDS = 30.0


def now() -> str:
    """The current UTC time as ISO 8601 text, to the second."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


def new_id(kind: str) -> str:
    """A fresh id for a scenario, play or run: its kind letter and 12 hex digits."""
    return KINDS[kind] + secrets.token_hex(6)


def valid_id(text: str) -> bool:
    """Whether `text` has the shape of an id (built-in names included)."""
    return bool(ID_RE.match(text))


class Store:
    """The app's SQLite database and run folders under one data directory."""

    def __init__(self, data_dir: Path, register: bool = True) -> None:
        """Open (or create) the store; `register` records this process as a running server
        (a worker process that only writes a run's progress does not)."""
        self.root = Path(data_dir)
        self.root.mkdir(parents=True, exist_ok=True)
        (self.root / "runs").mkdir(exist_ok=True)
        self.path = self.root / "accord.db"
        self._lock = threading.Lock()
        self.server_id = "s" + secrets.token_hex(6)
        self._stop = threading.Event()
        with self._db() as db:
            db.execute("PRAGMA journal_mode=WAL")
            db.executescript(SCHEMA)
            cols = {r["name"] for r in db.execute("PRAGMA table_info(runs)")}
            if "owner" not in cols:
                db.execute("ALTER TABLE runs ADD COLUMN owner TEXT")
        if register:
            self.beat()
            self.reap()
        else:
            self._stop.set()

    # servers sharing the data directory
    def beat(self) -> None:
        """Record that this server is alive (each server beats every `BEAT_SECONDS`)."""
        with self._db() as db:
            db.execute(
                "INSERT OR REPLACE INTO servers VALUES (?, ?, ?, ?)",
                (self.server_id, socket.gethostname(), os.getpid(), time.time()),
            )

    def start_heartbeat(self) -> None:
        """Beat in a background thread until `stop_heartbeat`."""
        self._stop.clear()

        def loop() -> None:
            while not self._stop.wait(BEAT_SECONDS):
                self.beat()

        threading.Thread(target=loop, daemon=True, name="accord-heartbeat").start()

    def stop_heartbeat(self) -> None:
        """Stop beating and sign off: this server's unfinished runs will be marked interrupted."""
        self._stop.set()
        with self._db() as db:
            db.execute("DELETE FROM servers WHERE id = ?", (self.server_id,))

    def reap(self) -> None:
        """Mark as interrupted the unfinished runs of servers that have stopped.

        A server is alive while its heartbeat is recent and, on this machine, its process
        exists; the runs of any other server (or of none) will never finish. Decision: the
        servers on one data directory coordinate only through this table, so a second
        `accord serve` leaves the first one's running jobs alone.
        """
        if not self._stop.is_set():
            self.beat()
        me = socket.gethostname()
        with self._db() as db:
            rows = db.execute("SELECT id, host, pid, beat FROM servers").fetchall()
            alive = [
                r["id"]
                for r in rows
                if r["beat"] > time.time() - STALE_SECONDS and (r["host"] != me or _alive(r["pid"]))
            ]
            db.execute(f"DELETE FROM servers WHERE id NOT IN ({','.join('?' * len(alive))})", alive)
            db.execute(
                "UPDATE runs SET status='interrupted', message='the server stopped' "
                "WHERE status IN ('queued', 'running') AND (owner IS NULL OR owner NOT IN "
                f"({','.join('?' * len(alive))}))",
                alive,
            )

    @contextmanager
    def _db(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            db = sqlite3.connect(self.path, timeout=30)
            db.row_factory = sqlite3.Row
            try:
                with db:
                    yield db
            finally:
                db.close()

    def run_dir(self, run_id: str) -> Path:
        """The folder of run `run_id` (the id is checked first)."""
        if not valid_id(run_id):
            raise ValueError(f"not an id: {run_id!r}")
        return self.root / "runs" / run_id

    # scenarios
    def add_scenario(self, title: str, filename: str, yaml_text: str) -> str:
        """Store an uploaded (already validated) scenario; returns its new id."""
        sid = new_id("scenario")
        with self._db() as db:
            db.execute(
                "INSERT INTO scenarios VALUES (?, ?, ?, ?, ?)",
                (sid, title, filename, yaml_text, now()),
            )
        return sid

    def scenario(self, sid: str) -> dict[str, Any] | None:
        """The stored scenario `sid` (id, title, filename, yaml, created), or None."""
        with self._db() as db:
            row = db.execute("SELECT * FROM scenarios WHERE id = ?", (sid,)).fetchone()
        return dict(row) if row else None

    def scenarios(self) -> list[dict[str, Any]]:
        """Every stored scenario without its text, newest first."""
        with self._db() as db:
            rows = db.execute(
                "SELECT id, title, filename, created FROM scenarios ORDER BY created DESC, id"
            ).fetchall()
        return [dict(r) for r in rows]

    def delete_scenario(self, sid: str) -> bool:
        """Remove scenario `sid`; False when there was none."""
        with self._db() as db:
            return db.execute("DELETE FROM scenarios WHERE id = ?", (sid,)).rowcount > 0

    # plays
    def add_play(self, scenario: str, settings: dict[str, Any]) -> str:
        """Store a new play session; returns its id."""
        pid = new_id("play")
        with self._db() as db:
            db.execute(
                "INSERT INTO plays VALUES (?, ?, ?, ?, ?, ?)",
                (pid, scenario, json.dumps(settings), "[]", "playing", now()),
            )
        return pid

    def play(self, pid: str) -> dict[str, Any] | None:
        """Play `pid` with its settings and moves decoded, or None."""
        with self._db() as db:
            row = db.execute("SELECT * FROM plays WHERE id = ?", (pid,)).fetchone()
        if row is None:
            return None
        out = dict(row)
        out["settings"] = json.loads(out["settings"])
        out["moves"] = json.loads(out["moves"])
        return out

    def plays(self) -> list[dict[str, Any]]:
        """Every play session (id, scenario, status, created), newest first."""
        with self._db() as db:
            rows = db.execute(
                "SELECT id, scenario, status, created, settings FROM plays "
                "ORDER BY created DESC, id"
            ).fetchall()
        out = []
        for r in rows:
            d = dict(r)
            settings = json.loads(d.pop("settings"))
            d["seat"] = settings.get("seat")
            d["title"] = settings.get("title", "")
            out.append(d)
        return out

    def save_play(
        self, pid: str, moves: list[dict[str, Any]], status: str, expect: int | None = None
    ) -> bool:
        """Record the moves and status of play `pid`; with `expect`, only if the session still
        has exactly `expect` moves stored (False when another move came first)."""
        sql = "UPDATE plays SET moves = ?, status = ? WHERE id = ?"
        args: tuple[Any, ...] = (json.dumps(moves), status, pid)
        if expect is not None:
            sql += " AND json_array_length(moves) = ?"
            args = (*args, expect)
        with self._db() as db:
            return db.execute(sql, args).rowcount > 0

    # runs
    def add_run(self, scenario: str, args: dict[str, Any], total: int) -> str:
        """Store a queued run; returns its id."""
        rid = new_id("run")
        with self._db() as db:
            db.execute(
                "INSERT INTO runs (id, scenario, args, status, done, total, message, summary, "
                "created, owner) VALUES (?, ?, ?, 'queued', 0, ?, '', NULL, ?, ?)",
                (rid, scenario, json.dumps(args), total, now(), self.server_id),
            )
        return rid

    def update_run(self, rid: str, **fields: Any) -> None:
        """Set some of status, done, total, message, summary (JSON-encoded) of run `rid`."""
        allowed = {"status", "done", "total", "message", "summary"}
        if not set(fields) <= allowed:
            raise ValueError(f"unknown run fields: {sorted(set(fields) - allowed)}")
        if "summary" in fields:
            fields["summary"] = json.dumps(fields["summary"])
        cols = ", ".join(f"{k} = ?" for k in fields)
        with self._db() as db:
            db.execute(f"UPDATE runs SET {cols} WHERE id = ?", (*fields.values(), rid))

    def run(self, rid: str) -> dict[str, Any] | None:
        """Run `rid` with its arguments and summary decoded, or None."""
        self.reap()
        with self._db() as db:
            row = db.execute("SELECT * FROM runs WHERE id = ?", (rid,)).fetchone()
        if row is None:
            return None
        out = dict(row)
        out["args"] = json.loads(out["args"])
        out["summary"] = json.loads(out["summary"]) if out["summary"] else None
        return out

    def runs(self) -> list[dict[str, Any]]:
        """Every run (without summaries), newest first."""
        self.reap()
        with self._db() as db:
            rows = db.execute(
                "SELECT id, scenario, args, status, done, total, message, created "
                "FROM runs ORDER BY created DESC, id"
            ).fetchall()
        out = []
        for r in rows:
            d = dict(r)
            d["args"] = json.loads(d["args"])
            out.append(d)
        return out


def _alive(pid: int) -> bool:
    """Whether process `pid` exists on this machine."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
