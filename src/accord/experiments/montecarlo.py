"""Monte-Carlo over the uncertain numbers of a scenario, on any `concurrent.futures.Executor`.

A *task* is a picklable callable ``task(scenario, rng) -> dict[str, float]`` that returns the
metrics of one run (see `accord.experiments.tasks`). `monte_carlo` draws the uncertain numbers
of the scenario (`accord.experiments.uncertain`) under a sampling plan, builds the perturbed
scenario of every run and calls the task on it:

- ``random``: run *i* draws its unit vector, then hands the same generator to the task, from
  ``SeedSequence(root, spawn_key=(i,))`` (`accord.seeding.run_rng`);
- ``lhs``: a Latin hypercube (McKay, Beckman & Conover 1979, §2), and ``sobol``: a scrambled
  Sobol' sequence (Sobol' 1967; Owen 1998 scrambling), both from ``scipy.stats.qmc``. The whole
  design is generated once from the root seed and row *i* is used by run *i*; the task of run
  *i* still gets ``run_rng(root, i)``.

So a result never depends on the executor, the number of workers or the chunk size: the runs
are cut into chunks of consecutive runs, each chunk is one submission, and the chunks are put
back in run order. The scenario and the task travel pickled once as bytes with every chunk;
a worker unpickles them once and keeps them (keyed by their digest) for the next chunks.

Results are distributions (`MonteCarloResult.summary`): mean, sd, quantiles and a central 90 %
interval of every metric; for a 0/1 metric also the probability of a 1 with a 95 % Wilson score
interval (Wilson 1927, *JASA* 22(158), eq. on p. 210).
"""

from __future__ import annotations

import hashlib
import math
import pickle
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Executor, Future, wait
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol, overload

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from accord.errors import InputError, LimitError, Problem
from accord.experiments.uncertain import Uncertain, perturb, uncertain_numbers
from accord.results import NotebookView, jsonable
from accord.scenario import Compiled, Scenario, compile
from accord.seeding import make_rng, run_rng

Plan = Literal["random", "lhs", "sobol"]
PLANS: tuple[str, ...] = ("random", "lhs", "sobol")
MAX_DRAWS = 10_000_000
QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)

Progress = Callable[[int, int], None]


class Task(Protocol):
    """One run of an experiment: the metrics of a (perturbed) scenario."""

    def __call__(self, scenario: Scenario, rng: np.random.Generator) -> Mapping[str, float]: ...


@dataclass(frozen=True)
class Spec:
    """What every chunk of an experiment shares: the scenario, the task, the numbers varied."""

    scenario: Scenario
    task: Task
    params: tuple[Uncertain, ...]
    seed: int

    def pickled(self) -> tuple[str, bytes]:
        """The spec as (digest, pickle bytes), sent once per chunk and unpickled once per worker."""
        data = pickle.dumps(self, protocol=pickle.HIGHEST_PROTOCOL)
        return hashlib.sha256(data).hexdigest(), data


@dataclass(frozen=True)
class Chunk:
    """Runs ``start`` … ``stop - 1``; ``rows`` holds their unit draws (QMC) or values (fixed)."""

    index: int
    start: int
    stop: int
    rows: NDArray[np.float64] | None = None
    rows_are_values: bool = False


_WORKER_SPECS: dict[str, Spec] = {}


def run_chunk(key: str, data: bytes, chunk: Chunk) -> pd.DataFrame:
    """Run one chunk (in a worker): a table with ``run``, the values drawn and the metrics."""
    spec = _WORKER_SPECS.get(key)
    if spec is None:
        spec = pickle.loads(data)
        if len(_WORKER_SPECS) > 8:
            _WORKER_SPECS.clear()
        _WORKER_SPECS[key] = spec
    return evaluate(spec, chunk)


_BATCH = 2048
"""Draws computed together by a batch kernel (bounds the memory of BDM's (B·K, n, n, n) votes)."""

_COMPILED: dict[int, tuple[Spec, Compiled]] = {}


