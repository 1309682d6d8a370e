"""Hand-checked sessions, agreement rules, walking away, moving reservations."""

from __future__ import annotations

import numpy as np
import pytest

import accord
from accord.bargain import (
    domain_from_compiled,
    domain_from_utilities,
    make_strategy,
    parse_acceptance,
    run_session,
)
from accord.bargain.talks import negotiate, reservation_path, seat_strategies
from accord.errors import InputError, LimitError


def _line(n: int = 100):
    x = np.arange(n) / (n - 1)
    return domain_from_utilities(np.stack([x, 1 - x], axis=1), ids=("a", "b"))


def test_two_linear_strategies_meet_where_the_arithmetic_says() -> None:
    # A offers x = (99 - r)/99 on even rounds, B offers x = r/99 on odd rounds. B's offer at
    # round r is accepted by A once r/99 ≥ 1 − (r + 1)/99, i.e. r ≥ 49: round 49, x = 49/99.
    s = run_session(_line(), ["linear", "linear"], rounds=100)
    assert s.agreement and s.round == 49 and s.outcome == 49
    assert s.utility == pytest.approx([49 / 99, 50 / 99])
    assert s.steps[0].offer == 99 and s.steps[1].offer == 1
    assert [st.proposer for st in s.steps[:3]] == ["a", "b", "a"]


def test_hardliner_gets_everything_from_linear_at_the_deadline() -> None:
    s = run_session(_line(), ["hardliner", "linear"], rounds=100)
    assert s.agreement and s.round == 98 and s.outcome == 99


def test_two_hardliners_never_agree() -> None:
    s = run_session(_line(), ["hardliner", "hardliner"], rounds=20)
    assert not s.agreement and s.reason == "deadline" and s.played == 20
    assert s.utility == pytest.approx(s.reservation)


def test_conceder_agrees_earlier_than_boulware() -> None:
    c = run_session(_line(), ["conceder", "conceder"], rounds=100)
    b = run_session(_line(), ["boulware", "boulware"], rounds=100)
    assert c.agreement and b.agreement and c.round < b.round


def test_acceptance_conditions() -> None:
    s = run_session(_line(), ["hardliner", "hardliner:acceptance=time:0.5"], rounds=21)
    assert s.agreement and s.round == 10
    s = run_session(_line(), ["hardliner", "hardliner:acceptance=const:0.0"], rounds=21)
    assert s.agreement and s.round == 0
    assert parse_acceptance("next|time:0.9").spec == "next|time:0.9"
    assert parse_acceptance("next&const:0.5").spec == "next&const:0.5"
    with pytest.raises(InputError, match="unknown acceptance"):
        parse_acceptance("sometimes")


def test_acceptance_never_below_reservation() -> None:
    d = domain_from_utilities(_line().utility, reservation=np.array([0.0, 0.8]))
    s = run_session(d, ["hardliner", "linear:acceptance=time:0.0"], rounds=20)
    assert not s.agreement


def test_walk_away_when_nothing_is_left_to_gain() -> None:
    d = _line()
    path = reservation_path(d, [0.1, 0.0])  # a's no-deal point rises 0.1 a round
    s = run_session(d, ["hardliner", "hardliner"], rounds=30, reservation_at=path)
    assert s.reason == "walk-away" and s.walked == ("a",) and s.played == 10


def test_discounting_values_agreement_later_less_and_can_make_parties_leave() -> None:
    d = domain_from_utilities(_line().utility, reservation=np.array([0.6, 0.0]))
    s = run_session(d, ["hardliner", "hardliner"], rounds=101, discount=0.5)
    # a leaves once 0.5^t ≤ 0.6, t ≥ 0.737: round 74 of 0..100
    assert s.reason == "walk-away" and s.played == 74
    s = run_session(_line(), ["linear", "linear"], rounds=100, discount=0.9)
    t = s.round / 99
    assert s.discounted == pytest.approx(s.utility * 0.9**t)


def test_moving_reservation_is_seen_by_strategies() -> None:
    d = _line()
    s = run_session(
        d,
        ["linear", "linear"],
        rounds=100,
        reservation_at=lambda r: np.array([0.0, min(0.45, 0.01 * r)]),
    )
    assert s.agreement and s.utility[1] >= 0.45 - 1e-9
    with pytest.raises(InputError, match="reservation_at"):
        run_session(d, ["linear", "linear"], rounds=5, reservation_at=lambda r: [0.1])


