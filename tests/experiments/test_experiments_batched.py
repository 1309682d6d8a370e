"""Monte-Carlo on arrays: batched kernels give the per-draw numbers, on every executor."""

from __future__ import annotations

import numpy as np
import pytest

from accord.experiments.arrays import Targets, reparam
from accord.experiments.executors import make_executor
from accord.experiments.montecarlo import monte_carlo
from accord.experiments.rundir import csv_text
from accord.experiments.tasks import ForecastTask
from accord.experiments.uncertain import Uncertain, perturb, uncertain_numbers
from accord.forecast import MODELS, Forecast, Model
from accord.forecast.models.batched import Batch, forecast_batch, kernel
from accord.forecast.models.bdm import BDM
from accord.scenario import Compiled, Estimate, Scenario, compile

BATCHED = [m for m in MODELS.names() if kernel(MODELS.create(m)) is not None]


def test_the_closed_form_models_and_bdm_have_kernels() -> None:
    for name in ("compromise", "mean", "median", "condorcet", "pivot", "status-quo", "bdm"):
        assert name in BATCHED
    assert kernel(MODELS.create("exchange")) is None


@pytest.mark.parametrize("model", BATCHED)
def test_batched_sweep_has_the_bytes_of_the_per_draw_sweep(almaty: Scenario, model: str) -> None:
    draws = 12 if model == "bdm" else 40
    fast = monte_carlo(almaty, ForecastTask(model), draws=draws, seed=4, plan="lhs")
    slow = monte_carlo(almaty, ForecastTask(model, batched=False), draws=draws, seed=4, plan="lhs")
    assert csv_text(fast.runs) == csv_text(slow.runs)


def test_random_plan_batched_matches_per_draw(almaty: Scenario) -> None:
    fast = monte_carlo(almaty, ForecastTask("compromise"), draws=30, seed=9)
    slow = monte_carlo(almaty, ForecastTask("compromise", batched=False), draws=30, seed=9)
    assert csv_text(fast.runs) == csv_text(slow.runs)
    assert fast.runs["forecast.stockpile_20"].nunique() > 1


@pytest.mark.parametrize("kind", ["thread", "process"])
def test_batched_runs_give_the_same_bytes_on_every_executor(almaty: Scenario, kind: str) -> None:
    for task, draws in ((ForecastTask("compromise"), 300), (ForecastTask("bdm"), 20)):
        ref = csv_text(monte_carlo(almaty, task, draws=draws, seed=2, plan="sobol").runs)
        with make_executor(kind, workers=2) as ex:
            r = monte_carlo(almaty, task, draws=draws, seed=2, plan="sobol", chunk=7, executor=ex)
        assert csv_text(r.runs) == ref


def _with_positions(s: Scenario) -> tuple[list[Uncertain], np.ndarray]:
    """Uncertain positions on a continuous and an options issue, plus the scenario's own."""
    est = Estimate(value=1.0, range=(0.0, 3.0))
    extra = [
        Uncertain(("actors", 0, "positions", "enrichment_level"), "p0", est, 0.0, 20.0),
        Uncertain(("actors", 3, "positions", "fordow"), "p1", est, 0.0, 3.0, True),
        Uncertain(("actors", 9, "positions", "sanctions_relief"), "p2", est, 0.0, 4.0, True),
    ]
    params = extra + list(uncertain_numbers(s))
    rng = np.random.default_rng(5)
    values = np.column_stack([p.ppf(rng.random(6)) for p in params])
    return params, values


def test_reparam_equals_compiling_the_perturbed_scenario(almaty: Scenario) -> None:
    c = compile(almaty)
    params, values = _with_positions(almaty)
    keep = [j for j, p in enumerate(params) if Targets.of(c, [p]).complete]
    params = [params[j] for j in keep]
    t = Targets.of(c, params)
    assert t.complete and {"position", "red_line", "term_weight"} <= set(t.kind)
    assert [p.path[0] for p in uncertain_numbers(almaty) if not Targets.of(c, [p]).complete] == [
        "clocks"
    ] * 4
    fields = ("position", "salience", "weight", "capability", "reservation", "exponent")
    for row in values[:, keep]:
        ref = compile(perturb(almaty, params, row))
        got = t.compiled(c, row)
        assert np.array_equal(ref.status_quo, got.status_quo)
        assert ref.round_length == got.round_length
        assert np.array_equal(
            [r.threshold for r in ref.red_lines], [r.threshold for r in got.red_lines], True
        )
        for side in ("actors", "seats"):
            a, b = getattr(ref, side), getattr(got, side)
            for f in (*fields, "risk", "discount"):
                assert np.array_equal(getattr(a, f), getattr(b, f), True), (side, f)
            for k, table in a.tables.items():
                assert np.array_equal(table, b.tables[k]), (side, k)
            assert [(u.party, u.raw, u.weight) for u in a.terms] == [
                (u.party, u.raw, u.weight) for u in b.terms
            ], side


