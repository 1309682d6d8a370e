"""Numbers with their provenance: `Estimate` (value, source, judgement, uncertainty) and the
`Frozen` base of every schema model, split out of `accord.scenario.schema`, which re-exports
them.

A number in a scenario is written plainly (``capability: 100``) or as an `Estimate`
(``{value: 100, source: iaea-2013-05, range: [80, 120]}``): where it came from, whether it is a
judgement, and how uncertain it is. Monte-Carlo reads the uncertainty; reports read the sources.
"""

from __future__ import annotations

import math
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator


class Frozen(BaseModel):
    """Base of every schema model: immutable, unknown fields refused."""

    model_config = ConfigDict(
        frozen=True, extra="forbid", populate_by_name=True, allow_inf_nan=False
    )


class Distribution(Frozen):
    """A probability distribution on a number, used by Monte-Carlo.

    ``uniform`` uses ``low``/``high``; ``triangular`` adds ``mode``; ``normal`` uses
    ``mean``/``sd`` and is clipped to ``low``/``high`` when they are given; ``beta`` uses
    ``a``/``b`` on ``[low, high]``.
    """

    kind: Literal["uniform", "triangular", "normal", "beta"]
    low: float | None = None
    high: float | None = None
    mode: float | None = None
    mean: float | None = None
    sd: float | None = Field(default=None, gt=0)
    a: float | None = Field(default=None, gt=0)
    b: float | None = Field(default=None, gt=0)

    @model_validator(mode="after")
    def _parameters(self) -> Distribution:
        need = {
            "uniform": ("low", "high"),
            "triangular": ("low", "mode", "high"),
            "normal": ("mean", "sd"),
            "beta": ("a", "b", "low", "high"),
        }[self.kind]
        missing = [n for n in need if getattr(self, n) is None]
        if missing:
            raise ValueError(f"a {self.kind} distribution needs {', '.join(missing)}")
        if self.low is not None and self.high is not None and not self.low <= self.high:
            raise ValueError(f"low ({self.low}) must not exceed high ({self.high})")
        lo, hi, mode = self.low, self.high, self.mode
        if mode is not None and lo is not None and hi is not None and not lo <= mode <= hi:
            raise ValueError("mode must lie within [low, high]")
        return self

    def bounds(self) -> tuple[float, float]:
        """The support, with ±4 sd for an unclipped normal."""
        if self.kind == "normal":
            assert self.mean is not None and self.sd is not None
            lo = self.low if self.low is not None else self.mean - 4 * self.sd
            hi = self.high if self.high is not None else self.mean + 4 * self.sd
            return lo, hi
        assert self.low is not None and self.high is not None
        return self.low, self.high


class Estimate(Frozen):
    """A number with where it came from and how sure we are of it.

    ``source`` is the id of an entry in ``meta.sources`` or a free-text citation;
    ``judgement`` marks an analyst's judgement (``note`` says the reasoning). ``range`` is a
    uniform uncertainty interval, ``dist`` a distribution; give at most one of them.
    """

    value: float | str
    source: str | None = None
    judgement: bool = False
    note: str | None = None
    range: tuple[float, float] | None = None
    dist: Distribution | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Estimate:
        if self.range is not None and self.dist is not None:
            raise ValueError("give either range or dist, not both")
        if self.range is not None and not self.range[0] <= self.range[1]:
            raise ValueError(f"range {list(self.range)} is not increasing")
        if isinstance(self.value, float) and not math.isfinite(self.value):
            raise ValueError("value must be a finite number")
        return self

    @property
    def uncertain(self) -> bool:
        """Whether Monte-Carlo may vary this number."""
        return self.range is not None or self.dist is not None

    @property
    def sourced(self) -> bool:
        """Whether this number cites a source or is marked a judgement."""
        return bool(self.source) or self.judgement

    def number(self) -> float:
        """The value as a float (an option label is not a number)."""
        if isinstance(self.value, str):
            raise TypeError(f"{self.value!r} is an option label, not a number")
        return float(self.value)


class NumberEstimate(Estimate):
    """An `Estimate` whose value must be a number (capability, salience, rates, …)."""

    value: float


Number = float | NumberEstimate
Value = float | str | Estimate


def as_estimate(x: Value | None) -> Estimate | None:
    """Wrap a plain number or label as an `Estimate`."""
    if x is None or isinstance(x, Estimate):
        return x
    return Estimate(value=x)


def _raw(v: Value) -> float | str:
    return v.value if isinstance(v, Estimate) else v


def number(v: Number | None, default: float = 0.0) -> float:
    """A plain float from a number or an `Estimate` (``default`` for None)."""
    if v is None:
        return default
    return v.number() if isinstance(v, Estimate) else float(v)
