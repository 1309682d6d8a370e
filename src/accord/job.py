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

The scenario is compiled once and every engine reads the same `Compiled`. Randomness: each
engine draws from its own stream, ``accord.seeding.stream(seed, "forecast.<model>")`` or
``stream(seed, "negotiation")``, so adding or removing one engine changes no other engine's
numbers; Monte-Carlo run *i* uses ``SeedSequence(seed, spawn_key=(i,))`` (design.md §2).

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
from accord.errors import AccordError, LimitError
from accord.experiments.montecarlo import MonteCarloResult, monte_carlo
from accord.experiments.tasks import JobTask
from accord.experiments.uncertain import uncertain_numbers
from accord.forecast import MODELS, Forecast
from accord.forecast.lineup import run_models
from accord.present.calendar import round_months
from accord.present.format import issue_value, option_index, spread_text
from accord.results import NotebookView, jsonable
from accord.scenario import Compiled, Scenario, compile
from accord.seeding import stream
from accord.space import DEFAULT_RESOLUTION

DEFAULT_MODELS = ("compromise", "median", "nash", "bdm", "exchange", "ktab")
MC_MODELS = ("compromise", "median", "bdm")

StageProgress = Callable[[str], None]


@dataclass(frozen=True)
class JobOptions:
    """What `accord run` computes; every field has a CLI flag."""

    models: tuple[str, ...] = DEFAULT_MODELS
    mc_models: tuple[str, ...] = MC_MODELS
    draws: int = 2_000
    plan: str = "lhs"
    months: int = 12
    rounds: int | None = None
    resolution: int | None = None
    seed: int = 0
    model_params: dict[str, dict[str, Any]] = field(default_factory=dict)

    def session_rounds(self, s: Scenario) -> int:
        """Rounds of the simulated session: as given, else as many as fit in the horizon
        (``months``) at the scenario's round length, at least 4 (issue 16 §6)."""
        if self.rounds is not None:
            return self.rounds
        return session_rounds(s, self.months if self.months > 0 else 12)


def check_limits(s: Scenario, o: JobOptions) -> None:
    """Refuse options over a limit before any engine runs (a `LimitError` naming it): the
    clocks' time steps over the horizon and the rounds of the simulated session."""
    from accord.bargain.protocols import MAX_ROUNDS
    from accord.clocks.timeline import time_steps

    if s.clocks and o.months > 0:
        time_steps(float(o.months))
    rounds = o.session_rounds(s)
    if rounds > MAX_ROUNDS:
        raise LimitError("session rounds", rounds, MAX_ROUNDS, "fewer --rounds or --months")


def session_rounds(s: Scenario, months: float = 12) -> int:
    """Rounds of talks that fit in `months` at the scenario's round length (at least 4): a
    session's default deadline on the calendar, not an arbitrary count (issue 16 §6)."""
    per_round = round_months(s, 1)
    return max(4, int(months / per_round + 1e-9)) if per_round > 0 else 40


@dataclass(frozen=True, eq=False)
class JobResult(NotebookView):
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
    sensitivity: dict[str, Forecast] = field(default_factory=dict)

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
        """One row per model and issue: the forecast as read (option label or number), the
        raw value (option index for an options issue) and its Monte-Carlo spread in words
        (share of draws per option for an options issue, never a mean of indices)."""
        draws = self.draws()
        rows = []
        for name, f in self.forecasts.items():
            for k, issue in enumerate(self.scenario.issues):
                v = float(f.point[k])
                row: dict[str, Any] = {
                    "model": name,
                    "issue": issue.label,
                    "issue_id": issue.id,
                    "forecast": issue_value(issue, v, unit=True),
                    "value": option_index(issue, v) if issue.options else v,
                    "uncertainty": spread_text(issue, draws[name][:, k]) if name in draws else "",
                    "rounds": f.rounds,
                    "stop": f.stop,
                }
                rows.append(row)
        return pd.DataFrame(rows)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready record of the whole job: the story, every engine's result and notes."""
        from accord.present.story import story

        return {
            "scenario": self.scenario.meta.title,
            "digest": self.compiled.digest,
            "options": jsonable(self.options),
            "answers": [a.to_dict() for a in story(self)],
            "analysis": self.analysis.to_dict(),
            "forecasts": {k: self.forecast_dict(k) for k in self.forecasts},
            "session": self.talks.to_dict() if self.talks is not None else None,
            "breakout_months": self.breakout,
            "zone_probability": self.zone_probability,
            "notes": list(self.notes),
        }

    def forecast_dict(self, name: str) -> dict[str, Any]:
        """A model's forecast as JSON: per issue the value, and for options issues the label
        and the index side by side (issue 16 §2); each actor's position by round as read, for
        models that move positions (BDM, KTAB)."""
        f = self.forecasts[name]
        d = f.to_dict()
        d["forecast"] = {
            i.id: (
                {"label": issue_value(i, float(v)), "index": option_index(i, float(v))}
                if i.options
                else float(v)
            )
            for i, v in zip(self.scenario.issues, f.point, strict=True)
        }
        if f.positions is not None:
            d["positions"] = {
                aid: [
                    [
                        issue_value(i, float(v)) if i.options else float(v)
                        for i, v in zip(self.scenario.issues, row[a], strict=True)
                    ]
                    for row in f.positions
                ]
                for a, aid in enumerate(f.actor_ids)
            }
        if name in self.sensitivity:
            free = self.sensitivity[name]
            d["without_stopping_rule"] = {
                "rounds": free.rounds,
                "forecast": {
                    i.id: issue_value(i, float(v))
                    for i, v in zip(self.scenario.issues, free.point, strict=True)
                },
            }
        return d

    def to_frame(self) -> pd.DataFrame:
        """The job as one tidy table: the forecasts (`forecast_frame`)."""
        return self.forecast_frame()

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
    check_limits(scenario, o)
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
    forecasts = stage("forecasts", _forecasts(c, o, notes))
    sensitivity = _stopping_rule_sensitivity(c, forecasts, o)

    tell("negotiation")
    talks: Talks | None = None
    if c.seats.n >= 2:
        talks = stage(
            "negotiation",
            negotiate(
                c,
                rounds=o.session_rounds(scenario),
                seed=stream(o.seed, "negotiation"),
                levels=o.resolution or DEFAULT_RESOLUTION,
                clocks=bool(scenario.clocks),
            ),
        )
    else:
        notes.append("one seat at the table: no negotiation to simulate")

    tell("clocks")
    clock: ClockTimeline | None = None
    if scenario.clocks and o.months > 0:
        clock = stage("clocks", timeline(c, float(o.months), unit="month"))
    breakout = stage("breakout", _breakouts(c, o, analysis, clock))

    tell("monte-carlo")
    mc: MonteCarloResult | None = None
    if o.draws > 0 and list(uncertain_numbers(scenario)):
        mc = stage("montecarlo", _monte_carlo(scenario, o, forecasts, executor, notes))
    elif o.draws > 0:
        notes.append("the scenario declares no uncertain number: no Monte-Carlo")
    return JobResult(
        scenario, c, o, analysis, forecasts, talks, clock, breakout, mc, tuple(notes), sensitivity
    )


