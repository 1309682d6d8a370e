"""A scenario's talks: its seats play their strategies, and what would change the ending.

`negotiate(scenario)` builds the outcome grid of the scenario, gives every seat the strategy
the scenario names (a bloc's or seated actor's ``strategy`` and ``strategy_params``; a seat
without one plays ``linear``), plays one session, and looks for what would change the end:

- when some outcome gives every seat at least its reservation (a zone of agreement exists),
  each seat in turn is given each more conceding strategy (``linear``, ``conceder``) with the
  others unchanged, and the sessions that end differently are reported; when none of these
  reaches an agreement that the scenario's strategies miss, every seat at once is tried;
- when no outcome does, no strategy can close the gap; the hint is, per seat, how much its
  reservation would have to fall for a zone to appear (the most it can get while every other
  seat gets its reservation).

The protocol defaults to ``alternating`` for two seats and ``multilateral`` for more. With
``clocks=True`` the no-deal point moves every round by the scenario's clocks (`clock_path`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from accord.bargain.domain import Domain, domain_from_compiled
from accord.bargain.protocols import MAX_ROUNDS, ReservationAt, make_protocol
from accord.bargain.session import Session
from accord.bargain.strategies import StrategyLike, make_strategy
from accord.errors import InputError, LimitError, Problem
from accord.results import jsonable
from accord.scenario import Compiled, Scenario, compile
from accord.seeding import SeedLike, check_seed
from accord.space import DEFAULT_RESOLUTION

DEFAULT_STRATEGY = "linear"
CONCEDING = ("linear", "conceder")


@dataclass(frozen=True)
class Hint:
    """One change and what it does: a seat's strategy, or a seat's reservation."""

    seat: str
    change: str
    agreement: bool
    round: int | None = None
    utility: dict[str, float] = field(default_factory=dict)
    text: str = ""


@dataclass(frozen=True, eq=False)
class Talks:
    """A scenario's session with the hints on what would change its end."""

    session: Session
    strategies: dict[str, str]
    zone: int
    outcomes: int
    pareto: int
    hints: tuple[Hint, ...] = ()
    status_quo: int | None = None

    @property
    def status_quo_deal(self) -> bool:
        """Whether the agreement is the status quo itself (a deal that changes nothing)."""
        return self.session.agreement and self.session.outcome == self.status_quo

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready record: the session with its trace, the zone and the hints."""
        return {
            "session": self.session.to_dict(),
            "outcomes": self.outcomes,
            "zone_of_agreement": self.zone,
            "pareto_frontier": self.pareto,
            "status_quo_deal": self.status_quo_deal,
            "hints": jsonable([h.__dict__ for h in self.hints]),
        }

    def to_frame(self) -> pd.DataFrame:
        """The session's trace as a tidy table."""
        return self.session.to_frame()


def seat_strategies(s: Scenario) -> dict[str, StrategyLike]:
    """The strategy of every seat as the scenario states it (default ``linear``)."""
    blocs = {b.id: b for b in s.blocs}
    actors = {a.id: a for a in s.actors}
    out: dict[str, StrategyLike] = {}
    for seat in s.seats:
        src = blocs.get(seat) or actors.get(seat)
        name = getattr(src, "strategy", None) or DEFAULT_STRATEGY
        params = dict(getattr(src, "strategy_params", {}) or {})
        out[seat] = (name, params) if params else name
    return out


def _spec_text(spec: StrategyLike) -> str:
    if isinstance(spec, tuple):
        return spec[0] + ":" + ",".join(f"{k}={v}" for k, v in spec[1].items())
    return spec if isinstance(spec, str) else spec.label()


def _zone_gaps(d: Domain) -> list[Hint]:
    hints = []
    u, res = d.utility, d.reservation
    for a, seat in enumerate(d.ids):
        others = [j for j in range(d.n) if j != a]
        ok = (u[:, others] >= res[None, others] - 1e-12).all(axis=1)
        if not ok.any():
            text = f"{seat}: even at its reservation no outcome satisfies the other seats"
            hints.append(Hint(seat, "reservation", False, text=text))
            continue
        top = float(u[ok, a].max())
        drop = float(res[a] - top)
        text = (
            f"{seat}: a zone of agreement appears if its reservation falls by {drop:.3f} "
            f"(from {res[a]:.3f} to {top:.3f})"
        )
        hints.append(Hint(seat, f"reservation -{drop:.3f}", False, text=text))
    return hints