def evaluate(spec: Spec, chunk: Chunk) -> pd.DataFrame:
    """The runs of `chunk` under `spec`, as a table in run order.

    A task with a ``batch(compiled, params, values, rngs)`` method that answers (a forecast
    model with a batch kernel, `accord.forecast.models.batched`; the main job's task,
    `accord.experiments.tasks.JobTask`) computes the chunk in batches of arrays; any other task
    runs once per draw on the perturbed scenario. Run *i* gets ``run_rng(seed, i)`` either way.
    """
    d = len(spec.params)
    n = chunk.stop - chunk.start
    rngs = RunGenerators(spec.seed, chunk.start, chunk.stop)
    rows = chunk.rows
    if rows is None:
        rows = np.array([rngs[r].random(d) for r in range(n)]).reshape(n, d)
    if chunk.rows_are_values:
        values = np.array(rows, dtype=float)
    else:
        values = np.empty((n, d))
        for j, p in enumerate(spec.params):
            values[:, j] = p.ppf(rows[:, j])
    batched = _batched(spec, values, rngs)
    if batched is not None:
        names, m = batched
    else:
        names, m = _per_draw(spec, chunk, values, rngs)
    cols: dict[str, Any] = {"run": np.arange(chunk.start, chunk.stop, dtype=np.int64)}
    for j, p in enumerate(spec.params):
        cols[p.name] = values[:, j]
    for k, name in enumerate(names):
        cols[name] = m[:, k]
    return pd.DataFrame(cols)


class RunGenerators(Sequence[np.random.Generator]):
    """The generators of runs ``start`` … ``stop − 1`` (`accord.seeding.run_rng`), each made
    on first use and then kept, so the draws of a random plan and the task share one stream
    per run, and a batch that needs no generator makes none. A slice is a view that shares
    the generators made."""

    def __init__(
        self, seed: int, start: int, stop: int, made: dict[int, np.random.Generator] | None = None
    ) -> None:
        self.seed, self.start, self.stop = seed, start, stop
        self._made = {} if made is None else made

    def __len__(self) -> int:
        return self.stop - self.start

    @overload
    def __getitem__(self, r: int) -> np.random.Generator: ...

    @overload
    def __getitem__(self, r: slice) -> RunGenerators: ...

    def __getitem__(self, r: int | slice) -> np.random.Generator | RunGenerators:
        if isinstance(r, slice):
            lo, hi, step = r.indices(len(self))
            if step != 1:
                raise ValueError("only contiguous runs")
            return RunGenerators(self.seed, self.start + lo, self.start + max(lo, hi), self._made)
        if not -len(self) <= r < len(self):
            raise IndexError(r)
        i = self.start + r % len(self)
        if i not in self._made:
            self._made[i] = run_rng(self.seed, i)
        return self._made[i]


def _per_draw(
    spec: Spec, chunk: Chunk, values: NDArray[np.float64], rngs: Sequence[np.random.Generator]
) -> tuple[list[str], NDArray[np.float64]]:
    """The metrics of each run, one perturbed scenario at a time: (names, (n, metrics))."""
    names: list[str] | None = None
    metrics: list[list[float]] = []
    for r, i in enumerate(range(chunk.start, chunk.stop)):
        out = spec.task(perturb(spec.scenario, spec.params, values[r]), rngs[r])
        if names is None:
            names = list(out)
        elif list(out) != names:
            raise InputError(
                Problem(
                    f"the task returned metrics {list(out)} at run {i}, "
                    f"but {names} at run {chunk.start}"
                )
            )
        metrics.append([float(out[m]) for m in names])
    names = names or []
    return names, np.array(metrics, dtype=float).reshape(len(values), len(names))


def _batched(
    spec: Spec, values: NDArray[np.float64], rngs: RunGenerators
) -> tuple[list[str], NDArray[np.float64]] | None:
    """The metrics of every run from the task's batch method, or None when it has none."""
    method = getattr(spec.task, "batch", None)
    if method is None:
        return None
    c = _compiled(spec)
    parts: list[Mapping[str, NDArray[np.float64]]] = []
    for lo in range(0, max(len(values), 1), _BATCH):
        out = method(c, spec.params, values[lo : lo + _BATCH], rngs[lo : lo + _BATCH])
        if out is None:
            return None
        parts.append(out)
    names = list(parts[0])
    m = np.column_stack([np.concatenate([p[k] for p in parts]) for k in names])
    return names, m.reshape(len(values), len(names))


def _compiled(spec: Spec) -> Compiled:
    """The compiled scenario of `spec`, compiled once per process."""
    hit = _COMPILED.get(id(spec))
    if hit is not None and hit[0] is spec:
        return hit[1]
    if len(_COMPILED) > 8:
        _COMPILED.clear()
    c = compile(spec.scenario)
    _COMPILED[id(spec)] = (spec, c)
    return c


