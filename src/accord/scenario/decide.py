"""The one acceptance logic: who accepts a package, who refuses it, and why.

Every engine that asks "does this party accept?" calls `decide`: the analysis (zone, frontier,
bargaining solutions, proposal check), the bargaining domains (acceptance and walk-away), the
clocks ("which proposals every seat accepts") and play mode. For packages ``x`` (N, K),
normalised, it returns per actor and per seat:

- the utility and the margin over the reservation value;
- by how much each red line is broken (`accord.scenario.preferences.CompiledRedLine.breach`);
- whether the actor accepts: its utility is at least its reservation (tolerance 1e-12) *and* it
  breaks none of its own red lines;
- whether the seat accepts, by its bloc's rule (docs/preferences.md):

  ``actor``     the seated actor accepts;
  ``weighted``  the bloc's derived utility is at least its reservation and no member's red line
                is broken (a red line is a hard constraint the bloc cannot outvote);
  ``consensus`` every member accepts;
  ``quorum``    members holding at least ``threshold`` of the bloc's capability (or of its
                members, ``quorum_by: members``) accept.

A seat is *red-line feasible* for a package when its red lines hold by the same rule (every
member's, except under quorum, where a quorum of members' must hold). Reasons for refusals are
built from these arrays by `reasons`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, TypedDict, Unpack

import numpy as np
from numpy.typing import NDArray

from accord.scenario.compile import Compiled, FloatArray

TOL = 1e-12
BoolArray = NDArray[np.bool_]


@dataclass(frozen=True, eq=False)
class Verdicts:
    """Who accepts packages (N of them): per party (seats or actors) and per actor."""

    parties: tuple[str, ...]
    utility: FloatArray
    reservation: FloatArray
    accepts: BoolArray
    feasible: BoolArray
    actor_ids: tuple[str, ...]
    actor_utility: FloatArray
    actor_reservation: FloatArray
    actor_accepts: BoolArray
    breach: FloatArray
    red_line_actor: NDArray[np.int64]

    @property
    def margin(self) -> FloatArray:
        """Utility minus reservation (N, P)."""
        return self.utility - self.reservation

    @property
    def actor_margin(self) -> FloatArray:
        """Actor utility minus reservation (N, A)."""
        return self.actor_utility - self.actor_reservation

    @property
    def all_accept(self) -> BoolArray:
        """Packages every party accepts (N,)."""
        return np.asarray(self.accepts.all(axis=1))

    @property
    def zone(self) -> BoolArray:
        """The agreement zone: every party accepts and one is strictly better off than no deal."""
        return self.all_accept & np.any(self.utility > self.reservation + TOL, axis=1)

    @property
    def all_feasible(self) -> BoolArray:
        """Packages that break no red line of any party (N,)."""
        return np.asarray(self.feasible.all(axis=1))


class Known(TypedDict, total=False):
    """Arrays already computed for the same packages, passed to `decide` so that it need not
    compute them again: party `utility` (N, P), `actor_utility` (N, A), red-line `breach`
    (N, R) and `keeps` (`actor_keeps` with nothing ignored, (N, A))."""

    utility: FloatArray | None
    actor_utility: FloatArray | None
    breach: FloatArray | None
    keeps: BoolArray | None


def decide(
    c: Compiled,
    x: FloatArray,
    *,
    parties: Literal["seats", "actors"] = "seats",
    reservation: FloatArray | None = None,
    actor_reservation: FloatArray | None = None,
    ignore: int | None = None,
    **known: Unpack[Known],
) -> Verdicts:
    """Verdicts on normalised packages `x` (N, K) (see the module docstring).

    `reservation` / `actor_reservation` override the compiled ones (the clocks move them with
    time); `ignore` drops one red line (by index in ``c.red_lines``), for the "which red line
    binds" questions; `known` passes arrays already computed for the same packages (`Known`).
    """
    x = np.atleast_2d(np.asarray(x, dtype=float))
    prefs = c.seats if parties == "seats" else c.actors
    ua = known.get("actor_utility")
    ua = c.utility(c.actors, x) if ua is None else ua
    ra = c.actors.reservation if actor_reservation is None else np.asarray(actor_reservation)
    breach = known.get("breach")
    breach = red_line_breach(c, x) if breach is None else breach
    rl_actor = np.array([r.actor for r in c.red_lines], dtype=np.int64)
    keeps = actor_keeps(c, breach, ignore, known.get("keeps"))
    actor_accepts = (ua >= ra - TOL) & keeps
    u = known.get("utility")
    if parties == "actors":
        u = ua if u is None else u
        r = ra if reservation is None else np.asarray(reservation)
        accepts, feasible = (u >= r - TOL) & keeps, keeps
    else:
        u = c.utility(prefs, x) if u is None else u
        r = prefs.reservation if reservation is None else np.asarray(reservation)
        accepts, feasible = _seats_decide(c, u, r, actor_accepts, keeps)
    return Verdicts(
        prefs.ids, u, r, accepts, feasible, c.actors.ids, ua, ra, actor_accepts, breach, rl_actor
    )


def _seats_decide(
    c: Compiled, u: FloatArray, r: FloatArray, actor_accepts: BoolArray, keeps: BoolArray
) -> tuple[BoolArray, BoolArray]:
    """Whether each seat accepts the packages, and whether its red lines hold, by its rule."""
    accepts = np.empty(u.shape, dtype=bool)
    feasible = np.empty(u.shape, dtype=bool)
    for j, (rows, (rule, threshold, by)) in enumerate(
        zip(c.seat_members, c.seat_rules or _actor_rules(c), strict=True)
    ):
        members = list(rows)
        if rule == "quorum":
            w = _quorum_weights(c, members, by)
            accepts[:, j] = actor_accepts[:, members] @ w >= threshold - TOL
            feasible[:, j] = keeps[:, members] @ w >= threshold - TOL
            continue
        feasible[:, j] = keeps[:, members].all(axis=1)
        if rule == "consensus":
            accepts[:, j] = actor_accepts[:, members].all(axis=1)
        else:
            accepts[:, j] = (u[:, j] >= r[j] - TOL) & feasible[:, j]
    return accepts, feasible


def red_line_breach(c: Compiled, x: FloatArray, metrics: FloatArray | None = None) -> FloatArray:
    """By how much packages `x` (N, K) break each red line (N, R); 0 where kept.

    `metrics` (N, M) passes metric values already computed for the same packages.
    """
    if not c.red_lines:
        return np.zeros((len(x), 0))
    units = c.to_units(x)
    if metrics is None:
        metrics = c.metrics.values(units) if c.metrics.names else np.zeros((len(x), 0))
    return np.column_stack([r.breach(units, metrics) for r in c.red_lines])


def actor_keeps(
    c: Compiled,
    breach: FloatArray,
    ignore: int | None = None,
    keeps: BoolArray | None = None,
) -> BoolArray:
    """Whether each actor keeps all its red lines (N, A), red line `ignore` left out.

    `keeps` (the answer with nothing ignored) lets only the ignored line's owner be redone.
    """
    owners = np.array([r.actor for r in c.red_lines], dtype=np.int64)
    if keeps is not None:
        if ignore is None:
            return keeps
        out = keeps.copy()
        redo = [int(owners[ignore])]
    else:
        out = np.ones((len(breach), c.actors.n), dtype=bool)
        redo = [int(a) for a in np.unique(owners)]
    for a in redo:
        cols = [i for i in np.flatnonzero(owners == a) if i != ignore]
        out[:, a] = ~(breach[:, cols] > 0).any(axis=1) if cols else True
    return out


def _quorum_weights(c: Compiled, members: list[int], by: str) -> FloatArray:
    if by == "members":
        return np.full(len(members), 1.0 / len(members))
    cap = c.actors.capability[members]
    return cap / cap.sum() if cap.sum() > 0 else np.full(len(members), 1.0 / len(members))


def _actor_rules(c: Compiled) -> tuple[tuple[str, float, str], ...]:
    """Rules of a Compiled built without them (re-parameterised copies): all weighted."""
    return tuple(
        ("actor" if len(m) == 1 else "weighted", 1.0, "capability") for m in c.seat_members
    )
