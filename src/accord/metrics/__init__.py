"""Metrics: named, vectorised functions of a package that red lines and utilities refer to.

>>> from accord.metrics import metric_names
>>> "breakout_months" in metric_names()
True
"""

from __future__ import annotations

from accord.metrics import breakout as _breakout  # noqa: F401  (registers breakout_months)
from accord.metrics.registry import (
    METRICS,
    Metric,
    MetricContext,
    MetricFn,
    bind_metric,
    metric_names,
)

__all__ = ["METRICS", "Metric", "MetricContext", "MetricFn", "bind_metric", "metric_names"]
