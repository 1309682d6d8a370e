"""Stokman's exchange model: hand-checked trades, equal gains, spans, seeds, results."""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.errors import InputError, LimitError
from accord.forecast import MODELS
from accord.forecast.models.exchange import (
    Exchange,
    ExchangeForecast,
    RandomRateExchange,
    candidates,
    exchange_round,
    next_start,
    outcome,
)
from accord.scenario import compile

from .conftest import build_scenario


def two_actor_case() -> ExchangeForecast:
    s = build_scenario([[0, 0], [100, 100]], [[0.9, 0.1], [0.1, 0.9]], [1, 1])
    return Exchange().forecast(compile(s), seed=0)


def test_registered_with_traits() -> None:
    for name in ("exchange", "exchange-random"):
        entry = MODELS.get(name)
        assert entry.traits["multi_issue"] and entry.traits["rounds"]
        assert "Stokman" in entry.traits["cite"]
    assert isinstance(MODELS.create("exchange-random"), RandomRateExchange)
    assert MODELS.create("exchange-random").p == 1.0
    assert MODELS.create("exchange").p == 0.0


def test_two_actors_trade_where_the_arithmetic_says() -> None:
    # O = (10, 90). a cares about issue 0 (ratio 9 > 1/9), so a demands 0 and supplies 1.
    # b moves fully to 0 on issue 0 (ΔO_0 = 0.1·100 = 10), ρ = 1, so ΔO_1 = 10 and a moves
    # 10·1.0/0.1 = 100 on issue 1. Gains: 0.9·0.1 − 0.1·0.1 = 0.08 for both.
    f = two_actor_case()
    first = f.exchanges[0]
    assert (first.round, first.actor_i, first.actor_j) == (1, "a0", "a1")
    assert (first.issue_p, first.issue_q) == ("i0", "i1")
    assert first.move_i == pytest.approx(100.0)
    assert first.move_j == pytest.approx(-100.0)
    assert first.shift_p == pytest.approx(-10.0) and first.shift_q == pytest.approx(10.0)
    assert first.gain_i == pytest.approx(0.08) and first.gain_j == pytest.approx(0.08)
    assert f.trajectory[0] == pytest.approx([10.0, 90.0])
    assert f.trajectory[1] == pytest.approx([0.0, 100.0], abs=1e-9)
    # next start: b on issue 0 keeps 1 − (0.1 + 0.4·0.9) = 0.54 of its way back
    assert f.exchanges[1].move_j == pytest.approx(-54.0)
    assert f.point == pytest.approx([0.0, 100.0], abs=1e-9)
    assert f.stop == "fixed rounds (10)" and f.rounds == 10


def test_role_swap_when_the_demander_would_overshoot() -> None:
    # a=(0,0) s=(.8,.2), b=(100,100) s=(.2,.4), n=(50,50) s=(.5,.5) c=2.
    # O = (35, 56.25); only a and b are opposite on both issues; ρ = 1/0.6.
    # b fully to 0 would need a to move 0.1·ρ·1.6/0.2 = 1.33 > 1, so a moves fully (100) and
    # b moves 0.075/0.1 = 75. Gains 0.8·0.075 − 0.2·0.125 = 0.035 = 0.4·0.125 − 0.2·0.075.
    s = build_scenario(
        [[0, 0], [100, 100], [50, 50]], [[0.8, 0.2], [0.2, 0.4], [0.5, 0.5]], [1, 1, 2]
    )
    f = Exchange(rounds=1).forecast(compile(s))
    assert len(f.exchanges) == 1
    e = f.exchanges[0]
    assert e.move_i == pytest.approx(100.0) and e.move_j == pytest.approx(-75.0)
    assert e.gain_i == pytest.approx(0.035) and e.gain_j == pytest.approx(0.035)
    assert f.positions[1, 1, 0] == pytest.approx(25.0)
    assert f.positions[1, 0, 1] == pytest.approx(100.0)
    assert f.trajectory[1] == pytest.approx([27.5, 68.75])


def test_no_exchange_on_a_single_issue(ec_emissions) -> None:
    c = compile(ec_emissions)
    f = Exchange().forecast(c)
    assert f.exchanges == () and f.stop.startswith("no exchange left")
    w = c.actors.capability * c.actors.salience[:, 0]
    expect = c.to_units(np.array([w @ c.actors.position[:, 0] / w.sum()]))
    assert f.point == pytest.approx(expect)


def test_next_start_position_formula() -> None:
    x = np.array([[0.0, 1.0]])
    y = np.array([[1.0, 0.0]])
    s = np.array([[0.25, 1.0]])
    assert next_start(x, y, s)[0] == pytest.approx([0.1 + 0.4 * 0.75, 1.0 - 0.1])


def test_candidates_are_opposite_on_both_issues() -> None:
    rng = np.random.default_rng(0)
    x = rng.random((8, 4))
    s = rng.uniform(0.1, 1, (8, 4))
    w = rng.uniform(1, 5, 8)[:, None] * s
    cd = candidates(x, s, w, 0.0, rng)
    left = x < outcome(x, w)
    assert len(cd.a)
    assert (left[cd.a, cd.p] != left[cd.b, cd.p]).all()
    assert (left[cd.a, cd.q] != left[cd.b, cd.q]).all()
    # the demander of p values p relatively more than its partner does
    assert (s[cd.a, cd.p] * s[cd.b, cd.q] > s[cd.a, cd.q] * s[cd.b, cd.p]).all()


