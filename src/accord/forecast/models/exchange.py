"""Stokman & van Oosten's exchange model: vote trading between pairs of actors over pairs of issues.

Stokman & van Oosten (1994), "The exchange of voting positions: an object-oriented model of
policy networks", in Bueno de Mesquita & Stokman (eds), *European Community Decision Making*
pp. 105–127, in the equal-gain form of the Decide tool (`decide/model/{calculations,equalgain,
base,utils}.py`); the random-rate variant after Dijkstra, van Assen, Stokman & Draaijer (2018);
forecast-models.md §2.5.

One round:

1. The expected outcome of issue d is the weighted mean ``O_d = Σ c_i s_id x_id / Σ c_i s_id``
   on the start positions. An actor is left of ``O_d`` when ``x_id < O_d``.
2. Actors i and j can trade on issues (p, q) when they are on opposite sides of O on both
   (Decide's groups A↔D and B↔C). The actor with the larger ratio ``s_p / s_q`` demands p and
   supplies q: its partner moves towards it on p, it moves towards the partner on q.
3. A move of supplier j on p shifts the outcome by ``ΔO_p = c_j s_jp Δx_jp / Σ_k c_k s_kp``;
   the gains are ``G_i = s_ip ΔO_p − s_iq ΔO_q`` and ``G_j = s_jq ΔO_q − s_jp ΔO_p``. Equal gain
   fixes the rate ``ρ = ΔO_q / ΔO_p = (s_ip + s_jp) / (s_iq + s_jq)``. The size of the exchange is
   the largest ``ΔO_p`` allowed by four bounds: j moves at most to i's position on p, i at most
   to j's position on q (Decide's role swap), and neither outcome passes the demanding actor's
   position (Decide's "nbs adjusted" branch).
4. Feasible exchanges are realised greedily by descending gain on the voting positions. After
   each realisation the exchanges on the two issues touched are re-evaluated on the new voting
   positions and outcomes; an exchange whose mover has already reached (or passed) its partner,
   or whose outcome has already reached the partner's position, drops out (Decide's
   `is_move_valid` and `check_nbs`). Equal gains (within 1e-12, relative) are broken at random
   with the model's seeded generator.
5. The round's forecast is O on the voting positions ``y``. The next round starts from
   ``x' = x + [0.1 + 0.4 (1 − s)] (y − x)`` (Decide's ``FIXED_WEIGHT`` and ``SALIENCE_WEIGHT``).

Random rate (``p > 0``; p = 0 is equal gain): each candidate exchange draws once per round a side
(1/2 each) and ``z ~ U(0, 1)`` and sets ``ρ = ρ_eq + p·z·(ρ_end − ρ_eq)``, with ``ρ_end`` the rate
that gives the whole gain to one actor (``s_jp / s_jq``) or to the other (``s_ip / s_iq``). This is
Decide's ``randomized_gain`` (lead actor's gain moved by ``p·z`` towards its maximum or towards
zero, both linear in ρ) written on the rate. Exchanges are ranked by the mean of the two gains,
which is the equal gain when p = 0.

Decisions where Decide and the paper are silent or where accord differs:

- Capability is per actor (accord has no per-issue power); saliences are the scenario's (0–1).
- Positions are the normalised [0, 1] positions; gains are in salience × share-of-range units.
  Options issues are treated as continuous scales over the option indices (explicit per-option
  utilities are ignored, as in Decide).
- An exchange is re-evaluated exactly on the current voting positions and outcomes of its two
  issues (Decide re-evaluates only exchanges sharing an actor-issue and keeps a per-exchange
  "updates" table); the partner's target is its current voting position.
- Actors are processed in the order of their ids, so random tie-breaks and random rates do
  not depend on the order in which a scenario lists its actors. An actor within 1e-9 of the
  outcome counts as right of it.
- The run stops early when a round realises no exchange (nothing can change after that);
  `Forecast.stop` says which rule fired.
- The realised exchanges are in `ExchangeForecast.exchanges` (one `RealisedExchange` per trade,
  in realisation order), in `to_dict()["exchanges"]` and in `exchanges_frame()`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, NamedTuple

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from accord.errors import InputError, LimitError, Problem, env_limit
from accord.forecast.base import MODELS, FloatArray, Forecast, Model
from accord.results import jsonable
from accord.scenario import Compiled
from accord.seeding import SeedLike, make_rng

MAX_ROUNDS = 1000
MAX_PAIRS = 20_000_000
"""Actor pairs × issue pairs one round may weigh (about 30 bytes each at worst; issue 18)."""


def _check_pairs(n_a: int, n_k: int) -> None:
    """Refuse, before allocating, a round whose candidate exchanges would not fit in memory."""
    pairs = n_a * (n_a - 1) // 2 * (n_k * (n_k - 1) // 2)
    limit = env_limit("ACCORD_MAX_EXCHANGE_PAIRS", MAX_PAIRS)
    if pairs > limit:
        hint = "fewer actors or issues, or set ACCORD_MAX_EXCHANGE_PAIRS to raise the limit"
        raise LimitError("exchange candidates (actor pairs × issue pairs)", pairs, limit, hint)


MAX_WORK = 2 * 10**10
"""Actors³ × issue pairs × rounds a forecast may cost: realising a round's trades re-weighs the
candidates after each trade, so the time grows as actors³ (measured on 2 cores: 400 actors ×
3 issues 3.4 s, 700 19 s, 1,000 71 s CPU for 10 rounds); 2·10^10 is about a minute."""


def _check_work(n_a: int, n_k: int, rounds: int) -> None:
    """Refuse, before the first round, a forecast that would run for minutes or hours."""
    work = n_a**3 * (n_k * (n_k - 1) // 2) * rounds
    limit = env_limit("ACCORD_MAX_EXCHANGE_WORK", MAX_WORK)
    if work > limit:
        hint = "fewer actors, issues or rounds, or set ACCORD_MAX_EXCHANGE_WORK to raise the limit"
        raise LimitError("exchange work (actors³ × issue pairs × rounds)", work, limit, hint)


FIXED_WEIGHT = 0.1
SALIENCE_WEIGHT = 0.4
CITE = (
    "Stokman & van Oosten 1994 (EC Decision Making pp. 105-127); Decide equal-gain model; "
    "Dijkstra, van Assen, Stokman & Draaijer 2018 (random rate)"
)
PARAMS = ("rounds", "p", "fixed_weight", "salience_weight")
_TOL = 1e-12
_SIDE_TOL = 1e-9
IntArray = NDArray[np.int64]


@dataclass(frozen=True)
class RealisedExchange:
    """One realised trade: ``actor_i`` gets its way on ``issue_p`` and gives on ``issue_q``.

    ``move_i`` is i's shift on q and ``move_j`` j's shift on p, in issue units (signed);
    ``shift_p``/``shift_q`` the outcome shifts in issue units; ``gain_i``/``gain_j`` the utility
    gains (salience × share of the issue range).
    """

    round: int
    order: int
    actor_i: str
    actor_j: str
    issue_p: str
    issue_q: str
    move_i: float
    move_j: float
    shift_p: float
    shift_q: float
    gain_i: float
    gain_j: float


@dataclass(frozen=True, eq=False)
class ExchangeForecast(Forecast):
    """A `Forecast` that also lists the realised exchanges, round by round."""

    exchanges: tuple[RealisedExchange, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready record, with the realised exchanges."""
        out = super().to_dict()
        out["exchanges"] = [jsonable(asdict(e)) for e in self.exchanges]
        return out

    def exchanges_frame(self) -> pd.DataFrame:
        """Tidy table: one row per realised exchange."""
        cols = [f for f in RealisedExchange.__dataclass_fields__]
        return pd.DataFrame([asdict(e) for e in self.exchanges], columns=cols)


