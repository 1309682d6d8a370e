"""Failures outside the input: full disks, bugs, killed processes (issue 18)."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from accord.cli import main as cli_main
from accord.cli.main import app

runner = CliRunner()


def _disk_full(*args: Any, **kwargs: Any) -> Any:
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), "out-file")


def _no_tmp_left(root: Path) -> None:
    left = [p for p in root.rglob("*") if p.name.endswith(".tmp")]
    assert not left, left


def test_convert_on_a_full_disk_is_a_clean_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(Path, "write_text", _disk_full)
    result = runner.invoke(app, ["convert", "almaty-2013", str(tmp_path / "s.yaml")])
    assert result.exit_code == 2
    assert "No space left on device" in result.output
    assert not (tmp_path / "s.yaml").exists()
    _no_tmp_left(tmp_path)


@pytest.mark.parametrize(
    "args",
    [
        ["run", "almaty-2013", "--out"],
        ["sweep", "almaty-2013", "--model", "compromise", "-n", "4", "--executor", "serial", "-o"],
    ],
)
def test_run_and_sweep_on_a_full_disk_are_clean_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str]
) -> None:
    monkeypatch.setattr(os, "fsync", _disk_full)
    out = tmp_path / "out"
    result = runner.invoke(app, [*args, str(out)])
    assert result.exit_code == 2, result.output
    assert "No space left on device" in result.output
    _no_tmp_left(tmp_path)


def test_run_directory_in_use_does_not_suggest_a_missing_option(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "manifest.json").write_text("{}")
    result = runner.invoke(app, ["run", "almaty-2013", "--out", str(out)])
    assert result.exit_code == 2
    assert "not empty" in result.output
    assert "--resume" not in result.output


def _main(monkeypatch: pytest.MonkeyPatch, *argv: str) -> int:
    monkeypatch.setattr(sys, "argv", ["accord", *argv])
    with pytest.raises(SystemExit) as e:
        cli_main.main()
    return int(e.value.code or 0)


def _boom(*args: Any, **kwargs: Any) -> Any:
    raise RuntimeError("boom [/x] \x1b[31m")


def test_an_internal_error_is_a_short_message_with_a_debug_pointer(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import accord.io

    monkeypatch.delenv("ACCORD_DEBUG", raising=False)
    monkeypatch.setattr(accord.io, "load", _boom)
    assert _main(monkeypatch, "show", "almaty-2013") == 1
    err = capsys.readouterr().err
    assert "internal error" in err and "RuntimeError: boom [/x]" in err
    assert "--debug" in err and "ACCORD_DEBUG" in err
    assert "Traceback" not in err and "\x1b[31m" not in err


def test_debug_shows_the_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    import accord.io

    monkeypatch.delenv("ACCORD_DEBUG", raising=False)
    monkeypatch.setattr(accord.io, "load", _boom)
    monkeypatch.setattr(sys, "argv", ["accord", "--debug", "show", "almaty-2013"])
    with pytest.raises(RuntimeError, match="boom"):
        cli_main.main()


def test_an_os_error_outside_a_command_handler_is_clean(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import accord.io

    def denied(*args: Any, **kwargs: Any) -> Any:
        raise PermissionError(errno.EACCES, "Permission denied", "/root/secret.yaml")

    monkeypatch.delenv("ACCORD_DEBUG", raising=False)
    monkeypatch.setattr(accord.io, "load", denied)
    assert _main(monkeypatch, "show", "x") == 2
    err = capsys.readouterr().err
    assert "/root/secret.yaml: Permission denied" in err


WATCHED_POOL = textwrap.dedent(
    """
    import os, sys, time
    from accord.experiments.executors import make_executor

    ex = make_executor("process", workers=2)
    pids = {f.result() for f in [ex.submit(os.getpid) for _ in range(8)]}
    print(" ".join(map(str, pids)), flush=True)
    time.sleep(60)
    """
)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_pool_workers_die_with_their_parent(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    parent = subprocess.Popen(
        [sys.executable, "-c", WATCHED_POOL], stdout=subprocess.PIPE, text=True, env=env
    )
    try:
        assert parent.stdout is not None
        workers = [int(p) for p in parent.stdout.readline().split()]
        assert workers
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait(timeout=10)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and any(_alive(p) for p in workers):
            time.sleep(0.1)
        assert not any(_alive(p) for p in workers)
    finally:
        if parent.poll() is None:
            parent.kill()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie (dead, not yet reaped by init) counts as dead
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split()[2] != "Z"
    except OSError:
        return True


def _commands() -> list[str]:
    import typer.main

    group = typer.main.get_command(app)
    return sorted(group.commands)  # type: ignore[attr-defined]


@pytest.mark.parametrize("command", _commands())
def test_every_command_help_renders(command: str) -> None:
    result = runner.invoke(app, [command, "--help"])
    assert result.exit_code == 0, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_a_grid_over_the_limit_names_an_option_of_the_right_command(tmp_path: Path) -> None:
    options = [f"o{j}" for j in range(10)]
    issues = "".join(
        f"  - {{id: i{k}, options: [{', '.join(options)}], status_quo: o0}}\n" for k in range(8)
    )
    positions = ", ".join(f"i{k}: o{k}" for k in range(8))
    saliences = ", ".join(f"i{k}: 1" for k in range(8))
    f = tmp_path / "grid.yaml"
    f.write_text(
        f"meta: {{title: grid}}\nissues:\n{issues}actors:\n"
        f"  - {{id: a, capability: 1, positions: {{{positions}}}, salience: {{{saliences}}}}}\n"
        f"  - {{id: b, capability: 1, positions: {{{positions}}}, salience: {{{saliences}}}}}\n"
    )
    result = runner.invoke(
        app, ["tournament", str(f), "--executor", "serial", "-o", str(tmp_path / "t")]
    )
    assert result.exit_code == 2
    assert "outcome grid size" in result.output
    assert "accord negotiate --resolution" in result.output
