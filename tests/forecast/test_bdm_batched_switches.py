"""The batched BDM plays every game as the one-game code does, bit for bit, under each switch
(eqs 5–7 with Q < 1, the paper's denominator, the challenger's security, risk carried over)
and when a batch is cut into slices."""

from __future__ import annotations

import numpy as np
import pytest

from accord.forecast.models import bdm_batched
from accord.forecast.models.bdm import BDM
from accord.forecast.models.bdm_batched import run_games
from accord.seeding import make_rng

SWITCHES = [
    {},
    {"q": 0.7},
    {"denominator": "paper"},
    {"security": "challenger", "reset_risk": False},
    {"offer": "least-movement", "capitulation": True},
    {"forecast": "mean", "converge": False, "rounds": 4},
]


def games(n_games: int = 9, n: int = 6) -> tuple[np.ndarray, ...]:
    rng = make_rng(11)
    x0 = rng.random((n_games, n))
    x0[0] = 0.5  # everybody agrees: no game to play
    c = rng.uniform(0.5, 3.0, (n_games, n))
    s = rng.uniform(0.1, 1.0, (n_games, n))
    return x0, c, s, np.ones(n_games)


def one_by_one(model: BDM, x0: np.ndarray, c: np.ndarray, s: np.ndarray, span: np.ndarray):  # type: ignore[no-untyped-def]
    return np.array(
        [model.run_issue(x0[g], c[g], s[g], float(span[g]))[0][-1] for g in range(len(x0))]
    )


@pytest.mark.parametrize("switches", SWITCHES, ids=lambda d: ",".join(d) or "default")
def test_a_batch_plays_each_game_as_alone(switches: dict[str, object]) -> None:
    model = BDM(**switches)  # type: ignore[arg-type]
    x0, c, s, span = games()
    assert np.array_equal(run_games(model, x0, c, s, span), one_by_one(model, x0, c, s, span))


def test_a_batch_cut_into_slices_gives_the_same_numbers(monkeypatch: pytest.MonkeyPatch) -> None:
    model = BDM(q=0.8)
    x0, c, s, span = games()
    whole = run_games(model, x0, c, s, span)
    monkeypatch.setattr(bdm_batched, "_VOTES", 2 * 6**3)  # two games per slice
    assert np.array_equal(run_games(model, x0, c, s, span), whole)
