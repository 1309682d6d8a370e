"""`accord.experiments.sweep`: the library call behind `accord sweep`, without the CLI."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pandas as pd
import pytest

from accord.errors import InputError
from accord.experiments.montecarlo import Chunk
from accord.experiments.sweep import SweepOptions, SweepSettings, recorded_arguments, sweep
from accord.experiments.tasks import StatusQuoTask
from accord.scenario import Scenario


def test_the_options_and_their_defaults_name_the_same_things() -> None:
    fields = [f.name for f in dataclasses.fields(SweepSettings)]
    assert fields == list(SweepOptions.__annotations__)
    required = [
        f.name for f in dataclasses.fields(SweepSettings) if f.default is dataclasses.MISSING
    ]
    assert required == ["draws"]


def test_a_sweep_writes_its_tables_and_hands_over_each_chunk(
    almaty: Scenario, tmp_path: Path
) -> None:
    seen: list[tuple[int, int]] = []

    def on_chunk(c: Chunk, frame: pd.DataFrame) -> None:
        seen.append((c.index, len(frame)))

    out = sweep(
        almaty,
        StatusQuoTask(),
        tmp_path / "r",
        arguments={"task": "status-quo"},
        draws=10,
        seed=3,
        chunk=4,
        on_chunk=on_chunk,
    )
    assert sorted(seen) == [(0, 4), (1, 4), (2, 2)]
    assert len(out.result.runs) == 10 and not out.already_complete
    assert (tmp_path / "r" / "runs.csv").is_file() and (tmp_path / "r" / "summary.csv").is_file()
    assert recorded_arguments(tmp_path / "r") == {
        "task": "status-quo",
        "draws": 10,
        "seed": 3,
        "plan": "random",
        "chunk": 4,
        "sensitivity": None,
    }


def test_resuming_a_complete_sweep_reads_it_back(almaty: Scenario, tmp_path: Path) -> None:
    args = {"task": "status-quo"}
    first = sweep(almaty, StatusQuoTask(), tmp_path / "r", arguments=args, draws=6, chunk=3)
    again = sweep(
        almaty, StatusQuoTask(), tmp_path / "r", arguments=args, draws=6, chunk=3, resume=True
    )
    assert again.already_complete and again.resumed_chunks == 0
    pd.testing.assert_frame_equal(again.result.summary(), first.result.summary())


def test_resuming_with_another_seed_names_the_seed(almaty: Scenario, tmp_path: Path) -> None:
    args = {"task": "status-quo"}
    sweep(almaty, StatusQuoTask(), tmp_path / "r", arguments=args, draws=4, chunk=2)
    with pytest.raises(InputError, match="seed = 0"):
        sweep(
            almaty,
            StatusQuoTask(),
            tmp_path / "r",
            arguments=args,
            draws=4,
            chunk=2,
            seed=1,
            resume=True,
        )


def test_an_unknown_option_is_refused(almaty: Scenario, tmp_path: Path) -> None:
    with pytest.raises(TypeError, match="draw"):
        options = {"draws": 4, "drawz": 5}
        sweep(almaty, StatusQuoTask(), tmp_path / "r", arguments={}, **options)  # type: ignore[arg-type]