def test_bad_input_is_refused() -> None:
    d = _line()
    with pytest.raises(InputError, match="one strategy per seat"):
        run_session(d, ["linear"], rounds=5)
    with pytest.raises(InputError, match="at least one round"):
        run_session(d, ["linear", "linear"], rounds=0)
    with pytest.raises(LimitError, match="rounds"):
        run_session(d, ["linear", "linear"], rounds=10**9)
    with pytest.raises(InputError, match=r"unknown|bad parameters"):
        make_strategy("linear:speed=3")
    with pytest.raises(InputError, match="e must be > 0"):
        make_strategy("linear:e=0")
    with pytest.raises(InputError, match="quorum"):
        run_session(d, ["linear", "linear"], "multilateral", rounds=5, rule="quorum", quorum=5)
    with pytest.raises(InputError, match="discount"):
        run_session(d, ["linear", "linear"], rounds=5, discount=1.5)


@pytest.fixture(scope="module")
def almaty_domain():  # type: ignore[no-untyped-def]
    return domain_from_compiled(accord.compile(accord.load("almaty-2013")))


def test_almaty_domain(almaty_domain) -> None:  # type: ignore[no-untyped-def]
    d = almaty_domain
    assert d.ids == ("iran", "p5plus1") and d.size == 14_400
    assert d.utility[d.status_quo] == pytest.approx(d.reservation)
    assert d.to_units(d.status_quo)["stockpile_20"] == pytest.approx(167.0)
    assert d.nash is not None and d.nash in set(d.pareto.tolist())


def test_veto_member_inside_a_bloc_is_checked_with_its_own_utility(almaty_domain) -> None:  # type: ignore[no-untyped-def]
    d = almaty_domain
    f = d.member_ids.index("france")
    assert d.member_utility is not None and d.member_reservation is not None
    free = run_session(d, ["conceder", "conceder"], "multilateral", rounds=40)
    vetoed = run_session(
        d, ["conceder", "conceder"], "multilateral", rounds=40, veto=["france", "khamenei"]
    )
    if vetoed.agreement:
        o = vetoed.outcome
        assert d.member_utility[o, f] >= d.member_reservation[f] - 1e-9
    assert free.agreement
    with pytest.raises(InputError, match="not a seat or an actor"):
        run_session(d, ["linear", "linear"], "multilateral", rounds=5, veto=["narnia"])


def test_quorum_needs_fewer_yes_votes() -> None:
    s = accord.load("teaching-budget")
    d = domain_from_compiled(accord.compile(s))
    una = run_session(d, ["boulware"] * 3, "multilateral", rounds=60)
    quo = run_session(d, ["boulware"] * 3, "multilateral", rounds=60, rule="quorum", quorum=2)
    assert quo.agreement
    if una.agreement:
        assert quo.round <= una.round
    last = quo.steps[-1]
    assert sum(bool(r) for r in last.responses) >= 1  # with the proposer: ≥ 2 of 3


def test_mediated_single_text_starts_from_the_status_quo() -> None:
    d = domain_from_compiled(accord.compile(accord.load("teaching-trade")))
    s = run_session(d, ["conceder", "conceder"], "mediated", rounds=60, seed=4)
    assert all(st.proposer == "mediator" for st in s.steps)
    assert s.agreement
    first = s.steps[0].offer
    assert np.abs(d.levels[first] - d.levels[d.status_quo]).sum() <= 1


def test_scenario_strategies_and_talks(almaty) -> None:  # type: ignore[no-untyped-def]
    assert seat_strategies(almaty) == {"iran": "boulware", "p5plus1": "boulware"}
    talks = negotiate(almaty, rounds=40)
    s = talks.session
    assert s.strategies == ("boulware", "boulware")
    assert talks.zone > 0 and talks.outcomes == 126_720  # the grid of accord.analyze
    assert s.played <= 40 and (s.agreement or s.reason in {"deadline", "walk-away"})
    assert all(h.seat in (*s.ids, "all") for h in talks.hints)
    with pytest.raises(InputError, match="not a seat"):
        negotiate(almaty, strategies={"israel": "linear"}, rounds=5)


def test_hint_without_a_zone_names_the_reservation_gap() -> None:
    d = _line()
    from accord.bargain.talks import _zone_gaps

    d2 = domain_from_utilities(d.utility, reservation=np.array([0.7, 0.6]))
    assert d2.agreement_zone().size == 0
    hints = _zone_gaps(d2)
    assert [h.seat for h in hints] == ["p0", "p1"]
    assert "falls by 0.3" in hints[0].text


def test_session_is_invariant_to_the_order_actors_are_listed(almaty) -> None:  # type: ignore[no-untyped-def]
    shuffled = almaty.model_copy(update={"actors": tuple(reversed(almaty.actors))})
    a = negotiate(almaty, rounds=30, hints=False).session
    b = negotiate(shuffled, rounds=30, hints=False).session
    assert (a.agreement, a.round, a.outcome_units) == (b.agreement, b.round, b.outcome_units)
    assert a.utility == pytest.approx(b.utility)
