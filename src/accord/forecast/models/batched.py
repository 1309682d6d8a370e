"""Forecast models vectorised over Monte-Carlo draws: a `Batch` of arrays in, (B, K) points out.

A Monte-Carlo experiment over a scenario's uncertain numbers varies only a few arrays of the
compiled scenario: the actors' positions, saliences and capabilities and the status quo. A
`Batch` holds B such variants at once (normalised as in `accord.scenario.compile`), and a
*batch kernel* computes the forecast of every variant in one pass of numpy over the leading
axis, instead of B compilations and B model calls.

`KERNELS` maps a model class to its kernel (subclasses inherit it: every compromise variant
shares one); `kernel(model)` finds it, or None for a model that has none (the experiment then
falls back to one draw at a time). Each kernel repeats, operation for operation, the
arithmetic of its model's `forecast`, so a batch of one gives the same point as the model; the
kernels here cover the closed-form models of `accord.forecast.models.simple`, and
`accord.forecast.models.bdm_batched` adds BDM and `nash_batched` the bargaining solutions.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from accord.forecast.base import FloatArray, Model
from accord.forecast.models.simple import (
    Compromise,
    CondorcetMedian,
    QuotaPivot,
    StatusQuo,
    WeightedMedian,
)
from accord.scenario import Compiled


@dataclass(frozen=True, eq=False)
class Batch:
    """B variants of a compiled scenario's actor arrays, normalised as in `Compiled`.

    Shapes: ``position`` and ``salience`` (B, A, K), ``capability`` (B, A), ``status_quo``
    (B, K). Everything else (issues, labels, scales) is the shared `Compiled` ``base``.
    """

    base: Compiled
    position: FloatArray
    salience: FloatArray
    capability: FloatArray
    status_quo: FloatArray

    def __len__(self) -> int:
        return int(self.position.shape[0])

    @classmethod
    def of(cls, c: Compiled, n: int = 1) -> Batch:
        """`n` copies of the arrays of `c`."""
        a = c.actors
        return cls(
            c,
            np.repeat(a.position[None], n, axis=0),
            np.repeat(a.salience[None], n, axis=0),
            np.repeat(a.capability[None], n, axis=0),
            np.repeat(c.status_quo[None], n, axis=0),
        )


Kernel = Callable[[Model, Batch], FloatArray]
KERNELS: dict[type[Model], Kernel] = {}


def batch_kernel(*classes: type[Model]) -> Callable[[Kernel], Kernel]:
    """Decorator: register the decorated function as the batch kernel of `classes`."""

    def deco(fn: Kernel) -> Kernel:
        for cls in classes:
            KERNELS[cls] = fn
        return fn

    return deco


def kernel(model: Model) -> Kernel | None:
    """The batch kernel of `model` (found along its class's bases), or None."""
    for cls in type(model).__mro__:
        if cls in KERNELS:
            return KERNELS[cls]
    return None


def forecast_batch(model: Model, batch: Batch) -> FloatArray:
    """The forecasts (B, K) of `model` on every variant of `batch`, in issue units."""
    fn = kernel(model)
    if fn is None:
        raise TypeError(f"model {model.name!r} has no batch kernel")
    return batch.base.to_units(fn(model, batch))


def actor_weights(b: Batch, weights: str) -> FloatArray:
    """(B, A, K) weights per draw: `accord.forecast.models.simple.actor_weights` over draws."""
    cap = np.broadcast_to(b.capability[:, :, None], b.salience.shape)
    if weights == "cs":
        w = cap * b.salience
    elif weights == "c":
        w = cap
    elif weights == "s":
        w = b.salience
    else:
        w = np.ones_like(b.salience)
    out = np.array(w, dtype=float)
    empty = out.sum(axis=1) <= 0
    out[np.broadcast_to(empty[:, None, :], out.shape)] = 1.0
    return out


def weighted_quantile(x: FloatArray, w: FloatArray, share: float) -> FloatArray:
    """``min{x_k : Σ_{x_i ≤ x_k} w_i ≥ share·W}`` along axis 1 of (B, A, K) arrays → (B, K)."""
    order = np.argsort(x, axis=1, kind="stable")
    xs = np.take_along_axis(x, order, axis=1)
    cum = np.cumsum(np.take_along_axis(w, order, axis=1), axis=1)
    target = share * cum[:, -1:, :]
    idx = (cum < target * (1 - 1e-12)).sum(axis=1, keepdims=True)
    idx = np.minimum(idx, x.shape[1] - 1)
    return np.take_along_axis(xs, idx, axis=1)[:, 0, :]


@batch_kernel(Compromise)
def _compromise(model: Model, b: Batch) -> FloatArray:
    assert isinstance(model, Compromise)
    w = actor_weights(b, model.weights)
    return np.asarray((w * b.position).sum(axis=1) / w.sum(axis=1))


@batch_kernel(WeightedMedian)
def _median(model: Model, b: Batch) -> FloatArray:
    assert isinstance(model, WeightedMedian)
    return weighted_quantile(b.position, actor_weights(b, model.weights), 0.5)


@batch_kernel(QuotaPivot)
def _pivot(model: Model, b: Batch) -> FloatArray:
    assert isinstance(model, QuotaPivot)
    w = actor_weights(b, model.weights)
    left = weighted_quantile(b.position, w, 1.0 - model.quota)
    right = weighted_quantile(b.position, w, model.quota)
    return np.minimum(np.maximum(b.status_quo, left), right)


@batch_kernel(StatusQuo)
def _status_quo(model: Model, b: Batch) -> FloatArray:
    return np.array(b.status_quo, dtype=float)


@batch_kernel(CondorcetMedian)
def _condorcet(model: Model, b: Batch) -> FloatArray:
    """`CondorcetMedian.winner` over draws: the pairwise vote tensor per issue, (B, A, A)."""
    assert isinstance(model, CondorcetMedian)
    w = actor_weights(b, model.weights)
    out = np.empty(b.status_quo.shape)
    for k in range(b.position.shape[2]):
        voters = b.position[:, :, k]
        x = np.sort(voters, axis=1)  # candidates; a repeated position repeats a row of votes
        dist = np.abs(voters[:, None, :] - x[:, :, None])  # (B, candidate, voter)
        diff = dist[:, None, :, :] - dist[:, :, None, :]
        v = (w[:, None, None, :, k] * diff).sum(axis=3)
        scale = np.maximum(1e-12, np.abs(v).max(axis=(1, 2)) * 1e-12)
        undefeated = (v >= -scale[:, None, None]).all(axis=2)
        first = np.argmax(undefeated, axis=1)
        wins = (v > scale[:, None, None]).sum(axis=2)
        pick = np.where(undefeated.any(axis=1), first, np.argmax(wins, axis=1))
        out[:, k] = x[np.arange(len(x)), pick]
    return out
