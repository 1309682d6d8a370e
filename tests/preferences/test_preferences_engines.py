"""Every engine honours red lines and bloc rules: bargaining domains, clocks, Monte-Carlo."""

from __future__ import annotations

import numpy as np
import pytest

import accord
from accord.bargain import domain_from_compiled
from accord.bargain.talks import negotiate
from accord.clocks import timeline
from accord.experiments.uncertain import perturb, uncertain_numbers
from accord.scenario.decide import decide


@pytest.fixture(scope="module")
def compiled() -> accord.Compiled:
    return accord.compile(accord.load("almaty-2013"))


def test_the_bargaining_zone_is_the_analysis_zone(compiled) -> None:  # type: ignore[no-untyped-def]
    d = domain_from_compiled(compiled, levels=5)
    assert d.vetoed is not None and d.vetoed.any()
    assert d.outcomes is not None
    v = decide(compiled, d.outcomes)
    zone = d.agreement_zone()
    deals = zone[zone != d.status_quo]
    assert np.all(v.all_accept[deals])
    accepted = np.flatnonzero(v.all_accept)
    assert set(accepted.tolist()) <= set(zone.tolist())
    # a vetoed package is worth 0 to the seat that vetoes it
    assert np.all(d.utility[d.vetoed] == 0.0)


def test_negotiate_takes_the_compiled_scenario(compiled) -> None:  # type: ignore[no-untyped-def]
    a = negotiate(compiled, rounds=10, hints=False)
    b = negotiate(compiled.scenario, rounds=10, hints=False)
    assert a.to_dict() == b.to_dict()
    s = a.session
    if s.agreement and s.outcome is not None and s.outcome != a.status_quo:
        d = domain_from_compiled(compiled)
        assert d.outcomes is not None
        assert decide(compiled, d.outcomes[[s.outcome]]).all_accept[0]


def test_the_clocks_report_when_no_deal_crosses_a_red_line(compiled) -> None:  # type: ignore[no-untyped-def]
    tl = timeline(compiled, 24)
    assert tl.red_line_breach is not None
    events = dict((text, t) for t, text in tl.red_line_events())
    israel = [t for text, t in events.items() if text.startswith("Israel")]
    # 167 kg + 5 kg UF6 a month passes 240 kg in month 15
    assert israel == [15.0]
    assert tl.zone_open[0]
    verdicts = accord.analyze(compiled).proposals
    assert list(tl.proposal_accepted[0].astype(bool)) == [not v.refused_by for v in verdicts]


def test_monte_carlo_varies_red_lines_and_metric_weights() -> None:
    s = accord.load("almaty-2013")
    params = [
        u for u in uncertain_numbers(s) if ".red_lines." in u.name or ".metric_terms." in u.name
    ]
    names = {u.name for u in params}
    assert "actors.israel.red_lines.0.value" in names
    assert "actors.us.metric_terms.0.weight" in names
    high = perturb(s, params, [float(u.ppf(0.999)) for u in params])
    c = accord.compile(high)
    israel = next(r for r in c.red_lines if r.actor_id == "israel")
    assert israel.threshold == pytest.approx(250, abs=0.1)
    lo = perturb(s, params, [float(u.ppf(0.001)) for u in params])
    assert next(r for r in accord.compile(lo).red_lines if r.actor_id == "israel").threshold < 226
