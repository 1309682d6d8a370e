"""The simple collective-decision models: compromise, medians, quota pivot and the status quo.

forecast-models.md §2.1 and §2.3. Each works issue by issue on the actors' positions and returns
a closed-form point. The compromise model is the baseline every other model must beat (Achen
2006; Thomson 2011).

Decisions where the spec is silent:

- An issue where every weight is zero falls back to equal weights.
- The weighted median is the lowest position at which the cumulative weight reaches half the
  total (§2.3); the Condorcet median breaks ties between equally good positions the same way.
- The quota pivot follows Krehbiel's pivotal politics in one dimension: with quota κ the pivots
  are the weighted (1 − κ)- and κ-quantiles of the positions; a status quo between them cannot be
  moved (gridlock), one outside moves to the nearer pivot. κ = 0.5 gives the weighted median.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

import numpy as np

from accord.errors import InputError, Problem
from accord.forecast.base import MODELS, FloatArray, Forecast, Model
from accord.scenario import Compiled
from accord.seeding import SeedLike

Weights = Literal["cs", "c", "s", "equal"]
_WEIGHTS = ("cs", "c", "s", "equal")


def actor_weights(c: Compiled, weights: Weights) -> FloatArray:
    """(A, K) weights of the actors per issue: ``c·s``, ``c``, ``s`` or equal."""
    a = c.actors
    cap = np.broadcast_to(a.capability[:, None], a.salience.shape)
    w = {"cs": cap * a.salience, "c": cap, "s": a.salience, "equal": np.ones_like(a.salience)}
    out = np.array(w[weights], dtype=float)
    empty = out.sum(axis=0) <= 0
    out[:, empty] = 1.0
    return out


def _check_weights(weights: str) -> None:
    if weights not in _WEIGHTS:
        raise InputError(Problem(f"expected one of {', '.join(_WEIGHTS)}", ("weights",), weights))


def weighted_quantile(x: FloatArray, w: FloatArray, share: float) -> float:
    """``min{x_k : Σ_{x_i ≤ x_k} w_i ≥ share·W}`` (§2.3)."""
    order = np.argsort(x, kind="stable")
    xs, cum = x[order], np.cumsum(w[order])
    target = share * cum[-1]
    return float(xs[np.searchsorted(cum, target * (1 - 1e-12), side="left")])


def _closed_form(model: Model, c: Compiled, point_normalised: FloatArray) -> Forecast:
    return Forecast(
        model=model.name,
        issue_ids=c.issue_ids,
        point=c.to_units(point_normalised),
        actor_ids=c.actors.ids,
        params=model.params(),
    )


CLOSED_FORM = dict(multi_issue=False, deterministic=True, rounds=False, within_span=True)
"""Traits every model of this module shares (each is computed issue by issue, in closed form)."""


def closed_form(name: str, **traits: Any) -> Callable[[type[Model]], type[Model]]:
    """Register a model of this module under `name` with `CLOSED_FORM` traits, overridden by
    `traits` (every call gives ``cite``)."""
    return MODELS.register(name, **{**CLOSED_FORM, **traits})


@closed_form("compromise", cite="van den Bos 1991; Achen 2006 ch. 4 (forecast-models.md §2.1)")
class Compromise(Model):
    """Compromise model: the capability × salience weighted mean of the positions."""

    name = "compromise"
    default_weights: Weights = "cs"

    def __init__(self, weights: Weights | None = None) -> None:
        self.weights: Weights = weights or self.default_weights
        _check_weights(self.weights)

    def forecast(self, c: Compiled, seed: SeedLike = None) -> Forecast:
        """``ô_d = Σ_i w_id x_id / Σ_i w_id`` for every issue d."""
        w = actor_weights(c, self.weights)
        return _closed_form(self, c, (w * c.actors.position).sum(axis=0) / w.sum(axis=0))


@closed_form("compromise-c", cite="van den Bos 1991; Achen 2006 ch. 4 (capability only)")
class CompromiseC(Compromise):
    """Compromise model weighted by capability only."""

    name = "compromise-c"
    default_weights: Weights = "c"


@closed_form("compromise-s", cite="van den Bos 1991; Achen 2006 ch. 4 (salience only)")
class CompromiseS(Compromise):
    """Compromise model weighted by salience only."""

    name = "compromise-s"
    default_weights: Weights = "s"


@closed_form("mean", cite="unweighted mean of positions (forecast-models.md §2.1)")
class Mean(Compromise):
    """The unweighted mean of the actors' positions."""

    name = "mean"
    default_weights: Weights = "equal"


