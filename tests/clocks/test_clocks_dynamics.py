"""Clocks applied to scenarios: drift, costs, limits, time units, the enrichment driver."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import accord
from accord.clocks import Dynamics, convert, enrichment_rate, reservations_at, status_quo_at
from accord.errors import InputError
from accord.scenario import Scenario


def two_party(clocks: list[dict[str, Any]], time_unit: str = "month", **extra: Any) -> Scenario:
    """One issue on [0, 1]; A wants 0, B wants 1; the status quo at 0.5."""
    data: dict[str, Any] = {
        "meta": {"title": "two parties", "time_unit": time_unit},
        "issues": [{"id": "x", "scale": [0, 1], "status_quo": 0.5}],
        "actors": [
            {
                "id": "A",
                "capability": 1,
                "positions": {"x": 0},
                "salience": {"x": 1},
                **extra.get("A", {}),
            },
            {
                "id": "B",
                "capability": 1,
                "positions": {"x": 1},
                "salience": {"x": 1},
                **extra.get("B", {}),
            },
        ],
        "clocks": clocks,
    }
    if "proposals" in extra:
        data["proposals"] = extra["proposals"]
    return Scenario.model_validate(data)


def test_time_zero_reproduces_compile(almaty: Scenario) -> None:
    c = accord.compile(almaty)
    assert np.allclose(status_quo_at(almaty, 0), c.status_quo)
    assert np.allclose(reservations_at(almaty, 0), c.seats.reservation)
    assert np.allclose(Dynamics.of(almaty).actor_reservations_at(0), c.actors.reservation)


def test_almaty_stockpile_drifts_to_its_limit(almaty: Scenario) -> None:
    d = Dynamics.of(almaty)
    k = almaty.issue_ids.index("stockpile_20")
    assert d.status_quo_units(3)[k] == pytest.approx(182)  # the May 2013 stock
    assert d.status_quo_units(100)[k] == pytest.approx(250)


@settings(max_examples=50, deadline=None)
@given(st.floats(-0.2, 0.2), st.floats(0, 1), st.floats(0, 30), st.floats(0, 30))
def test_drift_is_monotone_and_respects_limit(
    rate: float, limit: float, t1: float, t2: float
) -> None:
    s = two_party([{"kind": "drift", "issue": "x", "rate": rate, "limit": limit}])
    d = Dynamics.of(s)
    a, b = sorted((t1, t2))
    qa, qb = d.status_quo_units(a)[0], d.status_quo_units(b)[0]
    assert 0 <= qa <= 1 and 0 <= qb <= 1
    if rate > 0:
        assert qa <= qb + 1e-12
        assert qb <= max(limit, 0.5) + 1e-12
    elif rate < 0:
        assert qa >= qb - 1e-12
        assert qb >= min(limit, 0.5) - 1e-12


def test_drift_rates_add_and_stop_at_the_issue_scale() -> None:
    s = two_party(
        [
            {"kind": "drift", "issue": "x", "rate": 0.05},
            {"kind": "drift", "issue": "x", "rate": 0.05},
        ]
    )
    d = Dynamics.of(s)
    assert d.status_quo_units(2)[0] == pytest.approx(0.7)
    assert d.status_quo_units(50)[0] == pytest.approx(1.0)


def test_time_units_are_honoured() -> None:
    weekly = two_party([{"kind": "drift", "issue": "x", "rate": 0.005}], time_unit="week")
    d = Dynamics.of(weekly)
    weeks_per_month = 365.25 / 12 / 7
    assert d.status_quo_units(1, "month")[0] == pytest.approx(0.5 + 0.005 * weeks_per_month)
    assert d.status_quo_units(1, "year")[0] == pytest.approx(0.5 + 0.005 * 365.25 / 7)
    assert d.status_quo_units(3)[0] == pytest.approx(0.515)
    assert convert(1.0, "quarter", "month") == 3.0
    with pytest.raises(InputError, match="time unit"):
        convert(1.0, "fortnight", "month")


def test_cost_clock_moves_reservation_to_its_limit() -> None:
    s = two_party([{"kind": "cost", "actor": "A", "rate": -0.1, "limit": 0.25}])
    r = [reservations_at(s, t) for t in (0, 1, 2, 10)]
    assert [x[0] for x in r] == pytest.approx([0.5, 0.4, 0.3, 0.25])
    assert [x[1] for x in r] == pytest.approx([0.5] * 4)


def test_explicit_reservation_moves_with_the_drift() -> None:
    s = two_party([{"kind": "drift", "issue": "x", "rate": 0.1}], A={"reservation": 0.6})
    assert reservations_at(s, 0) == pytest.approx([0.6, 0.5])
    assert reservations_at(s, 2) == pytest.approx([0.4, 0.7])


def test_bloc_costs_aggregate_capability_weighted() -> None:
    s = Scenario.model_validate(
        {
            "meta": {"title": "bloc"},
            "issues": [{"id": "x", "scale": [0, 1], "status_quo": 0.5}],
            "actors": [
                {"id": "big", "capability": 3, "positions": {"x": 0}, "salience": {"x": 1}},
                {"id": "small", "capability": 1, "positions": {"x": 0}, "salience": {"x": 1}},
                {"id": "other", "capability": 1, "positions": {"x": 1}, "salience": {"x": 1}},
            ],
            "blocs": [{"id": "team", "members": ["big", "small"], "seat": "big"}],
            "clocks": [
                {"kind": "cost", "actor": "big", "rate": -0.04},
                {"kind": "cost", "actor": "team", "rate": -0.01},
            ],
        }
    )
    r0, r1 = reservations_at(s, 0), reservations_at(s, 1)
    assert r1[0] - r0[0] == pytest.approx(-0.75 * 0.04 - 0.01)
    assert r1[1] == pytest.approx(r0[1])


def test_enrichment_model_drives_the_stock() -> None:
    fordow = {"swu_per_year": 522}
    per_month = enrichment_rate(fordow, "kg UF6", "month")
    assert per_month == pytest.approx(6.26, abs=0.01)
    assert enrichment_rate(fordow, "kg U", "month") == pytest.approx(per_month * 0.676)
    assert enrichment_rate({**fordow, "offtake": 1.0}, "kg UF6", "year") == pytest.approx(
        per_month * 12 - 1.0
    )
    machines = {"machines": [{"type": "IR-1", "operating": 696}]}
    assert enrichment_rate(machines, "kg UF6", "month") == pytest.approx(per_month)
    s = Scenario.model_validate(
        {
            "meta": {"title": "stock", "time_unit": "week"},
            "issues": [{"id": "stock", "scale": [0, 500], "unit": "kg UF6", "status_quo": 100}],
            "actors": [
                {"id": "A", "capability": 1, "positions": {"stock": 0}, "salience": {"stock": 1}}
            ],
            "clocks": [
                {"kind": "drift", "issue": "stock", "model": "enrichment", "params": fordow}
            ],
        }
    )
    assert Dynamics.of(s).status_quo_units(1, "month")[0] == pytest.approx(100 + per_month)


def test_bad_clock_input_is_refused() -> None:
    bad = two_party([{"kind": "drift", "issue": "x", "model": "weather"}])
    with pytest.raises(InputError, match="unknown drift model"):
        Dynamics.of(bad)
    no_params = two_party([{"kind": "drift", "issue": "x", "model": "enrichment"}])
    with pytest.raises(InputError) as e:
        Dynamics.of(no_params)
    assert e.value.problems[0].path[:2] == ("clocks", 0)
    with pytest.raises(InputError, match="time must be"):
        status_quo_at(bad.model_copy(update={"clocks": ()}), -1)