def design(plan: str, n: int, d: int, seed: int) -> NDArray[np.float64] | None:
    """The (n, d) unit design of a QMC plan from the root seed; None for plain random draws."""
    if plan == "random":
        return None
    if plan not in PLANS:
        raise InputError(Problem(f"expected one of {list(PLANS)}", ("plan",), plan))
    if d == 0:
        return np.zeros((n, 0))
    from scipy.stats import qmc

    kind = qmc.LatinHypercube if plan == "lhs" else qmc.Sobol
    rng = make_rng(seed)
    try:
        engine = kind(d=d, rng=rng)
    except TypeError:  # SciPy < 1.15 names the generator `seed`
        engine = kind(d=d, seed=rng)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # Sobol balance needs n = 2^m; any n works
        return np.asarray(engine.random(n), dtype=float)


def chunks(
    n: int, size: int, rows: NDArray[np.float64] | None = None, values: bool = False
) -> list[Chunk]:
    """Runs 0 … n-1 cut into chunks of `size` consecutive runs."""
    out = []
    for k, start in enumerate(range(0, n, size)):
        stop = min(start + size, n)
        part = None if rows is None else np.ascontiguousarray(rows[start:stop])
        out.append(Chunk(k, start, stop, part, values))
    return out


def default_chunk(n: int, workers: int) -> int:
    """A chunk size giving each worker about eight chunks, between 1 and 500 runs."""
    return max(1, min(500, math.ceil(n / max(1, 8 * workers))))


def execute(
    spec: Spec,
    todo: Sequence[Chunk],
    executor: Executor | None = None,
    *,
    progress: Progress | None = None,
    on_chunk: Callable[[Chunk, pd.DataFrame], None] | None = None,
    total: int | None = None,
    done: int = 0,
) -> dict[int, pd.DataFrame]:
    """Run `todo` on `executor` (serially when None), a bounded number of chunks in flight.

    ``on_chunk`` is called in the calling thread as each chunk finishes (a run directory writes
    it then); ``progress(done, total)`` counts runs. Unfinished chunks are cancelled when an
    exception (Ctrl-C included) leaves this function.
    """
    results: dict[int, pd.DataFrame] = {}
    total = total if total is not None else sum(c.stop - c.start for c in todo)
    if progress:
        progress(done, total)

    def finish(c: Chunk, frame: pd.DataFrame) -> None:
        nonlocal done
        results[c.index] = frame
        if on_chunk:
            on_chunk(c, frame)
        done += c.stop - c.start
        if progress:
            progress(done, total)

    if executor is None:
        for c in todo:
            finish(c, evaluate(spec, c))
        return results

    key, data = spec.pickled()
    window = max(4, 2 * _workers(executor))
    queue: Iterator[Chunk] = iter(todo)
    pending: dict[Future[pd.DataFrame], Chunk] = {}
    try:
        for c in _take(queue, window):
            pending[executor.submit(run_chunk, key, data, c)] = c
        while pending:
            finished, _ = wait(pending, return_when=FIRST_COMPLETED)
            for fut in sorted(finished, key=lambda f: pending[f].index):
                c = pending.pop(fut)
                finish(c, fut.result())
                for nxt in _take(queue, 1):
                    pending[executor.submit(run_chunk, key, data, nxt)] = nxt
    finally:
        for fut in pending:
            fut.cancel()
    return results


def _take(it: Iterator[Chunk], k: int) -> list[Chunk]:
    out = []
    for c in it:
        out.append(c)
        if len(out) == k:
            break
    return out


def _workers(executor: Executor) -> int:
    n = getattr(executor, "workers", None) or getattr(executor, "_max_workers", None)
    return int(n) if n else 2


