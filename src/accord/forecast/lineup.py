"""Several forecast models side by side, where one model over a limit does not stop the others.

Models with costly work refuse it before they start when a scenario is too large for them (BDM's
actors³ × issues × rounds, the exchange model's pairs, KTAB's actors; docs/limits.md). Asked for
several models, a user still wants the others: `forecast_models` runs every model it can and
records each refused one as `Skipped`, with the limit's message as its reason.

Decisions:

- Only a `LimitError` raised while forecasting skips a model. A bad parameter (unknown name,
  value out of range, rounds over the limit) is the user's request, not the scenario's size, so
  it is raised before any model runs, as before.
- When no model ran, the refusal is raised: the model's own `LimitError` when one model was asked
  for (the same message as running it alone), else one `LimitError`-style `AccordError` naming
  each model and its reason. A caller (the CLI) then exits with status 2; when at least one model
  ran the result is a success that lists what was skipped.
- Every model gets the same `seed`, as `accord forecast` always did (same seed, same bytes);
  `run_job` gives each model a stream of its own by passing a function of the model's name.
- `run_models` never refuses: a caller that reports what was skipped itself (`run_job`, which
  notes it) takes the lineup as it comes, even an empty one.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from accord.errors import AccordError, LimitError
from accord.forecast.base import MODELS, Forecast
from accord.scenario import Compiled
from accord.seeding import SeedLike


@dataclass(frozen=True)
class Skipped:
    """A model that was not run, and why (the message of the limit it is over)."""

    model: str
    reason: str
    error: LimitError | None = field(default=None, compare=False, repr=False)

    def to_dict(self) -> dict[str, str]:
        """JSON-ready record."""
        return {"model": self.model, "reason": self.reason}


@dataclass(frozen=True, eq=False)
class Lineup:
    """The forecasts of the models that ran, in the order asked, and the models skipped."""

    forecasts: tuple[Forecast, ...]
    skipped: tuple[Skipped, ...]

    def in_order(self, names: Sequence[str]) -> list[Forecast | Skipped]:
        """Forecasts and skipped models together, in the order of `names` (as asked)."""
        by_name: dict[str, Forecast | Skipped] = {f.model: f for f in self.forecasts}
        by_name.update({k.model: k for k in self.skipped})
        return [by_name[n] for n in names if n in by_name]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready record: ``forecasts`` and ``skipped``."""
        return {
            "forecasts": [f.to_dict() for f in self.forecasts],
            "skipped": [s.to_dict() for s in self.skipped],
        }


def run_models(
    c: Compiled,
    names: Sequence[str],
    params: Mapping[str, Mapping[str, Any]] | None = None,
    seed: SeedLike | Callable[[str], SeedLike] = 0,
) -> Lineup:
    """Forecast `c` with each model in `names` (with its `params`), skipping those over a limit;
    `seed` is one seed for every model or a function giving each model's. Raises the models'
    parameter errors before any model runs; never a refusal (module docstring)."""
    params = params or {}
    models = [(name, MODELS.create(name, **params.get(name, {}))) for name in names]
    done: list[Forecast] = []
    skipped: list[Skipped] = []
    for name, model in models:
        try:
            done.append(model.forecast(c, seed=seed(name) if callable(seed) else seed))
        except LimitError as e:
            skipped.append(Skipped(name, str(e), e))
    return Lineup(tuple(done), tuple(skipped))


def forecast_models(
    c: Compiled,
    names: Sequence[str],
    params: Mapping[str, Mapping[str, Any]] | None = None,
    seed: SeedLike = 0,
) -> Lineup:
    """`run_models`, refusing when no model ran: the model's own `LimitError` when one was
    asked for, else one error naming each model and its reason (module docstring)."""
    lineup = run_models(c, names, params, seed)
    skipped = lineup.skipped
    if not lineup.forecasts and len(skipped) == 1 and skipped[0].error is not None:
        raise skipped[0].error
    if not lineup.forecasts and skipped:
        raise AccordError(
            "every model is over a limit: " + "; ".join(f"{s.model}: {s.reason}" for s in skipped)
        )
    return lineup