class Trade(NamedTuple):
    """A realised trade in normalised units: a demands p and supplies q, b the reverse."""

    a: int
    b: int
    p: int
    q: int
    move_a: float
    move_b: float
    shift_p: float
    shift_q: float
    gain_a: float
    gain_b: float


def _trade(cols: tuple[Any, ...], move_a: float, move_b: float, d_op: float) -> Trade:
    a, b, p, q, _, _, rho, dir_p, dir_q, ga, gb = cols
    shifts = (dir_p * d_op, dir_q * rho * d_op)
    return Trade(a, b, p, q, move_a, move_b, *shifts, d_op * ga, d_op * gb)


@dataclass
class _Candidates:
    """The candidate exchanges of one round, as parallel arrays (a demands p, b supplies p)."""

    a: IntArray
    b: IntArray
    p: IntArray
    q: IntArray
    rho: FloatArray
    ka: FloatArray
    kb: FloatArray
    dir_p: FloatArray
    dir_q: FloatArray
    ga: FloatArray
    gb: FloatArray
    by_issue: list[IntArray]


def outcome(x: FloatArray, w: FloatArray) -> FloatArray:
    """The weighted mean ``O_d`` per issue (plain mean where no one has weight on it)."""
    tot = w.sum(axis=0)
    num = (w * x).sum(axis=0)
    return np.divide(num, tot, out=x.mean(axis=0), where=tot > 0)


