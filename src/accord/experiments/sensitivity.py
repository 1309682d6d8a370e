"""Which uncertain number moves a metric most: one-at-a-time swings and Sobol' indices.

- `one_at_a_time` (always available): every uncertain number in turn is set to ``levels``
  quantiles of its distribution (by default 5 %, 27.5 %, 50 %, 72.5 %, 95 %) while all the others
  keep their estimated values; the *swing* of a metric is its range over those runs — the
  tornado diagram of decision analysis (Howard 1988, *Management Science* 34(6), §"Deterministic
  sensitivity"). Cheap (1 + d·levels runs) but blind to interactions.
- `sobol_indices`: first-order and total Sobol' indices (Sobol' 2001, *Math. Comput. Simul.*
  55, eqs. 8–9) with Saltelli's sampling scheme (Saltelli et al. 2010, *Comput. Phys. Commun.*
  181, Table 2; Jansen's total-effect estimator) through SALib, N·(d + 2) runs. SALib is an
  optional extra, imported only here: ``pip install accord[sensitivity]``.

Both run on any executor through `accord.experiments.montecarlo`, with run *i* seeded by
``SeedSequence(root, spawn_key=(i,))``; the designs live on the unit cube and go through each
number's inverse CDF, so the indices are those of the scenario's own distributions.
"""

from __future__ import annotations

import math
import warnings
from concurrent.futures import Executor
from dataclasses import dataclass
from typing import Any, TypedDict, Unpack

import numpy as np
import pandas as pd

from accord import seeding
from accord.errors import AccordError, InputError, LimitError, Problem
from accord.experiments.montecarlo import MAX_DRAWS, Progress, Spec, Task, run_rows
from accord.experiments.uncertain import Uncertain, uncertain_numbers
from accord.results import jsonable
from accord.scenario import Scenario

METHODS: tuple[str, ...] = ("oat", "sobol")
SOBOL_MEASURES = ("S1", "S1_conf", "ST", "ST_conf")


class Running(TypedDict, total=False):
    """How the runs are carried out, which changes no result: the `executor` (default: in this
    process), runs per `chunk`, and `progress(done, total)`."""

    executor: Executor | None
    chunk: int | None
    progress: Progress | None