def _try(
    d: Domain,
    specs: dict[str, StrategyLike],
    trials: list[tuple[dict[str, str], str]],
    base: Session,
    play: Callable[[dict[str, StrategyLike], bool], Session],
) -> list[Hint]:
    found = []
    for change, what in trials:
        trial = play({**specs, **change}, False)
        same_end = trial.outcome == base.outcome if base.agreement else not trial.agreement
        if trial.agreement == base.agreement and (trial.round == base.round or same_end):
            continue
        util = {k: float(v) for k, v in zip(d.ids, trial.utility, strict=True)}
        if trial.agreement and trial.outcome == d.status_quo:
            text = f"{what}: no deal (the status quo) in round {trial.round}"
        elif trial.agreement:
            text = f"{what}: agreement in round {trial.round}, " + ", ".join(
                f"{k} {v:.3f}" for k, v in util.items()
            )
        else:
            text = f"{what}: no agreement ({trial.reason})"
        seat = next(iter(change)) if len(change) == 1 else "all"
        found.append(Hint(seat, what, trial.agreement, trial.round, util, text))
    return found


def negotiate(
    scenario: Scenario | Compiled,
    *,
    protocol: str | None = None,
    strategies: Mapping[str, StrategyLike] | None = None,
    rounds: int = 40,
    seed: SeedLike = 0,
    levels: int = DEFAULT_RESOLUTION,
    reservation_at: ReservationAt | None = None,
    clocks: bool = False,
    hints: bool = True,
    **protocol_params: Any,
) -> Talks:
    """Play the scenario's talks and find what would change their end (module docstring).

    `scenario` may be compiled already (a job compiles once); the clocks' path uses its arrays.
    """
    check_seed(seed)
    c = compile(scenario) if isinstance(scenario, Scenario) else scenario
    scenario = c.scenario
    d = domain_from_compiled(c, levels, name=scenario.meta.title)
    if protocol_params.get("discount") is None and (c.seats.discount < 1 - 1e-12).any():
        own = np.minimum(c.seats.discount, 1.0)  # the seats' own (e.g. GENIUS); blocs may round
        protocol_params["discount"] = own.tolist()
    if rounds > MAX_ROUNDS:
        raise LimitError("rounds", rounds, MAX_ROUNDS, "fewer rounds (--rounds)")
    if clocks and reservation_at is None:
        reservation_at = clock_path(c, rounds)
    specs = seat_strategies(scenario)
    for seat, spec in (strategies or {}).items():
        if seat not in specs:
            raise InputError(Problem(f"not a seat; seats: {', '.join(d.ids)}", ("strategy",), seat))
        specs[seat] = spec
    proto_name = protocol or ("alternating" if d.n == 2 else "multilateral")
    proto = make_protocol(proto_name, **protocol_params)

    def play(chosen: dict[str, StrategyLike], trace: bool) -> Session:
        strats = [make_strategy(chosen[seat]) for seat in d.ids]
        return proto.run(
            d, strats, rounds=rounds, seed=seed, reservation_at=reservation_at, trace=trace
        )

    session = play(specs, True)
    zone = int(d.agreement_zone().size)
    return Talks(
        session=session,
        strategies={k: _spec_text(v) for k, v in specs.items()},
        zone=zone,
        outcomes=d.size,
        pareto=int(d.pareto.size),
        hints=tuple(_hints(d, specs, session, play)) if hints else (),
        status_quo=d.status_quo,
    )


def _hints(
    d: Domain,
    specs: dict[str, StrategyLike],
    session: Session,
    play: Callable[[dict[str, StrategyLike], bool], Session],
) -> list[Hint]:
    """What would change the end: without a zone of agreement, the reservation gaps; else
    each seat in turn playing a conceding strategy, and, when no single change brings a deal
    to talks that end without one, every seat playing it."""
    if d.agreement_zone().size == 0:
        return _zone_gaps(d)
    trials = [
        ({seat: alt}, f"{seat} playing {alt}")
        for seat in d.ids
        for alt in CONCEDING
        if _spec_text(specs[seat]) != alt
    ]
    found = _try(d, specs, trials, session, play)
    if not session.agreement and not any(h.agreement for h in found):
        every = [({seat: alt for seat in d.ids}, f"every seat playing {alt}") for alt in CONCEDING]
        found += _try(d, specs, every, session, play)
    return found


def clock_path(scenario: Scenario | Compiled, rounds: int) -> ReservationAt:
    """The seats' no-deal utilities moved by the scenario's clocks (`accord.clocks`), round r
    taken at time ``r × meta.round_length`` (as the web app's play does)."""
    from accord.clocks import Dynamics

    c = compile(scenario) if isinstance(scenario, Scenario) else scenario
    dyn = Dynamics.of(c.scenario, c)
    step = c.round_length
    table = np.array([dyn.reservations_at(r * step) for r in range(rounds + 1)])
    return lambda r: table[min(r, rounds)]


def reservation_path(d: Domain, slope: np.ndarray | list[float]) -> ReservationAt:
    """A reservation schedule moving linearly per round: ``r(t) = r0 + slope·t`` (clipped to
    [0, 1]); a stand-in for the clocks engine's no-deal path."""
    s = np.asarray(slope, dtype=float)
    r0 = d.reservation.copy()
    return lambda r: np.clip(r0 + s * r, 0.0, 1.0)
