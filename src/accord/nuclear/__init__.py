"""Enrichment physics and breakout time for the nuclear clock.

`enrichment` holds the separative-work calculus (value function, feed/tails balance, SWU of a
step); `breakout` turns a programme state (stocks and centrifuges) into months to one weapon's
worth of 90 % uranium along every feed path; `states` reads the built-in, sourced programme
states (Feb 2013, May 2013, JCPOA) and user-written ones.
"""

from accord.nuclear.breakout import (
    MACHINE_SWU,
    RECONFIGURE_MONTHS,
    Breakout,
    BreakoutPath,
    Machine,
    ProgrammeState,
    Stock,
    breakout,
    default_tails,
)
from accord.nuclear.enrichment import (
    NATURAL,
    U_IN_UF6,
    WEAPON_GRADE,
    Step,
    feed_for,
    kg_u,
    kg_uf6,
    step,
    step_from_stock,
    swu,
    tails_for_feed,
    value,
)
from accord.nuclear.states import (
    builtin_state,
    builtin_state_names,
    parse_assay,
    state_from_dict,
)

__all__ = [
    "MACHINE_SWU",
    "NATURAL",
    "RECONFIGURE_MONTHS",
    "U_IN_UF6",
    "WEAPON_GRADE",
    "Breakout",
    "BreakoutPath",
    "Machine",
    "ProgrammeState",
    "Step",
    "Stock",
    "breakout",
    "builtin_state",
    "builtin_state_names",
    "default_tails",
    "feed_for",
    "kg_u",
    "kg_uf6",
    "parse_assay",
    "state_from_dict",
    "step",
    "step_from_stock",
    "swu",
    "tails_for_feed",
    "value",
]
