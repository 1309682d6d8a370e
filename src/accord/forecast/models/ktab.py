"""KTAB's Spatial Model of Politics (SMP): challenges, interpolated bargains, probabilistic
Condorcet elections.

Sources: KAPSARC's KTAB (MIT), `examples/smp/libsrc/smp.cpp` (``SMPState::probEduChlg``,
``brgnStateUtil``, ``bestChallenge``) and `kmodel/libsrc/kmodel.cpp` (``Actor::vProbLittle``,
``thirdPartyVoteSU``, ``Model::scalarPCE``); Efird, Lester & Wise (2016), *J. East Asian
Studies* 16:117–145; Wise, "Markov voting with incentives in KTAB" (draft); forecast-models.md
§2.6. Positions are accord's normalised [0, 1] positions (KTAB's 0–100 divided by 100).

One turn, vectorised over actors (arrays of shape (A, A) and (A, A, A)):

1. Distance ``d_kj = sqrt(Σ_d (s_kd (x_kd − x_jd))² / Σ_d s_kd²)`` with k's saliences, utility
   ``u(d; R) = (1 − d)(1 + d R)``.
2. Risk: a PCE over the actors' positions with risk-neutral utilities and vote weight ``c_k``
   gives ``p_i``; the risk attitude is Min, Mid (default) or Max of ``p``; h perceives k's
   attitude as ``(2 R_h + R_k)/3`` (OneThird, default; also None, Half, TwoThirds, Full).
3. Challenges, as each initiator i estimates them (h = k = i): the principals vote with weight
   ``c s`` (s = total salience), each third party n weighs in through its "little coalition"
   (``vProbLittle``) and the semi-committed third-party vote (``thirdPartyVoteSU``); the
   coalition strengths give ``P[i ≻ j] = S_ij^γ / (S_ij^γ + S_ji^γ)`` and
   ``EU_chlg − EU_sq = (1 − s_j) 2u_ii + s_j [P 2u_ii + (1 − P) 2u_ij] − (u_ii + u_ij)``.
4. Targeting: i challenges the j with the largest gain above 1e-5 (``bestChallenge``).
5. Bargain: per dimension ``b = ((s_i P_i)² x_i + (s_j P_j)² x_j) / ((s_i P_i)² + (s_j P_j)²)``
   (S2P2, default; S1P1 uses first powers). The bargain enters the queues of i and j.
6. Resolution: each actor's queue (its bargains and the status quo) is resolved by a PCE over
   the utility of the resulting state (the mean utility of all actors' positions, with
   initiator and receiver at the bargain), voted with weight ``c s``; the option with the
   largest probability wins (``argmax``, default) or one is drawn (``stochastic``). The actor
   moves to the winning bargain.
7. Stop after at least ``min_turns`` and at most ``max_turns`` turns once
   ``Σ_i ‖x_i(t) − x_i(t−1)‖ / (Σ_i ‖x_i(1) − x_i(0)‖ + 1e-4) < tol`` (KTAB: 2, 100, 0.02).

Vote functions ``f(Δ)``: prop (Δ, default), binary (sign Δ), propbin (0.8Δ + 0.2 sign Δ), cubic
(Δ³), propcbc ((Δ + Δ³)/2), asymprosp (Δ if Δ < 0, 2Δ/3 otherwise). Victory: linear
(γ = 1, default), square (2), quartic (4), octic (8), binary (a coalition 10 % stronger wins
outright; linear in the strength ratio in between). PCE: conditional (``p_i ∝ Π_j P[i ≻ j]``,
default) or markov-incentive (stationary distribution of the chain in which j's position is
overturned by i at a rate ``S_ij P[i ≻ j]``).

Output: the forecast point is the PCE-probability-weighted mean of the final positions; the
outcome probabilities (`Forecast.probabilities`) are that PCE over the final positions, per
issue as a distribution over the distinct final values (rounded to 6 significant digits; options
issues by nearest option index). The trajectory holds the same point after every turn, and
``params["actor_probabilities"]`` the final probability of each actor's position.

Simplifications (documented departures from KTAB):

- Ideal points track positions (KTAB's default: no separate ideal-point drift).
- Capability is one number per actor. Saliences are the scenario's 0–1 saliences, each actor's
  row divided by its sum where that exceeds 1 (KTAB requires Σ_d s_d ≤ 1).
- Third-party commitment: ``semi`` (default) or ``none``. In kmodel.cpp NoCommit and FullCommit
  make the two compared lotteries identical, so their third-party vote is zero; ``none`` is
  that case. S2PMax bargains and the 2016 paper's NBS-relative-to-BATNA bargain are not offered.
- Floating-point noise is kept from steering the run: positions are rounded to 1e-10 of the
  range after every turn and utility differences below 1e-12 count as zero in votes (without
  this, two actors a rounding error apart vote on noise and runs on rescaled inputs diverge).
- Actors are processed in the order of their ids and near-ties (1e-9) in targeting and
  resolution go to the first, so the result does not depend on the order actors are listed.
- The outcome probabilities use the risk-neutral position PCE, the one KTAB uses for risk.
- The minimum coalition strength is ``1e-10 Σ c s`` (KTAB: 1e-10), so rescaling capabilities
  changes nothing.
"""