def test_seeded_reproducibility_of_the_random_rate(almaty) -> None:
    c = compile(almaty)
    m = RandomRateExchange()
    a, b = m.forecast(c, seed=5), m.forecast(c, seed=5)
    assert np.array_equal(a.point, b.point) and a.exchanges == b.exchanges
    others = [m.forecast(c, seed=k).point for k in range(6, 10)]
    assert any(not np.allclose(o, a.point) for o in others)


def test_random_rate_zero_is_equal_gain(almaty) -> None:
    c = compile(almaty)
    a = Exchange().forecast(c, seed=1)
    b = RandomRateExchange(p=0.0).forecast(c, seed=1)
    assert np.array_equal(a.point, b.point)


def test_random_rate_splits_gains_unequally_but_never_negatively(almaty) -> None:
    f = RandomRateExchange(p=1.0).forecast(compile(almaty), seed=3)
    gi = np.array([e.gain_i for e in f.exchanges])
    gj = np.array([e.gain_j for e in f.exchanges])
    assert (gi >= -1e-12).all() and (gj >= -1e-12).all()
    assert not np.allclose(gi, gj)


def test_results_are_json_ready_and_tidy(almaty) -> None:
    f = Exchange(rounds=3).forecast(compile(almaty))
    d = json.loads(json.dumps(f.to_dict()))
    assert len(d["exchanges"]) == len(f.exchanges) == d["params"]["exchanges"]
    assert d["rounds"] == f.rounds and len(d["trajectory"]) == f.rounds + 1
    frame = f.exchanges_frame()
    assert list(frame.columns[:4]) == ["round", "order", "actor_i", "actor_j"]
    assert len(frame) == len(f.exchanges)
    assert f.positions.shape == (f.rounds + 1, len(f.actor_ids), len(f.issue_ids))
    assert set(f.to_frame()["round"]) == set(range(f.rounds + 1))


def test_bad_parameters_are_refused() -> None:
    with pytest.raises(InputError, match="p is in"):
        Exchange(p=1.5)
    with pytest.raises(InputError, match="at least one round"):
        Exchange(rounds=0)
    with pytest.raises(InputError, match="weights"):
        Exchange(fixed_weight=0.8, salience_weight=0.4)
    with pytest.raises(LimitError, match="rounds"):
        Exchange(rounds=10**6)


@st.composite
def cases(draw: st.DrawFn) -> dict:
    n = draw(st.integers(2, 6))
    k = draw(st.integers(2, 4))
    return {
        "positions": [[draw(st.integers(0, 100)) for _ in range(k)] for _ in range(n)],
        "saliences": [[draw(st.integers(1, 20)) / 20 for _ in range(k)] for _ in range(n)],
        "capabilities": [draw(st.integers(1, 50)) / 5 for _ in range(n)],
    }


@settings(max_examples=40, deadline=None)
@given(case=cases(), p=st.sampled_from([0.0, 0.5, 1.0]), seed=st.integers(0, 3))
def test_trades_keep_positions_in_span_and_gains_positive(case: dict, p: float, seed: int) -> None:
    c = compile(build_scenario(**case))
    f = Exchange(rounds=4, p=p).forecast(c, seed=seed)
    x = np.array(case["positions"], dtype=float)
    lo, hi = x.min(axis=0) - 1e-9, x.max(axis=0) + 1e-9
    assert ((f.positions >= lo) & (f.positions <= hi)).all()
    assert ((f.trajectory >= lo) & (f.trajectory <= hi)).all()
    for e in f.exchanges:
        assert e.gain_i > 0 or e.gain_j > 0
        assert e.gain_i >= -1e-12 and e.gain_j >= -1e-12
        if p == 0.0:
            assert e.gain_i == pytest.approx(e.gain_j, rel=1e-9, abs=1e-15)


@settings(max_examples=30, deadline=None)
@given(case=cases())
def test_no_one_passes_the_partner_and_no_outcome_passes_the_demander(case: dict) -> None:
    c = compile(build_scenario(**case))
    a = c.actors
    w = a.capability[:, None] * a.salience
    y, trades = exchange_round(a.position, a.salience, w, 0.0, np.random.default_rng(0))
    z = a.position.copy()
    for t in trades:
        z[t.b, t.p] += t.move_b
        z[t.a, t.q] += t.move_a
        o = outcome(z, w)
        assert (z[t.a, t.p] - z[t.b, t.p]) * np.sign(t.move_b) >= -1e-12
        assert (z[t.b, t.q] - z[t.a, t.q]) * np.sign(t.move_a) >= -1e-12
        assert (z[t.a, t.p] - o[t.p]) * np.sign(t.shift_p) >= -1e-12
        assert (z[t.b, t.q] - o[t.q]) * np.sign(t.shift_q) >= -1e-12
        assert t.gain_a == pytest.approx(t.gain_b, rel=1e-9)
    assert np.allclose(z, y)


@settings(max_examples=20, deadline=None)
@given(case=cases(), factor=st.sampled_from([0.01, 7.0]))
def test_rescaling_capabilities_changes_nothing(case: dict, factor: float) -> None:
    scaled = {**case, "capabilities": [v * factor for v in case["capabilities"]]}
    a = Exchange(rounds=3).forecast(compile(build_scenario(**case)), seed=2)
    b = Exchange(rounds=3).forecast(compile(build_scenario(**scaled)), seed=2)
    assert b.point == pytest.approx(a.point, abs=1e-6)
    assert len(a.exchanges) == len(b.exchanges)
