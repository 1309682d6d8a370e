"""Enrichment physics and breakout time against the worked numbers of the fact sheet (§4–5)."""

from __future__ import annotations

import itertools
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.errors import InputError, UnknownNameError
from accord.nuclear import (
    NATURAL,
    Machine,
    ProgrammeState,
    Stock,
    breakout,
    builtin_state,
    builtin_state_names,
    feed_for,
    kg_u,
    state_from_dict,
    step,
    step_from_stock,
    swu,
    tails_for_feed,
    value,
)


@pytest.mark.parametrize(
    ("x", "v"),
    [
        (0.0025, 5.9590),
        (0.003, 5.7713),
        (0.00711, 4.8689),
        (0.035, 3.0846),
        (0.0367, 3.0277),
        (0.1975, 0.8482),
        (0.9, 1.7578),
    ],
)
def test_value_function_table(x: float, v: float) -> None:
    assert value(x) == pytest.approx(v, abs=5e-5)


def test_reference_swu_for_one_kg_of_leu() -> None:
    assert swu(1.0, 0.035, NATURAL, 0.003) == pytest.approx(4.34, abs=0.005)
    assert feed_for(1.0, 0.035, NATURAL, 0.003) == pytest.approx(7.785, abs=0.001)


TEST_CASES = [  # product kg U, feed assay, tails, SWU, feed kg U  (fact sheet §4)
    (25.0, NATURAL, 0.0025, 5201, 4867),
    (25.0, NATURAL, 0.003, 4823, 5456),
    (25.0, NATURAL, 0.004, 4261, 7203),
    (25.0, NATURAL, 0.005, 3852, 10604),
    (25.0, 0.035, 0.0025, 1879, 690),
    (25.0, 0.035, 0.004, 1633, 723),
    (25.0, 0.0367, 0.004, 1582, 685),
    (25.0, 0.1975, 0.0025, 483, 115.1),
    (25.0, 0.1975, 0.005, 423, 116.2),
    (25.0 / 0.9, NATURAL, 0.003, 5359, 6062),
    (25.0 / 0.9, 0.035, 0.004, 1815, 803),
    (25.0 / 0.9, 0.1975, 0.005, 471, 129.1),
]


@pytest.mark.parametrize(("product", "xf", "xt", "work", "feed"), TEST_CASES)
def test_worked_test_cases(product: float, xf: float, xt: float, work: float, feed: float) -> None:
    s = step(product, 0.9, xf, xt)
    assert s.swu == pytest.approx(work, abs=0.6)
    assert s.feed == pytest.approx(feed, abs=0.6 if feed > 200 else 0.06)


def test_uf6_conversion() -> None:
    assert kg_u(300) == pytest.approx(202.8, abs=0.05)


def test_feed_limited_may_2013_stock_and_aca_convention() -> None:
    stock = kg_u(182)
    assert stock == pytest.approx(123.1, abs=0.1)
    xt = tails_for_feed(25.0, 0.9, stock, 0.1975)
    assert xt is not None and 0.0180 < xt < 0.0186
    assert swu(25.0, 0.9, 0.1975, xt) == pytest.approx(315, abs=2)
    aca = tails_for_feed(25.0, 0.9, kg_u(245), 0.1975)
    assert aca == pytest.approx(0.07, abs=0.005)
    limited = step_from_stock(25.0, 0.9, 0.1975, 0.005, 115.0)
    assert limited is not None and limited.feed_limited and limited.feed == pytest.approx(115.0)
    assert step_from_stock(25.0, 0.9, 0.1975, 0.005, 110.0) is None  # 21.7 kg U-235 < 22.5


@pytest.mark.parametrize(
    ("capacity", "months"),
    [(7270.0, (8.0, 2.7, 0.7)), (7270.0 / 0.75, (6.0, 2.0, 0.5)), (5000.0, (11.6, 3.9, 1.0))],
)
def test_naive_breakout_table(capacity: float, months: tuple[float, float, float]) -> None:
    state = ProgrammeState("t", stocks=(Stock(0.035, 5000.0), Stock(0.1975, 200.0)))
    b = breakout(state, capacity=capacity, reconfigure_months=0.0)
    got = [b.path(n).months for n in ("from natural", "from 3.5 %", "from 19.75 %")]
    for g, m in zip(got, months, strict=True):
        assert g == pytest.approx(m, abs=0.06)


def test_jcpoa_stock_plus_natural_feed() -> None:
    b = breakout(builtin_state("jcpoa"), reconfigure_months=0.0)
    path = b.path("all stocks")
    assert path.swu == pytest.approx(3827, abs=2)
    assert path.months == pytest.approx(9.2, abs=0.05)
    assert [s.xp for s in path.steps] == [0.0367, 0.9]
    assert not b.path("from 3.67 %").feasible


def test_reconfiguration_is_added_per_step() -> None:
    s = builtin_state("feb-2013")
    naive = breakout(s, reconfigure_months=0.0).path("all stocks")
    padded = breakout(s, reconfigure_months=0.7).path("all stocks")
    assert len(naive.steps) == 2
    assert padded.months == pytest.approx(naive.months + 1.4)


