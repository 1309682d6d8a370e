"""End-to-end: `accord breakout` and `accord clock`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from accord.cli.main import app

runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    r = runner.invoke(app, list(args))
    return r.exit_code, r.stdout, r.stderr


def test_breakout_compares_builtin_states() -> None:
    code, out, _ = run("breakout")
    assert code == 0
    for name in ("feb-2013", "may-2013", "jcpoa"):
        assert name in out


def test_breakout_of_may_2013_json() -> None:
    code, out, _ = run("breakout", "may-2013", "--reconfigure", "0", "--json")
    assert code == 0
    data = json.loads(out)
    paths = {p["path"]: p for p in data["breakout"]["paths"]}
    assert paths["from 19.75 %"]["months"] == pytest.approx(0.70, abs=0.01)
    assert paths["from 19.75 %"]["steps"][0]["swu"] == pytest.approx(423, abs=1)
    assert data["state"]["capacity_swu_per_year"] == pytest.approx(7275)


def test_breakout_table_lists_paths_and_steps() -> None:
    code, out, _ = run("breakout", "feb-2013")
    assert code == 0
    assert "Breakout months by feed path" in out and "all stocks" in out and "Steps" in out


def test_breakout_from_options_and_file(tmp_path: Path) -> None:
    code, out, _ = run(
        "breakout",
        "--stock",
        "19.75%=182",
        "--machines",
        "IR-1=9700",
        "--reconfigure",
        "0",
        "--json",
    )
    assert code == 0
    assert json.loads(out)["breakout"]["months"] == pytest.approx(0.70, abs=0.01)
    f = tmp_path / "state.yaml"
    f.write_text(
        "stocks:\n  - {assay: 0.1975, kg_u: 123.03}\nmachines:\n"
        "  - {type: IR-1, operating: 9700}\n",
        encoding="utf-8",
    )
    code, out, _ = run("breakout", str(f), "--reconfigure", "0", "--json", "--target", "sq")
    assert code == 0
    assert json.loads(out)["breakout"]["target"] == "sq"
    _, out2, _ = run("breakout", str(f), "--capacity", "14550", "--reconfigure", "0", "--json")
    assert json.loads(out2)["breakout"]["months"] == pytest.approx(0.35, abs=0.01)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("breakout", "--stock", "20%=lots"), "expected a number"),
        (("breakout", "--stock", "150%=1"), "assay"),
        (("breakout", "--machines", "IR-9=10"), "SWU/yr"),
        (("breakout", "nov-2013"), "not a built-in state"),
        (("breakout", "may-2013", "--target", "bomb"), "isis or sq"),
        (("clock", "almaty-2013", "--unit", "fortnight"), "time unit"),
        (("clock", "almaty-2013", "--months", "-1"), "horizon"),
        (("clock", "no-such-scenario"), "unknown"),
    ],
)
def test_bad_input_exits_2_with_a_message(args: tuple[str, ...], message: str) -> None:
    code, _, err = run(*args)
    assert code == 2
    assert message in err and "Traceback" not in err


def test_bad_state_file_names_the_file(tmp_path: Path) -> None:
    f = tmp_path / "bad.yaml"
    f.write_text("stocks:\n  - {assay: 0.2, kg_uf6: -5}\n", encoding="utf-8")
    code, _, err = run("breakout", str(f))
    assert code == 2 and "bad.yaml" in err and "stocks[0].kg_uf6" in err


def test_clock_on_almaty_text() -> None:
    code, out, _ = run("clock", "almaty-2013", "--months", "12")
    assert code == 0
    assert "Who gains from delay" in out and "agreement zone" in out
    assert "jcpoa" in out and "months now" in out


def test_clock_json_and_units() -> None:
    code, out, _ = run("clock", "almaty-2013", "--months", "6", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["times"] == [0, 1, 2, 3, 4, 5, 6]
    assert set(data["proposal_breakout_months"]) == {"almaty_offer", "iran_plan", "jpoa", "jcpoa"}
    code, out, _ = run("clock", "teaching-trade", "--months", "3", "--unit", "week")
    assert code == 0 and "week" in out


DOCS = Path(__file__).resolve().parents[2] / "docs"


@pytest.mark.parametrize("page", ["breakout.md", "clocks.md"])
def test_every_command_in_the_docs_runs(
    page: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "my-state.yaml").write_text(
        "stocks:\n  - {assay: 0.035, kg_uf6: 1000}\nmachines:\n  - {type: IR-1, operating: 100}\n",
        encoding="utf-8",
    )
    lines = (DOCS / page).read_text(encoding="utf-8").splitlines()
    commands = [ln.split("#")[0].split()[2:] for ln in lines if ln.startswith("$ accord ")]
    assert commands
    for args in commands:
        r = runner.invoke(app, args)
        assert r.exit_code == 0, (args, r.stderr)


@pytest.mark.parametrize("page", ["breakout.md", "clocks.md"])
def test_every_python_example_in_the_docs_runs(page: str) -> None:
    text = (DOCS / page).read_text(encoding="utf-8")
    blocks = [b.split("```", 1)[0] for b in text.split("```python\n")[1:]]
    assert blocks
    for block in blocks:
        exec(compile(block, page, "exec"), {})


def test_clock_reports_the_red_line_no_deal_crosses() -> None:
    from typer.testing import CliRunner

    from accord.cli.main import app

    r = CliRunner().invoke(app, ["clock", "almaty-2013", "--months", "24"])
    assert r.exit_code == 0, r.output
    out = " ".join(r.output.split())
    assert "red line crossed by the no-deal path at month 15: Israel" in out
    assert "proposal jpoa: every seat accepts it never" in out
