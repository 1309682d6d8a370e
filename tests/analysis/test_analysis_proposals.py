"""The proposal check on one issue worked by hand: u(x) = 1 − |x − p| / 10 on [0, 10].

A sits at 0, B at 10, the status quo at 5 (reservations 0.5 each): x = 5 is accepted by both
and efficient only if nothing on the frontier beats it for both, which on one issue nothing
does; x = 2 gives A 0.8 and B 0.2, so B refuses, 0.3 short.
"""

from __future__ import annotations

import numpy as np
import pytest

import accord
from accord.analysis.proposals import check_proposal, normalise_offer
from accord.errors import InputError

S = accord.Scenario.model_validate(
    {
        "meta": {"title": "one issue"},
        "issues": [
            {"id": "x", "scale": [0, 10], "status_quo": 5},
            {"id": "y", "options": ["no", "yes"], "status_quo": "no"},
        ],
        "actors": [
            {
                "id": "a",
                "capability": 1,
                "positions": {"x": 0, "y": "no"},
                "salience": {"x": 1, "y": 0},
            },
            {
                "id": "b",
                "capability": 1,
                "positions": {"x": 10, "y": "no"},
                "salience": {"x": 1, "y": 0},
            },
        ],
    }
)
C = accord.compile(S)
ISSUES = {i.id: i for i in S.issues}


def test_a_verdict_by_hand() -> None:
    x = normalise_offer(C, ISSUES, {"x": 2, "y": "no"})
    assert x == pytest.approx([0.2, 0.0])
    v = check_proposal(C, C.seats, x, np.empty((0, 2)), id="two", by="a")
    assert v.label == "two" and v.by == "a"
    assert v.outcome == {"x": "2", "y": "0"}
    assert v.margins == pytest.approx([0.3, -0.3])
    assert v.accepted_by == ("a",) and v.refused_by == ("b",)
    assert v.reasons == {"b": "below its no-deal value by 0.3"}
    assert v.efficient


def test_a_label_and_a_shown_outcome_are_kept() -> None:
    x = normalise_offer(C, ISSUES, {"x": 5, "y": "yes"})
    shown = {"x": "5", "y": "yes"}
    v = check_proposal(C, C.seats, x, np.empty((0, 2)), id="p", label="Five", shown=shown)
    assert v.label == "Five" and v.outcome == shown
    assert v.refused_by == ()


def test_a_dominated_offer_is_not_efficient() -> None:
    x = normalise_offer(C, ISSUES, {"x": 2, "y": "no"})
    frontier = np.array([[0.9, 0.3]])  # better for both than (0.8, 0.2)
    assert not check_proposal(C, C.seats, x, frontier, id="two").efficient


def test_an_offer_off_the_scale_is_refused() -> None:
    with pytest.raises(InputError, match=r"proposals\.far.*within each issue's range"):
        check_proposal(C, C.seats, np.array([1.5, 0.0]), np.empty((0, 2)), id="far")


def test_an_offer_names_each_issue_it_gets_wrong() -> None:
    with pytest.raises(InputError) as e:
        normalise_offer(C, ISSUES, {"y": "maybe"})
    text = str(e.value)
    assert "x: the offer gives no value for this issue" in text
    assert "'maybe' is not an option of issue 'y'" in text
