"""Run directories: manifest, atomic tables, chunks joined in run order."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from accord.errors import InputError
from accord.experiments.rundir import RunDir, has_parquet, read_csv


def test_create_writes_a_manifest(tmp_path: Path) -> None:
    run = RunDir.create(tmp_path / "run", {"command": "test", "seed": 3})
    m = json.loads((tmp_path / "run" / "manifest.json").read_text())
    assert m["command"] == "test" and m["seed"] == 3 and m["status"] == "running"
    assert m["accord"] and m["created"]
    assert not run.complete


def test_create_refuses_a_non_empty_directory(tmp_path: Path) -> None:
    (tmp_path / "x.txt").write_text("keep me")
    with pytest.raises(InputError, match="not empty"):
        RunDir.create(tmp_path, {})
    assert (tmp_path / "x.txt").read_text() == "keep me"


def test_open_needs_a_manifest(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not a run directory"):
        RunDir.open(tmp_path)


def test_tables_texts_and_finalize(tmp_path: Path) -> None:
    run = RunDir.create(tmp_path / "r", {"command": "test"})
    frame = pd.DataFrame({"a": [1, 2], "b": [0.1, 1 / 3]})
    run.write_table("table", frame)
    run.write_text("notes/readme.txt", "hello")
    assert read_csv(tmp_path / "r" / "table.csv").equals(frame)
    if has_parquet():
        assert pd.read_parquet(tmp_path / "r" / "table.parquet").equals(frame)
    run.finalize(extra=1)
    again = RunDir.open(tmp_path / "r")
    assert again.complete and again.manifest["extra"] == 1
    assert "notes/readme.txt" in again.manifest["files"]
    assert not [p for p in (tmp_path / "r").rglob("*.tmp")]


def test_chunks_join_in_run_order(tmp_path: Path) -> None:
    run = RunDir.create(tmp_path / "r", {"command": "test"})
    whole = pd.DataFrame({"run": range(7), "x": [i / 7 for i in range(7)]})
    for k, start in reversed(list(enumerate(range(0, 7, 3)))):
        run.write_chunk(k, whole.iloc[start : start + 3])
    assert sorted(run.finished_chunks()) == [0, 1, 2]
    joined = run.combine(3)
    assert joined.equals(whole)
    assert (tmp_path / "r" / "runs.csv").read_text() == whole.to_csv(index=False)
    run.drop_chunks()
    assert not (tmp_path / "r" / "chunks").exists()


def test_combine_refuses_a_missing_chunk(tmp_path: Path) -> None:
    run = RunDir.create(tmp_path / "r", {"command": "test"})
    run.write_chunk(0, pd.DataFrame({"run": [0]}))
    with pytest.raises(InputError, match="missing"):
        run.combine(2)


def test_docs_python_examples_run() -> None:
    import re

    docs = Path(__file__).resolve().parents[2] / "docs" / "experiments.md"
    if not docs.is_file():
        pytest.skip("docs/experiments.md is not in this checkout")
    from accord.forecast import MODELS

    if "compromise" not in MODELS:
        pytest.skip("the compromise model is not registered")
    blocks = re.findall(r"```python\n(.*?)```", docs.read_text(), flags=re.S)
    assert blocks
    for code in blocks:
        namespace: dict[str, object] = {}
        exec(compile(code, str(docs), "exec"), namespace)
        result = namespace["result"]
        assert len(result.runs) == 200  # type: ignore[attr-defined]
