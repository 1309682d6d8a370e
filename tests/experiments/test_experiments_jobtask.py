"""The Monte-Carlo run of `accord run` (`JobTask`) batched on arrays has the bytes of the
per-draw path, on every executor and after a resume; it falls back per draw where it must."""

from __future__ import annotations

import math

import numpy as np
import pytest

from accord.experiments.executors import make_executor
from accord.experiments.montecarlo import Chunk, RunGenerators, monte_carlo
from accord.experiments.rundir import csv_text
from accord.experiments.tasks import JobTask
from accord.experiments.uncertain import Uncertain, uncertain_numbers
from accord.job import MC_MODELS
from accord.scenario import Estimate, Scenario, compile
from accord.seeding import run_rng


def _text(s: Scenario, task: JobTask, draws: int, **kw: object) -> str:
    return csv_text(monte_carlo(s, task, draws=draws, seed=3, **kw).runs)  # type: ignore[arg-type]


def test_batched_job_runs_have_the_bytes_of_the_per_draw_runs(almaty: Scenario) -> None:
    fast = monte_carlo(almaty, JobTask(MC_MODELS), draws=10, seed=3, plan="lhs")
    slow = monte_carlo(almaty, JobTask(MC_MODELS, batched=False), draws=10, seed=3, plan="lhs")
    assert csv_text(fast.runs) == csv_text(slow.runs)
    assert list(fast.runs.columns[-1:]) == ["zone_exists"]
    assert 0 < fast.runs["zone_exists"].sum() < 10


def test_a_model_without_a_kernel_runs_per_draw_with_the_runs_generator(
    almaty: Scenario,
) -> None:
    """``exchange-random`` draws from the run's generator and has no kernel; the random plan
    draws the inputs from that same generator first."""
    models = ("exchange-random", "compromise")
    fast = _text(almaty, JobTask(models), 5, plan="random")
    assert fast == _text(almaty, JobTask(models, batched=False), 5, plan="random")


@pytest.mark.parametrize("kind", ["thread", "process"])
def test_batched_job_runs_give_the_same_bytes_on_every_executor(
    almaty: Scenario, kind: str
) -> None:
    task = JobTask(MC_MODELS, resolution=5)
    serial = _text(almaty, task, 24, plan="sobol")
    with make_executor(kind, workers=2) as ex:
        assert _text(almaty, task, 24, plan="sobol", chunk=5, executor=ex) == serial


def test_a_resumed_job_sweep_has_the_bytes_of_a_whole_one(almaty: Scenario) -> None:
    task = JobTask(MC_MODELS, resolution=5)
    whole = _text(almaty, task, 20, plan="lhs", chunk=6)
    kept: dict[int, object] = {}

    def keep(c: Chunk, frame: object) -> None:
        if c.index != 1:
            kept[c.index] = frame

    monte_carlo(almaty, task, draws=20, seed=3, plan="lhs", chunk=6, on_chunk=keep)
    assert sorted(kept) == [0, 2, 3]
    assert _text(almaty, task, 20, plan="lhs", chunk=6, finished=kept) == whole


def test_a_drawn_number_without_a_cell_sends_the_batch_per_draw(almaty: Scenario) -> None:
    """Clock rates are read by no part of the job's runs; any other number without an array
    cell (here an actor's exponent) makes the batch decline, never drop the draw."""
    c = compile(almaty)
    clocks = [p for p in uncertain_numbers(almaty) if p.path[0] == "clocks"]
    exponent = Uncertain(("actors", 0, "exponent"), "e", Estimate(value=1, range=(1, 2)), 0, 5)
    task = JobTask(("compromise",))
    values = np.ones((2, len(clocks)))
    assert task.batch(c, clocks, values) is not None
    assert task.batch(c, [exponent], np.ones((2, 1))) is None
    assert JobTask(("exchange",)).batch(c, clocks, values) is None  # no generators given
    assert JobTask(("compromise",), batched=False).batch(c, clocks, values) is None


def test_run_generators_are_made_on_first_use_and_shared_by_slices() -> None:
    g = RunGenerators(seed=7, start=10, stop=20)
    view = g[2:5]
    assert len(g) == 10 and len(view) == 3
    assert view[0] is g[2]
    assert g[-1].random() == run_rng(7, 19).random()
    assert not math.isnan(view[2].random())
    with pytest.raises(IndexError):
        g[10]


def test_the_job_draws_use_the_model_parameters_of_its_forecasts(almaty: Scenario) -> None:
    """``accord run -m bdm:rounds=1``: the Monte-Carlo forecasts are of that BDM, not the
    default one, on both paths."""
    params = {"bdm": {"rounds": 1}}
    fast = _text(almaty, JobTask(("bdm",), params=params), 5, plan="lhs")
    assert fast == _text(almaty, JobTask(("bdm",), params=params, batched=False), 5, plan="lhs")
    assert fast != _text(almaty, JobTask(("bdm",)), 5, plan="lhs")
