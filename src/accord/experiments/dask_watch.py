"""The parent watch for the workers of a local Dask cluster (imported only when Dask is used).

A `LocalCluster` runs its nannies inside accord's process and spawns one worker process per
nanny. Dask ends such a worker when a pipe from its parent closes, but that pipe stays open
while *any* process holds a copy of its write end: a child forked by the parent after the
cluster started (a fork-based process pool, a helper forked by the user) keeps every Dask worker
running after the parent is killed with ``kill -9``, for as long as that child lives. So each
local worker also runs `accord.experiments.executors.die_with_parent`, which watches the parent
process itself and ends the worker within half a second of its death, as the process pool's
workers do.
"""

from __future__ import annotations

from typing import Any

from distributed.diagnostics.plugin import WorkerPlugin

from accord.experiments.executors import die_with_parent


class ParentWatch(WorkerPlugin):
    """Worker plugin: the worker exits as soon as the process that started it is gone."""

    name = "accord-parent-watch"

    def setup(self, worker: Any) -> None:
        """Start the watch in the worker's process (its parent is the cluster's owner)."""
        die_with_parent()
