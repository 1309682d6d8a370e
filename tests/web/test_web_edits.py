"""The editor's changes, set at their field paths through `accord.scenario.numbers`."""

from __future__ import annotations

import pytest

import accord
from accord.errors import InputError
from accord.scenario import Estimate, Scenario
from accord.web.edits import EDITABLE, Changes, apply_changes


def test_an_edited_estimate_keeps_its_source_and_range(almaty: Scenario) -> None:
    s = apply_changes(
        almaty, Changes(edits={"us": {"capability": 90, "salience": {"fordow": 0.3}}})
    )
    cap, before = s.actor("us").capability, almaty.actor("us").capability
    assert isinstance(cap, Estimate) and isinstance(before, Estimate)
    assert cap.value == 90 and (cap.source, cap.range) == (before.source, before.range)
    assert s.salience_of(s.actor("us"), "fordow") == 0.3
    assert s.actor("uk") == almaty.actor("uk")


def test_the_status_quo_is_set_by_label(almaty: Scenario) -> None:
    s = apply_changes(almaty, Changes(status_quo={"fordow": "suspended"}))
    assert s.issue("fordow").show(s.status_quo_of("fordow")) == "suspended"
    assert s.issue("fordow").status_quo.source == almaty.issue("fordow").status_quo.source  # type: ignore[union-attr]


def test_only_the_declared_numbers_can_be_edited(almaty: Scenario) -> None:
    assert sorted(EDITABLE) == ["capability", "positions", "salience"]
    with pytest.raises(InputError) as e:
        apply_changes(
            almaty,
            Changes(edits={"us": {"risk": 1, "capability": "lots", "salience": {"fordow": "x"}}}),
        )
    assert [str(p) for p in e.value.problems] == [
        "edits.us.risk = 1: only capability, positions and salience can be edited",
        "edits.us.capability = 'lots': expected a number",
        "edits.us.salience.fordow = 'x': expected a number",
    ]


def test_a_new_position_for_an_added_issue_is_set() -> None:
    trade = accord.load("teaching-trade")
    issue = {"id": "extra", "scale": [0, 10], "status_quo": 2}
    edits = {"buyer": {"positions": {"extra": 7}}}
    s = apply_changes(trade, Changes(add_issues=[issue], edits=edits))
    assert s.position_of(s.actor("buyer"), "extra") == 7
    assert s.position_of(s.actor("seller"), "extra") == 2
