"""The main job behind `accord run`: every engine on one scenario, composed into one answer.

`run_job` answers, for any scenario, the five questions of the mission with numbers:

1. *why did the talks stall?* — the agreement zone of the seated parties and how far apart
   they are (`accord.analysis.analyze`), and who refuses each tabled proposal;
2. *which package could close the gap?* — the Nash point and the least-concession packages;
3. *how does the gap move with time?* — the clocks (`accord.clocks.timeline`): each seat's
   no-deal utility month by month, who gains from delay, breakout months now and later;
4. *where will bargaining end?* — every forecast model (`accord.forecast.MODELS`) and one
   simulated session with the strategies the scenario names (`accord.bargain.talks`);
5. *how sure are we?* — Monte-Carlo over every uncertain input the scenario declares
   (`accord.experiments.monte_carlo`): intervals of every forecast and the probability that
   an agreement zone exists.

The job is pure: it returns a `JobResult`; `accord.report` renders it and the CLI writes the
run directory. Each stage reports progress through an optional callback ``progress(stage)``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from accord.analysis import Analysis, analyze
from accord.bargain.talks import Talks, negotiate
from accord.clocks import ClockTimeline, breakout_months, has_breakout_metric, timeline
from accord.clocks.breakout_metric import proposal_units
from accord.errors import AccordError
from accord.experiments.montecarlo import MonteCarloResult, monte_carlo
from accord.experiments.uncertain import uncertain_numbers
from accord.forecast import MODELS, Forecast
from accord.scenario import Compiled, Scenario, compile
from accord.space import DEFAULT_RESOLUTION

DEFAULT_MODELS = ("compromise", "median", "nash", "bdm", "exchange", "ktab")
MC_MODELS = ("compromise", "median", "bdm")

StageProgress = Callable[[str], None]


@dataclass(frozen=True)
class JobOptions:
    """What `accord run` computes; every field has a CLI flag."""

    models: tuple[str, ...] = DEFAULT_MODELS
    mc_models: tuple[str, ...] = MC_MODELS
    draws: int = 200
    plan: str = "lhs"
    months: int = 12
    rounds: int = 40
    resolution: int | None = None
    seed: int = 0


@dataclass(frozen=True)
class JobTask:
    """One Monte-Carlo run of the main job: forecasts of several models and zone existence."""

    models: tuple[str, ...]
    resolution: int | None = None

    def __call__(self, scenario: Scenario, rng: np.random.Generator) -> dict[str, float]:
        """``<model>.<issue>`` forecasts and ``zone_exists`` (0/1) for one perturbed scenario."""
        c = compile(scenario)
        out: dict[str, float] = {}
        for name in self.models:
            f = MODELS.create(name).forecast(c, seed=rng)
            for i, v in zip(f.issue_ids, f.point, strict=True):
                out[f"{name}.{i}"] = float(v)
        a = analyze(
            c,
            resolution=self.resolution or DEFAULT_RESOLUTION,
            n_packages=1,
            offers={},
            explain=False,
        )
        out["zone_exists"] = float(not a.zone_empty)
        return out


@dataclass(frozen=True, eq=False)
class JobResult:
    """Everything `accord run` computed, ready to print, tabulate and report."""

    scenario: Scenario
    compiled: Compiled
    options: JobOptions
    analysis: Analysis
    forecasts: dict[str, Forecast]
    talks: Talks | None
    clock: ClockTimeline | None
    breakout: dict[str, float | None]
    montecarlo: MonteCarloResult | None
    notes: tuple[str, ...] = field(default_factory=tuple)

    def intervals(self, level: float = 0.9) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        """Central Monte-Carlo intervals of each model's forecast, per issue (issue units)."""
        if self.montecarlo is None:
            return {}
        runs = self.montecarlo.runs
        lo_q, hi_q = (1 - level) / 2, 1 - (1 - level) / 2
        out = {}
        for name in self.options.mc_models:
            cols = [f"{name}.{i}" for i in self.compiled.issue_ids]
            if all(col in runs for col in cols):
                v = runs[cols].to_numpy(dtype=float)
                out[name] = (np.quantile(v, lo_q, axis=0), np.quantile(v, hi_q, axis=0))
        return out

    def draws(self) -> dict[str, np.ndarray]:
        """Each Monte-Carlo model's forecasts over the draws, (draws, K) in issue units."""
        if self.montecarlo is None:
            return {}
        runs = self.montecarlo.runs
        out = {}
        for name in self.options.mc_models:
            cols = [f"{name}.{i}" for i in self.compiled.issue_ids]
            if all(col in runs for col in cols):
                out[name] = runs[cols].to_numpy(dtype=float)
        return out

    @property
    def zone_probability(self) -> float | None:
        """Share of Monte-Carlo draws in which an agreement zone exists."""
        if self.montecarlo is None or "zone_exists" not in self.montecarlo.runs:
            return None
        return float(self.montecarlo.runs["zone_exists"].mean())

    def forecast_frame(self) -> pd.DataFrame:
        """One row per model and issue: the forecast, shown value and interval."""
        iv = self.intervals()
        rows = []
        for name, f in self.forecasts.items():
            for k, issue in enumerate(self.scenario.issues):
                row: dict[str, Any] = {
                    "model": name,
                    "issue": issue.id,
                    "forecast": float(f.point[k]),
                    "shown": issue.show(float(f.point[k])),
                    "rounds": f.rounds,
                    "stop": f.stop,
                }
                if name in iv:
                    row["low_90"] = float(iv[name][0][k])
                    row["high_90"] = float(iv[name][1][k])
                rows.append(row)
        return pd.DataFrame(rows)

    def breakout_frame(self) -> pd.DataFrame:
        """Breakout months of the status quo (now, later) and of every proposal."""
        return pd.DataFrame(
            [{"package": k, "breakout_months": v} for k, v in self.breakout.items()]
        )