def candidates(
    x: FloatArray, s: FloatArray, w: FloatArray, p_rand: float, rng: np.random.Generator
) -> _Candidates:
    """All feasible exchanges of a round on start positions ``x``, vectorised over pairs."""
    n_a, n_k = x.shape
    _check_pairs(n_a, n_k)
    tot = w.sum(axis=0)
    o = outcome(x, w)
    left = x < o - _SIDE_TOL
    ii, jj = np.triu_indices(n_a, 1)
    pp, qq = np.triu_indices(n_k, 1)
    opp = left[ii] != left[jj]
    pair, ip = np.nonzero(opp[:, pp] & opp[:, qq])
    i, j, p, q = ii[pair], jj[pair], pp[ip], qq[ip]
    lhs = s[i, p] * s[j, q]
    rhs = s[i, q] * s[j, p]
    swap = rhs > lhs
    a = np.where(swap, j, i)
    b = np.where(swap, i, j)
    safe = np.where(tot > 0, tot, 1.0)
    ka = w[a, q] / safe[q]
    kb = w[b, p] / safe[p]
    keep = (np.abs(lhs - rhs) > _TOL * np.maximum(lhs, rhs)) & (ka > 0) & (kb > 0)
    a, b, p, q, ka, kb = a[keep], b[keep], p[keep], q[keep], ka[keep], kb[keep]
    sap, saq, sbp, sbq = s[a, p], s[a, q], s[b, p], s[b, q]
    rho = (sap + sbp) / (saq + sbq)
    if p_rand > 0 and len(a):
        end = np.where(rng.random(len(a)) < 0.5, sbp / sbq, sap / saq)
        rho = rho + p_rand * rng.random(len(a)) * (end - rho)
    dir_p = np.sign(x[a, p] - x[b, p])
    dir_q = np.sign(x[b, q] - x[a, q])
    by_issue = [np.nonzero((p == k) | (q == k))[0] for k in range(n_k)]
    return _Candidates(
        a, b, p, q, rho, ka, kb, dir_p, dir_q, sap - saq * rho, sbq * rho - sbp, by_issue
    )


class _View:
    """Gather indices and constants of a subset of candidates, for fast re-evaluation.

    Positions and outcomes are gathered from ``[v, −v]`` stacks so that the direction of each
    move is folded into the index (one gather instead of a gather and a product).
    """

    def __init__(self, cd: _Candidates, idx: IntArray, n_k: int, n_a: int) -> None:
        a, b, p, q = cd.a[idx], cd.b[idx], cd.p[idx], cd.q[idx]
        n_y = n_a * n_k
        neg_p = (cd.dir_p[idx] < 0).astype(np.int64)
        neg_q = (cd.dir_q[idx] < 0).astype(np.int64)
        self.idx = idx
        self.ap = a * n_k + p + neg_p * n_y
        self.bp = b * n_k + p + (1 - neg_p) * n_y
        self.bq = b * n_k + q + neg_q * n_y
        self.aq = a * n_k + q + (1 - neg_q) * n_y
        self.op = p + (1 - neg_p) * n_k
        self.oq = q + (1 - neg_q) * n_k
        self.kb = cd.kb[idx]
        self.ka_rho = cd.ka[idx] / cd.rho[idx]
        self.inv_rho = 1.0 / cd.rho[idx]
        self.half_gain = 0.5 * (cd.ga[idx] + cd.gb[idx])

    def evaluate(self, yy: FloatArray, oo: FloatArray) -> tuple[FloatArray, FloatArray]:
        """Outcome shift ``ΔO_p`` and ranking gain (−inf when infeasible).

        ``yy`` is ``[y, −y]`` of the flattened voting positions, ``oo`` is ``[o, −o]``.
        """
        yap = yy[self.ap]
        ybq = yy[self.bq]
        shift = np.minimum(
            np.minimum((yap + yy[self.bp]) * self.kb, (ybq + yy[self.aq]) * self.ka_rho),
            np.minimum(yap + oo[self.op], (ybq + oo[self.oq]) * self.inv_rho),
        )
        gain = shift * self.half_gain
        return shift, np.where(gain > 1e-10, gain, -np.inf)


