"""The proposal check: who accepts a given offer, who refuses it, and by how much.

A party accepts an offer x when ``u_i(x) ≥ r_i`` (it is no worse than no deal); its *margin* is
``u_i(x) − r_i``, and a refusing party's concession is ``−margin`` (the definitions of
`accord.analysis.gap`). The offer is *efficient* when no outcome of the frontier dominates it.
Offers are evaluated exactly (not snapped to the grid) with `Compiled.utility`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from accord.analysis.bargaining import TOL, FloatArray
from accord.errors import InputError, Problem
from accord.results import jsonable
from accord.scenario.compile import Compiled, Preferences
from accord.scenario.schema import Issue


@dataclass(frozen=True, eq=False)
class ProposalVerdict:
    """How the seated parties (and every actor) judge one offer."""

    id: str
    label: str
    by: str | None
    outcome: dict[str, str]
    parties: tuple[str, ...]
    utilities: FloatArray
    margins: FloatArray
    actor_margins: dict[str, float]
    efficient: bool

    @property
    def accepted_by(self) -> tuple[str, ...]:
        """Seated parties no worse off than with no deal."""
        return tuple(p for p, m in zip(self.parties, self.margins, strict=True) if m >= -TOL)

    @property
    def refused_by(self) -> tuple[str, ...]:
        """Seated parties worse off than with no deal."""
        return tuple(p for p, m in zip(self.parties, self.margins, strict=True) if m < -TOL)

    @property
    def concession(self) -> float:
        """Total concession the refusing parties would have to make to accept."""
        return float(np.maximum(0.0, -self.margins).sum())

    def to_dict(self) -> dict[str, object]:
        """JSON-ready record."""
        return jsonable(
            {
                "id": self.id,
                "label": self.label,
                "by": self.by,
                "outcome": self.outcome,
                "utility": dict(zip(self.parties, self.utilities, strict=True)),
                "margin": dict(zip(self.parties, self.margins, strict=True)),
                "accepted_by": self.accepted_by,
                "refused_by": self.refused_by,
                "concession": self.concession,
                "efficient": self.efficient,
                "actor_margins": self.actor_margins,
            }
        )

    def to_frame(self) -> pd.DataFrame:
        """One row per seated party."""
        return pd.DataFrame(
            {
                "proposal": self.id,
                "party": list(self.parties),
                "utility": self.utilities,
                "margin": self.margins,
                "accepts": self.margins >= -TOL,
            }
        )


def check_proposal(
    c: Compiled,
    prefs: Preferences,
    x: FloatArray,
    frontier_utilities: FloatArray,
    *,
    id: str,
    label: str | None = None,
    by: str | None = None,
    shown: dict[str, str] | None = None,
) -> ProposalVerdict:
    """Verdict on the normalised outcome `x` (K,) for the parties `prefs`."""
    x = np.asarray(x, dtype=np.float64)
    if x.shape != (c.k,) or not np.all(np.isfinite(x)) or np.any((x < -TOL) | (x > 1 + TOL)):
        raise InputError(
            Problem(
                "an offer needs one value within each issue's range",
                ("proposals", id),
                list(c.to_units(x)),
            )
        )
    u = c.utility(prefs, x[None, :])[0]
    ua = c.utility(c.actors, x[None, :])[0]
    fu = np.asarray(frontier_utilities)
    dominated = bool(np.any(np.all(fu >= u - TOL, axis=1) & np.any(fu > u + 1e-9, axis=1)))
    return ProposalVerdict(
        id=id,
        label=label or id,
        by=by,
        outcome=shown or {i: f"{v:.4g}" for i, v in zip(c.issue_ids, c.to_units(x), strict=True)},
        parties=prefs.ids,
        utilities=u,
        margins=u - prefs.reservation,
        actor_margins={
            a: float(m) for a, m in zip(c.actors.ids, ua - c.actors.reservation, strict=True)
        },
        efficient=not dominated,
    )


def normalise_offer(
    c: Compiled, issues: Mapping[str, Issue], values: Mapping[str, float | str]
) -> FloatArray:
    """Normalised outcome (K,) of an offer written issue id → value in issue units or label."""
    out = np.empty(c.k)
    problems = []
    for k, iid in enumerate(c.issue_ids):
        issue = issues[iid]
        if iid not in values:
            problems.append(Problem("the offer gives no value for this issue", (iid,)))
            continue
        try:
            units = issue.to_units(values[iid])
        except ValueError as e:
            problems.append(Problem(str(e), (iid,), values[iid]))
            continue
        out[k] = (units - c.lo[k]) / c.span[k]
    InputError.collect(problems)
    return out
