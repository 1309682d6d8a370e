"""Negotiation strategies: small registered classes with one decision method, `bid`.

A strategy follows the BOA split of Baarslag et al. (2014), "Decoupling negotiating agents to
explore the space of negotiation strategies": a bidding rule (`bid(view) -> outcome index`),
an optional opponent model (`observe`), and an acceptance condition composed in
(`accord.bargain.acceptance`, default AC_next). Each class declares its traits in `STRATEGIES`
(deterministic? needs the opponent's utility? may accept below its reservation?), and the
contract test suite runs over every entry.

Time-dependent bids follow Faratin, Sierra & Jennings (1998), "Negotiation decision functions
for autonomous agents", §4.2.1: with relative time t ∈ [0, 1] and κ = 0,
``α(t) = t^(1/e)`` and the target utility is ``u(t) = r + (u_max − r)(1 − α(t))``; e < 1 is
Boulware, e = 1 linear, e > 1 conceder. A target utility becomes an offer through the
outcome of least own utility at or above it (ties: the lowest outcome index), so that every
strategy offers only outcomes of the domain.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any, ClassVar

import numpy as np

from accord.bargain.acceptance import TOL, Acceptance, parse_acceptance
from accord.bargain.view import View
from accord.errors import InputError, Problem
from accord.registry import Registry


class Strategy(ABC):
    """Base class: `bid` is the decision; `accepts` applies the acceptance condition."""

    name: ClassVar[str] = ""
    may_accept_below_reservation: ClassVar[bool] = False

    def __init__(self, acceptance: str | Acceptance = "next") -> None:
        self.acceptance = parse_acceptance(acceptance)

    def start(self, view: View) -> None:  # noqa: B027 - an optional hook
        """Reset per-session state; called once before the first round."""

    @abstractmethod
    def bid(self, view: View) -> int:
        """The outcome this party offers (or would offer) at ``view.round``."""
        ...

    def observe(self, view: View, seat: int, outcome: int) -> None:  # noqa: B027 - optional hook
        """Another party, `seat`, offered `outcome` (opponent models learn here)."""

    def accepts(self, view: View, offer: int, next_bid: int) -> bool:
        """Whether to accept `offer`, given the bid this party would send next."""
        u_offer = view.u[offer]
        below = u_offer * view.discount < view.reservation - TOL
        if below and not self.may_accept_below_reservation:
            return False
        return self.acceptance(view, u_offer, view.u[next_bid])

    def params(self) -> dict[str, Any]:
        """The parameters recorded in results."""
        out = {k: v for k, v in vars(self).items() if not k.startswith("_")}
        out["acceptance"] = self.acceptance.spec
        return out

    def label(self) -> str:
        """Name with the parameters that differ from the registered defaults."""
        return self.name


STRATEGIES: Registry[type[Strategy]] = Registry(
    "strategies",
    defaults=dict(
        family="plugin",
        deterministic=False,
        needs_opponent_utility=False,
        multilateral=False,
        cite="",
    ),
)
"""Plugins that leave a trait out get the conservative value (`accord.registry`)."""


def time_target(view: View, e: float) -> float:
    """Faratin et al. (1998) §4.2.1 target utility at ``view.t`` with exponent `e`."""
    res = min(view.reservation, view.best)
    return res + (view.best - res) * (1.0 - view.t ** (1.0 / e))


class TimeDependent(Strategy):
    """Faratin et al. (1998) time-dependent tactic with concession exponent `e`."""

    default_e: ClassVar[float] = 1.0

    def __init__(self, e: float | None = None, acceptance: str | Acceptance = "next") -> None:
        super().__init__(acceptance)
        self.e = float(self.default_e if e is None else e)
        if not self.e > 0:
            raise InputError(Problem("the concession exponent e must be > 0", ("e",), e))

    def bid(self, view: View) -> int:
        return view.at_least(time_target(view, self.e))

    def label(self) -> str:
        return self.name if self.e == self.default_e else f"{self.name}(e={self.e:g})"


_TD = dict(
    family="time-dependent",
    deterministic=True,
    needs_opponent_utility=False,
    multilateral=True,
    cite="Faratin, Sierra & Jennings 1998 §4.2.1",
)


@STRATEGIES.register("boulware", **_TD)
class Boulware(TimeDependent):
    """Time-dependent, concedes late (e = 0.2): holds out until near the deadline."""

    name = "boulware"
    default_e = 0.2


@STRATEGIES.register("linear", **_TD)
class Linear(TimeDependent):
    """Time-dependent, concedes at a constant rate from its best outcome to its reservation."""

    name = "linear"
    default_e = 1.0


@STRATEGIES.register("conceder", **_TD)
class Conceder(TimeDependent):
    """Time-dependent, concedes early (e = 2)."""

    name = "conceder"
    default_e = 2.0


class TitForTat(Strategy):
    """Behaviour-dependent imitation (Faratin et al. 1998 §4.2.2), in own-utility terms.

    The opponents' concession is measured by this party's utility of their successive offers.
    Absolute: the party lowers its target by the same utility. Relative (offers δ = ``window``
    turns back, one apart) and averaged (from γ = ``window`` turns back to the last): the party
    concedes the same *fraction* of what separates it from its reservation as the opponents
    conceded of what separated their offer from its best — Faratin's ratio of successive
    offers, taken on gaps so that it stays bounded when utilities are near 0. ``epsilon``
    adds a small unconditional concession per turn (a fraction of the range from best to
    reservation), so that two imitators do not deadlock at their opening bids (Baarslag,
    Hindriks & Jonker 2013, "A tit for tat negotiation strategy for
    real-time bilateral negotiations").
    """

    mode: ClassVar[str] = "relative"

    def __init__(
        self, window: int = 1, epsilon: float = 0.01, acceptance: str | Acceptance = "next"
    ) -> None:
        super().__init__(acceptance)
        self.window = int(window)
        self.epsilon = float(epsilon)
        if self.window < 1:
            raise InputError(Problem("the window must be ≥ 1", ("window",), window))
        self._target = 1.0
        self._seen = 0

    def start(self, view: View) -> None:
        self._target = view.best
        self._seen = 0

    def bid(self, view: View) -> int:
        offers = view.offers_by_others()
        if len(offers) > self._seen:
            self._seen = len(offers)
            self._target = self._react(view, offers)
        return view.at_least(self._target)

    def _react(self, view: View, offers: list[int]) -> float:
        u = view.utility
        res = min(view.reservation, view.best)
        target = self._target - self.epsilon * (view.best - res)
        w = self.window
        if len(offers) > w:
            older = float(u[offers[-1 - w]])
            newer = float(u[offers[-1] if self.mode != "relative" else offers[-w]])
            if self.mode == "absolute":
                target -= newer - older
            elif view.best - older > 1e-12:
                target -= (newer - older) / (view.best - older) * (target - res)
        return float(min(max(target, res), view.best))


_TFT = dict(
    family="behaviour-dependent",
    deterministic=True,
    needs_opponent_utility=False,
    multilateral=True,
    cite="Faratin, Sierra & Jennings 1998 §4.2.2",
)


@STRATEGIES.register("tft-relative", **_TFT)
class RelativeTitForTat(TitForTat):
    """Relative tit-for-tat: concedes in proportion to the opponents' last concession."""

    name = "tft-relative"
    mode = "relative"


@STRATEGIES.register("tft-absolute", **_TFT)
class AbsoluteTitForTat(TitForTat):
    """Absolute tit-for-tat: concedes the same utility the opponents last conceded."""

    name = "tft-absolute"
    mode = "absolute"


@STRATEGIES.register("tft-averaged", **_TFT)
class AveragedTitForTat(TitForTat):
    """Averaged tit-for-tat: concedes in proportion to the opponents' concession over a window."""

    name = "tft-averaged"
    mode = "averaged"

    def __init__(
        self, window: int = 2, epsilon: float = 0.01, acceptance: str | Acceptance = "next"
    ) -> None:
        super().__init__(window, epsilon, acceptance)


@STRATEGIES.register(
    "hardliner",
    family="fixed",
    deterministic=True,
    needs_opponent_utility=False,
    multilateral=True,
    cite="Baarslag et al. 2013 (the 'Hardliner' baseline of GENIUS)",
)
class Hardliner(Strategy):
    """Always offers its best outcome and accepts only what matches it."""

    name = "hardliner"

    def bid(self, view: View) -> int:
        return view.best_outcome


@STRATEGIES.register(
    "nash-seeker",
    family="solution-seeking",
    deterministic=True,
    needs_opponent_utility=True,
    multilateral=True,
    cite="Nash 1950; bids along Faratin et al. 1998 §4.2.1 towards the Nash point",
)
class NashSeeker(Strategy):
    """Knows the others' utilities; concedes linearly in time from its best outcome to its
    utility at the Nash point, offering, among outcomes above its target, the one of
    largest Nash product of the others' gains."""

    name = "nash-seeker"

    def __init__(self, e: float = 1.0, acceptance: str | Acceptance = "next") -> None:
        super().__init__(acceptance)
        self.e = float(e)
        self._floor = 0.0
        self._gain = np.zeros(0)

    def start(self, view: View) -> None:
        if view.others_utility is None or view.others_reservation is None:
            raise InputError("nash-seeker needs the opponents' utilities (protocol trait)")
        others = view.others_utility - view.others_reservation[None, :]
        own = view.utility - view.reservation
        ok = (others >= -TOL).all(axis=1) & (own >= -TOL)
        prod = np.where(ok, np.clip(others, 0, None).prod(axis=1) * np.clip(own, 0, None), -1.0)
        nash = int(np.argmax(prod))
        self._floor = float(view.utility[nash]) if ok.any() else view.reservation
        self._gain = np.clip(others, 1e-9, None).prod(axis=1)

    def bid(self, view: View) -> int:
        floor = min(max(self._floor, view.reservation), view.best)
        target = floor + (view.best - floor) * (1.0 - view.t ** (1.0 / self.e))
        cand = np.flatnonzero(view.utility >= target - TOL)
        return int(cand[np.argmax(self._gain[cand])])


@STRATEGIES.register(
    "frequency",
    family="opponent-modelling",
    deterministic=True,
    needs_opponent_utility=False,
    multilateral=True,
    cite="van Krimpen, Looije & Hajizadeh 2013 (HardHeaded); Baarslag et al. 2013 frequency model",
)
class FrequencyModel(Strategy):
    """Boulware bidding with a frequency opponent model (HardHeaded, ANAC 2011 winner).

    For each other party it counts how often each issue value appears in its offers and
    raises an issue's weight by ``learning`` when the value is unchanged between two of its
    consecutive offers; the estimated utility is the weighted sum of normalised counts.
    Among outcomes within ``window`` above its Boulware target, it offers the one the
    opponents are estimated to like most (the sum over opponents).
    """

    name = "frequency"

    def __init__(
        self,
        e: float = 0.2,
        window: float = 0.05,
        learning: float = 0.1,
        acceptance: str | Acceptance = "next",
    ) -> None:
        super().__init__(acceptance)
        self.e, self.window, self.learning = float(e), float(window), float(learning)
        self._counts: dict[int, list[np.ndarray]] = {}
        self._weights: dict[int, np.ndarray] = {}
        self._last: dict[int, int] = {}

    def start(self, view: View) -> None:
        self._n_levels = view.levels.max(axis=0) + 1
        self._counts, self._weights, self._last = {}, {}, {}
        self._top: dict[int, list[float]] = {}

    def observe(self, view: View, seat: int, outcome: int) -> None:
        k = view.levels.shape[1]
        if seat not in self._counts:
            self._counts[seat] = [np.zeros(int(m)) for m in self._n_levels]
            self._weights[seat] = np.full(k, 1.0 / k)
            self._top[seat] = [0.0] * k
        lv = view.levels[outcome]
        if seat in self._last:
            same = view.levels[self._last[seat]] == lv
            w = self._weights[seat] + self.learning * same
            self._weights[seat] = w / w.sum()
        counts, top = self._counts[seat], self._top[seat]
        for j, value in enumerate(lv.tolist()):
            counts[j][value] += 1
            top[j] = max(top[j], float(counts[j][value]))  # the largest count, kept as it grows
        self._last[seat] = outcome

    def estimate(self, candidates: np.ndarray, levels: np.ndarray) -> np.ndarray:
        """Estimated summed opponent utility of `candidates` (outcome indices)."""
        total = np.zeros(candidates.size)
        lc = levels[candidates].T
        for seat, counts in self._counts.items():
            w, top = self._weights[seat].tolist(), self._top[seat]
            for j, cnt in enumerate(counts):
                total += w[j] * cnt[lc[j]] / max(top[j], 1.0)
        return total

    def bid(self, view: View) -> int:
        target = time_target(view, self.e)
        if not self._counts:
            return view.at_least(target)
        u = view.utility
        cand = np.flatnonzero((u >= target - TOL) & (u <= target + self.window))
        if cand.size == 0:
            return view.at_least(target)
        return int(cand[np.argmax(self.estimate(cand, view.levels))])


@STRATEGIES.register(
    "random",
    family="baseline",
    deterministic=False,
    needs_opponent_utility=False,
    multilateral=True,
    cite="the random baseline of GENIUS (Baarslag et al. 2013)",
)
class RandomStrategy(Strategy):
    """Offers a uniformly random outcome it values at least at its reservation."""

    name = "random"

    def bid(self, view: View) -> int:
        cand = np.flatnonzero(view.utility >= view.reservation - TOL)
        if cand.size == 0:
            return view.best_outcome
        return int(cand[view.rng.integers(cand.size)])


def _coerce(text: str) -> Any:
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text


StrategyLike = str | Strategy | tuple[str, dict[str, Any]]


def make_strategy(spec: StrategyLike) -> Strategy:
    """A fresh strategy from a name, ``"name:key=value,key=value"``, or ``(name, params)``.

    Example: ``"boulware:e=0.1,acceptance=next|time:0.95"``.
    """
    if isinstance(spec, Strategy):
        return spec
    if isinstance(spec, tuple):
        name, params = spec
    else:
        name, _, rest = str(spec).partition(":")
        params = {}
        for part in filter(None, rest.split(",")):
            key, eq, value = part.partition("=")
            if not eq:
                raise InputError(
                    Problem("expected key=value after the strategy name", ("strategy",), spec)
                )
            params[key.strip()] = _coerce(value.strip())
    try:
        strategy: Strategy = STRATEGIES.create(name.strip(), **params)
        return strategy
    except TypeError as e:
        raise InputError(
            Problem(f"bad parameters for strategy {name!r}: {e}", ("strategy",), spec)
        ) from None