def exchange_round(
    x: FloatArray, s: FloatArray, w: FloatArray, p_rand: float, rng: np.random.Generator
) -> tuple[FloatArray, list[Trade]]:
    """One round from start positions ``x``: the voting positions and the realised trades.

    The trades (signed moves and outcome shifts in normalised units) are in realisation order.
    An exchange that becomes infeasible is dropped for the rest of the round (Decide's
    `remove_invalid_exchanges`).
    """
    n_a, n_k = x.shape
    cd = candidates(x, s, w, p_rand, rng)
    y = x.copy()
    o = outcome(y, w)
    tot = w.sum(axis=0)
    yy = np.concatenate([y.reshape(-1), -y.reshape(-1)])
    oo = np.concatenate([o, -o])
    shift, gain = _View(cd, np.arange(len(cd.a)), n_k, n_a).evaluate(yy, oo)
    dead = np.where(gain > -np.inf, 0.0, -np.inf)
    cols = [
        v.tolist()
        for v in (cd.a, cd.b, cd.p, cd.q, cd.ka, cd.kb, cd.rho, cd.dir_p, cd.dir_q, cd.ga, cd.gb)
    ]
    views = [_View(cd, idx[dead[idx] == 0], n_k, n_a) for idx in cd.by_issue]
    trades: list[Trade] = []
    n_y = n_a * n_k
    while len(gain):
        best = int(np.argmax(gain))
        g = float(gain[best])
        if g == -np.inf:
            break
        tied = gain >= g - _TOL * g
        if tied.sum() > 1:
            best = int(rng.choice(np.nonzero(tied)[0]))
        cols_at = tuple(col[best] for col in cols)
        a, b, p, q, ka, kb, rho, dir_p, dir_q = cols_at[:9]
        d_op = float(shift[best])
        move_b = min(d_op / kb, (y[a, p] - y[b, p]) * dir_p)
        move_a = min(rho * d_op / ka, (y[b, q] - y[a, q]) * dir_q)
        y[b, p] += dir_p * move_b
        y[a, q] += dir_q * move_a
        for cell, k in ((b * n_k + p, p), (a * n_k + q, q)):
            yy[cell] = y.flat[cell]
            yy[cell + n_y] = -y.flat[cell]
            o[k] = (w[:, k] @ y[:, k]) / tot[k]
            oo[k], oo[k + n_k] = o[k], -o[k]
        trades.append(_trade(cols_at, dir_q * move_a, dir_p * move_b, d_op))
        dead[best] = -np.inf
        gain[best] = -np.inf
        for k in (p, q):
            view = views[k]
            pen = dead[view.idx]
            if len(pen) > 128 and 2 * np.count_nonzero(pen) > len(pen):
                view = views[k] = _View(cd, view.idx[pen == 0], n_k, n_a)
                pen = dead[view.idx]
            sh, gn = view.evaluate(yy, oo)
            gn += pen
            gain[view.idx] = gn
            shift[view.idx] = sh
            dead[view.idx] = np.minimum(pen, gn)
    return y, trades


