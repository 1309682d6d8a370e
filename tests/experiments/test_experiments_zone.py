"""Zone existence over many draws (`accord.analysis.zone_batch`) is `analyze`'s answer, draw by
draw: on every built-in scenario, on Almaty's own uncertain inputs (red lines on metrics, metric
terms, a consensus bloc, a drawn status quo that moves the grid), on random small scenarios with
red lines and bloc rules, and where `analyze` samples a space too large to enumerate."""

from __future__ import annotations

import copy
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import accord
from accord.analysis import analyze
from accord.analysis.zone_batch import ZoneBatch
from accord.experiments.arrays import Targets, reparam
from accord.experiments.montecarlo import design, monte_carlo
from accord.experiments.rundir import csv_text
from accord.experiments.tasks import ZoneTask
from accord.experiments.uncertain import perturb, uncertain_numbers
from accord.scenario import Compiled, Scenario, builtin_names, compile


def _reference(c: Compiled, **kw: Any) -> bool:
    """What a per-draw Monte-Carlo run of `accord run` reads: analyze's zone, no explanations."""
    return not analyze(c, n_packages=1, offers={}, explain=False, **kw).zone_empty


def _draws(s: Scenario, n: int, seed: int) -> tuple[list[Any], np.ndarray]:
    params = uncertain_numbers(s)
    unit = design("lhs", n, len(params), seed)
    assert unit is not None
    values = np.column_stack([p.ppf(unit[:, j]) for j, p in enumerate(params)])
    return params, values


def test_almaty_draws_agree_with_analyze_on_the_perturbed_scenario(almaty: Scenario) -> None:
    c = compile(almaty)
    params, values = _draws(almaty, 10, seed=6)
    t = Targets.of(c, params)
    got = ZoneBatch(c).many(t.compiled_all(c, values))
    want = [_reference(compile(perturb(almaty, params, row))) for row in values]
    assert got.tolist() == want
    assert 0 < got.sum() < len(got), "the draws should open the zone in some runs only"


def test_a_drawn_red_line_threshold_is_honoured(almaty: Scenario) -> None:
    """Khamenei's enrichment floor decides the zone at the nominal inputs: above 4 % no grid
    package keeps it (the P5+1 hold 5 %, the grid steps by 2 %). The draw moves only that
    number, which no forecast reads; the zone must move with it."""
    c = compile(almaty)
    params = [p for p in uncertain_numbers(almaty) if p.name == "actors.khamenei.red_lines.0.value"]
    t = Targets.of(c, params)
    assert t.kind == ("red_line",)
    low, high = t.compiled_all(c, np.array([[3.5], [4.5]]))
    zb = ZoneBatch(c)
    assert zb.exists(low) == _reference(compile(perturb(almaty, params, [3.5])))
    assert zb.exists(high) == _reference(compile(perturb(almaty, params, [4.5]))) is False


@pytest.mark.parametrize("name", builtin_names())
def test_every_builtin_scenario_agrees_with_analyze(name: str) -> None:
    """At the scenario's own numbers and with actors' positions and saliences redrawn."""
    c = compile(accord.load(name))
    rng = np.random.default_rng(3)
    draws = [c] + [
        reparam(
            c,
            position=rng.random(c.actors.position.shape),
            salience=rng.random(c.actors.salience.shape),
        )
        for _ in range(3)
    ]
    zb = ZoneBatch(c, resolution=5)
    assert zb.many(draws).tolist() == [_reference(d, resolution=5) for d in draws]


def test_a_sampled_space_is_judged_on_analyzes_sample(almaty: Scenario) -> None:
    """Over ``enumerate_limit`` analyze judges a seeded uniform sample; so does the batch."""
    c = compile(almaty)
    params, values = _draws(almaty, 6, seed=2)
    kw: dict[str, Any] = {"enumerate_limit": 1000, "samples": 3000, "seed": 5}
    draws = Targets.of(c, params).compiled_all(c, values)
    got = ZoneBatch(c, **kw).many(draws)
    assert got.tolist() == [_reference(d, **kw) for d in draws]
    assert analyze(draws[0], explain=False, **kw).sampled


def test_an_unconstrained_space_over_the_limit_gets_analyzes_exact_answer() -> None:
    c = compile(accord.load("teaching-budget"))
    rng = np.random.default_rng(8)
    draws = [reparam(c, position=rng.random(c.actors.position.shape)) for _ in range(4)]
    kw: dict[str, Any] = {"enumerate_limit": 50}
    zb = ZoneBatch(c, **kw)
    assert zb.many(draws).tolist() == [_reference(d, **kw) for d in draws]


