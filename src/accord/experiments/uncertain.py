"""The uncertain numbers of a scenario: where they are, how they are distributed, how to set them.

Any number of a scenario may be an `Estimate` with a ``range`` (uniform) or a ``dist``
(uniform, triangular, normal, beta; see `accord.scenario.Distribution`). `uncertain_numbers`
lists them, each as an `Uncertain` with its field path in the scenario, a readable name
(``issues.stockpile_20.status_quo``, ``clocks.stockpile_growth.rate``), its distribution and the
bounds the field allows. `Uncertain.ppf` maps a draw on the unit interval to a value through the
distribution's inverse CDF, so plain random draws, Latin hypercubes and Sobol sequences all go
through the same map (McKay, Beckman & Conover 1979, *Technometrics* 21(2), §2: an LHS column is
``F^-1`` of a stratified uniform column). `perturb` returns the scenario with chosen values set.

Decisions where the design is silent:
- ``issues.*.outcome`` (the known result of the talks) is data, never varied.
- A ``normal`` without ``low``/``high`` is clipped only to the field's own bounds; with them it
  is clipped (not truncated) to them, as the schema says. Unit draws are kept inside
  ``[1e-12, 1 - 1e-12]`` so that the inverse CDF stays finite.
- Every drawn value is clamped to what its field allows, declared once in
  `accord.scenario.numbers.FIELDS` and used by validation too: positions and status quo to the
  issue's scale (rounded to an option index on an options issue), salience to
  ``[0, meta.salience_scale]``, capability ≥ 0, reservation in [0, 1], risk in [-1, 1],
  discount in (0, 1], round length > 0, metric-term weights to ``[0, meta.salience_scale]``,
  red-line thresholds on an issue to its scale. Clock rates and metric thresholds are not
  bounded. An open bound is clamped to ``1e-9`` inside it.
- `perturb` builds the new scenario with ``model_copy`` along each path: the result is a valid
  scenario by construction (values clamped), without paying for re-validation on every draw.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy import special

from accord.errors import Path
from accord.scenario import Distribution, Estimate, Scenario
from accord.scenario.numbers import numbers, set_numbers

FloatArray = NDArray[np.float64]

_EPS = 1e-12


@dataclass(frozen=True)
class Uncertain:
    """One uncertain number: its field path, readable name, distribution and allowed bounds."""

    path: Path
    name: str
    estimate: Estimate
    lo: float = -math.inf
    hi: float = math.inf
    integer: bool = False

    @property
    def distribution(self) -> Distribution:
        """The distribution of this number (a ``range`` is a uniform distribution)."""
        if self.estimate.dist is not None:
            return self.estimate.dist
        assert self.estimate.range is not None
        low, high = self.estimate.range
        return Distribution(kind="uniform", low=low, high=high)

    @property
    def nominal(self) -> float:
        """The estimate's own value, clamped to the field's bounds."""
        return float(self.clamp(np.array([self.estimate.number()]))[0])

    def clamp(self, x: FloatArray) -> FloatArray:
        """Values clamped to what the field allows (rounded on an options issue)."""
        out = np.clip(x, self.lo, self.hi)
        return np.round(out) if self.integer else out

    def ppf(self, u: FloatArray | float) -> FloatArray:
        """Values at unit draws `u` through the inverse CDF of the distribution, clamped."""
        uu = np.clip(np.asarray(u, dtype=float), _EPS, 1.0 - _EPS)
        return self.clamp(inverse_cdf(self.distribution, uu))

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready record."""
        d = self.distribution
        return {
            "name": self.name,
            "path": list(self.path),
            "value": self.estimate.number(),
            "distribution": d.model_dump(mode="json", exclude_none=True),
        }


def inverse_cdf(d: Distribution, u: FloatArray) -> FloatArray:
    """The quantile function of `d` at `u` (elementwise, ``0 < u < 1``)."""
    if d.kind == "uniform":
        assert d.low is not None and d.high is not None
        return d.low + u * (d.high - d.low)
    if d.kind == "triangular":
        assert d.low is not None and d.high is not None and d.mode is not None
        a, b, c = d.low, d.high, d.mode
        if b == a:
            return np.full_like(u, a)
        fc = (c - a) / (b - a)
        left = a + np.sqrt(u * (b - a) * (c - a))
        right = b - np.sqrt((1.0 - u) * (b - a) * (b - c))
        return np.where(u < fc, left, right)
    if d.kind == "normal":
        assert d.mean is not None and d.sd is not None
        x = d.mean + d.sd * special.ndtri(u)
        lo = -math.inf if d.low is None else d.low
        hi = math.inf if d.high is None else d.high
        return np.asarray(np.clip(x, lo, hi), dtype=float)
    assert d.a is not None and d.b is not None and d.low is not None and d.high is not None
    return d.low + (d.high - d.low) * special.betaincinv(d.a, d.b, u)


def uncertain_numbers(s: Scenario) -> list[Uncertain]:
    """Every number of `s` that Monte-Carlo may vary and that carries a range or a
    distribution, in document order, with the bounds its field declares
    (`accord.scenario.numbers.FIELDS`)."""
    return [
        Uncertain(n.path, n.name, n.value, n.bounds.clamp_lo, n.bounds.hi, n.integer)
        for n in numbers(s)
        if n.field.varied
        and isinstance(n.value, Estimate)
        and n.value.uncertain
        and not isinstance(n.value.value, str)
    ]


def perturb(s: Scenario, params: Sequence[Uncertain], values: Sequence[float]) -> Scenario:
    """The scenario `s` with number ``params[j]`` set to ``values[j]`` (sources kept).

    Set with `accord.scenario.numbers.set_numbers`: every model on the way is copied once and
    not validated again (the values are clamped to their fields' bounds by `Uncertain.ppf`).
    """
    pairs = [(p.path, float(x)) for p, x in zip(params, values, strict=True)]
    out: Scenario = set_numbers(s, pairs)
    return out