@closed_form("median", cite="Black 1948; forecast-models.md §2.3 (weighted median)")
class WeightedMedian(Model):
    """Weighted median: the lowest position holding half of the ``c·s`` weight at or below it."""

    name = "median"

    def __init__(self, weights: Weights = "cs") -> None:
        _check_weights(weights)
        self.weights = weights

    def forecast(self, c: Compiled, seed: SeedLike = None) -> Forecast:
        """The weighted median position of every issue."""
        w = actor_weights(c, self.weights)
        x = c.actors.position
        return _closed_form(
            self, c, np.array([weighted_quantile(x[:, k], w[:, k], 0.5) for k in range(c.k)])
        )


@closed_form(
    "condorcet",
    cite="Black 1948; Scholz et al. 2011 median (forecast-models.md §2.3)",
)
class CondorcetMedian(Model):
    """Condorcet median: the actor position that wins every pairwise ``c·s``-weighted vote."""

    name = "condorcet"

    def __init__(self, weights: Weights = "cs") -> None:
        _check_weights(weights)
        self.weights = weights

    @staticmethod
    def winner(x: FloatArray, w: FloatArray) -> float:
        """``v^{jk} = Σ_i w_i (|x_i − x_k| − |x_i − x_j|)``; the position with no defeat.

        Ties go to the lowest such position; without an undefeated position (impossible with
        these cardinal votes, kept as a guard) the position with the most wins is taken.

        The sum separates: ``v^{jk} = D_k − D_j`` with ``D_j = Σ_i w_i |x_i − x_j|``, so the
        margins take O(n²) memory (8 MB at the 1,000-actor limit) instead of the n³ of summing
        the pairwise differences per voter (7.5 GB at 1,000 actors; issue 18).
        """
        cand = np.unique(x)
        total = (w[None, :] * np.abs(x[None, :] - cand[:, None])).sum(axis=1)
        v = total[None, :] - total[:, None]
        scale = max(1e-12, float(np.abs(v).max()) * 1e-12)
        undefeated = np.flatnonzero((v >= -scale).all(axis=1))
        if len(undefeated):
            return float(cand[undefeated[0]])
        return float(cand[int(np.argmax((v > scale).sum(axis=1)))])

    def forecast(self, c: Compiled, seed: SeedLike = None) -> Forecast:
        """The Condorcet winner among the actors' positions, issue by issue."""
        w = actor_weights(c, self.weights)
        x = c.actors.position
        return _closed_form(self, c, np.array([self.winner(x[:, k], w[:, k]) for k in range(c.k)]))


@closed_form(
    "pivot",
    cite="Krehbiel 1998 Pivotal Politics; forecast-models.md §2.3 (quota pivot)",
)
class QuotaPivot(Model):
    """Quota pivot: the status quo, moved into the interval between the two quota pivots."""

    name = "pivot"

    def __init__(self, quota: float = 0.74, weights: Weights = "c") -> None:
        if not 0.5 <= quota <= 1.0:
            raise InputError(
                Problem("the quota is a share of the weight in [0.5, 1]", ("quota",), quota)
            )
        _check_weights(weights)
        self.quota = quota
        self.weights = weights

    def forecast(self, c: Compiled, seed: SeedLike = None) -> Forecast:
        """``clip(q, pivot_(1−κ), pivot_κ)`` per issue, with weighted quantiles as pivots."""
        w = actor_weights(c, self.weights)
        x = c.actors.position
        out = np.empty(c.k)
        for k in range(c.k):
            left = weighted_quantile(x[:, k], w[:, k], 1.0 - self.quota)
            right = weighted_quantile(x[:, k], w[:, k], self.quota)
            out[k] = min(max(c.status_quo[k], left), right)
        return _closed_form(self, c, out)


@closed_form(
    "status-quo",
    within_span=False,
    cite="null model: the reference point (forecast-models.md §2.3, §3.1)",
)
class StatusQuo(Model):
    """Null model: nothing changes, the outcome is the status quo."""

    name = "status-quo"

    def forecast(self, c: Compiled, seed: SeedLike = None) -> Forecast:
        """The status quo of every issue."""
        return _closed_form(self, c, c.status_quo.copy())
