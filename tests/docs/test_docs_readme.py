"""The README's examples run: its Python block and the commands of its short tour."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

from accord.cli.main import app

README = Path(__file__).resolve().parents[2] / "README.md"
SKIP = {"serve", "run", "extract", "validate", "convert", "sweep", "tournament"}


def _blocks(lang: str) -> list[str]:
    return re.findall(rf"```{lang}\n(.*?)```", README.read_text(encoding="utf-8"), re.S)


def test_python_example_runs() -> None:
    (code,) = _blocks("python")
    namespace: dict[str, object] = {}
    exec(compile(code, str(README), "exec"), namespace)
    assert namespace["a"].zone_empty is False  # type: ignore[attr-defined]


def _tour() -> list[list[str]]:
    lines = [ln.split("#")[0].strip() for ln in _blocks("sh")[1].splitlines()]
    cmds = [shlex.split(ln)[1:] for ln in lines if ln.startswith("accord ")]
    return [c for c in cmds if c[0] not in SKIP]


@pytest.mark.parametrize("args", _tour(), ids=lambda a: " ".join(a))
def test_tour_command_runs(args: list[str]) -> None:
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert result.output.strip()
