"""`accord analyze` end to end."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from accord.cli.main import app

runner = CliRunner()


def test_analyze_almaty_summary() -> None:
    r = runner.invoke(app, ["analyze", "almaty-2013"])
    assert r.exit_code == 0, r.output
    out = r.output
    assert "agreement zone exists" in out
    assert "P5+1 Almaty" in out and "refused by" in out and "(short 0.280)" in out
    assert "Logroll" in out


def test_analyze_json() -> None:
    r = runner.invoke(app, ["analyze", "teaching-trade", "--resolution", "5", "--json"])
    assert r.exit_code == 0, r.output
    d = json.loads(r.output)
    assert d["zone"]["empty"] is False and d["space_size"] == 100


def test_analyze_empty_zone_message(tmp_path) -> None:
    import accord

    data = accord.load("teaching-trade").model_dump(mode="json", exclude_none=True)
    for actor in data["actors"]:
        actor["reservation"] = 0.9
    path = tmp_path / "hard.json"
    path.write_text(json.dumps(data))
    r = runner.invoke(app, ["analyze", str(path), "--resolution", "5"])
    assert r.exit_code == 0, r.output
    assert "No agreement zone" in r.output and "Smallest total concession" in r.output


def test_analyze_bad_input_exits_2() -> None:
    r = runner.invoke(app, ["analyze", "almaty-2013", "--resolution", "1"])
    assert r.exit_code == 2 and "resolution" in r.output
    r = runner.invoke(app, ["analyze", "no-such-scenario"])
    assert r.exit_code == 2
    r = runner.invoke(app, ["analyze", "almaty-2013", "--parties", "everyone"])
    assert r.exit_code == 2
