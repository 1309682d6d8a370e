"""A bounded pool of worker processes for the web app's parsing, validation and engine work.

Every job (read an upload, parse a stored scenario, evaluate an edited scenario, draw a
figure) runs in its own short-lived child process, forked from a ``forkserver`` that has the
engines imported already, so a job starts in milliseconds. The server thread that asked for
the job only waits on a pipe: the event loop and the other requests never run accord's code.

Limits, checked by the pool rather than trusted to the job:

- ``workers`` jobs run at once; ``queue`` more may wait; beyond that the request is refused
  at once (`Busy`, HTTP 429 with ``Retry-After``), so waiting requests cannot pile up.
- ``seconds`` of wall time per job: a job still running then is killed (SIGKILL).
- ``memory_mb`` of address space per job (``RLIMIT_AS`` above what the child starts with):
  a job that goes over gets a ``MemoryError`` and reports it, or is killed by the kernel.

A job over a limit becomes `JobKilled` (HTTP 422) naming the limit and the ``accord serve``
option that raises it. Children die with the server: a job exits as soon as the server's end
of its result pipe closes, gets SIGKILL if the forkserver goes (``PR_SET_PDEATHSIG``), and has
a CPU-time cap a little above its wall-time limit. Decision: one process per job instead of a
long-lived pool, because a job that is killed must not take other jobs or a shared worker with
it.
"""

from __future__ import annotations

import contextlib
import importlib.machinery
import json
import math
import multiprocessing
import os
import select
import signal
import sys
import threading
import types
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

from accord.errors import AccordError, InputError, Problem

JOB_MODULE = "accord.web.work"


class Busy(AccordError):
    """Every worker is busy and the queue is full (HTTP 429)."""


class JobKilled(AccordError):
    """A job went over its time or memory limit, or died (HTTP 422)."""


@dataclass(frozen=True)
class WorkLimits:
    """Bounds on the web app's foreground work (uploads, evaluation, figures)."""

    workers: int = 2
    queue: int = 8
    seconds: float = 60.0
    memory_mb: int = 1024


def _die_with_parent() -> None:
    """Ask Linux to SIGKILL this process when its parent exits (no-op elsewhere)."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _vm_size() -> int:
    """This process's virtual memory size in bytes (0 where /proc is missing)."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _limit_memory(extra: int) -> None:
    """Cap this process's address space at what it uses now plus `extra` bytes."""
    try:
        import resource

        cap = _vm_size() + extra
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    except (ImportError, ValueError, OSError):
        pass


def _watch_server(conn: Connection) -> None:
    """Exit as soon as the server's end of the result pipe closes (the server died or gave up).

    The job's parent is the forkserver, which outlives the server while a job runs, so the
    parent-death signal alone would not stop a job whose server was killed.
    """

    def watch() -> None:
        p = select.poll()
        p.register(conn.fileno(), select.POLLERR | select.POLLHUP)
        p.poll()
        os._exit(3)

    threading.Thread(target=watch, daemon=True, name="accord-watch").start()


def _limit_cpu(seconds: float) -> None:
    """A CPU-time cap a little above the wall-time limit: a last guard for a lost job."""
    try:
        import resource

        cap = math.ceil(seconds) + 2
        resource.setrlimit(resource.RLIMIT_CPU, (cap, cap + 1))
    except (ImportError, ValueError, OSError):
        pass


def _child(conn: Connection, memory: int, seconds: float, name: str, args: tuple[Any, ...]) -> None:
    """Run job `name` of `accord.web.work` and send back ``(kind, payload)``."""
    _die_with_parent()
    _watch_server(conn)
    _limit_memory(memory)
    _limit_cpu(seconds)
    import importlib

    try:
        job = getattr(importlib.import_module(JOB_MODULE), name)
        out: tuple[str, Any] = ("ok", job(*args))
    except InputError as e:
        out = ("problems", e.problems)
    except AccordError as e:
        out = ("problems", [Problem(str(e))])
    except MemoryError:
        out = ("memory", None)
    except RecursionError:
        out = ("problems", [Problem("the input is nested too deeply to read")])
    except Exception as e:  # a reader's bug must still be a clear answer, not a 500
        out = ("problems", [Problem(f"could not be read ({type(e).__name__}: {e})"[:500])])
    try:
        conn.send(out)
    except MemoryError:
        conn.send(("memory", None))
    finally:
        conn.close()


MAIN_ENV = "ACCORD_WEB_MAIN"