def reference_round(
    x: FloatArray, s: FloatArray, w: FloatArray, rng: np.random.Generator
) -> tuple[FloatArray, list[Trade]]:
    """`exchange_round` (equal gain) written as plain loops over actor and issue pairs.

    The readable statement of one round, kept as the cross-check of the vectorised version
    and as the baseline of ``benchmarks/bench_exchange.py``. Same candidates in the same order,
    same tie-breaks, same results.
    """
    n_a, n_k = x.shape
    y = [[float(v) for v in row] for row in x]
    ws = [[float(v) for v in row] for row in w]
    ss = [[float(v) for v in row] for row in s]
    tot = [sum(ws[i][k] for i in range(n_a)) for k in range(n_k)]
    o = [
        sum(ws[i][k] * y[i][k] for i in range(n_a)) / tot[k]
        if tot[k] > 0
        else sum(y[i][k] for i in range(n_a)) / n_a
        for k in range(n_k)
    ]
    left = [[y[i][k] < o[k] - _SIDE_TOL for k in range(n_k)] for i in range(n_a)]
    cands = []
    for i in range(n_a):
        for j in range(i + 1, n_a):
            for p in range(n_k):
                for q in range(p + 1, n_k):
                    if left[i][p] == left[j][p] or left[i][q] == left[j][q]:
                        continue
                    lhs, rhs = ss[i][p] * ss[j][q], ss[i][q] * ss[j][p]
                    a, b = (j, i) if rhs > lhs else (i, j)
                    ka = ws[a][q] / tot[q] if tot[q] > 0 else 0.0
                    kb = ws[b][p] / tot[p] if tot[p] > 0 else 0.0
                    if abs(lhs - rhs) <= _TOL * max(lhs, rhs) or ka <= 0 or kb <= 0:
                        continue
                    rho = (ss[a][p] + ss[b][p]) / (ss[a][q] + ss[b][q])
                    dir_p = float(np.sign(y[a][p] - y[b][p]))
                    dir_q = float(np.sign(y[b][q] - y[a][q]))
                    per_shift = (ss[a][p] - ss[a][q] * rho, ss[b][q] * rho - ss[b][p])
                    cands.append((a, b, p, q, ka, kb, rho, dir_p, dir_q, *per_shift))
    alive = [True] * len(cands)
    trades: list[Trade] = []
    while True:
        shifts: dict[int, float] = {}
        gains: dict[int, float] = {}
        for n, (a, b, p, q, ka, kb, rho, dir_p, dir_q, ga, gb) in enumerate(cands):
            if not alive[n]:
                continue
            shift = min(
                (y[a][p] - y[b][p]) * dir_p * kb,
                (y[b][q] - y[a][q]) * dir_q * ka / rho,
                (y[a][p] - o[p]) * dir_p,
                (y[b][q] - o[q]) * dir_q / rho,
            )
            if shift * 0.5 * (ga + gb) > 1e-10:
                shifts[n], gains[n] = shift, shift * 0.5 * (ga + gb)
            else:
                alive[n] = False
        if not gains:
            return np.array(y), trades
        top = max(gains.values())
        tied = [n for n, g in gains.items() if g >= top - _TOL * top]
        best = tied[0] if len(tied) == 1 else int(rng.choice(tied))
        cols_at = cands[best]
        a, b, p, q, ka, kb, rho, dir_p, dir_q = cols_at[:9]
        d_op = shifts[best]
        move_b = min(d_op / kb, (y[a][p] - y[b][p]) * dir_p)
        move_a = min(rho * d_op / ka, (y[b][q] - y[a][q]) * dir_q)
        y[b][p] += dir_p * move_b
        y[a][q] += dir_q * move_a
        for k in (p, q):
            o[k] = sum(ws[i][k] * y[i][k] for i in range(n_a)) / tot[k]
        trades.append(_trade(cols_at, dir_q * move_a, dir_p * move_b, d_op))
        alive[best] = False


def next_start(
    x: FloatArray,
    y: FloatArray,
    s: FloatArray,
    fixed_weight: float = FIXED_WEIGHT,
    salience_weight: float = SALIENCE_WEIGHT,
) -> FloatArray:
    """Next round's start positions ``x + [f + g (1 − s)] (y − x)`` (Decide's
    ``new_start_position``)."""
    return x + (fixed_weight + salience_weight * (1.0 - s)) * (y - x)


