"""Tasks: what one run of an experiment computes, as a picklable callable.

A task is called as ``task(scenario, rng)`` and returns the run's metrics as a flat
``dict[str, float]`` with the same keys on every run. A task may also have a
``batch(compiled, params, values, rngs)`` method that computes many runs at once on arrays
(`accord.experiments.montecarlo.evaluate`); it returns None when it cannot, and the runs are
then made one at a time. The tasks import the engines inside their methods, so a worker only
imports what its task needs.

- `ForecastTask`: the forecast of a registered model (`accord.forecast.MODELS`) per issue, in
  issue units: ``forecast.<issue>``.
- `StatusQuoTask`: the no-deal point: ``status_quo.<issue>`` in issue units and each seated
  party's ``reservation.<seat>`` utility. Cheap and engine-free.
- `ZoneTask`: whether a zone of agreement exists (1/0) and its share of the outcome space, from
  `accord.analysis.analyze` (batched: `accord.analysis.zone_batch`); the mean of
  ``zone_exists`` over runs is the probability that the zone exists.
- `SessionTask`: whether the scenario's bargaining session ends in agreement (1/0) and in which
  round, from `accord.bargain.talks.negotiate`.
- `BreakoutTask`: months to breakout at the status quo (and under a model's forecast), from
  `accord.clocks.breakout_months`.
- `JobTask`: the Monte-Carlo run of `accord run` (`accord.job`): several models' forecasts and
  whether the agreement zone exists, batched (`accord.analysis.zone_batch`).

`make_task(name, **params)` builds one by name (the CLI's ``--task``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from accord.errors import UnknownNameError
from accord.experiments.uncertain import Uncertain
from accord.scenario import Compiled, Scenario, compile

FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class ForecastTask:
    """The forecast of model `model` (with `params`) on every issue, in issue units."""

    model: str
    params: Mapping[str, Any] = field(default_factory=dict)
    batched: bool = True
    """Use the model's batch kernel when it has one; False runs one draw at a time."""

    def check(self) -> None:
        """Fail early, in the calling process, when the model does not exist."""
        from accord.forecast import MODELS

        MODELS.get(self.model)

    def __call__(self, scenario: Scenario, rng: np.random.Generator) -> dict[str, float]:
        """``forecast.<issue>`` for each issue."""
        from accord.forecast import MODELS

        model = MODELS.create(self.model, **dict(self.params))
        f = model.forecast(compile(scenario), seed=rng)
        return {f"forecast.{i}": float(v) for i, v in zip(f.issue_ids, f.point, strict=True)}

    def batch(
        self,
        c: Compiled,
        params: Sequence[Uncertain],
        values: FloatArray,
        rngs: Sequence[np.random.Generator] | None = None,
    ) -> dict[str, FloatArray] | None:
        """``forecast.<issue>`` of D draws ``values`` (D, P) at once, or None when the model
        has no batch kernel (`accord.forecast.models.batched`).

        The draws are written into the compiled arrays the forecast models read (positions,
        saliences, capabilities, status quo: `Targets.to_batch`); no forecast model reads the
        other numbers (reservation, risk, discount, red lines, metric terms, clocks), so
        leaving them out changes nothing. Deterministic models only: the kernels take no
        random generator, so `rngs` is not used.
        """
        from accord.experiments.arrays import Targets
        from accord.forecast import MODELS
        from accord.forecast.models.batched import forecast_batch

        if not self.batched:
            return None
        model = MODELS.create(self.model, **dict(self.params))
        if not _kernel_applies(self.model, model):
            return None
        points = forecast_batch(model, Targets.of(c, params).to_batch(c, values))
        return {f"forecast.{i}": points[:, k] for k, i in enumerate(c.issue_ids)}


@dataclass(frozen=True)
class StatusQuoTask:
    """The no-deal point: the status quo per issue and every seat's reservation utility."""

    def check(self) -> None:
        """Nothing to check: this task needs no engine."""

    def __call__(self, scenario: Scenario, rng: np.random.Generator) -> dict[str, float]:
        """``status_quo.<issue>`` in issue units and ``reservation.<seat>`` on 0–1."""
        c = compile(scenario)
        sq = c.to_units(c.status_quo[None, :])[0]
        out = {f"status_quo.{i}": float(v) for i, v in zip(c.issue_ids, sq, strict=True)}
        for sid, r in zip(c.seats.ids, c.seats.reservation, strict=True):
            out[f"reservation.{sid}"] = float(r)
        return out


