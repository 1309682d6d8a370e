"""A worked example checked by hand: one issue, a lone seat A and a bloc of B and C.

The issue x runs over [0, 10] with the status quo at 5; utilities are linear, one issue, so
u(x) = 1 − |x − p| / 10. A sits at 0 with a stated reservation of 0.4, so A accepts x ≤ 6.
B sits at 10 (reservation u_B(5) = 0.5: accepts x ≥ 5), C at 3 (reservation u_C(5) = 0.8:
accepts 1 ≤ x ≤ 5). B and C have equal capability.

- ``consensus``: the bloc accepts only x = 5 (B and C both); with A, the zone is {5}
  (A gains 0.1 there), size 1. At x = 6 C refuses, 0.1 short.
- ``weighted``: the bloc is one derived party at (10 + 3) / 2 = 6.5 with reservation
  u(5) = 0.85, accepting 5 ≤ x ≤ 8; with A the zone is {5, 6}, size 2.
- a red line of C, x ≤ 5.5, makes the weighted bloc refuse x = 6 too: zone {5}.
- ``quorum`` 0.5 of capability: B or C alone suffices, so the bloc accepts 1 ≤ x ≤ 10 and A
  x ≤ 6; the zone needs one seat strictly better off: A is, for x < 6, while at x = 6 A is at
  its reservation and the bloc's mean (0.6 + 0.7) / 2 = 0.65 equals its reservation
  (0.5 + 0.8) / 2. Zone {1, 2, 3, 4, 5}.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import accord
from accord.analysis import analyze
from accord.scenario.decide import decide


def scenario(rule: str = "consensus", **extra: Any) -> accord.Scenario:
    actors = [
        {
            "id": "a",
            "capability": 1,
            "positions": {"x": 0},
            "salience": {"x": 1},
            "reservation": 0.4,
        },
        {"id": "b", "capability": 1, "positions": {"x": 10}, "salience": {"x": 1}},
        {"id": "c", "capability": 1, "positions": {"x": 3}, "salience": {"x": 1}},
    ]
    for a in actors:
        a.update(extra.get(str(a["id"]), {}))
    bloc: dict[str, Any] = {"id": "bc", "members": ["b", "c"], "seat": "b", "rule": rule}
    if rule == "quorum":
        bloc["threshold"] = 0.5
    return accord.Scenario.model_validate(
        {
            "meta": {"title": "worked example"},
            "issues": [{"id": "x", "scale": [0, 10], "status_quo": 5}],
            "actors": actors,
            "blocs": [bloc],
            "proposals": [{"id": "six", "outcome": {"x": 6}}],
        }
    )


def zone_points(s: accord.Scenario) -> list[float]:
    c = accord.compile(s)
    x = np.linspace(0, 1, 11)[:, None]
    v = decide(c, x)
    return [float(u) for u in c.to_units(x[v.zone])[:, 0]]


@pytest.mark.parametrize(
    ("rule", "extra", "zone"),
    [
        ("consensus", {}, [5.0]),
        ("weighted", {}, [5.0, 6.0]),
        ("weighted", {"c": {"red_lines": [{"issue": "x", "op": "<=", "value": 5.5}]}}, [5.0]),
        ("quorum", {}, [1.0, 2.0, 3.0, 4.0, 5.0]),
    ],
)
def test_zone_by_hand(rule: str, extra: dict[str, Any], zone: list[float]) -> None:
    s = scenario(rule, **extra)
    assert zone_points(s) == pytest.approx(zone)
    a = analyze(s)
    assert a.zone_size == len(zone)


def test_consensus_seat_utility_is_the_members_mean() -> None:
    c = accord.compile(scenario("consensus"))
    x = np.array([[0.6]])
    # B: 1 − 4/10 = 0.6, C: 1 − 3/10 = 0.7; equal capability: 0.65; reservation (0.5 + 0.8)/2
    assert c.seats.ids == ("bc", "a")
    assert c.utility(c.seats, x)[0, 0] == pytest.approx(0.65)
    assert c.seats.reservation[0] == pytest.approx(0.65)


def test_proposal_verdict_and_reason_by_hand() -> None:
    weighted = {v.id: v for v in analyze(scenario("weighted")).proposals}["six"]
    assert weighted.refused_by == ()
    v = {v.id: v for v in analyze(scenario("consensus")).proposals}["six"]
    assert v.accepted_by == ("a",) and v.refused_by == ("bc",)
    assert v.actor_accepts == {"a": True, "b": True, "c": False}
    assert v.reasons == {"c": "below its no-deal value by 0.1"}


def test_red_line_reason_and_relaxation_by_hand() -> None:
    s = scenario("weighted", c={"red_lines": [{"issue": "x", "op": "<=", "value": 5.5}]})
    v = {v.id: v for v in analyze(s).proposals}["six"]
    assert v.refused_by == ("bc",)
    assert v.broken == (("c", "x ≤ 5.5", pytest.approx(0.5)),)
    assert v.broken_lines() == [("c", "x ≤ 5.5", "0.5")]
    finding = analyze(s).red_lines[0]
    # x = 6 is the one package only this red line keeps out; it breaks it by 0.5
    assert finding.binds and finding.excluded == 1 and finding.relaxation == pytest.approx(0.5)
    assert finding.relaxed == "x ≤ 6"


def test_smallest_relaxation_when_the_zone_is_empty() -> None:
    # A's red line x >= 7 empties the zone (the bloc accepts at most 8, A then at most 6
    # by utility... so give A a low reservation): the relaxation from 7 to 5 opens {5, 6}.
    s = scenario(
        "weighted",
        a={"reservation": 0.1, "red_lines": [{"issue": "x", "op": ">=", "value": 9}]},
    )
    a = analyze(s)
    assert a.zone_empty
    best = a.smallest_relaxation
    assert best is not None and best.actor == "a" and best.relaxation == pytest.approx(1.0)
    assert best.relaxed == "x ≥ 8"


def test_piecewise_and_power_shapes_by_hand() -> None:
    s = scenario(
        "weighted",
        a={"shapes": {"x": {"kind": "piecewise", "points": [[0, 1], [4, 0.9], [10, 0]]}}},
        c={"shapes": {"x": {"kind": "power", "exponent": 2}}},
    )
    c = accord.compile(s)
    u = c.utility(c.actors, np.array([[0.2], [0.7]]))
    assert u[0, 0] == pytest.approx(0.95) and u[1, 0] == pytest.approx(0.45)
    # C at 3 with exponent 2: 1 − 0.1² at x = 2, 1 − 0.4² at x = 7
    assert u[0, 2] == pytest.approx(0.99) and u[1, 2] == pytest.approx(0.84)


def test_actors_decide_for_themselves_by_hand() -> None:
    """``parties="actors"``: at x = 6 A is at its reservation, B gains, C is 0.1 short."""
    c = accord.compile(scenario("consensus"))
    v = decide(c, np.array([[0.5], [0.6]]), parties="actors")
    assert v.parties == ("a", "b", "c")
    assert v.accepts.tolist() == [[True, True, True], [True, True, False]]
    assert np.array_equal(v.accepts, v.actor_accepts)
    assert v.margin[1] == pytest.approx([0.0, 0.1, -0.1])
    assert v.zone.tolist() == [True, False]


def test_an_actor_red_line_makes_it_refuse_by_hand() -> None:
    s = scenario("weighted", c={"red_lines": [{"issue": "x", "op": "<=", "value": 5.5}]})
    v = decide(accord.compile(s), np.array([[0.5], [0.6]]), parties="actors")
    assert v.feasible[:, 2].tolist() == [True, False]
    assert v.accepts[1].tolist() == [True, True, False]
    assert v.breach[:, 0] == pytest.approx([0.0, 0.5])


def test_reservations_moved_by_the_caller() -> None:
    """The clocks move reservations: with every actor's at 0 the consensus bloc and A accept
    every package; with A's seat raised to 1 it accepts only its ideal point, x = 0."""
    c = accord.compile(scenario("consensus"))
    x = np.linspace(0, 1, 11)[:, None]
    assert decide(c, x, reservation=np.zeros(2), actor_reservation=np.zeros(3)).all_accept.all()
    assert decide(c, x, reservation=np.ones(2)).accepts[:, 1].tolist() == [True] + [False] * 10


