"""Outcome space, the exact search for huge spaces, and `analyze` on the built-in scenarios."""

from __future__ import annotations

import json

import numpy as np
import pytest

import accord
from accord.analysis import additive_frontier, analyze, pareto_frontier
from accord.errors import InputError, LimitError
from accord.results import jsonable
from accord.scenario.preferences import linear_additive
from accord.space import grid, sample


@pytest.fixture(scope="module")
def almaty_c():
    return accord.compile(accord.load("almaty-2013"))


def test_grid_holds_options_resolution_and_status_quo(almaty_c) -> None:
    s = grid(almaty_c)
    # enrichment's status quo (20 %) is a grid point; stockpile (167 kg) and capacity are added
    assert s.shape == (11, 12, 12, 4, 4, 5)
    q = s.outcomes(s.status_quo_index[None, :])[0]
    assert np.allclose(q, almaty_c.status_quo)
    u_q = s.utilities_of(almaty_c.seats, s.status_quo_index[None, :])[0]
    assert np.allclose(u_q, almaty_c.seats.reservation)


def test_blocks_match_direct_evaluation(almaty_c) -> None:
    s = grid(almaty_c, resolution=5)
    for prefs in (almaty_c.seats, almaty_c.actors):
        direct = almaty_c.utility(prefs, s.outcomes(np.arange(s.size)))
        blocks = np.vstack([b for _, b in s.blocks(prefs, block_size=1000)])
        assert np.allclose(blocks, direct)
        assert np.allclose(s.utilities(prefs), direct)


def test_limits_are_named(almaty_c) -> None:
    with pytest.raises(LimitError, match="outcome-space size"):
        grid(almaty_c, resolution=101, limit=10**6)
    big = grid(almaty_c, resolution=201)
    with pytest.raises(LimitError, match="outcomes to enumerate"):
        next(big.blocks(almaty_c.seats))
    with pytest.raises(LimitError, match="utility array"):
        grid(almaty_c).utilities(almaty_c.seats, memory_limit=1000)
    with pytest.raises(InputError, match="resolution"):
        grid(almaty_c, resolution=1)


@pytest.mark.parametrize(
    "name", ["almaty-2013", "teaching-trade", "teaching-budget", "ec-emissions-1994"]
)
def test_dynamic_programme_equals_enumeration(name: str) -> None:
    c = accord.compile(linear_additive(accord.load(name)))
    s = grid(c, resolution=6)
    u = s.utilities(c.seats)
    f = np.unique(u[pareto_frontier(u)], axis=0)
    idx, util = additive_frontier(s, c.seats)
    assert np.allclose(np.unique(util, axis=0), f)
    assert np.allclose(s.utilities_of(c.seats, idx), util)


def test_sample_is_seeded(almaty_c) -> None:
    s = grid(almaty_c)
    a, b = sample(s, 50, seed=3), sample(s, 50, seed=3)
    assert (a == b).all() and (a < np.array(s.shape)).all()


def test_analyze_almaty(almaty: accord.Scenario) -> None:
    a = analyze(almaty)
    assert a.parties == ("iran", "p5plus1")
    assert a.enumerated and a.space_size == 126_720
    assert not a.zone_empty and a.zone_size and a.zone_size > 0
    offer = {v.id: v for v in a.proposals}["almaty_offer"]
    assert offer.refused_by == ("iran",) and offer.concession > 0
    nash = a.solutions["nash"]
    assert nash is not None and np.all(nash.gains > 0)
    d = json.loads(json.dumps(jsonable(a)))
    assert d["zone"]["empty"] is False and len(d["proposals"]) == 4
    frame = a.to_frame()
    assert set(frame["kind"]) == {"solution", "package", "proposal"}


def test_analyze_large_space_by_search_matches_enumeration(almaty: accord.Scenario) -> None:
    almaty = linear_additive(almaty)
    exact = analyze(almaty, resolution=6)
    searched = analyze(almaty, resolution=6, enumerate_limit=0, samples=20_000)
    assert not searched.enumerated and searched.zone_size is None
    assert np.allclose(
        np.unique(exact.frontier_utilities, axis=0), np.unique(searched.frontier_utilities, axis=0)
    )
    assert abs(searched.zone_share - exact.zone_share) < 5 * searched.zone_share_se + 1e-9
    for k in ("nash", "kalai_smorodinsky", "utilitarian"):
        e, s_ = exact.solutions[k], searched.solutions[k]
        assert e is not None and s_ is not None
        assert np.allclose(e.utilities, s_.utilities)


def test_analyze_empty_zone_reports_gap(almaty: accord.Scenario) -> None:
    data = almaty.model_dump()
    for actor in data["actors"]:
        if actor["id"] in ("khamenei", "jalili", "us"):
            actor["reservation"] = 0.95
    s = accord.Scenario.model_validate(data)
    a = analyze(s)
    assert a.zone_empty
    assert a.solutions["nash"] is None and a.solutions["kalai_smorodinsky"] is None
    egal = a.solutions["egalitarian"]
    assert egal is not None and np.any(np.abs(egal.gains) > 1e-9)
    assert np.isclose(-egal.gains.min(), a.gap.minimax)
    assert a.gap.total > 0 and a.gap.minimax > 0
    assert np.isclose(a.gap.total_by_party.sum(), a.gap.total)
    assert a.packages and np.isclose(np.maximum(0, -a.packages[0].gains).sum(), a.gap.total)


def test_analyze_actor_order_invariant(almaty: accord.Scenario) -> None:
    data = almaty.model_dump()
    data["actors"] = list(reversed(data["actors"]))
    a, b = (
        analyze(almaty, resolution=5),
        analyze(accord.Scenario.model_validate(data), resolution=5),
    )
    assert a.zone_size == b.zone_size
    assert np.allclose(a.frontier_utilities, b.frontier_utilities)


def test_analyze_offers_and_bad_input(almaty: accord.Scenario) -> None:
    offer = dict(almaty.proposal("jpoa").outcome)
    a = analyze(almaty, offers={"mine": offer}, resolution=5)
    assert a.proposals[-1].id == "mine"
    with pytest.raises(InputError, match="no value"):
        analyze(almaty, offers={"bad": {"fordow": "operating"}}, resolution=5)
    with pytest.raises(InputError, match="weights"):
        analyze(almaty, weights=np.ones(3))


def test_search_refuses_a_frontier_over_its_limit(almaty_c) -> None:
    with pytest.raises(LimitError, match="Pareto-frontier"):
        additive_frontier(grid(almaty_c, resolution=51), almaty_c.seats, limit=20)


def test_non_additive_large_space_is_sampled_and_says_so(almaty: accord.Scenario) -> None:
    exact = analyze(almaty, resolution=6)
    sampled = analyze(almaty, resolution=6, enumerate_limit=0, samples=5_000)
    assert exact.enumerated and not exact.sampled
    assert sampled.sampled and not sampled.enumerated and sampled.zone_size is None
    assert sampled.to_dict()["sampled"] is True
    # every sampled frontier package is a package of the space, so the exact frontier
    # weakly dominates it
    for u in sampled.frontier_utilities:
        assert np.any(np.all(exact.frontier_utilities >= u - 1e-12, axis=1))
