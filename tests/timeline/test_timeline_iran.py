"""The built-in Iran timeline, 2012–2015: rounds, breakout, consistency with almaty-2013, CLI."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

import accord
from accord.analysis import analyze
from accord.cli.main import app
from accord.timeline import LoadedTimeline, TimelineResult

DOCS = Path(__file__).resolve().parents[2] / "docs" / "iran-2012-2015.md"
runner = CliRunner()


@pytest.fixture(scope="module")
def result(iran_result: TimelineResult) -> TimelineResult:
    """The timeline run once for the session (conftest)."""
    return iran_result


def test_rounds_and_issues(iran: LoadedTimeline) -> None:
    ids = [r.round.id for r in iran.rounds]
    assert ids == [
        "istanbul-2012",
        "baghdad-2012",
        "moscow-2012",
        "almaty1-2013",
        "almaty2-2013",
        "rouhani-2013",
        "geneva-2013",
        "lausanne-2015",
        "vienna-2015",
    ]
    last = iran.rounds[-1].scenario
    for new in ("stockpile_leu", "arak", "recognition", "duration"):
        assert new in last.issue_ids
    assert "zarif" in last.actor_ids and "jalili" not in last.actor_ids
    iran_bloc = next(b for b in last.blocs if b.id == "iran")
    assert iran_bloc.seat == "zarif"


def test_every_changed_number_is_sourced(iran: LoadedTimeline) -> None:
    from accord.scenario.numbers import cited_numbers

    for r in iran.rounds:
        unsourced = [
            path
            for path, v, inherited in cited_numbers(r.scenario)
            if not inherited and not (hasattr(v, "sourced") and v.sourced)
        ]
        assert unsourced == [], r.round.id


def test_red_lines_broken_are_reported(result: TimelineResult) -> None:
    baghdad = next(r for r in result.rounds if r.id == "baghdad-2012")
    sss = next(v for v in baghdad.verdicts if v.id == "stop_ship_shut")
    assert ("khamenei", "Fordow enrichment plant not dismantled") in {
        (a, t) for a, t, _ in sss.red_lines_broken
    }
    assert not sss.all_seats and sss.seat_accepts["p5plus1"]
    vienna = result.rounds[-1]
    assert vienna.verdicts[0].red_lines_broken == ()


def test_jcpoa_breakout_follows_from_its_limits(result: TimelineResult) -> None:
    vienna = result.rounds[-1]
    jcpoa = next(v for v in vienna.verdicts if v.id == "jcpoa")
    assert jcpoa.breakout_months is not None and jcpoa.breakout_months >= 9
    assert vienna.status_quo_breakout is not None
    assert vienna.status_quo_breakout < jcpoa.breakout_months


def test_almaty_round_keeps_the_verdicts_of_almaty_2013(iran: LoadedTimeline) -> None:
    base = accord.load("almaty-2013")
    r = next(r for r in iran.rounds if r.round.id == "almaty2-2013").scenario
    for a in base.actors:
        for iid in base.issue_ids:
            assert r.position_of(r.actor(a.id), iid) == base.position_of(a, iid)
            assert r.salience_of(r.actor(a.id), iid) == base.salience_of(a, iid)
    for iid in base.issue_ids:
        assert r.status_quo_of(iid) == base.status_quo_of(iid)
    old = {v.id: v for v in analyze(base).proposals}
    new = {v.id: v for v in analyze(r).proposals}
    assert old["almaty_offer"].accepted_by == new["almaty_offer"].accepted_by == ("p5plus1",)
    assert old["almaty_offer"].refused_by == new["almaty_offer"].refused_by == ("iran",)
    assert old["iran_plan"].accepted_by == new["iran_plan"].accepted_by == ("iran",)
    for a in base.actors:
        assert r.actor(a.id).red_lines == a.red_lines


def test_retrodiction_scores_follow_the_verdicts(result: TimelineResult) -> None:
    scores = {s.round: s for s in result.retrodiction.scores}
    assert "istanbul-2012" not in scores and "rouhani-2013" not in scores
    for r in result.rounds:
        if r.id not in scores:
            continue
        s = scores[r.id]
        if r.agreed:
            v = next(v for v in r.verdicts if v.id == r.agreed)
            assert s.hit_seats == v.all_seats
            assert s.hit_members == v.all_members
        else:
            assert s.hit_seats == (not any(v.all_seats for v in r.verdicts))
            assert s.hit_members == (not any(v.all_members for v in r.verdicts))
    n = len(scores)
    assert result.retrodiction.rate("seats") == result.retrodiction.hits("seats") / n


def test_docs_hit_table_matches_the_run(result: TimelineResult) -> None:
    text = DOCS.read_text(encoding="utf-8")
    for rule in ("seats", "members"):
        m = re.search(rf"hit rate \({rule}\): \*\*(\d+) of (\d+)\*\*", text, re.I)
        assert m, f"docs give no hit rate for {rule}"
        assert int(m.group(1)) == result.retrodiction.hits(rule)
        assert int(m.group(2)) == len(result.retrodiction.scores)


def test_cli_table_and_json() -> None:
    out = runner.invoke(app, ["timeline", "iran-2012-2015", "--model", "compromise"])
    assert out.exit_code == 0, out.output
    assert "Retrodiction" in out.output and "Hit rate" in out.output
    js = runner.invoke(app, ["timeline", "iran-2012-2015", "--model", "compromise", "--json"])
    data = json.loads(js.output)
    rnd = data["rounds"][-1]
    for key in (
        "zone_share",
        "offer_gap",
        "no_deal",
        "status_quo_breakout",
        "verdicts",
        "forecasts",
    ):
        assert key in rnd
    assert rnd["verdicts"][0]["member_margin"]["p5plus1"]["france"] is not None
    assert rnd["verdicts"][0]["member_accepts"]["iran"]["khamenei"] in (True, False)
    assert any(f["binds"] for f in rnd["red_lines"])
    assert data["retrodiction"]["scored"] == 7


def test_cli_bad_overlay_exits_2(tmp_path: Path) -> None:
    f = tmp_path / "bad.yaml"
    f.write_text(
        "format: accord-timeline/1\nmeta: {title: t}\nbase: almaty-2013\nrounds:\n"
        "  - id: r1\n    date: 2013-04-06\n    changes:\n      issues:\n"
        "        arak: {status_quo: frozen}\n",
        encoding="utf-8",
    )
    out = runner.invoke(app, ["timeline", str(f)])
    assert out.exit_code == 2
    assert "no such issue" in out.output and "bad.yaml:9" in out.output
    assert "Traceback" not in out.output


def test_listed_among_scenarios() -> None:
    out = runner.invoke(app, ["list", "scenarios"])
    assert out.exit_code == 0
    assert "iran-2012-2015" in out.output


def test_cli_scenario_name_is_not_a_timeline() -> None:
    out = runner.invoke(app, ["timeline", "almaty-2013"])
    assert out.exit_code == 2
    assert "a scenario, not a timeline" in out.output


def test_succession_and_deal_in_force(iran: LoadedTimeline) -> None:
    by_id = {r.round.id: r for r in iran.rounds}
    before, after = by_id["almaty2-2013"], by_id["rouhani-2013"]
    clock = next(c for c in after.scenario.clocks if c.id == "sanctions_cost_negotiator")
    assert clock.actor == "zarif"
    months = after.elapsed_months
    expected = before.cost_offsets["jalili"] - 0.005 * months
    assert after.cost_offsets["zarif"] == pytest.approx(expected, rel=1e-6)
    lausanne = by_id["lausanne-2015"]
    assert lausanne.in_force == "jpoa"
    assert {c.kind for c in lausanne.scenario.clocks} == {"cost"}
    jpoa = by_id["geneva-2013"].scenario.proposal("jpoa")
    assert lausanne.scenario.status_quo_of("enrichment_level") == jpoa.outcome["enrichment_level"]
    assert lausanne.scenario.status_quo_of("stockpile_leu") == 10000
    assert "stockpile_leu" in lausanne.set_from_source


def test_validate_checks_timelines(tmp_path: Path) -> None:
    ok = runner.invoke(app, ["validate", "iran-2012-2015"])
    assert ok.exit_code == 0 and "9 rounds" in ok.output
    f = tmp_path / "t.yaml"
    f.write_text(
        "format: accord-timeline/1\nmeta: {title: t}\nbase: almaty-2013\nrounds:\n"
        "  - id: r1\n    date: 2013-04-06\n    changes:\n      actors: {ghost: {capability: 1}}\n",
        encoding="utf-8",
    )
    bad = runner.invoke(app, ["validate", str(f)])
    assert bad.exit_code == 2
    assert "t.yaml:8" in bad.output and "no such actor" in bad.output
