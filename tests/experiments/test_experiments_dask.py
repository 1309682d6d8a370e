"""A real local Dask cluster on 127.0.0.1 gives the same bytes as the process pool and serial."""

from __future__ import annotations

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
