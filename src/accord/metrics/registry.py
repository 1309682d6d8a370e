"""The metric registry: named, vectorised functions of a package (docs/preferences.md).

A *metric* turns packages into one number each, e.g. ``breakout_months``. It is registered by
name like models and strategies (`accord.registry.Registry`, entry-point group
``accord.metrics``) and *bound* to a scenario once: ``bind(context)`` checks that the scenario
has what the metric needs (raising `ValueError` with a reason if not) and returns a function
from packages in issue units, shape (N, K), to metric values, shape (N,). Red lines and utility
terms refer to metrics by name; `accord.scenario.compile` binds them, so engines only call
arrays → arrays. No user expression is ever evaluated.

This module imports numpy only, so the scenario layer can validate metric names without pulling
in any engine.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np
from numpy.typing import NDArray

from accord.registry import Registry

FloatArray = NDArray[np.float64]
MetricFn = Callable[[FloatArray], FloatArray]


@dataclass(frozen=True)
class MetricContext:
    """What a metric may read of a scenario: issue ids and units, its date and its parameters."""

    issue_ids: tuple[str, ...]
    issue_units: tuple[str | None, ...]
    date: dt.date | None = None
    params: Mapping[str, Any] = field(default_factory=dict)

    def column(self, issue_id: str) -> int | None:
        """Column of `issue_id` in a package array (None when the scenario lacks it)."""
        return self.issue_ids.index(issue_id) if issue_id in self.issue_ids else None


class Metric(Protocol):
    """A registered metric: ``unit``, ``higher_is`` hint and ``bind(context) -> fn``."""

    @property
    def unit(self) -> str: ...

    def bind(self, context: MetricContext) -> MetricFn: ...


METRICS: Registry[Metric] = Registry("metrics")


def metric_names() -> list[str]:
    """Names of every registered metric (built-in and plug-in)."""
    return METRICS.names()


def bind_metric(name: str, context: MetricContext) -> MetricFn:
    """The function of metric `name` for a scenario (`UnknownNameError`, or `ValueError` when
    the metric does not apply to the scenario)."""
    return METRICS.get(name).obj.bind(context)
