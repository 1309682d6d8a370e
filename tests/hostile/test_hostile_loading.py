"""Hostile YAML and JSON: limits before work, no hang, no traceback (issue 18)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from accord.cli.main import app
from accord.errors import InputError
from accord.io import native

from .conftest import bomb

runner = CliRunner()


def test_anchor_bomb_is_refused_naming_the_setting() -> None:
    with pytest.raises(InputError, match="ACCORD_MAX_ALIAS_NODES") as e:
        native.parse(bomb(), "bomb.yaml")
    assert e.value.problems[0].line is not None


def test_anchor_bomb_under_meta_of_a_valid_scenario_is_refused(tmp_path: Path) -> None:
    text = (
        "meta:\n  title: t\n"
        + bomb(indent="  ")
        + "issues: [{id: a, scale: [0, 1], status_quo: 0}]\n"
        + "actors: [{id: x, capability: 1, positions: {a: 0}, salience: {a: 1}}]\n"
    )
    f = tmp_path / "s.yaml"
    f.write_text(text)
    result = runner.invoke(app, ["validate", str(f)])
    assert result.exit_code == 2
    assert "aliases expand" in result.output


def test_line_map_does_not_follow_aliases() -> None:
    # 3 levels of 9: 729 strings when expanded, well within the alias limit.
    text = bomb(levels=3)
    lines = native.line_map(text)
    assert len(lines) < 40  # one entry per written node, not per expanded node
    assert lines[("l2",)] == 3


def test_alias_limit_can_be_raised(monkeypatch: pytest.MonkeyPatch) -> None:
    text = bomb(levels=4)  # 9 + 81 + 729 strings behind aliases
    monkeypatch.setenv("ACCORD_MAX_ALIAS_NODES", "100")
    with pytest.raises(InputError, match="more than 100 nodes"):
        native.parse(text)
    monkeypatch.setenv("ACCORD_MAX_ALIAS_NODES", "100000")
    assert len(native.parse(text)["l3"]) == 9


@pytest.mark.parametrize("suffix", [".yaml", ".json"])
def test_deep_nesting_is_a_clean_error(tmp_path: Path, suffix: str) -> None:
    f = tmp_path / f"deep{suffix}"
    f.write_text("[" * 100_000 + "]" * 100_000)
    result = runner.invoke(app, ["validate", str(f)])
    assert result.exit_code == 2
    assert "nest" in result.output
    assert "Traceback" not in result.output


def test_block_nesting_over_the_depth_limit_names_the_setting() -> None:
    text = "".join("  " * i + f"k{i}:\n" for i in range(150)) + "  " * 150 + "v\n"
    with pytest.raises(InputError, match="ACCORD_MAX_DEPTH"):
        native.parse(text, "deep.yaml")


def test_text_size_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ACCORD_MAX_TEXT_CHARS", "50")
    with pytest.raises(InputError, match="ACCORD_MAX_TEXT_CHARS"):
        native.parse("a: " + "x" * 100)


def test_json_numbers_stay_numbers_and_round_trip(tmp_path: Path, small: dict[str, Any]) -> None:
    small["issues"][0] = {"id": "a", "scale": [0, 1e-6], "status_quo": 5e-7}
    small["actors"][0]["positions"]["a"] = 5e-7
    small["actors"][1]["positions"]["a"] = 1e-6
    src = tmp_path / "s.yaml"
    src.write_text(yaml.safe_dump(small))
    out = tmp_path / "s.json"
    assert runner.invoke(app, ["convert", str(src), str(out)]).exit_code == 0
    assert "5e-07" in out.read_text()
    result = runner.invoke(app, ["validate", str(out)])
    assert result.exit_code == 0, result.output
    assert native.parse(out.read_text(), str(out))["issues"][0]["status_quo"] == 5e-7


def test_json_syntax_error_names_the_line(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not valid JSON") as e:
        native.parse('{\n "meta": {\n  "title": "x",\n }\n}', "s.json")
    assert e.value.problems[0].line == 4


def test_yaml_flow_mapping_is_not_mistaken_for_json() -> None:
    assert native.parse("{a: 1, b: [x, y]}") == {"a": 1, "b": ["x", "y"]}


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_non_finite_json_numbers_are_refused_at_validation(
    small: dict[str, Any], constant: str
) -> None:
    text = json.dumps(small).replace('"capability": 1', f'"capability": {constant}')
    with pytest.raises(InputError, match="finite number"):
        native.read_text(text, "s.json")


def test_a_file_of_bytes_is_a_clean_error(tmp_path: Path) -> None:
    f = tmp_path / "s.yaml"
    f.write_bytes(b"\xff\xfe\x00garbage\x00")
    result = runner.invoke(app, ["validate", str(f)])
    assert result.exit_code == 2
    assert result.exception is None or isinstance(result.exception, SystemExit)


@pytest.mark.parametrize(
    "text",
    [
        '!!python/object/apply:os.system ["echo owned"]',
        "a: !!python/name:os.system ''",
        "a: !!binary notbase64!!",
        "a: !custom 1",
    ],
)
def test_unsafe_and_unknown_tags_are_refused(text: str) -> None:
    with pytest.raises(InputError, match="not valid YAML"):
        native.parse(text, "s.yaml")


def test_a_merge_key_bomb_is_refused() -> None:
    lines = ["m0: &m0 {" + ", ".join(f"k{i}: {i}" for i in range(50)) + "}"]
    for level in range(1, 6):
        refs = ", ".join([f"*m{level - 1}"] * 10)
        lines.append(f"m{level}: &m{level} {{x{level}: [{refs}], <<: *m{level - 1}}}")
    with pytest.raises(InputError, match="aliases expand"):
        native.parse("\n".join(lines))


BIG = "1" + "0" * 5000

UNREADABLE = {
    "impossible date": ("meta: {title: t, date: 2013-02-30}\n", "s.yaml"),
    "impossible datetime": ("a: 2013-13-01 10:00:00\n", "s.yaml"),
    "bad timestamp tag": ("a: !!timestamp nope\n", "s.yaml"),
    "bad int tag": ("a: !!int 1e999\n", "s.yaml"),
    "bad float tag": ("a: !!float x\n", "s.yaml"),
    "5,000-digit int in YAML": (f"a: {BIG}\n", "s.yaml"),
    "5,000-digit int in JSON": (f'{{"a": {BIG}}}', "s.json"),
    "5,000-digit int in JSON-looking YAML": (f'{{"a": {BIG}}}', "s.yaml"),
}


@pytest.mark.parametrize("case", list(UNREADABLE))
def test_unreadable_values_are_clean_errors(case: str) -> None:
    text, file = UNREADABLE[case]
    with pytest.raises(InputError, match="cannot be read"):
        native.read_text(text, file)


def test_a_huge_int_from_the_api_is_a_clean_problem(small: dict[str, Any]) -> None:
    small["actors"][0]["capability"] = 10**5000
    with pytest.raises(InputError) as e:
        native.from_data(small)
    assert "too large to show" in str(e.value)