@pytest.mark.parametrize(("by", "accepts_at_2"), [("capability", False), ("members", True)])
def test_quorum_by_capability_or_by_members(by: str, accepts_at_2: bool) -> None:
    """B (capability 3) refuses x = 2 (0.2 < 0.5), C (capability 1) accepts it (0.9 ≥ 0.8):
    C holds a quarter of the capability but half of the members."""
    s = scenario("quorum", b={"capability": 3})
    blocs = [s.blocs[0].model_copy(update={"quorum_by": by})]
    c = accord.compile(s.model_copy(update={"blocs": blocs}))
    v = decide(c, np.array([[0.2]]))
    assert v.actor_accepts[0].tolist() == [True, False, True]
    assert bool(v.accepts[0, 0]) is accepts_at_2


def test_arrays_passed_in_give_the_same_verdicts() -> None:
    s = scenario("weighted", c={"red_lines": [{"issue": "x", "op": "<=", "value": 5.5}]})
    c = accord.compile(s)
    x = np.linspace(0, 1, 11)[:, None]
    plain = decide(c, x)
    known = decide(
        c,
        x,
        utility=c.utility(c.seats, x),
        actor_utility=c.utility(c.actors, x),
        breach=plain.breach,
    )
    for field in ("utility", "accepts", "feasible", "actor_accepts", "breach"):
        assert np.array_equal(getattr(plain, field), getattr(known, field))


def test_red_lines_read_in_labels_and_units() -> None:
    import accord

    c = accord.compile(accord.load("almaty-2013"))
    texts = {r.text for r in c.red_lines}
    assert "Maximum enrichment level ≤ 5 % U-235" in texts
    assert "Fordow enrichment plant not dismantled" in texts
    assert any(t.startswith("breakout time ≥ ") and t.endswith(" months") for t in texts)
    plan = {v.id: v for v in accord.analyze(c).proposals}["iran_plan"]
    assert {by for _, _, by in plan.broken_lines()} == {"15 % U-235"}
    option_line = next(r for r in c.red_lines if r.allowed is not None)
    assert option_line.amount(1.0) is None