@MODELS.register(
    "exchange",
    multi_issue=True,
    deterministic=False,
    rounds=True,
    within_span=True,
    params=PARAMS,
    cite=CITE,
)
class Exchange(Model):
    """Stokman's exchange model, equal-gain form (Decide): pairs trade over pairs of issues."""

    name = "exchange"

    def __init__(
        self,
        rounds: int = 10,
        p: float = 0.0,
        fixed_weight: float = FIXED_WEIGHT,
        salience_weight: float = SALIENCE_WEIGHT,
    ) -> None:
        problems = []
        if rounds < 1:
            problems.append(Problem("at least one round", ("rounds",), rounds))
        if not 0.0 <= p <= 1.0:
            problems.append(Problem("the random-rate parameter p is in [0, 1]", ("p",), p))
        if min(fixed_weight, salience_weight) < 0 or fixed_weight + salience_weight > 1:
            problems.append(Problem("need 0 ≤ weights, sum ≤ 1", ("fixed_weight",), fixed_weight))
        InputError.collect(problems)
        if rounds > MAX_ROUNDS:
            raise LimitError("exchange rounds", rounds, MAX_ROUNDS)
        self.rounds = rounds
        self.p = float(p)
        self.fixed_weight = float(fixed_weight)
        self.salience_weight = float(salience_weight)

    def params(self) -> dict[str, Any]:
        """The model's parameters, as recorded in results."""
        return {k: getattr(self, k) for k in PARAMS}

    def forecast(self, c: Compiled, seed: SeedLike = None) -> ExchangeForecast:
        """Run the rounds; the forecast is the weighted mean on the final voting positions."""
        _check_pairs(c.actors.n, c.k)
        _check_work(c.actors.n, c.k, self.rounds)
        rng = make_rng(seed)
        act = c.actors
        order = np.argsort(np.array(act.ids), kind="stable")
        back = np.argsort(order)
        s = act.salience[order]
        w = act.capability[order, None] * s
        x = act.position[order].astype(float)
        traj = [outcome(x, w)]
        positions = [x.copy()]
        realised: list[RealisedExchange] = []
        ids = tuple(act.ids[i] for i in order)
        stop = f"fixed rounds ({self.rounds})"
        for r in range(1, self.rounds + 1):
            y, trades = exchange_round(x, s, w, self.p, rng)
            if not trades:
                stop = f"no exchange left (round {r})"
                break
            realised += [self._record(c, ids, r, n, t) for n, t in enumerate(trades, 1)]
            traj.append(outcome(y, w))
            positions.append(y)
            x = next_start(x, y, s, self.fixed_weight, self.salience_weight)
        units = c.to_units(np.array(traj))
        pos = c.lo[None, None, :] + np.array(positions)[:, back] * c.span[None, None, :]
        return ExchangeForecast(
            model=self.name,
            issue_ids=c.issue_ids,
            point=units[-1],
            stop=stop,
            trajectory=units,
            positions=pos,
            actor_ids=act.ids,
            params={**self.params(), "exchanges": len(realised)},
            exchanges=tuple(realised),
        )

    @staticmethod
    def _record(c: Compiled, ids: tuple[str, ...], r: int, n: int, t: Trade) -> RealisedExchange:
        sp, sq = float(c.span[t.p]), float(c.span[t.q])
        where = (ids[t.a], ids[t.b], c.issue_ids[t.p], c.issue_ids[t.q])
        shifts = (t.move_a * sq, t.move_b * sp, t.shift_p * sp, t.shift_q * sq)
        return RealisedExchange(r, n, *where, *shifts, t.gain_a, t.gain_b)


@MODELS.register(
    "exchange-random",
    multi_issue=True,
    deterministic=False,
    rounds=True,
    within_span=True,
    params=PARAMS,
    cite=CITE,
)
class RandomRateExchange(Exchange):
    """Stokman's exchange model with a random exchange rate (Dijkstra et al. 2018), p = 1."""

    name = "exchange-random"

    def __init__(
        self,
        rounds: int = 10,
        p: float = 1.0,
        fixed_weight: float = FIXED_WEIGHT,
        salience_weight: float = SALIENCE_WEIGHT,
    ) -> None:
        super().__init__(
            rounds=rounds, p=p, fixed_weight=fixed_weight, salience_weight=salience_weight
        )