from __future__ import annotations

from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray

from accord.errors import InputError, LimitError, Problem
from accord.forecast.base import MODELS, FloatArray, Forecast, Model
from accord.scenario import Compiled
from accord.seeding import SeedLike, make_rng

MAX_ACTORS = 250
MAX_TURNS = 1000
CITE = (
    "KAPSARC KTAB smp.cpp/kmodel.cpp; Efird, Lester & Wise 2016 (JEAS 16:117); "
    "Wise, Markov voting with incentives in KTAB"
)

VoteRule = Literal["prop", "binary", "propbin", "cubic", "propcbc", "asymprosp"]
VictoryRule = Literal["linear", "square", "quartic", "octic", "binary"]
PCERule = Literal["conditional", "markov"]
RiskRule = Literal["min", "mid", "max", "neutral"]
Perception = Literal["none", "onethird", "half", "twothirds", "full"]
Bargain = Literal["s2p2", "s1p1"]
Resolution = Literal["argmax", "stochastic"]
ThirdParty = Literal["semi", "none"]

GAMMA = {"linear": 1.0, "square": 2.0, "quartic": 4.0, "octic": 8.0}
PERCEIVED = {"none": 0.0, "onethird": 1 / 3, "half": 0.5, "twothirds": 2 / 3, "full": 1.0}
MIN_GAIN = 1e-5
NOISE = 1e-12
GRID = 10


def vote(rule: str, weight: FloatArray | float, delta: FloatArray) -> FloatArray:
    """Vote ``w f(Δ)`` for option 1 over option 2, with ``Δ = u_1 − u_2``."""
    d = np.asarray(delta, dtype=float)
    d = np.where(np.abs(d) < NOISE, 0.0, d)
    if rule == "prop":
        f = d
    elif rule == "binary":
        f = np.sign(d)
    elif rule == "propbin":
        f = 0.8 * d + 0.2 * np.sign(d)
    elif rule == "cubic":
        f = d**3
    elif rule == "propcbc":
        f = 0.5 * (d + d**3)
    else:
        f = np.where(d < 0, d, 2.0 / 3.0 * d)
    return np.asarray(weight * f, dtype=float)


