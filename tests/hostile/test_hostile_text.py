"""Hostile text in names and titles: no markup from data, controls made visible (issue 18)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from accord.cli.common import SafeConsole, esc, guard_markup, visible
from accord.cli.main import app
from accord.errors import InputError
from accord.io import native

runner = CliRunner()

TITLE = "Talks [draft v2] [/x] \x1b[31mred\x1b]8;;http://evil\x07 \u202eevil"


def _render(markup: str) -> str:
    out = io.StringIO()
    SafeConsole(file=out, width=200, color_system=None, highlight=False).print(markup)
    return out.getvalue()


def test_data_brackets_print_as_written() -> None:
    assert _render("[draft v2] and [/x] and [/bold]").strip() == "[draft v2] and [/x] and [/bold]"


def test_code_style_tags_still_work() -> None:
    assert _render("[bold red]error:[/] [green]ok[/green] done").strip() == "error: ok done"


def test_escaped_text_stays_literal() -> None:
    assert _render(f"[bold]title:[/] {esc('[bold]not bold[/bold]')}").strip() == (
        "title: [bold]not bold[/bold]"
    )


def test_link_tags_from_data_are_not_interpreted() -> None:
    assert "[link=http://x]" in _render("[link=http://x]click[/link]")


def test_controls_are_visible() -> None:
    shown = _render("a\x1b[31mb\x07c\rd\u202ee")
    assert "\x1b" not in shown and "\x07" not in shown and "\r" not in shown
    assert "\\x1b[31m" in shown and "\\x07" in shown and "\\u202e" in shown
    assert visible("tab\tand\nnewline") == "tab\tand\nnewline"


def test_guard_markup_never_leaves_an_unmatched_close() -> None:
    for text in ["[/]", "[/bold]", "[bold][/red]", "x[/x]y", "[bold]a[/bold][/bold]"]:
        _render(guard_markup(text))  # no MarkupError


@pytest.fixture
def hostile_file(tmp_path: Path, small: dict[str, Any]) -> Path:
    small["meta"]["title"] = TITLE
    small["meta"]["description"] = "[/x] [bold]"
    small["actors"][0]["name"] = "Actor [/bold] \x1b[2J"
    small["issues"][0]["name"] = "issue [/] [x]"
    f = tmp_path / "hostile.yaml"
    f.write_text(yaml.safe_dump(small, allow_unicode=True))
    return f


@pytest.mark.parametrize("command", ["validate", "show", "analyze", "forecast", "negotiate"])
def test_commands_print_hostile_names_without_crashing(hostile_file: Path, command: str) -> None:
    result = runner.invoke(app, [command, str(hostile_file)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.output
    if command in ("validate", "show"):
        assert "[draft v2]" in result.output


def test_lone_surrogate_is_refused_at_validation(small: dict[str, Any]) -> None:
    small["actors"][0]["name"] = "x\udc80y"
    small["actors"][1]["positions"] = {"a\udc80": 1}
    with pytest.raises(InputError) as e:
        native.from_data(small)
    messages = [str(p) for p in e.value.problems]
    assert any("actors[0].name" in m and "Unicode" in m for m in messages)
    assert any("actors[1].positions" in m and "Unicode" in m for m in messages)


def test_lone_surrogate_in_a_json_file_is_a_clean_error(tmp_path: Path) -> None:
    f = tmp_path / "s.json"
    f.write_text(
        '{"meta": {"title": "a\\udc80"}, "issues": [{"id": "a", "scale": [0, 1],'
        ' "status_quo": 0}], "actors": [{"id": "x", "capability": 1,'
        ' "positions": {"a": 0}, "salience": {"a": 1}}]}'
    )
    for command in ("validate", "show", "analyze"):
        result = runner.invoke(app, [command, str(f)])
        assert result.exit_code == 2
        assert "Unicode" in result.output
