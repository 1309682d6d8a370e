"""docs/iran-2012-2015.md: its Python examples run and its console commands work."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

from accord.cli.main import app

DOC = Path(__file__).resolve().parents[2] / "docs" / "iran-2012-2015.md"
SKIP = {"run"}


def _blocks(lang: str) -> list[str]:
    return re.findall(rf"```{lang}\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)


def _examples() -> list[object]:
    """Each Python block; the sensitivity loop reruns the timeline twice, so it is slow."""
    return [
        pytest.param(code, marks=pytest.mark.slow) if "rebuild" in code else code
        for code in _blocks("python")
    ]


@pytest.mark.parametrize("code", _examples(), ids=lambda c: str(c).splitlines()[0])
def test_python_examples_run(code: str, capsys: pytest.CaptureFixture[str]) -> None:
    exec(compile(code, str(DOC), "exec"), {})
    assert capsys.readouterr().out.strip()


def _commands() -> list[list[str]]:
    lines = [ln.split("#")[0].strip() for ln in _blocks("console")[0].splitlines()]
    cmds = [shlex.split(ln.removeprefix("$ "))[1:] for ln in lines if ln.startswith("$ accord")]
    # a user's file does not exist here; --draws is exercised (with few draws) in test_robust
    return [
        c
        for c in cmds
        if c[0] not in SKIP and not any(a.endswith(".yaml") or a == "--draws" for a in c)
    ]


@pytest.mark.parametrize("args", _commands(), ids=lambda a: " ".join(a))
def test_console_commands_run(args: list[str]) -> None:
    out = CliRunner().invoke(app, args)
    assert out.exit_code == 0, out.output