def victory(s_ij: FloatArray, s_ji: FloatArray, rule: str) -> FloatArray:
    """``P[i ≻ j]`` from the coalition strengths ``S_ij`` and ``S_ji`` (0.5 where both are 0)."""
    s_ij = np.asarray(s_ij, dtype=float)
    s_ji = np.asarray(s_ji, dtype=float)
    if rule == "binary":
        hi = np.maximum(s_ij, s_ji)
        lo = np.minimum(s_ij, s_ji)
        margin = np.divide(hi - lo, 0.1 * lo, out=np.full_like(hi, np.inf), where=lo > 0)
        margin = np.where(hi > 0, np.minimum(margin, 1.0), 0.0)
        return np.asarray(0.5 + 0.5 * np.sign(s_ij - s_ji) * margin)
    g = GAMMA[rule]
    top = np.maximum(s_ij, s_ji)
    safe = np.where(top > 0, top, 1.0)
    a = (s_ij / safe) ** g
    b = (s_ji / safe) ** g
    return np.asarray(np.where(a + b > 0, a / np.where(a + b > 0, a + b, 1.0), 0.5))


def pce(p_win: FloatArray, strength: FloatArray, rule: str) -> FloatArray:
    """Probabilistic Condorcet election over n options from ``P[i ≻ j]`` and ``S_ij``."""
    n = len(p_win)
    if n == 1:
        return np.ones(1)
    if rule == "markov":
        rate = strength * p_win
        np.fill_diagonal(rate, 0.0)
        out = rate.sum(axis=0)
        scale = out.max()
        if scale <= 0:
            return np.full(n, 1.0 / n)
        t = rate.T / scale
        t[np.diag_indices(n)] = 1.0 - t.sum(axis=1)
        a = np.vstack([t.T - np.eye(n), np.ones((1, n))])
        rhs = np.zeros(n + 1)
        rhs[-1] = 1.0
        pi = np.linalg.lstsq(a, rhs, rcond=None)[0]
        pi = np.clip(pi, 0.0, None)
        return np.asarray(pi / pi.sum())
    logp = np.log(np.clip(p_win, 1e-300, 1.0))
    np.fill_diagonal(logp, 0.0)
    score = logp.sum(axis=1)
    score -= score.max()
    e = np.exp(score)
    return np.asarray(e / e.sum())


def risk_attitudes(p: FloatArray, rule: str) -> FloatArray:
    """Risk attitudes ``R_i ∈ [−1, 1]`` from the PCE probabilities of the actors' positions."""
    lo, hi = p.min(), p.max()
    if rule == "neutral" or hi - lo <= 1e-12:
        return np.zeros_like(p)
    if rule == "min":
        return np.asarray((p - lo) / (hi - lo))
    if rule == "max":
        return np.asarray((2 * p - hi - lo) / (hi - lo))
    return np.asarray((3 * p - hi - 2 * lo) / (2 * (hi - lo)))


def _first_max(a: FloatArray, tol: float = 1e-9) -> NDArray[np.int64]:
    """Per row, the first column within ``tol`` of the row's maximum (ties broken by order)."""
    top = a.max(axis=1, keepdims=True)
    return np.asarray(np.argmax(a >= top - tol * np.maximum(1.0, np.abs(top)), axis=1))


def distances(x: FloatArray, s: FloatArray) -> FloatArray:
    """``d[k, j]``: salience-weighted distance from k's position to j's, with k's saliences."""
    diff = x[None, :, :] - x[:, None, :]
    num = ((s[:, None, :] * diff) ** 2).sum(axis=2)
    den = (s**2).sum(axis=1)[:, None]
    d = np.sqrt(np.divide(num, den, out=np.zeros_like(num), where=den > 0))
    return np.asarray(np.clip(d, 0.0, 1.0))


def utility(d: FloatArray, r: FloatArray | float) -> FloatArray:
    """KTAB's ``u(d; R) = (1 − d)(1 + d R)``."""
    return np.asarray((1.0 - d) * (1.0 + d * r))