def test_builtin_states_are_sourced_and_ordered() -> None:
    assert builtin_state_names() == ["feb-2013", "may-2013", "jcpoa"]
    feb, may = builtin_state("feb-2013"), builtin_state("may-2013")
    assert feb.stock_at(0.1975) == pytest.approx(kg_u(167))
    assert may.stock_at(0.1975) == pytest.approx(kg_u(182))
    assert feb.capacity() == pytest.approx(9696 * 0.75)
    assert breakout(may).months < breakout(feb).months < breakout(builtin_state("jcpoa")).months
    with pytest.raises(UnknownNameError, match="programme state"):
        builtin_state("nov-2013")


def test_targets_and_capacity() -> None:
    s = builtin_state("may-2013")
    assert breakout(s, target="sq").months > breakout(s, target="isis").months
    assert breakout(s, basis="installed").months < breakout(s).months
    none = breakout(s, capacity=0.0)
    assert none.months is None and none.to_dict()["months"] is None
    frame = breakout(s).to_frame()
    assert set(frame["path"]) == {"from natural", "from 3.5 %", "from 19.75 %", "all stocks"}


def test_state_from_dict_validates_every_field() -> None:
    s = state_from_dict(
        {
            "stocks": [{"assay": "20%", "kg_uf6": 100}],
            "machines": [{"type": "IR-6", "operating": 10, "swu_per_year": 8}],
        }
    )
    assert s.capacity() == 80 and s.stock_at(0.2) == pytest.approx(67.6)
    with pytest.raises(InputError) as e:
        state_from_dict(
            {
                "stocks": [{"assay": 3.5, "kg_uf6": 1}, {"assay": 0.2}],
                "machines": [
                    {"type": "IR-9", "operating": 1},
                    {"type": "IR-1", "operating": 5, "installed": 2},
                ],
                "extra": 1,
            }
        )
    paths = {p.path for p in e.value.problems}
    assert {
        ("stocks", 0, "assay"),
        ("stocks", 1),
        ("machines", 0, "swu_per_year"),
        ("machines", 1, "operating"),
        ("extra",),
    } <= paths


assays = st.tuples(st.floats(0.001, 0.006), st.floats(0.007, 0.3), st.floats(0.31, 0.99))


@settings(max_examples=60, deadline=None)
@given(assays, st.floats(0.1, 1000))
def test_mass_balance_and_positive_work(a: tuple[float, float, float], p: float) -> None:
    xt, xf, xp = a
    s = step(p, xp, xf, xt)
    assert s.swu > 0
    assert s.feed * xf == pytest.approx(p * xp + s.tails * xt, rel=1e-9)


@settings(max_examples=60, deadline=None)
@given(assays, st.floats(0.1, 100))
def test_staging_with_equal_tails_costs_no_extra_work(
    a: tuple[float, float, float], p: float
) -> None:
    xt, xf, xp = a
    mid = math.sqrt(xf * xp)
    first = step(p, xp, mid, xt)
    second = step(first.feed, mid, xf, xt)
    assert first.swu + second.swu == pytest.approx(swu(p, xp, xf, xt), rel=1e-9)


@settings(max_examples=60, deadline=None)
@given(st.floats(0.0005, 0.0065), st.floats(0.0001, 0.0005))
def test_higher_tails_need_less_work_and_more_feed(xt: float, dx: float) -> None:
    assert swu(25, 0.9, NATURAL, xt + dx) < swu(25, 0.9, NATURAL, xt)
    assert feed_for(25, 0.9, NATURAL, xt + dx) > feed_for(25, 0.9, NATURAL, xt)


@settings(max_examples=40, deadline=None)
@given(st.floats(0, 400), st.floats(0, 400), st.floats(100, 20000))
def test_more_stock_never_slows_breakout(s20: float, extra: float, cap: float) -> None:
    def months(kg: float) -> float:
        state = ProgrammeState(
            "h",
            stocks=(Stock(0.035, 3000.0), Stock(0.1975, kg)),
            machines=(Machine("IR-1", 1, 1, cap),),
        )
        result = breakout(state, reconfigure_months=0.0).months
        assert result is not None
        return result

    assert months(s20 + extra) <= months(s20) + 1e-9


def test_bad_assays_are_refused() -> None:
    with pytest.raises(InputError, match="tails < feed < product"):
        swu(1.0, 0.035, 0.05, 0.003)
    with pytest.raises(InputError, match="fraction"):
        value(1.5)


@pytest.mark.parametrize("cap", [30.0, 300.0, 3000.0])
def test_a_20_percent_stock_just_short_of_alone_enough_is_topped_up_not_stripped(
    cap: float,
) -> None:
    """Regression: 114 kg of 19.75 % once broke out slower than 88 kg, because the chain
    stripped the stock to near-zero tails instead of topping it up from the LEU below."""

    def months(kg: float) -> float:
        state = ProgrammeState(
            "h",
            stocks=(Stock(0.035, 3000.0), Stock(0.1975, kg)),
            machines=(Machine("IR-1", 1, 1, cap),),
        )
        result = breakout(state, reconfigure_months=0.0).months
        assert result is not None
        return result

    series = [months(kg) for kg in (80, 88, 100, 114, 116, 120, 200)]
    assert all(b <= a + 1e-9 for a, b in itertools.pairwise(series))
