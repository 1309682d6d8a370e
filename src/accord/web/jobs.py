"""Background Monte-Carlo sweeps of the web app: a small bounded pool, progress, a report.

A sweep request is checked at once (task, model, draws, plan — the same checks as `accord
sweep`), recorded as a queued run in the store and handed to a thread pool of `workers`
threads. The sweep itself is `accord.experiments.sweep.sweep` writing a run directory under
``<data>/runs/<id>/``; its progress callback records ``done / total`` in the store (the page
polls it) and enforces the time limit, so a run over its limit stops at the next chunk with
status ``timeout``. At the end the run gets ``report.html``: the summary table and the
distribution figure of `accord.report`, rendered by `accord.report.html.render`.

Limits (refused with HTTP 429 when the queue is full, 422 when a request is over a limit):
`max_queue` runs waiting or running at once, `max_draws` draws per run and `time_limit`
seconds per run. Each run executes in a worker process (`accord.web.workers`) with the serial
executor, under a memory limit and a wall-time limit a little above `time_limit` (the run
stops itself at `time_limit` with status ``timeout``; a run that cannot is killed and marked
``failed`` with the limit named), so no run can take the server's memory or time.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import numpy as np

from accord.errors import AccordError, InputError, LimitError, Problem
from accord.results import jsonable
from accord.scenario import Scenario, scenario_digest
from accord.web.store import Store
from accord.web.workers import Pool

RUN_FILES = ("runs.csv", "summary.csv", "manifest.json", "uncertain.json", "report.html")
TASK_NAMES = ("forecast", "status-quo", "zone", "session")


class QueueFull(AccordError):
    """Too many runs are waiting; the API answers 429."""


class TimeLimit(AccordError):
    """A run went over its time limit."""


@dataclass(frozen=True)
class JobLimits:
    """Bounds on background work."""

    workers: int = 1
    max_queue: int = 4
    max_draws: int = 5000
    time_limit: float = 300.0


class Jobs:
    """The pool that runs sweeps in the background and records them in the store."""

    def __init__(
        self, store: Store, limits: JobLimits | None = None, pool: Pool | None = None
    ) -> None:
        self.store = store
        self.limits = limits or JobLimits()
        self.pool = pool
        self._pool = ThreadPoolExecutor(
            max_workers=self.limits.workers, thread_name_prefix="accord-run"
        )
        self._active = 0
        self._lock = threading.Lock()

    def shutdown(self) -> None:
        """Stop taking runs; waits for none (runs still going are marked when they end)."""
        self._pool.shutdown(wait=False, cancel_futures=True)

    @property
    def active(self) -> int:
        """Runs waiting or running now."""
        return self._active

    def check(self, task: str, model: str | None, draws: int, plan: str, seed: int) -> Any:
        """The task object for a request, or the problems with it (nothing is started)."""
        from accord.experiments.montecarlo import check_request
        from accord.experiments.tasks import make_task

        if task not in TASK_NAMES:
            raise InputError(Problem(f"expected one of {', '.join(TASK_NAMES)}", ("task",), task))
        if draws > self.limits.max_draws:
            raise LimitError(
                "draws per run in the web app",
                draws,
                self.limits.max_draws,
                "use `accord sweep` for larger runs",
            )
        check_request(draws, None, plan)
        if not 0 <= seed < 2**63:
            raise InputError(Problem("expected a seed in [0, 2**63)", ("seed",), seed))
        if task == "forecast":
            from accord.forecast import MODELS

            if model is None or model not in MODELS:
                raise InputError(
                    Problem(f"name a model; known: {', '.join(MODELS.names())}", ("model",), model)
                )
            return make_task("forecast", model=model)
        return make_task(task)

    def submit(
        self,
        scenario_id: str,
        s: Scenario,
        task: str,
        model: str | None,
        draws: int,
        plan: str = "random",
        seed: int = 0,
    ) -> str:
        """Queue a sweep; returns the run id. `QueueFull` when `max_queue` runs are waiting."""
        the_task = self.check(task, model, draws, plan, seed)
        with self._lock:
            if self._active >= self.limits.max_queue:
                raise QueueFull(
                    f"{self._active} runs are queued or running (the limit is "
                    f"{self.limits.max_queue}); try again when one has finished"
                )
            self._active += 1
        args = {
            "scenario": scenario_id,
            "title": s.meta.title,
            "task": task,
            "model": model,
            "draws": draws,
            "plan": plan,
            "seed": seed,
        }
        try:
            rid = self.store.add_run(scenario_id, args, draws)
            self._pool.submit(self._run, rid, s, the_task, args)
        except BaseException:
            with self._lock:
                self._active -= 1
            raise
        return rid

    def _run(self, rid: str, s: Scenario, task: Any, args: dict[str, Any]) -> None:
        """Run the sweep in a worker process (or here, without a pool) and record its end.

        The run leaves the queue before its final status is written, so whoever sees the run
        finished can start the next one at once.
        """
        final: dict[str, Any] = {"status": "failed", "message": "the run stopped"}
        try:
            if self.pool is None:
                final = run_sweep(self.store, rid, s, task, args, self.limits.time_limit)
            else:
                final = self.pool.run(
                    "sweep", str(self.store.root), rid, s, task, args, self.limits.time_limit,
                    what="the run",
                )  # fmt: skip
        except AccordError as e:  # killed over a limit, or its problems
            final = {"status": "failed", "message": str(e)}
        finally:
            with self._lock:
                self._active -= 1
            self.store.update_run(rid, **final)


def run_sweep(
    store: Store, rid: str, s: Scenario, task: Any, args: dict[str, Any], time_limit: float
) -> dict[str, Any]:
    """Run sweep `rid`, recording its progress in `store`; returns its final fields (status,
    message, and summary when complete) for the caller to record."""
    from accord.experiments.sweep import sweep

    started = time.monotonic()
    last = [0.0]

    def progress(done: int, total: int) -> None:
        if time.monotonic() - started > time_limit:
            raise TimeLimit(f"the run went over its time limit of {time_limit:g} s")
        if time.monotonic() - last[0] > 0.2 or done >= total:
            last[0] = time.monotonic()
            store.update_run(rid, done=done, total=total)

    try:
        store.update_run(rid, status="running")
        draws = int(args["draws"])
        outcome = sweep(
            s,
            task,
            store.run_dir(rid),
            arguments=args,
            draws=draws,
            seed=int(args["seed"]),
            plan=str(args["plan"]),
            chunk=max(1, draws // 20),
            progress=progress,
        )
        summary = outcome.result.to_dict()
        _write_report(s, outcome, rid, args)
        return {"status": "complete", "done": draws, "summary": summary, "message": f"{draws} runs"}
    except TimeLimit as e:
        return {"status": "timeout", "message": str(e)}
    except AccordError as e:
        return {"status": "failed", "message": str(e)}
    except Exception as e:  # a bug in an engine must not take the server down
        return {"status": "failed", "message": f"{type(e).__name__}: {e}"}


def _write_report(s: Scenario, outcome: Any, rid: str, args: dict[str, Any]) -> None:
    """``report.html`` of a finished sweep: what was varied, the summary, the distributions."""
    from accord import __version__
    from accord.report.figures import distributions
    from accord.report.html import Section, Table, render

    r = outcome.result
    summary = r.summary()
    figures = []
    prefix = "forecast." if args["task"] == "forecast" else "status_quo."
    cols = [f"{prefix}{i.id}" for i in s.issues if f"{prefix}{i.id}" in r.runs.columns]
    if cols:
        labels = [i.label for i in s.issues if f"{prefix}{i.id}" in r.runs.columns]
        units = [i.unit or "" for i in s.issues if f"{prefix}{i.id}" in r.runs.columns]
        draws = np.asarray(r.runs[cols].to_numpy(dtype=float))
        figures.append(
            distributions(labels, {str(args.get("model") or args["task"]): draws}, units)
        )
    varied = ", ".join(p.name for p in r.params) or "none"
    section = Section(
        "sweep",
        "Monte-Carlo sweep",
        paragraphs=[
            f"{r.draws:,} runs of the {args['task']} task"
            + (f" (model {args['model']})" if args.get("model") else "")
            + f", {r.plan} plan, seed {r.seed}. Uncertain numbers varied: {varied}."
        ],
        figures=figures,
        tables=[Table("Distribution of every metric", summary)],
    )
    page = render(
        s,
        [section],
        answers=[],
        subtitle=f"web run {rid}",
        version=__version__,
        digest=scenario_digest(s),
        seed=int(args["seed"]),
        created=dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
    )
    outcome.run.write_text("report.html", page)


def run_view(row: dict[str, Any]) -> dict[str, Any]:
    """A stored run as the API returns it, with the files that can be downloaded."""
    out = dict(row)
    out["files"] = [f for f in RUN_FILES if row["status"] == "complete"]
    return jsonable(out)