def test_reservation_risk_discount_and_round_length_have_cells(almaty: Scenario) -> None:
    c = compile(almaty)
    est = Estimate(value=0.5, range=(0.2, 0.8))
    params = [
        Uncertain(("actors", 2, "reservation"), "r", est, 0.0, 1.0),
        Uncertain(("actors", 1, "risk"), "k", est, -1.0, 1.0),
        Uncertain(("actors", 4, "discount"), "d", est, 1e-9, 1.0),
        Uncertain(("meta", "round_length"), "l", est, 1e-9, 10.0),
    ]
    t = Targets.of(c, params)
    assert t.kind == ("reservation", "risk", "discount", "round_length")
    row = np.array([0.3, -0.4, 0.7, 2.5])
    ref, got = compile(perturb(almaty, params, row)), t.compiled(c, row)
    assert got.actors.reservation[2] == 0.3 and got.round_length == 2.5
    for side in ("actors", "seats"):
        for f in ("reservation", "risk", "discount"):
            a, b = getattr(getattr(ref, side), f), getattr(getattr(got, side), f)
            assert np.array_equal(a, b, True), (side, f)


def test_reparam_keeps_the_other_fields(almaty: Scenario) -> None:
    c = compile(almaty)
    cap = c.actors.capability * 2.0
    r = reparam(c, capability=cap)
    assert np.array_equal(r.actors.capability, cap)
    assert r.issue_ids == c.issue_ids and r.scenario is c.scenario
    assert np.array_equal(r.actors.position, c.actors.position)
    assert not np.array_equal(r.seats.capability, c.seats.capability)


@pytest.mark.parametrize("model", [BDM(), BDM.scholz(), BDM(forecast="mean", q=0.6)])
def test_bdm_kernel_is_bit_identical_game_by_game(almaty: Scenario, model: BDM) -> None:
    c = compile(almaty)
    params, values = _with_positions(almaty)
    t = Targets.of(c, params)
    batch = t.to_batch(c, values)
    points = forecast_batch(model, batch)
    for r in range(len(values)):
        one = Batch(c, *(x[r : r + 1] for x in (batch.position, batch.salience)),
                    batch.capability[r : r + 1], batch.status_quo[r : r + 1])  # fmt: skip
        assert np.array_equal(forecast_batch(model, one)[0], points[r])
        cr = reparam(c, position=batch.position[r], salience=batch.salience[r],
                     capability=batch.capability[r], status_quo=batch.status_quo[r])  # fmt: skip
        assert np.array_equal(model.forecast(cr).point, points[r])


def test_models_without_a_kernel_run_per_draw(almaty: Scenario) -> None:
    c = compile(almaty)
    params = tuple(uncertain_numbers(almaty))
    task = ForecastTask("compromise", batched=False)
    assert task.batch(c, params, np.zeros((1, len(params)))) is None
    with pytest.raises(TypeError, match="no batch kernel"):
        forecast_batch(_NoKernel(), Batch.of(c))


class _NoKernel(Model):
    name = "no-kernel"

    def forecast(self, c: Compiled, seed: object = None) -> Forecast:
        return Forecast(self.name, c.issue_ids, c.status_quo)


def test_a_resumed_batched_sweep_has_the_bytes_of_a_whole_one(almaty: Scenario) -> None:
    task = ForecastTask("bdm")
    whole = monte_carlo(almaty, task, draws=30, seed=6, plan="lhs", chunk=8)
    kept: dict[int, object] = {}

    def keep(c: object, frame: object) -> None:
        if len(kept) < 2:
            kept[c.index] = frame  # type: ignore[attr-defined]

    monte_carlo(almaty, task, draws=30, seed=6, plan="lhs", chunk=8, on_chunk=keep)
    resumed = monte_carlo(
        almaty,
        task,
        draws=30,
        seed=6,
        plan="lhs",
        chunk=8,
        finished=kept,  # type: ignore[arg-type]
    )
    assert len(kept) == 2
    assert csv_text(resumed.runs) == csv_text(whole.runs)
