"""Experiments at scale: Monte-Carlo over uncertain inputs, sensitivity, sweeps, run directories.

- `uncertain`: the uncertain numbers of a scenario, their distributions, perturbed copies;
- `montecarlo`: `monte_carlo(scenario, task, draws=…, plan=…, executor=…)` on any executor;
- `sensitivity`: one-at-a-time swings and Sobol' indices (SALib, optional);
- `executors`: `make_executor("process" | "thread" | "serial" | "dask", …)`;
- `rundir`: `RunDir` — manifest, atomic tables, resumable chunks;
- `sweep`: a Monte-Carlo sweep into a resumable run directory (`accord sweep`);
- `tasks`: what one run computes (forecast, status quo, zone, session, breakout).

A task is any picklable callable ``(scenario, rng) -> dict[str, float]``.
"""

from __future__ import annotations

from accord.experiments.executors import make_executor
from accord.experiments.montecarlo import MonteCarloResult, monte_carlo
from accord.experiments.rundir import RunDir
from accord.experiments.sensitivity import SensitivityResult, one_at_a_time, sobol_indices
from accord.experiments.tasks import (
    BreakoutTask,
    ForecastTask,
    SessionTask,
    StatusQuoTask,
    ZoneTask,
    make_task,
)
from accord.experiments.uncertain import Uncertain, perturb, uncertain_numbers

__all__ = [
    "BreakoutTask",
    "ForecastTask",
    "MonteCarloResult",
    "RunDir",
    "SensitivityResult",
    "SessionTask",
    "StatusQuoTask",
    "Uncertain",
    "ZoneTask",
    "make_executor",
    "make_task",
    "monte_carlo",
    "one_at_a_time",
    "perturb",
    "sobol_indices",
    "uncertain_numbers",
]
