"""What every forecast model shares: the registry, the `Forecast` result and the model protocol.

A model is a small class registered in `MODELS` with declared traits::

    @MODELS.register("compromise", multi_issue=True, deterministic=True, rounds=False,
                     within_span=True, cite="van den Bos 1991; Achen 2006 ch. 4")
    class Compromise(Model):
        def forecast(self, c: Compiled, seed: SeedLike = None) -> Forecast: ...

Models read the actors of a `Compiled` scenario (not the seats): positions normalised to
[0, 1], saliences, capabilities and the status quo. They return a `Forecast` in issue units.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from accord.registry import Registry
from accord.results import jsonable
from accord.scenario import Compiled
from accord.seeding import SeedLike

FloatArray = NDArray[np.float64]
SPATIAL_CAVEAT = (
    "a spatial model, issue by issue: it ignores red lines, metric terms (e.g. breakout time) "
    "and bloc decision rules"
)


@dataclass(frozen=True, eq=False)
class Forecast:
    """A model's forecast: a point per issue, and where the model has rounds, their paths.

    ``point`` (K,) and ``trajectory`` (R+1, K, the forecast after each round, round 0 first)
    are in issue units; ``positions`` (R+1, A, K) holds the actors' positions by round, also
    in issue units. ``stop`` names the stopping rule that fired. ``probabilities`` maps an
    issue id to outcome probabilities for models that produce them (KTAB's PCE).
    """

    model: str
    issue_ids: tuple[str, ...]
    point: FloatArray
    stop: str = "closed form"
    trajectory: FloatArray | None = None
    positions: FloatArray | None = None
    actor_ids: tuple[str, ...] = ()
    probabilities: dict[str, dict[str, float]] | None = None
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def caveat(self) -> str:
        """What a spatial model leaves out (docs/preferences.md): said with every forecast."""
        return SPATIAL_CAVEAT

    @property
    def rounds(self) -> int:
        """Number of rounds run (0 for a closed-form model)."""
        return 0 if self.trajectory is None else len(self.trajectory) - 1

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready record."""
        out: dict[str, Any] = {
            "model": self.model,
            "params": jsonable(self.params),
            "stop": self.stop,
            "rounds": self.rounds,
            "forecast": {i: float(v) for i, v in zip(self.issue_ids, self.point, strict=True)},
            "caveat": self.caveat,
        }
        if self.trajectory is not None:
            out["trajectory"] = jsonable(self.trajectory)
        if self.probabilities is not None:
            out["probabilities"] = jsonable(self.probabilities)
        return out

    def to_frame(self) -> pd.DataFrame:
        """Tidy table: one row per (round, issue) with the forecast."""
        traj = self.trajectory if self.trajectory is not None else self.point[None, :]
        rows = [
            {"model": self.model, "round": r, "issue": i, "forecast": float(traj[r, k])}
            for r in range(len(traj))
            for k, i in enumerate(self.issue_ids)
        ]
        return pd.DataFrame(rows)


class Model(ABC):
    """Base class of forecast models. Subclasses set `name` and implement `forecast`."""

    name: ClassVar[str] = ""

    @abstractmethod
    def forecast(self, c: Compiled, seed: SeedLike = None) -> Forecast:
        """Forecast the outcome of every issue of `c`."""
        ...

    def params(self) -> dict[str, Any]:
        """The model's parameters, as recorded in results."""
        return {k: v for k, v in vars(self).items() if not k.startswith("_")}


MODELS: Registry[type[Model]] = Registry("models")