@dataclass(frozen=True)
class ZoneTask:
    """Whether a zone of agreement exists (1/0) and its share of the outcome space.

    Reads `accord.analysis.analyze` on the seated parties at grid ``resolution``.
    """

    resolution: int | None = None
    batched: bool = True
    """Judge a batch of draws on arrays (`batch`); False runs `analyze` once per draw."""

    def check(self) -> None:
        """Nothing to check: the analysis is part of every installation."""

    def __call__(self, scenario: Scenario, rng: np.random.Generator) -> dict[str, float]:
        """``zone_exists`` (1/0) and ``zone_share`` (0–1)."""
        from accord.analysis import analyze

        kwargs: dict[str, Any] = {"n_packages": 1, "seed": int(rng.integers(2**31))}
        if self.resolution is not None:
            kwargs["resolution"] = self.resolution
        a = analyze(scenario, **kwargs)
        return {"zone_exists": float(not a.zone_empty), "zone_share": float(a.zone_share)}

    def batch(
        self,
        c: Compiled,
        params: Sequence[Uncertain],
        values: FloatArray,
        rngs: Sequence[np.random.Generator] | None = None,
    ) -> dict[str, FloatArray] | None:
        """The metrics of D draws ``values`` (D, P) on arrays (`ZoneBatch.share`), each run's
        sample seed drawn from its generator as the per-draw path draws it; None without
        generators, when ``batched`` is off or when a drawn number other than a clock rate has
        no array cell."""
        from accord.analysis.zone_batch import ZoneBatch
        from accord.experiments.arrays import Targets
        from accord.space import DEFAULT_RESOLUTION

        targets = Targets.of(c, params)
        if not self.batched or rngs is None or not _placed(targets, params):
            return None
        zb = ZoneBatch(c, self.resolution or DEFAULT_RESOLUTION)
        found = [
            zb.share(d, int(g.integers(2**31)))
            for d, g in zip(targets.compiled_all(c, values), rngs, strict=True)
        ]
        return {
            "zone_exists": np.array([float(e) for e, _ in found]),
            "zone_share": np.array([float(z) for _, z in found]),
        }


@dataclass(frozen=True)
class SessionTask:
    """Whether the scenario's bargaining session agrees (1/0) and in which round.

    Plays `accord.bargain.talks.negotiate` (the seats' own strategies) without hints.
    """

    protocol: str | None = None
    rounds: int | None = None

    def check(self) -> None:
        """Nothing to check: the bargaining engine is part of every installation."""

    def __call__(self, scenario: Scenario, rng: np.random.Generator) -> dict[str, float]:
        """``agreement`` (1/0) and ``round`` of the agreement (NaN without one)."""
        from accord.bargain.talks import negotiate

        kwargs: dict[str, Any] = {"seed": rng, "hints": False}
        if self.protocol is not None:
            kwargs["protocol"] = self.protocol
        if self.rounds is not None:
            kwargs["rounds"] = self.rounds
        session = negotiate(scenario, **kwargs).session
        agreed = bool(session.agreement)
        rnd = float(session.round) if agreed and session.round is not None else float("nan")
        return {"agreement": float(agreed), "round": rnd}


@dataclass(frozen=True)
class BreakoutTask:
    """Months to breakout at the status quo after ``months`` of talks, and under a forecast.

    The status quo drifts with the scenario's clocks (`accord.clocks.Dynamics`), so uncertain
    clock rates matter once ``months`` > 0. Reads `accord.clocks.breakout_months` (issue-id
    convention documented there); NaN when the scenario has no breakout metric or the outcome
    allows no enrichment. With ``model``, also the breakout months of that model's forecast.
    """

    model: str | None = None
    months: float = 0.0

    def check(self) -> None:
        """Fail early when the model is not registered."""
        if self.model is not None:
            ForecastTask(self.model).check()

    def __call__(self, scenario: Scenario, rng: np.random.Generator) -> dict[str, float]:
        """``breakout_months`` (status quo) and ``breakout_months.<model>``."""
        from accord.clocks import Dynamics, breakout_months

        sq_units = Dynamics.of(scenario).status_quo_units(self.months, "month")
        sq = {i: float(v) for i, v in zip(scenario.issue_ids, sq_units, strict=True)}
        out = {"breakout_months": _nan(breakout_months(scenario, sq))}
        if self.model is not None:
            f = ForecastTask(self.model)(scenario, rng)
            point = {i: f[f"forecast.{i}"] for i in scenario.issue_ids}
            out[f"breakout_months.{self.model}"] = _nan(breakout_months(scenario, point))
        return out