@dataclass(frozen=True, eq=False)
class MonteCarloResult(NotebookView):
    """The runs of a Monte-Carlo experiment and the distributions of their metrics.

    ``runs`` has one row per run: ``run``, the value drawn for each uncertain number (named as
    in `uncertain_numbers`) and each metric.
    """

    runs: pd.DataFrame
    params: tuple[Uncertain, ...]
    metrics: tuple[str, ...]
    seed: int
    plan: str
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def draws(self) -> int:
        """Number of runs."""
        return len(self.runs)

    def summary(self) -> pd.DataFrame:
        """One row per metric: mean, sd, quantiles, 90 % interval; probability if 0/1."""
        return summarize(self.runs, self.metrics)

    def to_frame(self) -> pd.DataFrame:
        """Tidy table: one row per metric with its distribution (`summary`)."""
        return self.summary()

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready record: plan, seed, draws, the numbers varied and the metric summaries."""
        rows = self.summary().to_dict(orient="records")
        return jsonable(
            {
                "plan": self.plan,
                "seed": self.seed,
                "draws": self.draws,
                "uncertain": [p.to_dict() for p in self.params],
                "metrics": {r.pop("metric"): r for r in rows},
                **self.extra,
            }
        )


def summarize(runs: pd.DataFrame, metrics: Iterable[str]) -> pd.DataFrame:
    """The distribution of each metric column of `runs` (NaN runs are left out and counted)."""
    rows = []
    for m in metrics:
        x = runs[m].to_numpy(dtype=float)
        ok = x[np.isfinite(x)]
        n = len(ok)
        binary = n > 0 and bool(np.all((ok == 0) | (ok == 1)))
        row: dict[str, Any] = {"metric": m, "n": n, "missing": len(x) - n, "binary": binary}
        if n:
            q = np.quantile(ok, QUANTILES)
            sd = float(ok.std(ddof=1)) if n > 1 else 0.0
            row |= {
                "mean": float(ok.mean()),
                "sd": sd,
                "se": sd / math.sqrt(n),
                "min": float(ok.min()),
            }
            row |= {f"p{round(100 * p):02d}": float(v) for p, v in zip(QUANTILES, q, strict=True)}
            row |= {"max": float(ok.max()), "low90": float(q[0]), "high90": float(q[-1])}
        if binary:
            p, lo, hi = wilson(int(ok.sum()), n)
            row |= {"probability": p, "prob_low95": lo, "prob_high95": hi}
        rows.append(row)
    return pd.DataFrame(rows)


def wilson(k: int, n: int, z: float = 1.959963984540054) -> tuple[float, float, float]:
    """Share k/n with its Wilson score interval (Wilson 1927)."""
    if n == 0:
        return math.nan, math.nan, math.nan
    p = k / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return p, max(0.0, centre - half), min(1.0, centre + half)


def check_request(draws: int, chunk: int | None = None, plan: str = "random") -> None:
    """Refuse a bad number of draws, chunk size or plan before anything runs or is written."""
    if draws < 1:
        raise InputError(Problem("expected at least one draw", ("draws",), draws))
    if draws > MAX_DRAWS:
        raise LimitError("Monte-Carlo draws", draws, MAX_DRAWS)
    if chunk is not None and chunk < 1:
        raise InputError(Problem("expected a chunk size of at least 1", ("chunk",), chunk))
    if plan not in PLANS:
        raise InputError(Problem(f"expected one of {list(PLANS)}", ("plan",), plan))


def monte_carlo(
    scenario: Scenario,
    task: Task,
    *,
    draws: int,
    seed: int = 0,
    plan: str = "random",
    executor: Executor | None = None,
    chunk: int | None = None,
    progress: Progress | None = None,
    finished: Mapping[int, pd.DataFrame] | None = None,
    on_chunk: Callable[[Chunk, pd.DataFrame], None] | None = None,
) -> MonteCarloResult:
    """Run `task` on `draws` perturbed copies of `scenario` (see the module docstring).

    ``finished`` maps chunk indices to tables already computed (a resumed run directory); only
    the other chunks run. ``executor`` None runs in this process.
    """
    check_request(draws, chunk, plan)
    params = tuple(uncertain_numbers(scenario))
    spec = Spec(scenario, task, params, seed)
    size = chunk or default_chunk(draws, _workers(executor) if executor else 1)
    every = chunks(draws, size, design(plan, draws, len(params), seed))
    finished = dict(finished or {})
    todo = [c for c in every if c.index not in finished]
    done = sum(c.stop - c.start for c in every if c.index in finished)
    fresh = execute(
        spec, todo, executor, progress=progress, on_chunk=on_chunk, total=draws, done=done
    )
    frames = [finished[c.index] if c.index in finished else fresh[c.index] for c in every]
    runs = pd.concat(frames, ignore_index=True)
    metrics = tuple(c for c in runs.columns if c != "run" and c not in {p.name for p in params})
    return MonteCarloResult(runs, params, metrics, seed, plan)


def run_rows(
    spec: Spec,
    rows: NDArray[np.float64],
    *,
    values: bool,
    executor: Executor | None = None,
    chunk: int | None = None,
    progress: Progress | None = None,
) -> pd.DataFrame:
    """Run one task per row of a fixed design: unit draws (``values`` False) or values."""
    n = len(rows)
    if n == 0:
        raise InputError(Problem("the design has no runs"))
    size = chunk or default_chunk(n, _workers(executor) if executor else 1)
    todo = chunks(n, size, rows, values)
    frames = execute(spec, todo, executor, progress=progress, total=n)
    return pd.concat([frames[c.index] for c in todo], ignore_index=True)
