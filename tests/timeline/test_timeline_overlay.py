"""Overlay semantics: only named fields change; the status quo carries forward; new issues
get a status quo."""

from __future__ import annotations

import textwrap

import pytest

from accord.errors import InputError
from accord.scenario import Scenario
from accord.timeline import Overlay, apply_overlay, read_timeline


@pytest.fixture(scope="module")
def teaching_trade_scenario() -> Scenario:
    """A small two-party scenario to overlay."""
    import accord

    return accord.load("teaching-trade")


def _timeline(rounds: str) -> str:
    head = """
    format: accord-timeline/1
    meta: {title: test}
    base: teaching-trade
    rounds:
    """
    return textwrap.dedent(head) + textwrap.indent(textwrap.dedent(rounds), "  ")


def test_only_named_fields_change(teaching_trade_scenario: Scenario) -> None:
    s = teaching_trade_scenario
    actor = s.actors[0]
    issue = s.issues[0]
    o = Overlay.model_validate(
        {"actors": {actor.id: {"positions": {issue.id: s.status_quo_of(issue.id)}}}}
    )
    out = apply_overlay(s, o)
    changed = out.actor(actor.id)
    assert changed.salience == actor.salience
    assert changed.capability == actor.capability
    for iid, v in actor.positions.items():
        if iid != issue.id:
            assert changed.positions[iid] == v
    assert out.actors[1:] == s.actors[1:]
    assert out.issues == s.issues


def test_new_issue_has_status_quo_and_no_stake_by_default(
    teaching_trade_scenario: Scenario,
) -> None:
    s = teaching_trade_scenario
    a0 = s.actors[0].id
    o = Overlay.model_validate(
        {
            "add_issues": [
                {
                    "id": "extra",
                    "scale": [0, 10],
                    "status_quo": 4,
                    "positions": {a0: 9},
                    "salience": {a0: 0.5},
                }
            ]
        }
    )
    out = apply_overlay(s, o)
    assert out.status_quo_of("extra") == 4
    assert out.actor(a0).positions["extra"] == 9
    other = out.actors[1]
    assert other.positions["extra"] == 4
    assert other.salience["extra"] == 0.0


def test_missing_actor_or_issue_is_a_clean_error(teaching_trade_scenario: Scenario) -> None:
    s = teaching_trade_scenario
    with pytest.raises(InputError, match="no such actor"):
        apply_overlay(s, Overlay.model_validate({"actors": {"nobody": {"capability": 3}}}))
    a0 = s.actors[0].id
    with pytest.raises(InputError, match="no such issue"):
        apply_overlay(s, Overlay.model_validate({"actors": {a0: {"positions": {"nothing": 1}}}}))
    with pytest.raises(InputError, match="no such issue"):
        apply_overlay(s, Overlay.model_validate({"issues": {"nothing": {"status_quo": 1}}}))


def test_status_quo_carries_forward_and_overlay_sets_it() -> None:
    text = _timeline(
        """
        - id: r1
          date: 2020-01-01
        - id: r2
          date: 2020-03-01
        - id: r3
          date: 2020-05-01
          changes:
            issues: {price: {status_quo: 105, source: judgement}}
        """
    )
    tl = read_timeline(text)
    sq = [r.scenario.status_quo_of("price") for r in tl.rounds]
    assert sq[0] == sq[1]
    assert sq[2] == 105


def test_clocks_move_the_status_quo_between_rounds() -> None:
    tl = read_timeline(
        textwrap.dedent(
            """
            format: accord-timeline/1
            meta: {title: test}
            base: almaty-2013
            rounds:
              - {id: a, date: 2013-04-06}
              - {id: b, date: 2013-06-06}
            """
        )
    )
    a, b = tl.rounds
    months = b.elapsed_months
    assert months == pytest.approx(2.0, abs=0.02)
    grown = b.scenario.status_quo_of("stockpile_20") - a.scenario.status_quo_of("stockpile_20")
    assert grown == pytest.approx(5 * months, rel=1e-6)
    assert b.cost_offsets["khamenei"] == pytest.approx(-0.005 * months, rel=1e-6)
    assert b.cost_offsets["us"] == 0.0


def test_validation_error_names_file_line_and_field() -> None:
    text = _timeline(
        """
        - id: r1
          date: 2020-01-01
          changes:
            actors:
              ghost: {capability: 2}
        """
    )
    with pytest.raises(InputError) as e:
        read_timeline(text, "t.yaml")
    (p,) = e.value.problems
    assert p.file == "t.yaml"
    assert p.line is not None and p.line >= 6
    assert "ghost" in str(p)


def test_rounds_out_of_order_are_refused() -> None:
    text = _timeline(
        """
        - {id: r1, date: 2020-05-01}
        - {id: r2, date: 2020-01-01}
        """
    )
    with pytest.raises(InputError, match="date order"):
        read_timeline(text)


def test_deal_in_force_becomes_the_status_quo() -> None:
    text = _timeline(
        """
        - id: r1
          date: 2020-01-01
          proposals:
            - {id: deal, by: both, outcome: {price: 103}}
          outcome: interim deal
          agreed: deal
        - {id: r2, date: 2020-02-01}
        """
    )
    tl = read_timeline(text)
    assert tl.rounds[1].scenario.status_quo_of("price") == 103
    assert tl.rounds[1].in_force == "deal"
    assert tl.rounds[1].scenario.proposals == ()


def test_red_lines_and_bloc_rule_change_by_overlay() -> None:
    text = textwrap.dedent(
        """
        format: accord-timeline/1
        meta: {title: test}
        base: almaty-2013
        rounds:
          - {id: a, date: 2013-04-06}
          - id: b
            date: 2013-06-06
            changes:
              actors:
                us:
                  red_lines:
                    - {metric: breakout_months, op: ">=", value: 12, source: judgement}
              blocs: {p5plus1: {rule: weighted}}
        """
    )
    tl = read_timeline(text)
    a, b = (r.scenario for r in tl.rounds)
    assert len(a.actor("us").red_lines) == 2
    (only,) = b.actor("us").red_lines
    assert only.metric == "breakout_months" and only.value == 12
    assert a.actor("uk").red_lines == b.actor("uk").red_lines
    assert next(x for x in b.blocs if x.id == "p5plus1").rule == "weighted"
    assert next(x for x in a.blocs if x.id == "p5plus1").rule == "consensus"