@dataclass(frozen=True, eq=False)
class SensitivityResult:
    """A sensitivity table (one row per uncertain number and metric) and the runs behind it."""

    method: str
    table: pd.DataFrame
    runs: pd.DataFrame
    seed: int

    def to_frame(self) -> pd.DataFrame:
        """The tidy table: ``parameter``, ``metric`` and the method's measures."""
        return self.table

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready record."""
        return jsonable(
            {
                "method": self.method,
                "seed": self.seed,
                "runs": len(self.runs),
                "table": self.table.to_dict(orient="records"),
            }
        )


def _params(scenario: Scenario) -> tuple[Uncertain, ...]:
    params = tuple(uncertain_numbers(scenario))
    if not params:
        raise InputError(
            Problem("the scenario has no uncertain numbers (give an estimate a range or dist)")
        )
    return params


def _metrics(runs: pd.DataFrame, params: tuple[Uncertain, ...]) -> list[str]:
    names = {p.name for p in params}
    return [c for c in runs.columns if c != "run" and c not in names]


def one_at_a_time(
    scenario: Scenario,
    task: Task,
    *,
    levels: int = 5,
    seed: int = 0,
    **running: Unpack[Running],
) -> SensitivityResult:
    """Swing of every metric as each uncertain number sweeps its 5 %–95 % quantiles alone."""
    if not 2 <= levels <= 101:
        raise InputError(Problem("expected 2 to 101 levels", ("levels",), levels))
    params = _params(scenario)
    base = np.array([p.nominal for p in params])
    qs = np.linspace(0.05, 0.95, levels)
    rows = [base]
    for j, p in enumerate(params):
        for u in qs:
            r = base.copy()
            r[j] = float(p.ppf(u))
            rows.append(r)
    spec = Spec(scenario, task, params, seed)
    runs = run_rows(spec, np.array(rows), values=True, **running)
    out = []
    for m in _metrics(runs, params):
        y = runs[m].to_numpy(dtype=float)
        for j, p in enumerate(params):
            part = y[1 + j * levels : 1 + (j + 1) * levels]
            x = np.array(rows[1 + j * levels : 1 + (j + 1) * levels])[:, j]
            out.append(
                {
                    "metric": m,
                    "parameter": p.name,
                    "base": y[0],
                    "param_low": x[0],
                    "param_high": x[-1],
                    "at_low": part[0],
                    "at_high": part[-1],
                    "min": float(np.nanmin(part)),
                    "max": float(np.nanmax(part)),
                    "swing": float(np.nanmax(part) - np.nanmin(part)),
                }
            )
    table = pd.DataFrame(out)
    if len(table):
        table = table.sort_values(["metric", "swing"], ascending=[True, False], kind="stable")
    return SensitivityResult("oat", table.reset_index(drop=True), runs, seed)


def sobol_indices(
    scenario: Scenario,
    task: Task,
    *,
    n: int = 256,
    seed: int = 0,
    resamples: int = 100,
    **running: Unpack[Running],
) -> SensitivityResult:
    """First-order (S1) and total (ST) Sobol' indices with 95 % bootstrap half-widths.

    ``n`` is the base sample size (rounded up to a power of two); the task runs ``n·(d+2)``
    times for ``d`` uncertain numbers; `resamples` bootstrap resamples give the half-widths.
    """
    try:
        from SALib.analyze import sobol as sobol_analyze
        from SALib.sample import sobol as sobol_sample
    except ImportError:
        raise AccordError(
            "Sobol' indices need SALib: pip install accord[sensitivity] "
            "(or use the one-at-a-time method, --sensitivity oat)"
        ) from None
    if n < 2:
        raise InputError(Problem("expected a base sample of at least 2", ("n",), n))
    params = _params(scenario)
    d = len(params)
    n2 = 1 << math.ceil(math.log2(n))
    if n2 * (d + 2) > MAX_DRAWS:
        raise LimitError("Sobol' runs", n2 * (d + 2), MAX_DRAWS)
    problem = {"num_vars": d, "names": [p.name for p in params], "bounds": [[0.0, 1.0]] * d}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        design = sobol_sample.sample(problem, n2, calc_second_order=False, seed=seed)
    spec = Spec(scenario, task, params, seed)
    runs = run_rows(spec, np.asarray(design, dtype=float), values=False, **running)
    boot = _bootstrap_seed(seed)
    out: list[dict[str, Any]] = []
    for m in _metrics(runs, params):
        y = runs[m].to_numpy(dtype=float)
        if not np.all(np.isfinite(y)) or float(np.var(y)) == 0.0:
            si = {k: np.full(d, np.nan) for k in ("S1", "S1_conf", "ST", "ST_conf")}
        else:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                si = sobol_analyze.analyze(
                    problem, y, calc_second_order=False, num_resamples=resamples, seed=boot
                )
        out.extend(
            {"metric": m, "parameter": p.name, **{k: float(si[k][j]) for k in SOBOL_MEASURES}}
            for j, p in enumerate(params)
        )
    table = pd.DataFrame(out)
    if len(table):
        table = table.sort_values(["metric", "ST"], ascending=[True, False], kind="stable")
    return SensitivityResult("sobol", table.reset_index(drop=True), runs, seed)


def _bootstrap_seed(seed: int) -> int:
    """The seed of SALib's bootstrap, from the ``sobol-bootstrap`` stream of `seed`.

    SALib draws from NumPy's global generator when its seed is 0 (``if seed:``), which made the
    half-widths of seed 0 differ from run to run; a stream's first word is never passed as 0.
    """
    return int(seeding.stream(seed, "sobol-bootstrap").generate_state(1)[0]) or 1


def sensitivity(
    method: str, scenario: Scenario, task: Task, *, budget: int = 1000, **kwargs: Any
) -> SensitivityResult:
    """Run `method` (``oat`` or ``sobol``); for Sobol', ``budget`` runs fix the base size."""
    if method == "oat":
        return one_at_a_time(scenario, task, **kwargs)
    if method == "sobol":
        d = len(uncertain_numbers(scenario))
        return sobol_indices(scenario, task, n=max(16, budget // (d + 2)), **kwargs)
    raise InputError(Problem(f"expected one of {list(METHODS)}", ("sensitivity",), method))