def test_the_zone_share_is_analyzes_enumerated_or_sampled(almaty: Scenario) -> None:
    """`ZoneBatch.share` judges every package left, on the grid or on analyze's sample."""
    c = compile(almaty)
    params, values = _draws(almaty, 6, seed=6)
    draws = Targets.of(c, params).compiled_all(c, values)
    budget = compile(accord.load("teaching-budget"))
    cases: list[tuple[Compiled, dict[str, Any]]] = [(d, {}) for d in draws[:3]]
    cases += [(d, {"enumerate_limit": 1000, "samples": 3000}) for d in draws[3:]]
    cases += [(budget, {}), (budget, {"enumerate_limit": 50})]
    for d, kw in cases:
        a = analyze(d, n_packages=1, offers={}, explain=False, seed=9, **kw)
        assert ZoneBatch(c if d is not budget else budget, **kw).share(d, seed=9) == (
            not a.zone_empty,
            a.zone_share,
        )
    assert any(ZoneBatch(c).share(d)[1] > 0 for d in draws)


def test_zone_task_batched_has_the_bytes_of_the_per_draw_task(almaty: Scenario) -> None:
    """The sweep task ``zone``: each run's sample seed comes from its own generator."""
    for plan, n in (("lhs", 5), ("random", 3)):
        fast = monte_carlo(almaty, ZoneTask(), draws=n, seed=4, plan=plan)
        slow = monte_carlo(almaty, ZoneTask(batched=False), draws=n, seed=4, plan=plan)
        assert csv_text(fast.runs) == csv_text(slow.runs)


OPTIONS = ["none", "some", "much", "all"]


def _est(draw: st.DrawFn, lo: float, hi: float) -> dict[str, Any]:
    a, b = sorted((draw(st.floats(lo, hi)), draw(st.floats(lo, hi))))
    return {"value": (a + b) / 2, "range": [a, b], "judgement": True, "note": "test"}


@st.composite
def uncertain_scenarios(draw: st.DrawFn) -> dict[str, Any]:
    """3–5 actors on a continuous and an options issue, every kind of number uncertain, a
    bloc of all but the first actor under a random rule, red lines with drawn thresholds."""
    n = draw(st.integers(3, 5))
    actors = []
    for i in range(n):
        a: dict[str, Any] = {
            "id": f"a{i}",
            "capability": _est(draw, 1, 10),
            "positions": {"x": _est(draw, 0, 10), "y": draw(st.sampled_from(OPTIONS))},
            "salience": {"x": _est(draw, 0.1, 1), "y": draw(st.integers(1, 10)) / 10},
            "red_lines": [],
        }
        if draw(st.booleans()):
            a["reservation"] = _est(draw, 0.2, 0.9)
        if draw(st.booleans()):
            a["red_lines"].append(
                {
                    "issue": "x",
                    "op": draw(st.sampled_from(["<=", ">="])),
                    "value": _est(draw, 0, 10),
                }
            )
        if draw(st.booleans()):
            a["red_lines"].append(
                {"issue": "y", "op": "not_in", "options": [draw(st.sampled_from(OPTIONS))]}
            )
        actors.append(a)
    rule = draw(st.sampled_from(["weighted", "consensus", "quorum"]))
    members = [f"a{i}" for i in range(1, n)]
    bloc: dict[str, Any] = {"id": "bloc", "members": members, "seat": "a1", "rule": rule}
    if rule == "quorum":
        bloc["threshold"] = draw(st.sampled_from([0.34, 0.5, 0.75, 1.0]))
    return {
        "meta": {"title": "random"},
        "issues": [
            {"id": "x", "scale": [0, 10], "status_quo": _est(draw, 0, 10)},
            {"id": "y", "options": OPTIONS, "status_quo": draw(st.sampled_from(OPTIONS))},
        ],
        "actors": actors,
        "blocs": [bloc],
    }


@settings(max_examples=30, deadline=None)
@given(uncertain_scenarios(), st.integers(0, 2**16))
def test_random_scenarios_with_red_lines_and_rules_agree_with_analyze(
    data: dict[str, Any], seed: int
) -> None:
    s = Scenario.model_validate(copy.deepcopy(data))
    c = compile(s)
    params, values = _draws(s, 4, seed)
    t = Targets.of(c, params)
    assert t.complete
    got = ZoneBatch(c, resolution=6).many(t.compiled_all(c, values))
    want = [_reference(compile(perturb(s, params, row)), resolution=6) for row in values]
    assert got.tolist() == want