@MODELS.register(
    "ktab",
    multi_issue=True,
    deterministic=True,
    rounds=True,
    within_span=True,
    probabilities=True,
    cite=CITE,
)
class KTAB(Model):
    """KTAB-style Spatial Model of Politics: challenges, bargains and Condorcet elections."""

    name = "ktab"

    def __init__(
        self,
        vote: VoteRule = "prop",
        victory: VictoryRule = "linear",
        pce: PCERule = "conditional",
        risk: RiskRule = "mid",
        perceived: Perception = "onethird",
        bargain: Bargain = "s2p2",
        resolution: Resolution = "argmax",
        third_party: ThirdParty = "semi",
        min_turns: int = 2,
        max_turns: int = 100,
        tol: float = 0.02,
    ) -> None:
        choices: dict[str, tuple[Any, tuple[str, ...]]] = {
            "vote": (vote, ("prop", "binary", "propbin", "cubic", "propcbc", "asymprosp")),
            "victory": (victory, ("linear", "square", "quartic", "octic", "binary")),
            "pce": (pce, ("conditional", "markov")),
            "risk": (risk, ("min", "mid", "max", "neutral")),
            "perceived": (perceived, tuple(PERCEIVED)),
            "bargain": (bargain, ("s2p2", "s1p1")),
            "resolution": (resolution, ("argmax", "stochastic")),
            "third_party": (third_party, ("semi", "none")),
        }
        problems = [
            Problem(f"expected one of: {', '.join(opts)}", (key,), val)
            for key, (val, opts) in choices.items()
            if val not in opts
        ]
        if not 1 <= min_turns <= max_turns:
            problems.append(Problem("need 1 ≤ min_turns ≤ max_turns", ("min_turns",), min_turns))
        if tol <= 0:
            problems.append(Problem("tol must be > 0", ("tol",), tol))
        InputError.collect(problems)
        if max_turns > MAX_TURNS:
            raise LimitError("KTAB turns", max_turns, MAX_TURNS)
        self.vote, self.victory, self.pce = vote, victory, pce
        self.risk, self.perceived, self.bargain = risk, perceived, bargain
        self.resolution, self.third_party = resolution, third_party
        self.min_turns, self.max_turns, self.tol = min_turns, max_turns, tol

    # -- the pieces of a turn -------------------------------------------------------------------

    def position_pce(self, x: FloatArray, s: FloatArray, c: FloatArray) -> FloatArray:
        """PCE over the actors' positions: risk-neutral utilities, vote weight ``c_k``."""
        u = 1.0 - distances(x, s)
        v = vote(self.vote, c[:, None, None], u[:, :, None] - u[:, None, :])
        strength = np.clip(v, 0.0, None).sum(axis=0)
        return pce(victory(strength, strength.T, self.victory), strength, self.pce)

    def challenges(
        self, x: FloatArray, s: FloatArray, c: FloatArray, r: FloatArray
    ) -> tuple[FloatArray, FloatArray]:
        """``P[i ≻ j]`` and i's expected gain from challenging j, both as i estimates them."""
        n = len(c)
        d = distances(x, s)
        w = PERCEIVED[self.perceived]
        r_h = (1.0 - w) * r[:, None] + w * r[None, :]
        uh = utility(d[None, :, :], r_h[:, :, None])
        ar = np.arange(n)
        s_tot = s.sum(axis=1)
        cs = c * s_tot
        u_self = uh[ar, ar, :]
        u_ii = u_self[ar, ar][:, None]
        u_ij = u_self
        u_ji = uh[ar, :, ar]
        u_jj = uh[ar][:, ar, ar]
        floor = 1e-10 * max(cs.sum(), 1e-300)
        ci = vote(self.vote, cs[:, None], u_ii - u_ij)
        cj = vote(self.vote, cs[None, :], u_ji - u_jj)
        s_ij = floor + np.clip(ci, 0, None) + np.clip(cj, 0, None)
        s_ji = floor - np.clip(ci, None, 0) - np.clip(cj, None, 0)
        if self.third_party == "semi" and n > 2:
            uni = u_ji[:, None, :]
            unj = np.transpose(uh, (0, 2, 1))
            unn = uh[:, ar, ar][:, None, :]
            cn = vote(self.vote, cs[None, None, :], uni - unj)
            cni = s_ij[:, :, None] + np.clip(cn, 0, None)
            cnj = s_ji[:, :, None] - np.clip(cn, None, 0)
            pin = cni / (cni + cnj)
            diff = pin * (unn - uni) + (1.0 - pin) * (unj - unn)
            vn = vote(self.vote, cs[None, None, :], diff)
            vn[ar[:, None], ar[None, :], ar[:, None]] = 0.0
            vn[ar[:, None], ar[None, :], ar[None, :]] = 0.0
            s_ij = s_ij + np.clip(vn, 0, None).sum(axis=2)
            s_ji = s_ji - np.clip(vn, None, 0).sum(axis=2)
        p = victory(s_ij, s_ji, self.victory)
        sj = np.minimum(s_tot, 1.0)[None, :]
        eu = (1 - sj) * 2 * u_ii + sj * (p * 2 * u_ii + (1 - p) * 2 * u_ij) - (u_ii + u_ij)
        np.fill_diagonal(eu, -np.inf)
        return p, eu

    def bargains(
        self, x: FloatArray, s: FloatArray, p: FloatArray, eu: FloatArray
    ) -> tuple[list[tuple[int, int]], FloatArray]:
        """Each initiator's best target and the interpolated bargain of the pair."""
        ar = np.arange(len(x))
        target = _first_max(eu)
        chosen = eu[ar, target] > MIN_GAIN
        pairs = [(int(i), int(target[i])) for i in ar[chosen]]
        if not pairs:
            return [], np.zeros((0, x.shape[1]))
        ii = np.array([i for i, _ in pairs])
        jj = np.array([j for _, j in pairs])
        pi = p[ii, jj][:, None]
        power = 2.0 if self.bargain == "s2p2" else 1.0
        wi = (s[ii] * pi) ** power
        wj = (s[jj] * (1.0 - pi)) ** power
        tot = wi + wj
        mid = 0.5 * (x[ii] + x[jj])
        b = np.divide(wi * x[ii] + wj * x[jj], tot, out=mid, where=tot > 0)
        return pairs, b

    def resolve(
        self,
        x: FloatArray,
        s: FloatArray,
        c: FloatArray,
        r: FloatArray,
        pairs: list[tuple[int, int]],
        b: FloatArray,
        rng: np.random.Generator,
    ) -> FloatArray:
        """Each actor's queue resolved by a PCE over state utilities; the new positions."""
        n, m = len(c), len(pairs)
        if m == 0:
            return x
        d = distances(x, s)
        u = utility(d, r[:, None])
        diff = b[None, :, :] - x[:, None, :]
        num = ((s[:, None, :] * diff) ** 2).sum(axis=2)
        den = (s**2).sum(axis=1)[:, None]
        db = np.sqrt(np.divide(num, den, out=np.zeros_like(num), where=den > 0))
        ub = utility(np.clip(db, 0.0, 1.0), r[:, None])
        ii = np.array([i for i, _ in pairs])
        jj = np.array([j for _, j in pairs])
        base = u.sum(axis=1)
        state = np.empty((n, m + 1))
        state[:, 0] = base / n
        state[:, 1:] = (base[:, None] - u[:, ii] - u[:, jj] + 2.0 * ub) / n
        cs = c * s.sum(axis=1)
        v = vote(self.vote, cs[:, None, None], state[:, :, None] - state[:, None, :])
        strength = np.clip(v, 0.0, None).sum(axis=0)
        p_win = victory(strength, strength.T, self.victory)
        queue = np.zeros((n, m + 1), dtype=bool)
        queue[:, 0] = True
        queue[ii, np.arange(m) + 1] = True
        queue[jj, np.arange(m) + 1] = True
        new = x.copy()
        for k in np.nonzero(queue[:, 1:].any(axis=1))[0]:
            opts = np.nonzero(queue[k])[0]
            probs = pce(p_win[np.ix_(opts, opts)], strength[np.ix_(opts, opts)], self.pce)
            pick = (
                int(_first_max(probs[None, :])[0])
                if self.resolution == "argmax"
                else int(rng.choice(len(opts), p=probs))
            )
            if opts[pick] > 0:
                new[k] = b[opts[pick] - 1]
        return new

    # -- the run --------------------------------------------------------------------------------

    def params(self) -> dict[str, Any]:
        """The model's parameters, as recorded in results."""
        return {
            "vote": self.vote,
            "victory": self.victory,
            "pce": self.pce,
            "risk": self.risk,
            "perceived": self.perceived,
            "bargain": self.bargain,
            "resolution": self.resolution,
            "third_party": self.third_party,
            "min_turns": self.min_turns,
            "max_turns": self.max_turns,
            "tol": self.tol,
        }

    def run(
        self, x0: FloatArray, s: FloatArray, c: FloatArray, seed: SeedLike = None
    ) -> tuple[list[FloatArray], list[FloatArray], str]:
        """Turns from positions ``x0``: positions and position PCE after each turn, stop rule."""
        rng = make_rng(seed)
        x = np.round(np.asarray(x0, dtype=float), GRID)
        xs = [x]
        ps = [self.position_pce(x, s, c)]
        first = None
        stop = f"turn cap ({self.max_turns})"
        for t in range(1, self.max_turns + 1):
            r = risk_attitudes(ps[-1], self.risk)
            p, eu = self.challenges(x, s, c, r)
            pairs, b = self.bargains(x, s, p, eu)
            x = np.round(self.resolve(x, s, c, r, pairs, b, rng), GRID)
            moved = float(np.linalg.norm(x - xs[-1], axis=1).sum())
            xs.append(x)
            ps.append(self.position_pce(x, s, c))
            if first is None:
                first = moved
            if t >= self.min_turns and moved / (first + 1e-4) < self.tol:
                stop = f"converged: relative movement < {self.tol:g} (turn {t})"
                break
        return xs, ps, stop

    def forecast(self, c: Compiled, seed: SeedLike = None) -> Forecast:
        """Run the SMP; the point is the PCE-weighted mean of the final positions."""
        act = c.actors
        if act.n > MAX_ACTORS:
            raise LimitError("KTAB actors", act.n, MAX_ACTORS)
        order = np.argsort(np.array(act.ids), kind="stable")
        back = np.argsort(order)
        sal = act.salience[order]
        sal = sal / np.maximum(sal.sum(axis=1, keepdims=True), 1.0)
        cap = np.asarray(act.capability, dtype=float)[order]
        xs, ps, stop = self.run(act.position[order], sal, cap, seed)
        traj = np.array([p @ x for p, x in zip(ps, xs, strict=True)])
        units = c.to_units(traj)
        pos = c.lo[None, None, :] + np.array(xs)[:, back] * c.span[None, None, :]
        final_p = ps[-1][back]
        return Forecast(
            model=self.name,
            issue_ids=c.issue_ids,
            point=units[-1],
            stop=stop,
            trajectory=units,
            positions=pos,
            actor_ids=act.ids,
            probabilities=outcome_probabilities(c, pos[-1], final_p),
            params={
                **self.params(),
                "actor_probabilities": {a: float(v) for a, v in zip(act.ids, final_p, strict=True)},
            },
        )


def outcome_probabilities(
    c: Compiled, final_units: FloatArray, p: FloatArray
) -> dict[str, dict[str, float]]:
    """Per issue, the PCE probability of each distinct final value (or option index)."""
    out: dict[str, dict[str, float]] = {}
    for k, issue in enumerate(c.issue_ids):
        col = final_units[:, k]
        if c.n_options[k]:
            keys = [str(int(v)) for v in np.clip(np.rint(col), 0, c.n_options[k] - 1)]
        else:
            keys = [f"{v:.6g}" for v in col]
        dist: dict[str, float] = {}
        for key, pr in zip(keys, p, strict=True):
            dist[key] = dist.get(key, 0.0) + float(pr)
        out[issue] = dict(sorted(dist.items(), key=lambda kv: float(kv[0])))
    return out
