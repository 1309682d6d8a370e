"""A Decide ``#A/#P/#M/#D`` file feeds the exchange model end to end; the vectorised round
matches the plain-loop statement of it."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import accord
from accord.forecast.models.exchange import Exchange, exchange_round, reference_round
from accord.io import FORMATS, format_for
from accord.scenario import compile

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "decide" / "sample.decide.csv"


@pytest.fixture(scope="module")
def decide_case():
    format_for(SAMPLE)  # imports the optional format modules
    if "decide" not in FORMATS:
        pytest.skip("the Decide reader (accord.io.fmt_decide) is not registered")
    return compile(accord.load(SAMPLE))


def test_sample_file_parses(decide_case) -> None:
    c = decide_case
    assert c.actors.ids == ("nl", "de", "fr", "it", "pl")
    assert c.issue_ids == ("tax", "farm", "quota")
    assert list(c.hi) == [100.0, 40.0, 10.0]
    assert c.actors.capability == pytest.approx([0.4, 1.0, 0.9, 0.7, 0.5])


def test_first_trade_by_hand(decide_case) -> None:
    # O_tax = .855/2.03, O_quota = 1.472/2.35; pl (left on both) and de (right on both) trade.
    # pl values tax relatively more (1/.9 > .6/.8): de moves on tax, pl on quota.
    # ρ = 1.6/1.7; the binding bound is pl's full move on quota: ΔO_tax = .8·(.45/2.35)/ρ.
    f = Exchange().forecast(decide_case)
    e = f.exchanges[0]
    rho = 1.6 / 1.7
    d_tax = 0.8 * (0.45 / 2.35) / rho
    assert (e.actor_i, e.actor_j, e.issue_p, e.issue_q) == ("pl", "de", "tax", "quota")
    assert e.move_i == pytest.approx(8.0)
    assert e.move_j == pytest.approx(-100 * d_tax / (0.6 / 2.03))
    assert e.shift_p == pytest.approx(-100 * d_tax)
    assert e.gain_i == pytest.approx(d_tax * (1.0 - 0.9 * rho))
    assert e.gain_j == pytest.approx(e.gain_i)
    farm = (0.12 * 0.25 + 0.4 * 0.5 + 0.81 * 1.0 + 0.42 * 0.875 + 0.25 * 0.75) / 2.0
    assert f.trajectory[0] == pytest.approx([100 * 0.855 / 2.03, 40 * farm, 10 * 1.472 / 2.35])


def test_forecast_runs_end_to_end(decide_case) -> None:
    f = Exchange().forecast(decide_case, seed=0)
    x = f.positions[0]
    assert f.rounds == 10 and len(f.exchanges) > 10
    assert ((f.point >= x.min(axis=0)) & (f.point <= x.max(axis=0))).all()
    assert f.to_dict()["exchanges"][0]["actor_i"] == "pl"


@settings(max_examples=25, deadline=None)
@given(n=st.integers(2, 7), k=st.integers(2, 5), seed=st.integers(0, 10**6))
def test_vectorised_round_matches_the_plain_loops(n: int, k: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    x = rng.integers(0, 11, (n, k)) / 10
    s = rng.integers(1, 11, (n, k)) / 10
    w = rng.integers(1, 6, n)[:, None] * s
    y1, t1 = exchange_round(x, s, w, 0.0, np.random.default_rng(seed))
    y2, t2 = reference_round(x, s, w, np.random.default_rng(seed))
    assert [t[:4] for t in t1] == [t[:4] for t in t2]
    assert np.allclose(y1, y2, atol=1e-12)
    assert np.allclose([t[4:] for t in t1], [t[4:] for t in t2], atol=1e-12) or not t1
