"""Score forecast models against cases whose outcome is known.

For every issue with an ``outcome`` in every case, each model's absolute error is taken on a
0–100 scale (the issue's range is 100): ``e = 100·|forecast − outcome| / (hi − lo)``. Per model
the evaluation reports the mean absolute error, the root mean squared error, the median absolute
error, the share of issues forecast within 5, 10 and 20 points, and a paired bootstrap 95 %
interval of ``MAE(model) − MAE(baseline)`` (Efron & Tibshirani 1993 ch. 16: the issues are
resampled with replacement; every model sees the same resamples). The baseline is the compromise
model (forecast-models.md: "the model to beat"). A negative difference means the model is more
accurate than the baseline; an interval that excludes 0 means it is so in this sample.

Options issues are scored on their option index, so one option away is 100/(m − 1) points.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from accord.errors import InputError, Problem
from accord.forecast.base import MODELS, FloatArray
from accord.results import jsonable
from accord.scenario import Estimate, Scenario, compile
from accord.seeding import SeedLike, make_rng

BASELINE = "compromise"
HITS = (5.0, 10.0, 20.0)


@dataclass(frozen=True)
class Score:
    """One model's accuracy over all scored issues (errors on a 0–100 scale)."""

    model: str
    n: int
    mae: float
    rmse: float
    median_ae: float
    hit5: float
    hit10: float
    hit20: float
    mae_diff: float
    diff_low: float
    diff_high: float

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready record."""
        return dict(jsonable(vars(self)))


@dataclass(frozen=True, eq=False)
class Evaluation:
    """Errors per (case, issue, model) and the per-model `Score`s, best MAE first."""

    errors: pd.DataFrame
    scores: tuple[Score, ...]
    baseline: str
    seed: int
    n_boot: int

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready record: settings, scores and every error."""
        return {
            "baseline": self.baseline,
            "seed": self.seed,
            "bootstrap_samples": self.n_boot,
            "scores": [s.to_dict() for s in self.scores],
            "errors": jsonable(self.errors.to_dict(orient="records")),
        }

    def to_frame(self) -> pd.DataFrame:
        """Tidy table: one row per model with its scores."""
        return pd.DataFrame([vars(s) for s in self.scores])


def _raw(v: object) -> float | str:
    value = v.value if isinstance(v, Estimate) else v
    return value if isinstance(value, str) else float(value)  # type: ignore[arg-type]


def scored_issues(s: Scenario) -> list[tuple[int, str, float]]:
    """(index, issue id, outcome in issue units) of the issues of `s` with a known outcome."""
    return [
        (k, i.id, i.to_units(_raw(i.outcome)))
        for k, i in enumerate(s.issues)
        if i.outcome is not None
    ]


def paired_bootstrap(err: FloatArray, base: FloatArray, idx: np.ndarray) -> tuple[float, float]:
    """95 % percentile interval of ``mean(err − base)`` over the issue resamples ``idx``."""
    diff = err - base
    means = diff[idx].mean(axis=1)
    lo, hi = np.percentile(means, [2.5, 97.5])
    return float(lo), float(hi)


def evaluate(
    cases: Sequence[tuple[str, Scenario]],
    models: Sequence[str] | None = None,
    seed: int = 0,
    n_boot: int = 2000,
    baseline: str = BASELINE,
    progress: Callable[[int, int], None] | None = None,
    model_seed: SeedLike = 0,
) -> Evaluation:
    """Score `models` (default: all registered) on the named `cases` with known outcomes."""
    names = list(models) if models else MODELS.names()
    for n in [*names, baseline]:
        MODELS.get(n)
    if baseline not in names:
        names.append(baseline)
    if n_boot < 100:
        raise InputError(Problem("use at least 100 bootstrap samples", ("n_boot",), n_boot))
    rows: list[dict[str, Any]] = []
    scored = [(label, s, scored_issues(s)) for label, s in cases]
    if not any(issues for _, _, issues in scored):
        raise InputError(
            [
                Problem(
                    "no issue has a known outcome (issue field `outcome`)",
                    ("cases",),
                    [label for label, _ in cases],
                )
            ]
        )
    todo = sum(len(names) for _, _, issues in scored if issues)
    done = 0
    for label, s, issues in scored:
        if not issues:
            continue
        c = compile(s)
        for name in names:
            f = MODELS.create(name).forecast(c, seed=model_seed)
            for k, issue_id, outcome in issues:
                err = 100.0 * abs(float(f.point[k]) - outcome) / float(c.span[k])
                rows.append(
                    {
                        "case": label,
                        "issue": issue_id,
                        "model": name,
                        "forecast": float(f.point[k]),
                        "outcome": outcome,
                        "error": err,
                    }
                )
            done += 1
            if progress is not None:
                progress(done, todo)
    errors = pd.DataFrame(rows)
    wide = errors.pivot_table(index=["case", "issue"], columns="model", values="error", sort=False)
    base = wide[baseline].to_numpy()
    idx = make_rng(seed).integers(0, len(base), size=(n_boot, len(base)))
    scores = []
    for name in names:
        e = wide[name].to_numpy()
        lo, hi = paired_bootstrap(e, base, idx)
        scores.append(
            Score(
                model=name,
                n=len(e),
                mae=float(e.mean()),
                rmse=float(np.sqrt((e**2).mean())),
                median_ae=float(np.median(e)),
                hit5=float((e <= HITS[0]).mean()),
                hit10=float((e <= HITS[1]).mean()),
                hit20=float((e <= HITS[2]).mean()),
                mae_diff=float((e - base).mean()),
                diff_low=lo,
                diff_high=hi,
            )
        )
    scores.sort(key=lambda sc: (sc.mae, sc.model))
    return Evaluation(
        errors=errors, scores=tuple(scores), baseline=baseline, seed=seed, n_boot=n_boot
    )
