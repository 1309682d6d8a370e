"""Separative work: the value function, the feed–product–tails balance, and one enrichment step.

An ideal cascade that turns feed of assay ``x_f`` into product ``x_p`` and tails ``x_t`` obeys
two mass balances (total uranium and U-235) and needs a separative work (Cohen 1951; Benedict,
Pigford & Levi, *Nuclear Chemical Engineering*, 2nd ed. 1981, §12.7, eqs. 12.106–12.109):

    V(x)  = (2x − 1) · ln(x / (1 − x))                      value function
    F     = P · (x_p − x_t) / (x_f − x_t),   T = F − P      feed and tails
    SWU   = P·V(x_p) + T·V(x_t) − F·V(x_f)                   separative work

Assays are fractions (0.035 for 3.5 %), masses kg of uranium (kg U), separative work kg-SWU.
Reference check (fact sheet §4, nfc.rizgarmella.com): 1 kg of 3.5 % from natural uranium at
0.3 % tails needs 7.785 kg feed and 4.34 SWU.

A feed-limited step — less feed than the balance needs at the chosen tails — can still make its
product if the feed holds enough U-235: the tails assay is raised until the whole stock is used,
``x_t = (F·x_f − P·x_p) / (F − P)`` (the May 2013 20 % stock of 123.1 kg U gives 25 kg of 90 %
only with tails ≤ 1.85 %, fact sheet §4). `step_from_stock` does that.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from accord.errors import InputError, Problem
from accord.results import jsonable

NATURAL = 0.00711
"""U-235 mass fraction of natural uranium (0.711 wt %)."""
WEAPON_GRADE = 0.90
"""Weapon-grade product assay used by the breakout conventions."""
U_IN_UF6 = 0.676
"""Mass fraction of uranium in UF6 (238.03 / 352.02; 300 kg UF6 = 202.8 kg U)."""


def value(x: float) -> float:
    """The separative potential V(x) = (2x − 1)·ln(x/(1 − x)) of assay ``x`` in (0, 1)."""
    _check_assay(x, "assay")
    return (2.0 * x - 1.0) * math.log(x / (1.0 - x))


def feed_for(product: float, xp: float, xf: float, xt: float) -> float:
    """Feed (kg U) needed for ``product`` kg U at ``xp`` from feed ``xf`` with tails ``xt``."""
    _check_order(xp, xf, xt)
    return product * (xp - xt) / (xf - xt)


def swu(product: float, xp: float, xf: float, xt: float) -> float:
    """Separative work (kg-SWU) for ``product`` kg U at ``xp`` from ``xf`` with tails ``xt``."""
    f = feed_for(product, xp, xf, xt)
    t = f - product
    return product * value(xp) + t * value(xt) - f * value(xf)


def tails_for_feed(product: float, xp: float, feed: float, xf: float) -> float | None:
    """The tails assay using exactly ``feed`` kg U at ``xf``; None: too little U-235 in it."""
    if feed <= product or feed * xf <= product * xp:
        return None
    return (feed * xf - product * xp) / (feed - product)


@dataclass(frozen=True)
class Step:
    """One enrichment step: ``feed`` kg U at ``xf`` → ``product`` kg U at ``xp`` + tails at ``xt``.

    ``feed_limited`` is true when the tails were raised above the requested assay to make the
    product from a stock too small for the requested tails.
    """

    xf: float
    xp: float
    xt: float
    product: float
    feed: float
    tails: float
    swu: float
    feed_limited: bool = False

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready record (assays as fractions, masses kg U)."""
        return jsonable(
            {
                "feed_assay": self.xf,
                "product_assay": self.xp,
                "tails_assay": self.xt,
                "product_kg_u": self.product,
                "feed_kg_u": self.feed,
                "tails_kg_u": self.tails,
                "swu": self.swu,
                "feed_limited": self.feed_limited,
            }
        )


def step(product: float, xp: float, xf: float, xt: float) -> Step:
    """The ideal-cascade step making ``product`` kg U at ``xp`` from ``xf`` with tails ``xt``."""
    if not product >= 0:
        raise InputError(Problem("product mass must be ≥ 0", ("product",), product))
    f = feed_for(product, xp, xf, xt)
    return Step(xf, xp, xt, product, f, f - product, swu(product, xp, xf, xt))


def step_from_stock(product: float, xp: float, xf: float, xt: float, stock: float) -> Step | None:
    """A step that uses at most ``stock`` kg U of feed, raising the tails if it must.

    Returns the ordinary step when the stock suffices at tails ``xt``; the feed-limited step
    (tails raised so the whole stock is used) when the stock holds enough U-235 for the product;
    None when it does not.
    """
    need = feed_for(product, xp, xf, xt)
    if need <= stock:
        return step(product, xp, xf, xt)
    raised = tails_for_feed(product, xp, stock, xf)
    if raised is None or raised >= xf:
        return None
    s = step(product, xp, xf, raised)
    return Step(s.xf, s.xp, s.xt, s.product, s.feed, s.tails, s.swu, feed_limited=True)


def kg_u(kg_uf6: float) -> float:
    """kg of uranium in ``kg_uf6`` kg of UF6."""
    return kg_uf6 * U_IN_UF6


def kg_uf6(kg_u_: float) -> float:
    """kg of UF6 holding ``kg_u_`` kg of uranium."""
    return kg_u_ / U_IN_UF6


def _check_assay(x: float, name: str) -> None:
    if not (isinstance(x, int | float) and 0.0 < x < 1.0):
        raise InputError(Problem("an assay is a fraction strictly between 0 and 1", (name,), x))


def _check_order(xp: float, xf: float, xt: float) -> None:
    _check_assay(xp, "product_assay")
    _check_assay(xf, "feed_assay")
    _check_assay(xt, "tails_assay")
    if not xt < xf < xp:
        raise InputError(
            Problem(
                "assays must satisfy tails < feed < product",
                ("assays",),
                {"tails": xt, "feed": xf, "product": xp},
            )
        )
