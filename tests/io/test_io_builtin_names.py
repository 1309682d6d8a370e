"""A bare built-in name is the built-in, whatever the working folder holds.

What a user hit: `accord run almaty-2013 --out almaty-2013` wrote its run directory, and the
report's "road to the deal" section then resolved the timeline's ``base: almaty-2013`` against
that folder and failed with "no GeniusWeb profile here"; a second `accord run almaty-2013` in
the same folder failed the same way.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

import accord
from accord.cli.main import app
from accord.errors import InputError
from accord.timeline import load_timeline


@pytest.fixture
def shadowed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working folder with a folder and a file named like the built-ins."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "almaty-2013").mkdir()
    (tmp_path / "almaty-2013" / "summary.json").write_text("{}")
    (tmp_path / "iran-2012-2015").write_text("not a timeline\n")
    return tmp_path


def test_bare_names_load_the_builtins(shadowed: Path) -> None:
    assert (
        accord.load("almaty-2013").meta.title
        == accord.load(
            str(Path(accord.__file__).parent / "scenario" / "builtin" / "almaty-2013.yaml")
        ).meta.title
    )
    assert load_timeline("iran-2012-2015").base.meta.title == accord.load("almaty-2013").meta.title


def test_a_path_still_reads_the_local_folder(shadowed: Path) -> None:
    with pytest.raises(InputError):
        accord.load("./almaty-2013")
    with pytest.raises(InputError):
        load_timeline(Path("iran-2012-2015"))


def test_run_twice_into_a_folder_named_like_the_scenario(shadowed: Path) -> None:
    for out in ("almaty-2013/run1", "almaty-2013/run2"):
        r = CliRunner().invoke(app, ["run", "almaty-2013", "--draws", "0", "--out", out])
        assert r.exit_code == 0, r.output
        assert (shadowed / out / "report.html").is_file()


@pytest.mark.parametrize(
    "args",
    [
        ["validate", "almaty-2013"],
        ["show", "almaty-2013"],
        ["convert", "almaty-2013", "copy.yaml"],
        ["analyze", "almaty-2013"],
        ["forecast", "almaty-2013", "-m", "compromise"],
        ["timeline", "iran-2012-2015"],
    ],
)
def test_every_command_reads_the_builtin_by_its_bare_name(shadowed: Path, args: list[str]) -> None:
    r = CliRunner().invoke(app, args, terminal_width=200)
    assert r.exit_code == 0, r.output
