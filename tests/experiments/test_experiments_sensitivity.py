"""Sensitivity: one-at-a-time swings and Sobol' indices find the input that matters."""

from __future__ import annotations

import sys

import numpy as np
import pandas as pd
import pytest

from accord.errors import AccordError, InputError
from accord.experiments.executors import make_executor
from accord.experiments.sensitivity import one_at_a_time, sensitivity, sobol_indices
from accord.experiments.tasks import StatusQuoTask
from accord.experiments.uncertain import uncertain_numbers
from accord.scenario import Estimate, Scenario, number


@pytest.fixture(scope="module")
def few(almaty: Scenario) -> Scenario:
    """Almaty with only the issues and clocks uncertain (the actors' numbers made plain)."""

    def plain(v: object) -> object:
        return v.value if isinstance(v, Estimate) else v

    actors = tuple(
        a.model_copy(update={
            "capability": number(a.capability),
            "salience": {k: number(v) for k, v in a.salience.items()},
            "positions": {k: plain(v) for k, v in a.positions.items()},
            "reservation": None if a.reservation is None else number(a.reservation),
            "risk": None if a.risk is None else number(a.risk),
            "discount": number(a.discount),
            "red_lines": (),
            "metric_terms": (),
        })
        for a in almaty.actors
    )  # fmt: skip
    s = almaty.model_copy(update={"actors": actors, "meta": almaty.meta.model_copy(
        update={"round_length": number(almaty.meta.round_length)})})  # fmt: skip
    assert len(uncertain_numbers(s)) == 6
    return s


def test_oat_swings(few: Scenario) -> None:
    r = one_at_a_time(few, StatusQuoTask(), levels=3)
    assert len(r.runs) == 1 + 6 * 3
    top = r.table[r.table.metric == "status_quo.capacity"].iloc[0]
    assert top["parameter"] == "issues.capacity.status_quo"
    assert top["swing"] == pytest.approx(0.9 * 3700)
    rest = r.table[(r.table.metric == "status_quo.capacity")].iloc[1:]
    assert np.all(rest["swing"] == 0)
    assert r.to_dict()["method"] == "oat"


def test_sobol_total_index_is_one_for_the_only_driver(few: Scenario) -> None:
    with make_executor("thread", workers=2) as ex:
        r = sobol_indices(few, StatusQuoTask(), n=32, seed=1, executor=ex)
    t = r.table[r.table.metric == "status_quo.stockpile_20"].set_index("parameter")
    assert t.loc["issues.stockpile_20.status_quo", "ST"] == pytest.approx(1.0, abs=0.1)
    assert t.loc["issues.stockpile_20.status_quo", "S1"] == pytest.approx(1.0, abs=0.15)
    assert abs(t.loc["clocks.capacity_growth.rate", "ST"]) < 0.05
    constant = r.table[r.table.metric == "status_quo.fordow"]
    assert constant["ST"].isna().all()
    assert len(r.runs) == 32 * (6 + 2)


def test_sobol_without_salib_names_the_extra(
    almaty: Scenario, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "SALib", None)
    monkeypatch.setitem(sys.modules, "SALib.analyze", None)
    monkeypatch.setitem(sys.modules, "SALib.sample", None)
    with pytest.raises(AccordError, match=r"pip install accord\[sensitivity\]"):
        sobol_indices(almaty, StatusQuoTask(), n=8)


def test_no_uncertain_numbers(few: Scenario) -> None:
    plain = few.model_copy(
        update={
            "clocks": (),
            "issues": tuple(
                i.model_copy(update={"status_quo": i.status_quo.value})
                if isinstance(i.status_quo, Estimate)
                else i
                for i in few.issues
            ),
        }
    )
    with pytest.raises(InputError, match="no uncertain numbers"):
        one_at_a_time(plain, StatusQuoTask())
    with pytest.raises(InputError, match="expected one of"):
        sensitivity("morris", few, StatusQuoTask())


def test_sobol_half_widths_repeat_under_seed_zero(few: Scenario) -> None:
    """SALib bootstraps from NumPy's global generator when handed seed 0; ours never is."""
    first = sobol_indices(few, StatusQuoTask(), n=16, seed=0, resamples=20).table
    np.random.seed(12345)  # whatever the global generator holds, the table is the same
    again = sobol_indices(few, StatusQuoTask(), n=16, seed=0, resamples=20).table
    pd.testing.assert_frame_equal(first, again)
    assert first["S1_conf"].notna().any()


def test_oat_runs_on_an_executor_with_chunks_and_progress(few: Scenario) -> None:
    done: list[tuple[int, int]] = []
    serial = one_at_a_time(few, StatusQuoTask(), levels=3)
    with make_executor("thread", workers=2) as ex:
        pooled = one_at_a_time(
            few,
            StatusQuoTask(),
            levels=3,
            executor=ex,
            chunk=4,
            progress=lambda d, t: done.append((d, t)),
        )
    pd.testing.assert_frame_equal(serial.table, pooled.table)
    assert done and done[-1] == (19, 19)