@dataclass(frozen=True)
class JobTask:
    """One Monte-Carlo run of the main job (`accord.job.run_job`): the forecast of each of
    `models` on every issue, ``<model>.<issue>`` in issue units, then ``zone_exists`` (1/0):
    whether `accord.analysis.analyze` at grid ``resolution`` finds an agreement zone.

    `batch` computes a whole batch of draws on arrays: every number drawn is set in the
    compiled arrays (`accord.experiments.arrays.Targets.compiled`), the deterministic models
    with a batch kernel forecast all draws at once, the others once per draw with the run's
    generator, and the zone comes from `accord.analysis.zone_batch.ZoneBatch`. The numbers
    are the bytes of the per-draw path (``batched=False``).
    """

    models: tuple[str, ...]
    resolution: int | None = None
    batched: bool = True
    """Take the batched path when it applies; False runs one perturbed scenario at a time."""
    params: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    """Each model's parameters, those of the job's own forecasts (``-m bdm:rounds=5``)."""

    def check(self) -> None:
        """Fail early, in the calling process, when a model does not exist."""
        for name in self.models:
            ForecastTask(name).check()

    def __call__(self, scenario: Scenario, rng: np.random.Generator) -> dict[str, float]:
        """``<model>.<issue>`` forecasts and ``zone_exists`` (0/1) for one perturbed scenario."""
        from accord.analysis import analyze
        from accord.forecast import MODELS
        from accord.space import DEFAULT_RESOLUTION

        c = compile(scenario)
        out: dict[str, float] = {}
        for name in self.models:
            f = MODELS.create(name, **self.params.get(name, {})).forecast(c, seed=rng)
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

    def batch(
        self,
        c: Compiled,
        params: Sequence[Uncertain],
        values: FloatArray,
        rngs: Sequence[np.random.Generator] | None = None,
    ) -> dict[str, FloatArray] | None:
        """The metrics of D draws ``values`` (D, P) at once (see the class docstring), or None
        when the per-draw path must run: ``batched`` is off, a drawn number has no array cell
        and is not a clock rate (the job's runs read no clock), or a model without a kernel
        needs generators and none were given."""
        from accord.analysis.zone_batch import ZoneBatch
        from accord.experiments.arrays import Targets
        from accord.space import DEFAULT_RESOLUTION

        targets = Targets.of(c, params)
        if not self.batched or not _placed(targets, params):
            return None
        draws = targets.compiled_all(c, values)
        out = self._forecasts(c, targets.to_batch(c, values), draws, rngs)
        if out is None:
            return None
        zone = ZoneBatch(c, self.resolution or DEFAULT_RESOLUTION).many(draws)
        out["zone_exists"] = zone.astype(float)
        return out

    def _forecasts(
        self,
        c: Compiled,
        batch: Any,
        draws: list[Compiled],
        rngs: Sequence[np.random.Generator] | None,
    ) -> dict[str, FloatArray] | None:
        """``<model>.<issue>`` of every draw: one kernel call per deterministic model with a
        kernel, one forecast per draw (with run *i*'s generator) for the others."""
        from accord.forecast import MODELS
        from accord.forecast.models.batched import forecast_batch

        out: dict[str, FloatArray] = {}
        for name in self.models:
            model = MODELS.create(name, **self.params.get(name, {}))
            if _kernel_applies(name, model):
                points = forecast_batch(model, batch)
            elif rngs is None:
                return None
            else:
                points = np.array(
                    [model.forecast(d, seed=g).point for d, g in zip(draws, rngs, strict=True)]
                ).reshape(len(draws), c.k)
            for k, i in enumerate(c.issue_ids):
                out[f"{name}.{i}"] = points[:, k]
        return out


def _kernel_applies(name: str, model: Any) -> bool:
    """Whether model `name` forecasts a batch of draws in one kernel call: it has a kernel
    (`accord.forecast.models.batched`) and is deterministic (a kernel takes no generator)."""
    from accord.forecast import MODELS
    from accord.forecast.models.batched import kernel

    return kernel(model) is not None and bool(MODELS.get(name).traits.get("deterministic", False))


def _placed(targets: Any, params: Sequence[Uncertain]) -> bool:
    """Whether every drawn number is in the compiled arrays, clock rates apart: `compile`
    does not read the clocks, and neither do the zone and the forecast models."""
    return all(p.path[0] == "clocks" for p in targets.unplaced(params))


def _nan(x: float | None) -> float:
    return float("nan") if x is None else float(x)


TASKS: dict[str, Callable[..., Any]] = {
    "forecast": ForecastTask,
    "status-quo": StatusQuoTask,
    "zone": ZoneTask,
    "session": SessionTask,
    "breakout": BreakoutTask,
}


def make_task(name: str, **params: Any) -> Any:
    """The task called `name` (see `TASKS`), checked in this process before any run."""
    if name not in TASKS:
        raise UnknownNameError("task", name, TASKS)
    task = TASKS[name](**params)
    task.check()
    return task
