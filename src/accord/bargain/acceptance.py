"""Acceptance conditions: when a party accepts the offer on the table.

Baarslag, Hindriks & Jonker (2011), "Acceptance conditions in automated negotiation"
(ACAN 2011), §3: a condition sees the utility of the offer received, the utility of the bid the
party would send next, the time and the offers received so far.

- ``next[:α[:β]]`` — AC_next(α, β): accept if ``α·u(offer) + β ≥ u(next bid)``;
- ``const:c`` — AC_const(c): accept if ``u(offer) ≥ c``;
- ``time:T`` — AC_time(T): accept any offer once ``t ≥ T``;
- ``combi:T`` — AC_combi(T, MAX^T): AC_next, or ``t ≥ T`` and the offer is at least the best
  received so far (Baarslag et al. 2011, §4.2).

Conditions combine with ``|`` (either) and ``&`` (both): ``next|time:0.99``. Whatever the
condition says, a strategy never accepts an offer worth less to it than its reservation value
unless its class declares ``may_accept_below_reservation`` (`Strategy.accepts`).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from accord.errors import InputError, Problem

if TYPE_CHECKING:
    from accord.bargain.view import View

TOL = 1e-12


class Acceptance(ABC):
    """Base of acceptance conditions: ``cond(view, u_offer, u_next) -> bool``."""

    spec: str = ""

    @abstractmethod
    def __call__(self, view: View, u_offer: float, u_next: float) -> bool: ...

    def __or__(self, other: Acceptance) -> Acceptance:
        return Either(self, other)

    def __and__(self, other: Acceptance) -> Acceptance:
        return Both(self, other)


@dataclass(frozen=True)
class Next(Acceptance):
    """AC_next(α, β): accept if α·u(offer) + β ≥ u(the bid I would send next)."""

    alpha: float = 1.0
    beta: float = 0.0

    @property
    def spec(self) -> str:  # type: ignore[override]
        return "next" if (self.alpha, self.beta) == (1.0, 0.0) else f"next:{self.alpha}:{self.beta}"

    def __call__(self, view: View, u_offer: float, u_next: float) -> bool:
        return self.alpha * u_offer + self.beta >= u_next - TOL


@dataclass(frozen=True)
class Const(Acceptance):
    """AC_const(c): accept if u(offer) ≥ c."""

    c: float = 0.9

    @property
    def spec(self) -> str:  # type: ignore[override]
        return f"const:{self.c}"

    def __call__(self, view: View, u_offer: float, u_next: float) -> bool:
        return u_offer >= self.c - TOL


@dataclass(frozen=True)
class Time(Acceptance):
    """AC_time(T): accept once the relative time reaches T."""

    t: float = 0.99

    @property
    def spec(self) -> str:  # type: ignore[override]
        return f"time:{self.t}"

    def __call__(self, view: View, u_offer: float, u_next: float) -> bool:
        return view.t >= self.t


@dataclass(frozen=True)
class Combi(Acceptance):
    """AC_combi(T, MAX^T): AC_next, or after T an offer at least as good as any received."""

    t: float = 0.98

    @property
    def spec(self) -> str:  # type: ignore[override]
        return f"combi:{self.t}"

    def __call__(self, view: View, u_offer: float, u_next: float) -> bool:
        if u_offer >= u_next - TOL:
            return True
        return view.t >= self.t and u_offer >= view.best_received - TOL


@dataclass(frozen=True)
class Either(Acceptance):
    """Accept if either condition accepts."""

    a: Acceptance
    b: Acceptance

    @property
    def spec(self) -> str:  # type: ignore[override]
        return f"{self.a.spec}|{self.b.spec}"

    def __call__(self, view: View, u_offer: float, u_next: float) -> bool:
        return self.a(view, u_offer, u_next) or self.b(view, u_offer, u_next)


@dataclass(frozen=True)
class Both(Acceptance):
    """Accept if both conditions accept."""

    a: Acceptance
    b: Acceptance

    @property
    def spec(self) -> str:  # type: ignore[override]
        return f"{self.a.spec}&{self.b.spec}"

    def __call__(self, view: View, u_offer: float, u_next: float) -> bool:
        return self.a(view, u_offer, u_next) and self.b(view, u_offer, u_next)


ACCEPTANCE: dict[str, Callable[..., Acceptance]] = {
    "next": Next,
    "const": Const,
    "time": Time,
    "combi": Combi,
}


def parse_acceptance(spec: str | Acceptance) -> Acceptance:
    """An acceptance condition from its text, e.g. ``"next|time:0.99"`` (module docstring)."""
    if isinstance(spec, Acceptance):
        return spec
    text = str(spec).strip()
    if "|" in text:
        left, right = text.split("|", 1)
        return Either(parse_acceptance(left), parse_acceptance(right))
    if "&" in text:
        left, right = text.split("&", 1)
        return Both(parse_acceptance(left), parse_acceptance(right))
    name, *args = text.split(":")
    if name not in ACCEPTANCE:
        raise InputError(
            Problem(
                f"unknown acceptance condition; known: {', '.join(ACCEPTANCE)}",
                ("acceptance",),
                spec,
            )
        )
    try:
        values = [float(a) for a in args]
    except ValueError:
        raise InputError(
            Problem("acceptance parameters must be numbers", ("acceptance",), spec)
        ) from None
    try:
        return ACCEPTANCE[name](*values)
    except TypeError:
        raise InputError(
            Problem("too many parameters for this acceptance condition", ("acceptance",), spec)
        ) from None
