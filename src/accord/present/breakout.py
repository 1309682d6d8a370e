"""What the breakout months of a package assume (issue 16 §1): the scenario sets some of the
programme (enrichment level, near-20 % stock, LEU stock, capacity) and the rest comes from a
built-in programme state (`accord.clocks.breakout_metric.default_base`). Saying which is what
makes "4.4 months" for the JCPOA package and "10.2 months" for `accord breakout jcpoa`
comparable: the scenario has no LEU-stock issue, so its packages keep the base state's LEU."""

from __future__ import annotations

from accord.clocks.breakout_metric import (
    CAPACITY,
    LEU,
    LEVEL,
    NEAR_20,
    STOCK_20,
    STOCK_LEU,
    default_base,
    has_breakout_metric,
)
from accord.nuclear.enrichment import U_IN_UF6
from accord.present.format import number
from accord.scenario import Scenario


def breakout_assumptions(s: Scenario) -> str | None:
    """One sentence: which programme figures a package's breakout months take from the base
    state because the scenario has no issue for them (None: no breakout metric)."""
    if not has_breakout_metric(s):
        return None
    base = default_base(s)
    ids = set(s.issue_ids)

    def stock(assay: float) -> float:
        return sum(x.kg_u for x in base.stocks if abs(x.assay - assay) < 0.01) / U_IN_UF6

    kept = []
    if STOCK_LEU not in ids:
        kept.append(f"a {100 * LEU:g} % LEU stock of {number(stock(LEU))} kg UF6")
    if STOCK_20 not in ids and LEVEL not in ids:
        kept.append(f"a near-20 % stock of {number(stock(NEAR_20))} kg UF6")
    if CAPACITY not in ids:
        kept.append(f"{number(base.capacity())} SWU/yr of enrichment capacity")
    if LEVEL not in ids:
        kept.append("the base state's enrichment levels")
    name = base.label or f"{base.name} ({base.date})"
    if not kept:
        return (
            f"Breakout months take every programme figure from the package itself, on the "
            f"{name} programme for the rest."
        )
    return (
        f"Breakout months take what the scenario has no issue for from the {name} programme: "
        f"{', '.join(kept)}, whatever the package says. A built-in programme state "
        "(accord breakout NAME) sets these figures itself, so it can read differently."
    )
