"""Every command's ``--help`` renders (issue 16 §5), and user-facing help has no Python paths
or internal jargon."""

from __future__ import annotations

import re
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from accord.cli.main import app


def _commands() -> list[list[str]]:
    root = typer.main.get_command(app)
    out: list[list[str]] = []

    def walk(cmd: Any, path: list[str]) -> None:
        out.append(path)
        if hasattr(cmd, "commands"):
            for name, sub in cmd.commands.items():
                walk(sub, [*path, name])

    walk(root, [])
    return out


COMMANDS = _commands()


def test_every_command_is_found() -> None:
    names = {" ".join(c) for c in COMMANDS}
    assert {"run", "analyze", "forecast", "negotiate", "breakout", "clock", "sweep"} <= names


@pytest.mark.parametrize("path", COMMANDS, ids=lambda p: " ".join(p) or "accord")
def test_help_renders(path: list[str]) -> None:
    result = CliRunner().invoke(app, [*path, "--help"], terminal_width=100)
    assert result.exit_code == 0, result.output + repr(result.exception)
    assert "Usage" in result.output
    assert not re.search(r"\baccord\.[a-z_]+\.[a-z_]+", result.output), result.output


def test_flag_vocabulary_is_shared() -> None:
    """One name per meaning: rounds, resolution, model and seed mean the same everywhere."""
    root = typer.main.get_command(app)
    meaning: dict[str, set[str]] = {}
    for cmd in root.commands.values():  # type: ignore[attr-defined]
        for p in cmd.params:
            if p.param_type_name == "option":
                for flag in p.opts:
                    meaning.setdefault(flag, set()).add(p.name or "")
    assert meaning.get("-r", {"rounds"}) == {"rounds"}
    assert "--levels" not in meaning
    assert "--models" not in meaning
    assert meaning.get("-m", {"model"}) == {"model"}
