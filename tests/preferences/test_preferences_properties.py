"""Hypothesis properties of red lines and bloc rules over random small scenarios."""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import accord
from accord.analysis import analyze
from accord.scenario.decide import decide
from accord.space import grid

OPTIONS = ["none", "some", "much", "all"]


@st.composite
def scenarios(draw: st.DrawFn) -> dict[str, Any]:
    n = draw(st.integers(3, 5))
    actors = []
    for i in range(n):
        actors.append(
            {
                "id": f"a{i}",
                "capability": draw(st.integers(1, 10)),
                "positions": {"x": draw(st.integers(0, 10)), "y": draw(st.sampled_from(OPTIONS))},
                "salience": {
                    "x": draw(st.integers(1, 10)) / 10,
                    "y": draw(st.integers(1, 10)) / 10,
                },
                "red_lines": [],
            }
        )
    rule = draw(st.sampled_from(["weighted", "consensus", "quorum"]))
    bloc: dict[str, Any] = {
        "id": "bloc",
        "members": [f"a{i}" for i in range(1, n)],
        "seat": "a1",
        "rule": rule,
    }
    if rule == "quorum":
        bloc["threshold"] = draw(st.sampled_from([0.34, 0.5, 0.75, 1.0]))
    return {
        "meta": {"title": "random"},
        "issues": [
            {"id": "x", "scale": [0, 10], "status_quo": draw(st.integers(0, 10))},
            {"id": "y", "options": OPTIONS, "status_quo": draw(st.sampled_from(OPTIONS))},
        ],
        "actors": actors,
        "blocs": [bloc],
        "proposals": [
            {
                "id": f"p{j}",
                "outcome": {"x": draw(st.integers(0, 10)), "y": draw(st.sampled_from(OPTIONS))},
            }
            for j in range(2)
        ],
    }


@st.composite
def red_lines(draw: st.DrawFn) -> dict[str, Any]:
    if draw(st.booleans()):
        return {
            "issue": "x",
            "op": draw(st.sampled_from(["<=", ">="])),
            "value": draw(st.integers(0, 10)),
        }
    return {
        "issue": "y",
        "op": draw(st.sampled_from(["in", "not_in"])),
        "options": draw(st.lists(st.sampled_from(OPTIONS), min_size=1, max_size=2, unique=True)),
    }


def build(data: dict[str, Any], lines: list[tuple[int, dict[str, Any]]]) -> accord.Scenario:
    for who, rl in lines:
        data["actors"][who % len(data["actors"])]["red_lines"].append(rl)
    return accord.Scenario.model_validate(data)


def zone_of(s: accord.Scenario) -> tuple[np.ndarray, Any]:
    c = accord.compile(s)
    space = grid(c, resolution=6)
    x = space.outcomes(np.arange(space.size))
    return x, decide(c, x)


@settings(max_examples=40, deadline=None)
@given(scenarios(), st.lists(st.tuples(st.integers(0, 4), red_lines()), max_size=3))
def test_no_package_in_the_zone_breaks_a_seated_red_line(data, lines) -> None:
    s = build(data, lines)
    c = accord.compile(s)
    _, v = zone_of(s)
    seated = {
        m for j, rows in enumerate(c.seat_members) if c.seat_rules[j][0] != "quorum" for m in rows
    }
    for i, rl in enumerate(c.red_lines):
        if rl.actor in seated:
            assert np.all(v.breach[v.zone, i] == 0)
    a = analyze(s, resolution=6)
    assert a.zone_size == int(v.zone.sum())
    for key in ("nash", "kalai_smorodinsky"):
        p = a.solutions[key]
        if p is not None:
            pv = decide(c, c.normalize(p.units)[None, :])
            assert pv.all_accept[0]


@settings(max_examples=40, deadline=None)
@given(
    scenarios(),
    st.lists(st.tuples(st.integers(0, 4), red_lines()), max_size=2),
    st.integers(0, 4),
    red_lines(),
)
def test_adding_a_red_line_never_enlarges_the_zone(data, lines, who, extra) -> None:
    import copy

    before = build(copy.deepcopy(data), lines)
    after = build(copy.deepcopy(data), [*lines, (who, extra)])
    _, v0 = zone_of(before)
    _, v1 = zone_of(after)
    assert not np.any(v1.zone & ~v0.zone)
    assert analyze(after, resolution=6).zone_size <= analyze(before, resolution=6).zone_size


@settings(max_examples=40, deadline=None)
@given(scenarios(), st.lists(st.tuples(st.integers(0, 4), red_lines()), max_size=3))
def test_under_consensus_a_proposal_is_accepted_only_if_every_member_accepts(data, lines) -> None:
    data["blocs"][0]["rule"] = "consensus"
    data["blocs"][0].pop("threshold", None)
    s = build(data, lines)
    a = analyze(s, resolution=6)
    members = s.blocs[0].members
    for v in a.proposals:
        if "bloc" in v.accepted_by:
            assert all(v.actor_accepts[m] for m in members)
        else:
            assert not all(v.actor_accepts[m] for m in members)
