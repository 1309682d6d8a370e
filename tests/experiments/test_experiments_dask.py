"""A real local Dask cluster on 127.0.0.1 gives the same bytes as the process pool and serial."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from accord.experiments.executors import make_executor
from accord.experiments.montecarlo import monte_carlo
from accord.experiments.rundir import csv_text
from accord.experiments.tasks import JobTask, StatusQuoTask
from accord.scenario import Scenario

distributed = pytest.importorskip("distributed")


@pytest.mark.slow
@pytest.mark.parametrize(
    "task", [StatusQuoTask(), JobTask(("compromise", "bdm"), resolution=5)], ids=["sq", "job"]
)
def test_dask_cluster_matches_process_pool_and_serial(almaty: Scenario, task: object) -> None:
    serial = csv_text(monte_carlo(almaty, task, draws=40, seed=9, plan="sobol", chunk=6).runs)
    with make_executor("process", workers=2) as ex:
        pool = monte_carlo(almaty, task, draws=40, seed=9, plan="sobol", chunk=5, executor=ex)
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None
    )
    try:
        address = cluster.scheduler_address
        assert address.startswith("tcp://127.0.0.1:")
        with make_executor("dask", address=address) as ex:
            assert ex.workers == 2  # type: ignore[attr-defined]
            dask = monte_carlo(almaty, task, draws=40, seed=9, plan="sobol", chunk=7, executor=ex)
    finally:
        cluster.close()
    assert csv_text(pool.runs) == serial
    assert csv_text(dask.runs) == serial


def test_unreachable_scheduler_is_a_clear_error() -> None:
    from accord.errors import AccordError
    from accord.experiments.executors import DaskExecutor

    with pytest.raises(AccordError, match="cannot reach the Dask scheduler"):
        DaskExecutor("tcp://127.0.0.1:9", timeout=1)


WATCHED_CLUSTER = textwrap.dedent(
    """
    import os, sys, time
    from accord.experiments.executors import make_executor

    ex = make_executor("dask", workers=2)
    workers = sorted(ex.client.run(os.getpid).values())
    child = os.fork()  # holds a copy of every descriptor, as a fork-based pool would
    if child == 0:
        time.sleep(60)
        os._exit(0)
    print(" ".join(map(str, [child, *workers])), flush=True)
    time.sleep(60)
    """
)


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals and fork")
def test_local_cluster_workers_die_with_their_parent() -> None:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    parent = subprocess.Popen(
        [sys.executable, "-c", WATCHED_CLUSTER], stdout=subprocess.PIPE, text=True, env=env
    )
    child = 0
    try:
        assert parent.stdout is not None
        child, *workers = (int(p) for p in parent.stdout.readline().split())
        assert len(workers) == 2 and all(_alive(p) for p in workers)
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait(timeout=10)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and any(_alive(p) for p in workers):
            time.sleep(0.1)
        assert not any(_alive(p) for p in workers)
        assert _alive(child)  # the forked child outlived the parent: the workers did not wait
    finally:
        if parent.poll() is None:
            parent.kill()
        if child and _alive(child):
            os.kill(child, signal.SIGKILL)


def test_the_parent_watch_starts_in_each_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    from accord.experiments import dask_watch

    started: list[bool] = []
    monkeypatch.setattr(dask_watch, "die_with_parent", lambda: started.append(True))
    plugin = dask_watch.ParentWatch()
    assert isinstance(plugin, distributed.WorkerPlugin)
    plugin.setup(worker=None)
    assert started == [True]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie (dead, not yet reaped) counts as dead
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split()[2] != "Z"
    except OSError:
        return True
