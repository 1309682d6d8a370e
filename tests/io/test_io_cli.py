"""End to end through the CLI: validate, show, convert, schema, list."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import accord
from accord.cli.main import app
from accord.io import read

DATA = Path(__file__).resolve().parents[1] / "data" / "formats"

runner = CliRunner()

BROKEN = """\
format: accord/1
meta:
  title: broken
issues:
  - id: x
    scale: [0, 10]
    status_quo: 5
actors:
  - id: a
    capability: 1
    positions: {x: 50}
    salience: {x: 0.5}
"""


def test_validate_ok_on_builtin_and_sample_files() -> None:
    r = runner.invoke(
        app, ["validate", "almaty-2013", str(DATA / "talks.csv"), str(DATA / "genius")]
    )
    assert r.exit_code == 0, r.output
    assert "ok almaty-2013" in r.stdout and "ok " + str(DATA / "genius") in r.stdout


def test_validate_broken_file_exits_2_naming_file_line_and_field(tmp_path: Path) -> None:
    f = tmp_path / "broken.yaml"
    f.write_text(BROKEN, encoding="utf-8")
    r = runner.invoke(app, ["validate", str(f)])
    assert r.exit_code == 2
    assert f"{f}:11: actors[0].positions.x = 50.0: outside the issue's scale [0, 10]" in r.stderr
    assert "Traceback" not in r.output


def test_validate_broken_csv_names_the_line(tmp_path: Path) -> None:
    f = tmp_path / "t.csv"
    f.write_text(
        "case_id,issue_id,actor_id,capability,position,salience\nc,i,a,1,1,lots\n", encoding="utf-8"
    )
    r = runner.invoke(app, ["validate", str(f)])
    assert r.exit_code == 2
    assert f"{f}:2: salience = 'lots': expected a number" in r.stderr


def test_validate_json_reports_each_file(tmp_path: Path) -> None:
    f = tmp_path / "broken.yaml"
    f.write_text(BROKEN, encoding="utf-8")
    r = runner.invoke(app, ["validate", "--json", "teaching-trade", str(f)])
    assert r.exit_code == 2
    report = json.loads(r.stdout)
    assert [x["valid"] for x in report] == [True, False]
    assert "positions.x" in report[1]["problems"][0]


def test_validate_binary_file(tmp_path: Path) -> None:
    f = tmp_path / "x.csv"
    f.write_bytes(b"\x00\x01\x02")
    r = runner.invoke(app, ["validate", str(f)])
    assert r.exit_code == 2 and "not a text file" in r.stderr


def test_validate_from_option_picks_the_reader(tmp_path: Path) -> None:
    f = tmp_path / "ec.txt"
    f.write_text((DATA / "ec.bdm.csv").read_text(encoding="utf-8"), encoding="utf-8")
    assert runner.invoke(app, ["validate", str(f)]).exit_code == 0  # found by its content
    r = runner.invoke(app, ["validate", "--from", "bdm", str(f)])
    assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["validate", "--from", "ktab", str(f)])
    assert r.exit_code == 2


def test_unknown_format_lists_what_was_tried(tmp_path: Path) -> None:
    f = tmp_path / "notes.txt"
    f.write_text("just some words\n", encoding="utf-8")
    r = runner.invoke(app, ["validate", str(f)])
    assert r.exit_code == 2
    assert "Decide" in r.stderr and "GeniusWeb" in r.stderr and "--from" in r.stderr


def test_show_builtin_and_file() -> None:
    r = runner.invoke(app, ["show", "almaty-2013"])
    assert r.exit_code == 0
    assert "Almaty" in r.stdout and "At the table" in r.stdout
    r = runner.invoke(app, ["show", "--json", str(DATA / "sample.ktab.csv")])
    assert r.exit_code == 0
    assert json.loads(r.stdout)["meta"]["title"] == "dummy"


def test_show_unknown_name_exits_2() -> None:
    r = runner.invoke(app, ["show", "no-such-case"])
    assert r.exit_code == 2 and "unknown scenario" in r.stderr


FORMAT_ENDINGS = [
    "s.yaml",
    "s.json",
    "s.csv",
    "s.bdm.csv",
    "s.ktab.csv",
    "s.decide.csv",
    "s.deu.csv",
    "s.genius",
    "s.geniusweb",
]


@pytest.mark.parametrize("ending", FORMAT_ENDINGS)
def test_convert_to_each_format_and_back(tmp_path: Path, ending: str) -> None:
    out = tmp_path / ending
    r = runner.invoke(app, ["convert", "teaching-trade", str(out)])
    assert r.exit_code == 0, r.output
    assert f"wrote{out}" in "".join(r.stdout.split())  # the console may wrap a long path
    lossless = ending in ("s.yaml", "s.json")
    assert ("not kept:" in r.stderr) is not lossless
    back = tmp_path / "back.yaml"
    r = runner.invoke(app, ["convert", str(out), str(back)])
    assert r.exit_code == 0, r.output
    assert read(back).actor_ids
    if lossless:
        assert read(back) == accord.load("teaching-trade")


def test_convert_with_to_option(tmp_path: Path) -> None:
    out = tmp_path / "ec.txt"
    r = runner.invoke(app, ["convert", "ec-emissions-1994", str(out), "--to", "bdm"])
    assert r.exit_code == 0, r.output
    assert out.read_text(encoding="utf-8").startswith("Actor,Capability,Position,Salience")


def test_convert_broken_input_writes_nothing(tmp_path: Path) -> None:
    f = tmp_path / "broken.yaml"
    f.write_text(BROKEN, encoding="utf-8")
    out = tmp_path / "out.csv"
    r = runner.invoke(app, ["convert", str(f), str(out)])
    assert r.exit_code == 2
    assert not out.exists() and not (tmp_path / "out.issues.csv").exists()


def test_convert_unknown_format_exits_2(tmp_path: Path) -> None:
    r = runner.invoke(app, ["convert", "teaching-trade", str(tmp_path / "x.docx")])
    assert r.exit_code == 2 and "cannot tell the format" in r.stderr
    r = runner.invoke(app, ["convert", "teaching-trade", str(tmp_path / "x.csv"), "--to", "pdf"])
    assert r.exit_code == 2 and "unknown format" in r.stderr


def test_schema_is_json_schema() -> None:
    r = runner.invoke(app, ["schema"])
    assert r.exit_code == 0
    schema = json.loads(r.stdout)
    assert schema["title"] == "Scenario"
    assert {"meta", "issues", "actors"} <= set(schema["required"])


def test_list_scenarios_and_formats() -> None:
    r = runner.invoke(app, ["list", "scenarios", "--json"])
    assert r.exit_code == 0
    names = [row["name"] for row in json.loads(r.stdout)]
    assert names[: len(accord.scenario.builtin_names())] == accord.scenario.builtin_names()
    r = runner.invoke(app, ["list", "formats", "--json"])
    assert r.exit_code == 0
    rows = {row["name"]: row for row in json.loads(r.stdout)}
    assert {"yaml", "json", "csv", "bdm", "ktab", "decide", "deu", "genius", "geniusweb"} <= set(
        rows
    )
    assert rows["yaml"]["lossless"] and not rows["genius"]["lossless"]
    r = runner.invoke(app, ["list", "formats"])
    assert r.exit_code == 0 and "geniusweb" in r.stdout


def test_list_unknown_exits_2() -> None:
    r = runner.invoke(app, ["list", "nothing"])
    assert r.exit_code == 2 and "unknown listing" in r.stderr
