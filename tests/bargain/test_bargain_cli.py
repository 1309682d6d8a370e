"""`accord negotiate` end to end."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from accord.cli.main import app

runner = CliRunner()


def test_negotiate_almaty_prints_the_trace_and_the_end() -> None:
    r = runner.invoke(app, ["negotiate", "almaty-2013", "--rounds", "30"])
    assert r.exit_code == 0, r.output
    assert "Iran–P5+1" in r.output and "boulware" in r.output
    assert any(w in r.output for w in ("Agreement", "No agreement", "No deal"))
    assert "126,720 outcomes" in r.output  # the one default grid (accord.space)


def test_negotiate_json_and_strategy_override() -> None:
    r = runner.invoke(
        app, ["negotiate", "almaty-2013", "-s", "iran=conceder", "-r", "20", "--json", "--no-hints"]
    )
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    s = data["session"]
    assert s["strategies"] == {"iran": "conceder", "p5plus1": "boulware"}
    assert len(s["trace"]) == s["played"] <= 20
    assert data["hints"] == []


def test_negotiate_hardliner_explains_what_would_produce_agreement() -> None:
    r = runner.invoke(
        app,
        [
            "negotiate",
            "teaching-trade",
            "-s",
            "buyer=hardliner",
            "-s",
            "seller=hardliner",
            "-r",
            "20",
        ],
    )
    assert r.exit_code == 0, r.output
    assert "No agreement" in r.output
    assert "What would produce an agreement" in r.output


def test_negotiate_multilateral_mediated_and_veto() -> None:
    r = runner.invoke(
        app,
        [
            "negotiate",
            "teaching-budget",
            "-r",
            "30",
            "--rule",
            "quorum",
            "--quorum",
            "2",
            "--no-hints",
        ],
    )
    assert r.exit_code == 0, r.output
    assert "multilateral" in r.output
    r = runner.invoke(
        app, ["negotiate", "almaty-2013", "-p", "mediated", "-r", "30", "--no-hints", "--full"]
    )
    assert r.exit_code == 0, r.output and "mediator" in r.output
    r = runner.invoke(
        app,
        [
            "negotiate",
            "almaty-2013",
            "-p",
            "multilateral",
            "--veto",
            "france",
            "-r",
            "30",
            "--no-hints",
            "--json",
        ],
    )
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["session"]["params"]["veto"] == ["france"]


def test_negotiate_with_clocks_moves_the_no_deal_point() -> None:
    r = runner.invoke(app, ["negotiate", "-r", "20", "--clocks", "--no-hints", "--json"])
    assert r.exit_code == 0, r.output
    trace = json.loads(r.stdout)["session"]["trace"]
    assert trace[-1]["reservation"]["iran"] < trace[0]["reservation"]["iran"] - 0.05
    r = runner.invoke(app, ["negotiate", "-r", "20", "--clocks", "--no-hints"])
    assert r.exit_code == 0 and "0.690 →" in r.output


def test_negotiate_bad_input_exits_2_without_traceback() -> None:
    for args in (
        ["-s", "iran"],
        ["-s", "israel=linear"],
        ["-s", "iran=nope"],
        ["-r", "0"],
        ["-p", "auction"],
        ["--veto", "narnia", "-p", "multilateral"],
        ["no-such-scenario"],
    ):
        r = runner.invoke(app, ["negotiate", *args])
        assert r.exit_code == 2, (args, r.output)
        assert "Traceback" not in r.output


def test_list_strategies_and_protocols() -> None:
    r = runner.invoke(app, ["list", "strategies", "--json"])
    if r.exit_code != 0:  # the listing command may have no --json
        r = runner.invoke(app, ["list", "strategies"])
    assert r.exit_code == 0 and "boulware" in r.output
    r = runner.invoke(app, ["list", "protocols"])
    assert r.exit_code == 0 and "mediated" in r.output


def test_negotiate_shows_offers_and_seats_by_label() -> None:
    from typer.testing import CliRunner

    from accord.cli.main import app

    r = CliRunner().invoke(app, ["negotiate", "almaty-2013"])
    assert r.exit_code == 0, r.output
    assert "Sanctions relief:" in r.output and "Iran 0." in r.output
    assert "sanctions" not in r.output and "p5plus1" not in r.output
