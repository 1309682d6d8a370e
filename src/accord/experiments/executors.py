"""Executors: where the chunks of an experiment run.

`make_executor` returns a `concurrent.futures.Executor`; the experiment code only ever calls
``submit`` on it, so any executor works and the results are the same on all of them (run *i*
depends only on the root seed and *i*, see `accord.experiments.montecarlo`).

- ``process`` (default): a local process pool with one worker per core (or ``workers``).
- ``thread``: a thread pool (useful when the task releases the GIL, and in tests).
- ``serial``: runs each submission at once in the calling thread.
- ``dask``: ``distributed.Client(address).get_executor()`` for a running cluster at
  ``tcp://HOST:PORT``; without an address a `LocalCluster` on loopback (processes, ``workers``
  or 2 workers of one thread each, no dashboard) that is closed with the executor, and whose
  workers exit when this process is killed (`accord.experiments.dask_watch`). Dask is an
  optional extra: ``pip install accord[dask]``.

Use the executor as a context manager (``with make_executor("dask") as ex: ...``) so that pools,
clients and local clusters are shut down.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from typing import Any, TypeVar

from accord.errors import AccordError, InputError, Problem

EXECUTORS: tuple[str, ...] = ("process", "thread", "serial", "dask")
T = TypeVar("T")


class SerialExecutor(Executor):
    """Runs every submission immediately in the calling thread."""

    workers = 1

    def submit(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> Future[T]:
        """Run ``fn(*args, **kwargs)`` now; the returned future is already done."""
        fut: Future[T] = Future()
        try:
            fut.set_result(fn(*args, **kwargs))
        except BaseException as e:
            if isinstance(e, KeyboardInterrupt | SystemExit):
                raise
            fut.set_exception(e)
        return fut


class DaskExecutor(Executor):
    """A Dask cluster behind the `Executor` interface; owns its client (and local cluster)."""

    def __init__(
        self, address: str | None = None, workers: int | None = None, timeout: float = 30.0
    ) -> None:
        try:
            from distributed import Client, LocalCluster
        except ImportError:
            raise AccordError("the dask executor needs Dask: pip install accord[dask]") from None
        self.cluster: Any = None
        if address is None:
            self.cluster = LocalCluster(
                n_workers=workers or 2,
                threads_per_worker=1,
                processes=True,
                host="127.0.0.1",
                dashboard_address=None,
                silence_logs=40,
            )
            self.client = Client(self.cluster)
            _watch_parent(self.client)
        else:
            try:
                self.client = Client(address, timeout=timeout)
            except OSError as e:
                raise AccordError(f"cannot reach the Dask scheduler at {address}: {e}") from None
        self._executor = self.client.get_executor()
        self.address = str(getattr(self.client.scheduler, "address", address))
        n = len(self.client.scheduler_info().get("workers", {}))
        self.workers = max(1, n)

    def submit(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> Future[T]:
        """Submit to the cluster; the result is a `concurrent.futures.Future`."""
        return self._executor.submit(fn, *args, **kwargs)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        """Close the client, and the local cluster if this executor started one."""
        try:
            self._executor.shutdown(wait=wait)
        finally:
            self.client.close()
            if self.cluster is not None:
                self.cluster.close()


def _watch_parent(client: Any) -> None:
    """Make every worker of our local cluster exit when this process dies
    (`accord.experiments.dask_watch`); a remote cluster's workers are not ours to end."""
    from accord.experiments.dask_watch import ParentWatch

    client.register_plugin(ParentWatch())


def die_with_parent(poll: float = 0.5) -> None:
    """Worker initialiser: exit as soon as the parent process is gone.

    A pool worker outlives a parent killed with ``kill -9`` (nothing tells it), so a daemon
    thread polls ``os.getppid()``, which changes when the worker is re-parented, and ends the
    worker at once (issue 18: workers lingered 60 s and more after ``accord sweep`` was killed).
    """
    import threading
    import time

    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(poll)
        os._exit(1)

    threading.Thread(target=watch, name="accord-parent-watch", daemon=True).start()


def make_executor(
    kind: str = "process", workers: int | None = None, address: str | None = None
) -> Executor:
    """An executor by kind (see the module docstring); `address` only for ``dask``."""
    if kind not in EXECUTORS:
        raise InputError(Problem(f"expected one of {list(EXECUTORS)}", ("executor",), kind))
    if workers is not None and workers < 1:
        raise InputError(Problem("expected at least one worker", ("workers",), workers))
    if address is not None and kind != "dask":
        raise InputError(Problem("an address needs --executor dask", ("address",), address))
    if address is not None and not address.startswith(("tcp://", "tls://", "inproc://", "ws")):
        raise InputError(Problem("expected tcp://HOST:PORT", ("address",), address))
    n = workers or os.cpu_count() or 1
    if kind == "serial":
        return SerialExecutor()
    if kind == "thread":
        ex: Executor = ThreadPoolExecutor(max_workers=n)
    elif kind == "process":
        ex = ProcessPoolExecutor(max_workers=n, initializer=die_with_parent)
    else:
        ex = DaskExecutor(address, workers)
    if not hasattr(ex, "workers"):
        ex.workers = n  # type: ignore[attr-defined]
    return ex
