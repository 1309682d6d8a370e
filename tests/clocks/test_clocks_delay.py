"""Who gains from delay: the agreement zone over time, proposals, breakout months of packages."""

from __future__ import annotations

import numpy as np
import pytest

import accord
from accord.clocks import breakout_months, has_breakout_metric, proposal_units, timeline
from accord.errors import LimitError
from accord.scenario import Scenario

from .test_clocks_dynamics import two_party


def test_zone_widens_as_one_side_pays_for_delay() -> None:
    s = two_party([{"kind": "cost", "actor": "A", "rate": -0.1}])
    tl = timeline(s, 4)
    assert tl.zone_slack[[0, 2, 4]] == pytest.approx([0.0, 0.1, 0.2])
    assert tl.gainers() == []
    assert tl.leverage_gainers() == ["B"]
    assert tl.change() == pytest.approx([-0.4, 0.0])
    assert tl.best_wait()["B"] == (4.0, pytest.approx(0.4))
    assert tl.best_wait()["A"] == (0.0, pytest.approx(0.0))


def test_zone_closes_when_an_alternative_improves() -> None:
    s = two_party(
        [{"kind": "cost", "actor": "B", "rate": 0.05}],
        A={"reservation": 0.6},
        B={"reservation": 0.2},
        proposals=[{"id": "deal", "outcome": {"x": 0.3}}],
    )
    tl = timeline(s, 8, points=101)
    assert tl.zone_slack[0] == pytest.approx(0.1)
    assert tl.zone_slack[2] == pytest.approx(0.05, abs=0.006)
    assert tl.zone_events() == [(5.0, "closes")]
    assert tl.proposal_window("deal") == [0.0, 1.0, 2.0]
    assert tl.gainers() == ["B"]


def test_timeline_in_another_unit_converts() -> None:
    s = two_party([{"kind": "cost", "actor": "A", "rate": -0.01}], time_unit="week")
    tl = timeline(s, 2, unit="month")
    weeks = 2 * 365.25 / 12 / 7
    assert tl.reservations[-1, 0] == pytest.approx(0.5 - 0.01 * weeks)
    assert tl.scenario_unit == "week" and tl.unit == "month"


def test_timeline_records_are_tidy_and_json_ready(almaty: Scenario) -> None:
    tl = timeline(almaty, 6)
    frame = tl.to_frame()
    assert set(frame.columns) == {"t", "series", "id", "value", "unit"}
    assert set(frame["series"]) >= {"reservation", "zone_slack", "breakout_months"}
    d = tl.to_dict()
    assert d["seats"] == ["iran", "p5plus1"] and len(d["times"]) == 7
    with pytest.raises(LimitError):
        timeline(almaty, 1e6)


def test_almaty_playing_for_time(almaty: Scenario) -> None:
    tl = timeline(almaty, 24)
    when, lev = tl.best_wait()["iran"]
    assert when > 0 and lev > 0  # Iran's alternative erodes more slowly at first
    months = tl.breakout_months
    assert np.all(np.diff(months) <= 1e-9)  # the growing stock shortens breakout
    assert months[0] > months[-1]


def test_breakout_months_of_almaty_packages(almaty: Scenario) -> None:
    m = {p.id: breakout_months(almaty, proposal_units(almaty, p.id)) for p in almaty.proposals}
    assert m["iran_plan"] < m["almaty_offer"] == m["jpoa"] < m["jcpoa"]
    sq = dict(
        zip(
            almaty.issue_ids,
            accord.compile(almaty).to_units(accord.compile(almaty).status_quo),
            strict=True,
        )
    )
    now = breakout_months(almaty, sq)
    assert now is not None and now < m["iran_plan"]
    zero = {**sq, "enrichment_level": 0.0}
    assert breakout_months(almaty, zero) is None


def test_no_breakout_metric_without_nuclear_issues() -> None:
    s = accord.load("teaching-trade")
    assert not has_breakout_metric(s)
    assert np.isnan(timeline(s, 2).breakout_months).all()
