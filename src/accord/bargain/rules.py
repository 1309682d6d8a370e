"""Agreement rules: which set of acceptances makes an offer an agreement.

``unanimity`` needs every seat, ``quorum`` at least ``quorum`` seats (the proposer counts as
accepting its own offer), and a ``veto`` set is added to either. A veto id may name a seat or
an actor inside a bloc seat: the bloc seat accepts by its strategy on the bloc's derived
utility, while a veto member inside it accepts exactly when its own utility of the offer is at
least its own reservation (design decision, see `accord.bargain.protocols`).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from accord.bargain.acceptance import TOL
from accord.bargain.domain import Domain
from accord.errors import InputError, Problem


class Rule:
    """An agreement rule: unanimity or quorum over seats, plus an optional veto set."""

    def __init__(
        self,
        domain: Domain,
        rule: str = "unanimity",
        quorum: int | None = None,
        veto: Sequence[str] = (),
    ) -> None:
        n = domain.n
        if rule not in ("unanimity", "quorum"):
            raise InputError(Problem("expected 'unanimity' or 'quorum'", ("rule",), rule))
        if rule == "quorum" and (quorum is None or not 1 <= int(quorum) <= n):
            raise InputError(
                Problem(f"the quorum must be between 1 and {n} seats", ("quorum",), quorum)
            )
        self.rule = rule
        self.need = n if rule == "unanimity" else int(quorum or n)
        self.veto_seats: list[int] = []
        self.veto_members: list[int] = []
        for v in veto:
            if v in domain.ids:
                self.veto_seats.append(domain.index(v))
            elif v in domain.member_ids:
                self.veto_members.append(domain.member_ids.index(v))
            else:
                known = ", ".join([*domain.ids, *domain.member_ids])
                raise InputError(Problem(f"not a seat or an actor; known: {known}", ("veto",), v))
        self.domain = domain

    def passes(self, accept: Sequence[bool] | np.ndarray, offer: int) -> bool:
        """Whether the seats in `accept` (bool, A) and the veto members carry `offer`."""
        if sum(accept) < self.need:
            return False
        if self.veto_seats and not all(accept[i] for i in self.veto_seats):
            return False
        if self.veto_members:
            d = self.domain
            assert d.member_utility is not None and d.member_reservation is not None
            m = self.veto_members
            if (d.member_utility[offer, m] < d.member_reservation[m] - TOL).any():
                return False
        return True

    def possible(self, active: np.ndarray) -> bool:
        """Whether the rule can still be met by the parties still at the table."""
        return int(active.sum()) >= self.need and bool(active[self.veto_seats].all())
