"""Bueno de Mesquita's expected-utility ("challenge") model, as reconstructed by Scholz et al.

Scholz, Calbert & Smith (2011), *J. Theoretical Politics* 23(4):510–531 (ICAART 2011
pp. 18–30), reconstructing Bueno de Mesquita (1994), *European Community Decision Making*
pp. 71–104; forecast-models.md §2.4. The round itself (eqs 5–7, 15–16, 22–24, 30–36) is in
`accord.forecast.models.bdm_core`, vectorised over dyads.

Every ambiguity of the paper is a named switch (`Switches`):

- ``denominator``: ``"scholz-code"`` (sum of absolute votes over all ordered pairs, the variant
  that reproduces Scholz's Table 2) or ``"paper"`` (eqs 30/31, so ``P^i + P^j = 1``);
- ``q`` (Q, probability that j stays put unchallenged; 1.0 drops the T term) — T follows
  ``|x_i − μ| < |x_i − x_j|``;
- ``security``: ``"target"`` (jmckib: ``E^i(U_ji)``) or ``"challenger"`` (``E^j(U_ji)``); with
  ``reset_risk`` on (Scholz: r = 1 when security is computed) the two coincide;
- ``offer``: ``"eu-weighted"`` (Scholz's code ranks compromises by the EU-weighted position) or
  ``"least-movement"`` (the paper and BDM 1997); ``capitulation`` turns on the capitulation
  region of fig. 6, which Scholz's code never reaches;
- ``forecast``: ``"median"`` (BDM) or ``"mean"`` (the ``c·s``-weighted mean, Scholz's advice);
- stopping: ``rounds`` is τ; with ``converge`` the run stops early once the forecast moves less
  than ``tol``·R for ``patience`` rounds in a row (BDM 1994 p. 98: "stabilizes"), and ``rounds``
  is then the hard cap. The rule that fired is recorded in `Forecast.stop`.

Decisions where the sources are silent:

- The distance range R is the issue's scale (``range_basis="scale"``); Scholz's code uses the
  range of the initial positions (``"positions"``). On the EC emissions case the two agree.
- Multi-issue scenarios are run issue by issue with each issue's saliences (BDM's model is one-
  dimensional); the trajectory of an issue that stops early is held at its last value.
- Ties (equal keys when choosing an offer, equal pairwise votes for the median) go to the lower
  position, so the result does not depend on the order actors are listed.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any, Literal

import numpy as np

from accord.errors import InputError, LimitError, Problem, env_limit
from accord.forecast.base import MODELS, FloatArray, Forecast, Model
from accord.forecast.models.bdm_core import (
    Denominator,
    OfferRule,
    Security,
    Switches,
    bdm_round,
    mean_position,
    median_position,
)
from accord.scenario import Compiled
from accord.seeding import SeedLike

MAX_ROUNDS = 1000
MAX_WORK = 2 * 10**10
"""Voter × challenger × target evaluations a forecast may take (actors³ × issues × rounds);
about a minute of work. Raised by ``ACCORD_MAX_BDM_WORK`` (issue 18: 1,000 actors took hours)."""
CITE = "Scholz, Calbert & Smith 2011 (JTP 23:510), eqs 5-7, 15-16, 22-24, 30-36; BDM 1994"


@MODELS.register(
    "bdm",
    multi_issue=False,
    deterministic=True,
    rounds=True,
    within_span=True,
    cite=CITE,
)
class BDM(Model):
    """Bueno de Mesquita's expected-utility model as Scholz et al. (2011) reconstruct it."""

    name = "bdm"

    def __init__(
        self,
        denominator: Denominator = "scholz-code",
        q: float = 1.0,
        security: Security = "target",
        offer: OfferRule = "eu-weighted",
        capitulation: bool = False,
        reset_risk: bool = True,
        forecast: Literal["median", "mean"] = "median",
        rounds: int = 10,
        converge: bool = True,
        tol: float = 0.005,
        patience: int = 2,
        range_basis: Literal["scale", "positions"] = "scale",
    ) -> None:
        # the choices of the Literal parameters are checked against the signature's schema
        MODELS.get(self.name).check(
            dict(
                denominator=denominator,
                security=security,
                offer=offer,
                forecast=forecast,
                range_basis=range_basis,
            )
        )
        problems = []
        if not 0.0 <= q <= 1.0:
            problems.append(Problem("Q is a probability in [0, 1]", ("q",), q))
        if rounds < 1:
            problems.append(Problem("at least one round", ("rounds",), rounds))
        if tol <= 0 or patience < 1:
            problems.append(Problem("tol must be > 0 and patience ≥ 1", ("tol",), tol))
        InputError.collect(problems)
        if rounds > MAX_ROUNDS:
            raise LimitError("BDM rounds", rounds, MAX_ROUNDS)
        self.switches = Switches(denominator, q, security, offer, capitulation, reset_risk)
        self.forecast_rule = forecast
        self.rounds = rounds
        self.converge = converge
        self.tol = tol
        self.patience = patience
        self.range_basis = range_basis

    @classmethod
    def scholz(cls, rounds: int = 8, **overrides: Any) -> BDM:
        """The switches as Scholz's code had them (jmckib's port), τ fixed rounds, no early stop."""
        settings: dict[str, Any] = dict(
            denominator="scholz-code",
            q=1.0,
            security="target",
            offer="eu-weighted",
            capitulation=False,
            forecast="median",
            rounds=rounds,
            converge=False,
            range_basis="positions",
        )
        settings.update(overrides)
        return cls(**settings)

    def params(self) -> dict[str, Any]:
        """Every switch, as recorded in results."""
        return {
            **asdict(self.switches),
            "forecast": self.forecast_rule,
            "rounds": self.rounds,
            "converge": self.converge,
            "tol": self.tol,
            "patience": self.patience,
            "range_basis": self.range_basis,
        }

    def _point(self, x: FloatArray, w: FloatArray, span: float) -> float:
        if self.forecast_rule == "mean":
            return mean_position(x, w)
        return median_position(x, w, span)

    def run_issue(
        self, x0: FloatArray, c: FloatArray, s: FloatArray, span: float
    ) -> tuple[list[float], list[FloatArray], str]:
        """Run one issue from positions ``x0``: forecasts by round, positions by round, rule."""
        w = c * s
        x = np.asarray(x0, dtype=float).copy()
        if span <= 0 or np.ptp(x) <= 0 or w.sum() <= 0:
            return [self._point(x, w, max(span, 1.0))], [x], "no disagreement"
        r = np.ones(len(x))
        path = [self._point(x, w, span)]
        xs = [x]
        quiet = 0
        for t in range(1, self.rounds + 1):
            state = bdm_round(x, c, s, r, span, self.switches)
            x, r = state.x, state.r
            xs.append(x)
            path.append(self._point(x, w, span))
            if self.converge:
                quiet = quiet + 1 if abs(path[-1] - path[-2]) < self.tol * span else 0
                if quiet >= self.patience:
                    return (
                        path,
                        xs,
                        (
                            f"converged: |Δ{self.forecast_rule}| < {self.tol:g}·R for "
                            f"{self.patience} rounds (round {t})"
                        ),
                    )
        if self.converge:
            return path, xs, f"round cap ({self.rounds})"
        return path, xs, f"fixed rounds ({self.rounds})"

    def forecast(self, c: Compiled, seed: SeedLike = None) -> Forecast:
        """Run the model issue by issue; the forecast is the final median (or mean)."""
        a = c.actors
        work = len(a.position) ** 3 * c.k * self.rounds
        limit = env_limit("ACCORD_MAX_BDM_WORK", MAX_WORK)
        if work > limit:
            hint = "fewer actors, issues or rounds, or set ACCORD_MAX_BDM_WORK to raise the limit"
            raise LimitError("BDM work (actors³ × issues × rounds)", work, limit, hint)
        paths: list[list[float]] = []
        moves: list[list[FloatArray]] = []
        rules: list[str] = []
        for k in range(c.k):
            x0 = a.position[:, k]
            span = 1.0 if self.range_basis == "scale" else float(np.ptp(x0))
            path, xs, rule = self.run_issue(x0, a.capability, a.salience[:, k], span)
            paths.append(path)
            moves.append(xs)
            rules.append(rule)
        n_r = max(len(p) for p in paths)
        traj = np.array([[p[min(t, len(p) - 1)] for p in paths] for t in range(n_r)])
        pos = np.stack(
            [np.stack([m[min(t, len(m) - 1)] for m in moves], axis=1) for t in range(n_r)]
        )
        stop = (
            rules[0]
            if len(set(rules)) == 1
            else "; ".join(f"{i}: {r}" for i, r in zip(c.issue_ids, rules, strict=True))
        )
        units_traj = c.to_units(traj)
        return Forecast(
            model=self.name,
            issue_ids=c.issue_ids,
            point=units_traj[-1],
            stop=stop,
            trajectory=units_traj,
            positions=c.lo[None, None, :] + pos * c.span[None, None, :],
            actor_ids=a.ids,
            params=self.params(),
        )