def _forecasts(c: Compiled, o: JobOptions, notes: list[str]) -> dict[str, Forecast]:
    """Each model's forecast, from its own random stream; a model that is not registered or is
    over its limit is skipped with its reason in `notes`, and the others still run."""
    notes += [f"model {name} is not registered; skipped" for name in o.models if name not in MODELS]
    lineup = run_models(
        c,
        [name for name in o.models if name in MODELS],
        o.model_params,
        seed=lambda name: stream(o.seed, f"forecast.{name}"),
    )
    notes += [f"model {k.model} skipped: {k.reason}" for k in lineup.skipped]
    return {f.model: f for f in lineup.forecasts}


def _breakouts(
    c: Compiled, o: JobOptions, analysis: Analysis, clock: ClockTimeline | None
) -> dict[str, float | None]:
    """Months to breakout at the status quo (now and after the clocks ran), under each tabled
    proposal and under the Nash package; empty when the scenario has no breakout metric."""
    s = c.scenario
    out: dict[str, float | None] = {}
    if not has_breakout_metric(s):
        return out
    now = {i.id: float(v) for i, v in zip(s.issues, c.to_units(c.status_quo), strict=True)}
    out["status quo now"] = breakout_months(s, now)
    if clock is not None:
        later = dict(zip(clock.issue_ids, clock.status_quo[-1], strict=True))
        out[f"status quo after {o.months} months"] = breakout_months(s, later)
    for p in s.proposals:
        out[p.id] = breakout_months(s, proposal_units(s, p.id))
    nash = analysis.solutions.get("nash")
    if nash is not None:
        out["Nash package"] = breakout_months(s, dict(zip(c.issue_ids, nash.units, strict=True)))
    return out


def _monte_carlo(
    s: Scenario,
    o: JobOptions,
    forecasts: dict[str, Forecast],
    executor: Executor | None,
    notes: list[str],
) -> MonteCarloResult | None:
    """The job's Monte-Carlo (`JobTask`) without the models skipped above; None, with the reason
    in `notes`, when it cannot run."""
    over = {m for m in o.models if m in MODELS and m not in forecasts}
    models = tuple(m for m in o.mc_models if m in MODELS and m not in over)
    try:
        return monte_carlo(
            s,
            JobTask(models, o.resolution, params=o.model_params),
            draws=o.draws,
            seed=o.seed,
            plan=o.plan,
            executor=executor,
        )
    except AccordError as e:
        notes.append(f"Monte-Carlo skipped: {e}")
        return None


def _stopping_rule_sensitivity(
    c: Compiled, forecasts: dict[str, Forecast], o: JobOptions
) -> dict[str, Forecast]:
    """BDM once more with its convergence rule off, when the rule stopped it early: the
    stopping rule alone can move the forecast (issue 16 §3)."""
    f = forecasts.get("bdm")
    params = dict(o.model_params.get("bdm", {}))
    if f is None or params.get("converge") is False:
        return {}
    free = MODELS.create("bdm", **{**params, "converge": False}).forecast(
        c, seed=stream(o.seed, "forecast.bdm")
    )
    return {"bdm": free} if free.rounds != f.rounds else {}


def issue_units(c: Compiled, x: Sequence[float]) -> dict[str, float]:
    """A vector in issue units as a mapping issue id → value."""
    return {i: float(v) for i, v in zip(c.issue_ids, x, strict=True)}


def stage_tables(stage: str, result: Any) -> dict[str, pd.DataFrame]:
    """The tables a finished stage of `run_job` is saved as (name → frame), so that an
    interrupted run keeps what it computed (`on_stage`)."""
    if result is None:
        return {}
    if stage == "forecasts":
        frames = [f.to_frame() for f in result.values()]
        return {"forecast_trajectories": pd.concat(frames, ignore_index=True)} if frames else {}
    if stage == "breakout":
        return {
            "breakout": pd.DataFrame(
                [{"package": k, "breakout_months": v} for k, v in result.items()]
            )
        }
    if stage == "montecarlo":
        return {"montecarlo_runs": result.runs, "montecarlo_summary": result.summary()}
    name = {"analysis": "analysis", "negotiation": "session", "clocks": "clock"}[stage]
    return {name: result.to_frame()}
