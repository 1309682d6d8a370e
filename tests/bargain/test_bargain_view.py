"""A party's view: the offers by others, kept as the shared history grows."""

from __future__ import annotations

import numpy as np

from accord.bargain import random_domain
from accord.bargain.view import View


def make_view(seat: int) -> View:
    d = random_domain(50, 2, seed=3)
    return View(
        seat=seat,
        n_parties=2,
        utility=np.ascontiguousarray(d.utility[:, seat]),
        order=d.order[seat],
        sorted_utility=d.sorted_utility[seat],
        levels=d.levels,
        reservation=0.0,
        rounds=10,
        rng=np.random.default_rng(0),
    )


def test_offers_by_others_follow_the_history_as_it_grows_or_is_replaced() -> None:
    v = make_view(1)
    v.history = [(0, 0, 7), (1, 1, 3)]
    assert v.offers_by_others() == [7]
    v.history.extend([(2, 0, 9), (3, -1, 4), (4, 0, -1)])  # mediator text, a withdrawn offer
    assert v.offers_by_others() == [7, 9, 4]
    got = v.offers_by_others()
    got.append(99)  # the caller's copy
    assert v.offers_by_others() == [7, 9, 4]
    v.history = [(0, 0, 5)]
    assert v.offers_by_others() == [5]


def test_shared_plain_lists_are_used_as_given() -> None:
    v = make_view(0)
    plain = (v.u, v._su, v._order)
    w = View(
        **{
            **{k: getattr(v, k) for k in ("seat", "n_parties", "utility", "order")},
            "sorted_utility": v.sorted_utility,
            "levels": v.levels,
            "reservation": 0.0,
            "rounds": 10,
            "rng": v.rng,
            "plain": plain,
        }
    )
    assert w.u is v.u and w.best == v.best and w.best_outcome == v.best_outcome


def test_the_loop_tells_a_strategy_that_observes_every_offer_it_receives() -> None:
    from accord.bargain import run_session
    from accord.bargain.strategies import make_strategy

    d = random_domain(200, 2, seed=4)
    seen: list[tuple[int, int]] = []
    watcher = make_strategy("boulware:acceptance=const:0.99")
    watcher.observe = lambda view, seat, outcome: seen.append((seat, outcome))  # type: ignore[method-assign]
    s = run_session(d, [watcher, "hardliner"], rounds=20)
    assert seen == [(1, x.offer) for x in s.steps if x.proposer == "p1"] and len(seen) == 10
