"""Time dynamics of the no-deal point: drift of the status quo, costs of waiting, who gains.

- `dynamics`: the scenario's ``drift`` and ``cost`` clocks compiled (`Dynamics`), the status quo
  and the reservations at any time (`status_quo_at`, `reservations_at`), time-unit conversion;
- `breakout_metric`: breakout months implied by an outcome (`breakout_months`), by the issue-id
  convention documented there;
- `timeline`: everything over a horizon (`timeline` → `ClockTimeline`): reservations, the
  agreement zone, proposals accepted, breakout months of the status quo, who gains from delay.
"""

from accord.clocks.breakout_metric import (
    breakout_months,
    default_base,
    has_breakout_metric,
    outcome_breakout,
    proposal_units,
    state_for_outcome,
)
from accord.clocks.dynamics import (
    MONTHS_PER,
    Dynamics,
    convert,
    enrichment_rate,
    reservations_at,
    status_quo_at,
)
from accord.clocks.timeline import ClockTimeline, outcome_grid, timeline

__all__ = [
    "MONTHS_PER",
    "ClockTimeline",
    "Dynamics",
    "breakout_months",
    "convert",
    "default_base",
    "enrichment_rate",
    "has_breakout_metric",
    "outcome_breakout",
    "outcome_grid",
    "proposal_units",
    "reservations_at",
    "state_for_outcome",
    "status_quo_at",
    "timeline",
]
