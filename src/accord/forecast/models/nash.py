"""Generalised Nash bargaining and Kalai–Smorodinsky solutions, issue by issue.

forecast-models.md §2.2. On issue d each actor has utility ``u_i(x) = −s_i |x − x_i|^a``
(a = 1 linear, 2 quadratic, or any a > 0). The asymmetric Nash bargaining solution (Nash 1950;
Kalai 1977 for the weights; DEU usage as in Schneider, Finke & Bailer 2010) is

    x* = argmax_{x ∈ I} Σ_i c_i log[u_i(x) − u_i(d)],   I = {x : u_i(x) ≥ u_i(d) ∀ i},

the log of the product ∏[u_i(x) − u_i(d)]^{c_i}. Kalai & Smorodinsky (1975) instead maximise
``min_i [u_i(x) − u_i(d)] / [ū_i − u_i(d)]`` with ``ū_i`` i's best feasible gain.

Both are solved on a grid of the issue's scale (2001 points) refined by a golden-section search
around the best grid point (Kiefer 1953), which is exact to ~1e-9 of the range for the unimodal
objectives of a ≥ 1.

Disagreement point ``d``:

- ``"status-quo"`` — the issue's reference point (DEU ``rp``). If the actors sit on both sides
  of it, only the status quo itself is feasible and it is the solution.
- ``"worst"`` — each actor's worst point of the scale.
- ``"none"`` — no reference point: a common disagreement utility ``−2·max_i s_i·R^a`` below
  everyone's worst outcome. With quadratic utility this approaches Achen's (2006) derivation of
  the compromise model, where salience enters through the utility and not only the weights.

Weights are the capabilities ``c_i`` (``weights="c"``), ``c_i s_i`` or equal. Actors of zero
weight or zero salience (indifferent) do not take part; with none left the status quo stands.
In Kalai–Smorodinsky an actor with no feasible gain at all does not bind the minimum.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

import numpy as np

from accord.errors import InputError, Problem
from accord.forecast.base import MODELS, FloatArray, Forecast, Model
from accord.scenario import Compiled
from accord.seeding import SeedLike

Disagreement = Literal["status-quo", "worst", "none"]
Solution = Literal["nash", "ks"]
GRID = 2001
_GOLDEN = (np.sqrt(5.0) - 1.0) / 2.0


def golden_max(f: Callable[[float], float], lo: float, hi: float, tol: float = 1e-10) -> float:
    """Maximiser of a unimodal ``f`` on ``[lo, hi]`` by golden-section search."""
    a, b = lo, hi
    x1, x2 = b - _GOLDEN * (b - a), a + _GOLDEN * (b - a)
    f1, f2 = f(x1), f(x2)
    while b - a > tol:
        if f1 < f2:
            a, x1, f1 = x1, x2, f2
            x2 = a + _GOLDEN * (b - a)
            f2 = f(x2)
        else:
            b, x2, f2 = x2, x1, f1
            x1 = b - _GOLDEN * (b - a)
            f1 = f(x1)
    return (a + b) / 2.0


class IssueBargain:
    """The bargaining problem on one issue, in normalised units (the scale is [0, 1])."""

    def __init__(
        self,
        x: FloatArray,
        s: FloatArray,
        c: FloatArray,
        exponent: float,
        disagreement: Disagreement,
        status_quo: float,
    ) -> None:
        keep = (c > 0) & (s > 0)
        self.x, self.s, self.c = x[keep], s[keep], c[keep]
        self.a = exponent
        if disagreement == "status-quo":
            self.d = self.utility(np.array([status_quo]))[0]
        elif disagreement == "worst":
            self.d = np.minimum(self.utility(np.array([0.0]))[0], self.utility(np.array([1.0]))[0])
        else:
            self.d = np.full(len(self.x), -2.0 * float(self.s.max(initial=0.0)))
        self.status_quo = status_quo

    def utility(self, pts: FloatArray) -> FloatArray:
        """(N, A) utilities ``−s_i |x − x_i|^a`` of the points ``pts`` (N,)."""
        return -self.s[None, :] * np.abs(pts[:, None] - self.x[None, :]) ** self.a

    def gains(self, pts: FloatArray) -> FloatArray:
        """(N, A) gains over the disagreement point."""
        return self.utility(pts) - self.d[None, :]

    def nash_objective(self, pts: FloatArray) -> FloatArray:
        """``Σ c_i log gain_i`` (−inf outside the feasible set)."""
        g = self.gains(pts)
        with np.errstate(divide="ignore", invalid="ignore"):
            val = (self.c[None, :] * np.log(np.where(g > 0, g, 0.0))).sum(axis=1)
        return np.where((g > 0).all(axis=1), val, -np.inf)

    def ks_objective(self, pts: FloatArray, ideal: FloatArray) -> FloatArray:
        """``min_i gain_i / ideal_i`` (−inf outside the feasible set)."""
        g = self.gains(pts)
        ratio = np.divide(g, ideal[None, :], out=np.full_like(g, np.inf), where=ideal[None, :] > 0)
        return np.where((g >= 0).all(axis=1), ratio.min(axis=1), -np.inf)

    def solve(self, solution: Solution) -> float:
        """The solution point in [0, 1]."""
        if len(self.x) == 0:
            return self.status_quo
        grid = np.linspace(0.0, 1.0, GRID)
        obj: Callable[[FloatArray], FloatArray]
        if solution == "nash":
            obj = self.nash_objective
        else:
            g = self.gains(grid)
            feasible = (g >= 0).all(axis=1)
            if not feasible.any():
                return self.status_quo
            ideal = g[feasible].max(axis=0)
            if not (ideal > 0).any():
                return self.status_quo

            def ks(p: FloatArray) -> FloatArray:
                return self.ks_objective(p, ideal)

            obj = ks

        vals = obj(grid)
        if not np.isfinite(vals).any():
            return self.status_quo
        best = float(vals.max())
        k = int(np.flatnonzero(vals >= best - 1e-12 * max(1.0, abs(best)))[0])
        lo, hi = grid[max(k - 1, 0)], grid[min(k + 1, GRID - 1)]
        ref = golden_max(lambda p: float(obj(np.array([p]))[0]), float(lo), float(hi))
        cand = np.array([grid[k], ref])
        return float(cand[int(np.argmax(obj(cand)))])


class _Bargaining(Model):
    solution: Solution = "nash"
    default_utility = "linear"
    default_disagreement: Disagreement = "status-quo"

    def __init__(
        self,
        utility: Literal["linear", "quadratic", "power"] | None = None,
        exponent: float | None = None,
        disagreement: Disagreement | None = None,
        weights: Literal["c", "cs", "equal"] = "c",
    ) -> None:
        self.utility = utility or self.default_utility
        self.disagreement: Disagreement = disagreement or self.default_disagreement
        self.weights = weights
        problems = []
        if self.utility not in ("linear", "quadratic", "power"):
            problems.append(
                Problem("expected linear, quadratic or power", ("utility",), self.utility)
            )
        if self.disagreement not in ("status-quo", "worst", "none"):
            problems.append(
                Problem("expected status-quo, worst or none", ("disagreement",), self.disagreement)
            )
        if weights not in ("c", "cs", "equal"):
            problems.append(Problem("expected c, cs or equal", ("weights",), weights))
        a = {"linear": 1.0, "quadratic": 2.0}.get(self.utility, exponent or 1.0)
        if exponent is not None and self.utility != "power" and exponent != a:
            problems.append(
                Problem(
                    f"{self.utility} utility has exponent {a:g}; use utility='power' for another",
                    ("exponent",),
                    exponent,
                )
            )
        if not (np.isfinite(a) and 0.0 < a <= 10.0):
            problems.append(Problem("the exponent must be in (0, 10]", ("exponent",), exponent))
        InputError.collect(problems)
        self.exponent = float(a)

    def forecast(self, c: Compiled, seed: SeedLike = None) -> Forecast:
        """Solve the bargaining problem of every issue."""
        a = c.actors
        out = np.empty(c.k)
        for k in range(c.k):
            w = {"c": a.capability, "cs": a.capability * a.salience[:, k], "equal": np.ones(a.n)}[
                self.weights
            ]
            if w.sum() <= 0:
                w = np.ones(a.n)
            w = w / w.max()
            problem = IssueBargain(
                a.position[:, k],
                a.salience[:, k],
                w,
                self.exponent,
                self.disagreement,
                float(c.status_quo[k]),
            )
            out[k] = problem.solve(self.solution)
        return Forecast(
            model=self.name,
            issue_ids=c.issue_ids,
            point=c.to_units(out),
            actor_ids=a.ids,
            params=self.params(),
        )


BARGAINING_TRAITS = dict(
    multi_issue=False,
    deterministic=True,
    rounds=False,
    within_span=True,
)
"""Traits the bargaining-solution models share."""


@MODELS.register(
    "nash",
    **BARGAINING_TRAITS,
    cite="Nash 1950; asymmetric NBS as in Schneider, Finke & Bailer 2010 (forecast-models.md §2.2)",
)
class NashBargaining(_Bargaining):
    """Generalised Nash bargaining solution, linear utility, status quo as disagreement point."""

    name = "nash"


@MODELS.register(
    "nash-quadratic",
    **BARGAINING_TRAITS,
    cite="Nash 1950; Achen 2006 ch. 4 (quadratic loss, distant disagreement point)",
)
class NashQuadratic(_Bargaining):
    """Nash bargaining with quadratic utility and no reference point (Achen's derivation)."""

    name = "nash-quadratic"
    default_utility = "quadratic"
    default_disagreement: Disagreement = "none"


@MODELS.register(
    "kalai-smorodinsky",
    **BARGAINING_TRAITS,
    cite="Kalai & Smorodinsky 1975 (Econometrica 43:513); forecast-models.md §2.2",
)
class KalaiSmorodinsky(_Bargaining):
    """Kalai–Smorodinsky solution: equal shares of each actor's best feasible gain."""

    name = "kalai-smorodinsky"
    solution: Solution = "ks"