def _describe_main() -> None:
    """Tell the forkserver (through its environment) which ``__main__`` the server runs.

    multiprocessing re-imports the parent's main module in every child; `stand_in_main` makes
    the forkserver's ``__main__`` look like it instead, so a job never re-runs the server's
    script (which would cost an import per job, or fail for a script without a main guard).
    """
    main = sys.modules.get("__main__")
    spec = getattr(main, "__spec__", None)
    # Arrow's default allocator reserves far more address space than it uses, which an
    # address-space limit would refuse: the jobs use the system allocator instead.
    os.environ.setdefault("ARROW_DEFAULT_MEMORY_POOL", "system")
    os.environ.setdefault(
        MAIN_ENV,
        json.dumps(
            {
                "server": os.getpid(),
                "name": getattr(spec, "name", None),
                "file": getattr(main, "__file__", None),
            }
        ),
    )


def stand_in_main() -> None:
    """In the forkserver: a stand-in ``__main__`` with the server's name and file (above).

    Does nothing in any other process: only the server's direct child, the forkserver,
    imports the jobs module with the server's description in its environment.
    """
    described = os.environ.get(MAIN_ENV)
    if not described:
        return
    info = json.loads(described)
    if info.get("server") != os.getppid() or os.getpid() == info.get("server"):
        return
    stand_in = types.ModuleType("__mp_main__")
    if info.get("file"):
        stand_in.__file__ = os.path.normpath(
            os.path.join(getattr(multiprocessing.process, "ORIGINAL_DIR", None) or "", info["file"])
        )
    if info.get("name"):
        stand_in.__spec__ = importlib.machinery.ModuleSpec(info["name"], None)
    sys.modules["__main__"] = sys.modules["__mp_main__"] = stand_in


class Pool:
    """Runs jobs of `accord.web.work` in child processes within `WorkLimits`."""

    def __init__(self, limits: WorkLimits | None = None) -> None:
        self.limits = limits or WorkLimits()
        self._mp = multiprocessing.get_context("forkserver")
        self._mp.set_forkserver_preload([JOB_MODULE])
        _describe_main()
        self._slots = threading.BoundedSemaphore(self.limits.workers)
        self._lock = threading.Lock()
        self._waiting = 0
        self.running = 0

    def warm(self) -> None:
        """Start the forkserver now (it imports the engines once) so the first job is quick."""
        threading.Thread(target=self._warm, daemon=True, name="accord-warm").start()

    def _warm(self) -> None:
        with contextlib.suppress(AccordError):
            self._spawn("ping", (), "the warm-up")  # outside the slots: it takes no one's place

    def run(self, name: str, *args: Any, what: str = "the job") -> Any:
        """The result of job `name`; `InputError` with its problems, `Busy`, or `JobKilled`."""
        with self._lock:
            if self._waiting + self.running >= self.limits.workers + self.limits.queue:
                raise Busy(
                    f"the server is busy ({self.running} jobs running, {self._waiting} waiting); "
                    "try again in a few seconds"
                )
            self._waiting += 1
        try:
            self._slots.acquire()
        finally:
            with self._lock:
                self._waiting -= 1
                self.running += 1
        try:
            return self._spawn(name, args, what)
        finally:
            with self._lock:
                self.running -= 1
            self._slots.release()

    def _spawn(self, name: str, args: tuple[Any, ...], what: str) -> Any:
        lim = self.limits
        recv, send = self._mp.Pipe(duplex=False)
        proc = self._mp.Process(
            target=_child, args=(send, lim.memory_mb * 2**20, lim.seconds, name, args), daemon=True
        )
        proc.start()
        send.close()
        try:
            if not recv.poll(lim.seconds):
                raise JobKilled(
                    f"{what} took longer than the limit of {lim.seconds:g} s and was stopped "
                    "(accord serve --job-seconds raises it)"
                )
            try:
                kind, payload = recv.recv()
            except (EOFError, OSError):
                kind, payload = "died", None
        finally:
            recv.close()
            if proc.is_alive():
                proc.kill()
            proc.join(5)
        return _result(kind, payload, what, lim, proc.exitcode)


def _result(kind: str, payload: Any, what: str, lim: WorkLimits, code: int | None) -> Any:
    if kind == "ok":
        return payload
    if kind == "problems":
        raise InputError(payload)
    if kind == "memory":
        raise JobKilled(
            f"{what} needed more memory than the limit of {lim.memory_mb:,} MB and was stopped "
            "(accord serve --job-memory raises it)"
        )
    raise JobKilled(f"{what} stopped unexpectedly (exit status {code})")
