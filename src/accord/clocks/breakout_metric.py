"""Breakout months as a derived outcome metric: "this package means N months".

The scenario schema has no field that says which issue is an enrichment limit, so accord uses a
naming convention. An outcome (issue id → value in issue units) sets the programme state that
`accord.nuclear.breakout` times; issues are recognised by id:

- ``enrichment_level`` (% U-235): the highest assay allowed; stocks above it are removed
  (unless a stockpile issue sets them);
- ``stockpile_20`` (kg UF6, or kg U if the issue's unit says so): the near-20 % (19.75 %) stock;
- ``stockpile_leu`` (kg UF6 or kg U): the 3.5 % stock (at ``enrichment_level`` if lower);
- ``capacity`` (SWU/yr): the enrichment capacity, replacing the machine count.

Everything the outcome does not set comes from a *base* programme state: by default the latest
built-in state (`accord.nuclear.states`) dated on or before the scenario's date, else the
earliest. An enrichment level of 0 means no enrichment: capacity 0, so no breakout in finite
time. A scenario with none of these issues has no breakout metric (None).

Decision: the almaty-2013 scenario has no LEU-stock issue, so every package there keeps the base
state's ~4,400 kg U of 3.5 % LEU; the JCPOA package therefore reads much shorter than the JCPOA's
own "≥ 12 months", which rests on the 300 kg UF6 cap (docs/breakout.md explains the difference).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import replace

from accord.metrics.breakout import CAPACITY, LEU, LEVEL, NEAR_20, ROLES, STOCK_20, STOCK_LEU
from accord.nuclear.breakout import RECONFIGURE_MONTHS, Breakout, ProgrammeState, Target, breakout
from accord.nuclear.enrichment import U_IN_UF6
from accord.nuclear.states import builtin_state, builtin_state_names
from accord.scenario import Scenario


def has_breakout_metric(scenario: Scenario) -> bool:
    """Whether the scenario has any issue the breakout convention recognises."""
    return any(i in scenario.issue_ids for i in ROLES)


def default_base(scenario: Scenario) -> ProgrammeState:
    """The latest built-in state dated on or before the scenario's date (else the earliest)."""
    states = [builtin_state(n) for n in builtin_state_names()]
    dated = sorted((s for s in states if s.date), key=lambda s: str(s.date))
    if scenario.meta.date is not None:
        before = [s for s in dated if dt.date.fromisoformat(str(s.date)) <= scenario.meta.date]
        if before:
            return before[-1]
    return dated[0]


def state_for_outcome(
    scenario: Scenario, outcome_units: Mapping[str, float], base: ProgrammeState | None = None
) -> ProgrammeState | None:
    """The programme state an outcome implies (None when the scenario has no such issues)."""
    if not has_breakout_metric(scenario):
        return None
    state = base if base is not None else default_base(scenario)
    ids = set(scenario.issue_ids)

    def mass(issue_id: str) -> float:
        unit = (scenario.issue(issue_id).unit or "kg UF6").lower()
        v = float(outcome_units[issue_id])
        return v * U_IN_UF6 if "uf6" in unit else v

    level = float(outcome_units[LEVEL]) / 100.0 if LEVEL in ids else None
    if level is not None:
        kept = tuple(s for s in state.stocks if s.assay <= level + 1e-9)
        state = replace(state, stocks=kept)
    if STOCK_20 in ids:
        state = state.with_stock(NEAR_20, mass(STOCK_20))
    if STOCK_LEU in ids:
        leu = min(LEU, level) if level else LEU
        for s in state.stocks:
            if s.assay < 0.1 and abs(s.assay - leu) > 1e-9:
                state = state.with_stock(s.assay, 0.0)
        state = state.with_stock(leu, mass(STOCK_LEU))
    if CAPACITY in ids:
        state = state.with_capacity(float(outcome_units[CAPACITY]))
    if level is not None and level <= 0:
        state = state.with_capacity(0.0)
    return replace(state, name="outcome", label=f"outcome on the {state.name} base")


def outcome_breakout(
    scenario: Scenario,
    outcome_units: Mapping[str, float],
    *,
    base: ProgrammeState | None = None,
    target: Target = "isis",
    reconfigure_months: float = RECONFIGURE_MONTHS,
    tails: float | None = None,
) -> Breakout | None:
    """The full breakout record of the state an outcome implies (None: no metric)."""
    state = state_for_outcome(scenario, outcome_units, base)
    if state is None:
        return None
    return breakout(state, target=target, reconfigure_months=reconfigure_months, tails=tails)


def breakout_months(
    scenario: Scenario,
    outcome_units: Mapping[str, float],
    *,
    base: ProgrammeState | None = None,
    target: Target = "isis",
    reconfigure_months: float = RECONFIGURE_MONTHS,
    tails: float | None = None,
) -> float | None:
    """Breakout months of the fastest path under an outcome (None: no metric, or no capacity)."""
    b = outcome_breakout(
        scenario,
        outcome_units,
        base=base,
        target=target,
        reconfigure_months=reconfigure_months,
        tails=tails,
    )
    return None if b is None else b.months


def proposal_units(scenario: Scenario, proposal_id: str) -> dict[str, float]:
    """A proposal's outcome in issue units (option labels become indices)."""
    p = scenario.proposal(proposal_id)
    return {i.id: i.to_units(p.outcome[i.id]) for i in scenario.issues}
