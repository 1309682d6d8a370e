"""Names with Rich markup (``[/x]``, ``[bold]``) are printed as text by every command of this
area, never interpreted (issue 18: MarkupError crashes and vanishing ``[draft v2]``)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest
from typer.testing import CliRunner

from accord.cli.main import app


@pytest.fixture(scope="module")
def marked(tmp_path_factory: pytest.TempPathFactory) -> Path:
    text = (resources.files("accord.scenario") / "builtin" / "teaching-trade.yaml").read_text(
        encoding="utf-8"
    )
    text = text.replace("name: Seller", 'name: "Seller [/x] [draft v2]"')
    text = text.replace("name: Unit price", 'name: "Unit price [bold]"')
    path = tmp_path_factory.mktemp("markup") / "marked.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "args",
    [
        ["show"],
        ["analyze", "--resolution", "4"],
        ["negotiate", "-r", "4", "--no-hints"],
        ["run", "--draws", "0", "--months", "1", "--rounds", "4", "--resolution", "4"],
    ],
    ids=lambda a: a[0],
)
def test_markup_in_names_is_shown_as_text(args: list[str], marked: Path, tmp_path: Path) -> None:
    extra = ["--out", str(tmp_path / "run")] if args[0] == "run" else []
    r = CliRunner().invoke(app, [args[0], str(marked), *args[1:], *extra], terminal_width=200)
    assert r.exit_code == 0, r.output + repr(r.exception)
    shown = " ".join(r.output.split())
    assert "[draft v2]" in shown or "Unit price [bold]" in shown, shown[:400]