def run_job(
    scenario: Scenario,
    options: JobOptions | None = None,
    *,
    executor: Executor | None = None,
    progress: StageProgress | None = None,
    on_stage: Callable[[str, Any], None] | None = None,
) -> JobResult:
    """Run every engine on `scenario` (see the module docstring).

    ``on_stage(name, result)`` is called as each stage finishes, so a caller can save what is
    done before the next stage starts (an interrupted run keeps its finished stages).
    """
    o = options or JobOptions()
    c = compile(scenario)
    notes: list[str] = []

    def stage(name: str, result: Any) -> Any:
        if on_stage is not None:
            on_stage(name, result)
        return result

    def tell(name: str) -> None:
        if progress is not None:
            progress(name)

    tell("analysis")
    analysis = stage("analysis", analyze(c, resolution=o.resolution or DEFAULT_RESOLUTION))

    tell("forecasts")
    forecasts: dict[str, Forecast] = {}
    for name in o.models:
        if name not in MODELS:
            notes.append(f"model {name} is not registered; skipped")
            continue
        forecasts[name] = MODELS.create(name).forecast(c, seed=o.seed)
    stage("forecasts", forecasts)

    tell("negotiation")
    talks: Talks | None = None
    if c.seats.n >= 2:
        talks = stage("negotiation", negotiate(c, rounds=o.rounds, seed=o.seed))
    else:
        notes.append("one seat at the table: no negotiation to simulate")

    tell("clocks")
    clock: ClockTimeline | None = None
    if scenario.clocks and o.months > 0:
        clock = stage("clocks", timeline(c, float(o.months), unit="month"))
    breakout: dict[str, float | None] = {}
    if has_breakout_metric(scenario):
        now = {
            i.id: float(v) for i, v in zip(scenario.issues, c.to_units(c.status_quo), strict=True)
        }
        breakout["status quo now"] = breakout_months(scenario, now)
        if clock is not None:
            later = dict(zip(clock.issue_ids, clock.status_quo[-1], strict=True))
            breakout[f"status quo after {o.months} months"] = breakout_months(scenario, later)
        for p in scenario.proposals:
            breakout[p.id] = breakout_months(scenario, proposal_units(scenario, p.id))
        nash = analysis.solutions.get("nash")
        if nash is not None:
            units = dict(zip(c.issue_ids, nash.units, strict=True))
            breakout["Nash package"] = breakout_months(scenario, units)
    stage("breakout", breakout)

    tell("monte-carlo")
    mc: MonteCarloResult | None = None
    if o.draws > 0 and list(uncertain_numbers(scenario)):
        models = tuple(m for m in o.mc_models if m in MODELS)
        try:
            mc = monte_carlo(
                scenario,
                JobTask(models, o.resolution),
                draws=o.draws,
                seed=o.seed,
                plan=o.plan,
                executor=executor,
            )
        except AccordError as e:
            notes.append(f"Monte-Carlo skipped: {e}")
        stage("montecarlo", mc)
    elif o.draws > 0:
        notes.append("the scenario declares no uncertain number: no Monte-Carlo")
    return JobResult(scenario, c, o, analysis, forecasts, talks, clock, breakout, mc, tuple(notes))


def issue_units(c: Compiled, x: Sequence[float]) -> dict[str, float]:
    """A vector in issue units as a mapping issue id → value."""
    return {i: float(v) for i, v in zip(c.issue_ids, x, strict=True)}
