"""The proposal check: who accepts a given offer, who refuses it, and by how much.

A party accepts an offer x when ``u_i(x) ≥ r_i`` (it is no worse than no deal); its *margin* is
``u_i(x) − r_i``, and a refusing party's concession is ``−margin`` (the definitions of
`accord.analysis.gap`). The offer is *efficient* when no outcome of the frontier dominates it.
Offers are evaluated exactly (not snapped to the grid) with `Compiled.utility`.

Who accepts is decided by the one acceptance logic, `accord.scenario.decide.decide`: a party
refuses an offer below its reservation *or* breaking one of its red lines, and a bloc seat
decides by its rule (consensus: every member must accept). `reasons` says why each actor
refuses, with the red line and by how much it is broken.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Required, TypedDict, Unpack

import numpy as np
import pandas as pd

from accord.analysis.bargaining import TOL, FloatArray
from accord.errors import InputError, Problem
from accord.results import jsonable
from accord.scenario.compile import Compiled, Preferences
from accord.scenario.decide import decide
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
    accepts: tuple[bool, ...] = ()
    actor_accepts: dict[str, bool] = field(default_factory=dict)
    reasons: dict[str, str] = field(default_factory=dict)
    broken: tuple[tuple[str, str, float], ...] = ()
    broken_by: tuple[str | None, ...] = ()
    """How far past each broken red line, with its unit (``15 % U-235``); None for a line on
    options, which a package keeps or breaks."""

    def broken_lines(self) -> list[tuple[str, str, str | None]]:
        """(actor, red line, how far past it, for people) per broken red line."""
        by = self.broken_by or tuple(None for _ in self.broken)
        return [(a, t, b) for (a, t, _), b in zip(self.broken, by, strict=True)]

    metrics: dict[str, float] = field(default_factory=dict)

    def _accepts(self) -> tuple[bool, ...]:
        if self.accepts:
            return self.accepts
        return tuple(bool(m >= -TOL) for m in self.margins)

    @property
    def accepted_by(self) -> tuple[str, ...]:
        """Seated parties that accept: by their rule, reservation and red lines."""
        return tuple(p for p, a in zip(self.parties, self._accepts(), strict=True) if a)

    @property
    def refused_by(self) -> tuple[str, ...]:
        """Seated parties that refuse."""
        return tuple(p for p, a in zip(self.parties, self._accepts(), strict=True) if not a)

    @property
    def members_refusing(self) -> tuple[str, ...]:
        """Actors (members of seated blocs included) that refuse the offer."""
        return tuple(a for a, ok in self.actor_accepts.items() if not ok)

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
                "actor_accepts": self.actor_accepts,
                "reasons": self.reasons,
                "red_lines_broken": [
                    {"actor": a, "red_line": t, "by": b, "by_text": text}
                    for (a, t, b), (_, _, text) in zip(
                        self.broken, self.broken_lines(), strict=True
                    )
                ],
                "metrics": self.metrics,
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
                "accepts": list(self._accepts()),
            }
        )


class ProposalNames(TypedDict, total=False):
    """How a verdict names its offer: the `id`, a `label` (default: the id), who tabled it
    (`by`) and its outcome as a person reads it (`shown`, issue id → text; default: the
    numbers)."""

    id: Required[str]
    label: str | None
    by: str | None
    shown: dict[str, str] | None


def check_proposal(
    c: Compiled,
    prefs: Preferences,
    x: FloatArray,
    frontier_utilities: FloatArray,
    **names: Unpack[ProposalNames],
) -> ProposalVerdict:
    """Verdict on the normalised outcome `x` (K,) for the parties `prefs`, named by `names`."""
    id = names["id"]
    x = np.asarray(x, dtype=np.float64)
    if x.shape != (c.k,) or not np.all(np.isfinite(x)) or np.any((x < -TOL) | (x > 1 + TOL)):
        raise InputError(
            Problem(
                "an offer needs one value within each issue's range",
                ("proposals", id),
                list(c.to_units(x)),
            )
        )
    v = decide(c, x[None, :], parties="actors" if prefs is c.actors else "seats")
    u = v.utility[0]
    ua = v.actor_utility[0]
    fu = np.asarray(frontier_utilities).reshape(-1, len(u))
    dominated = bool(np.any(np.all(fu >= u - TOL, axis=1) & np.any(fu > u + 1e-9, axis=1)))
    past = [(rl, float(v.breach[0, i])) for i, rl in enumerate(c.red_lines) if v.breach[0, i] > 0]
    broken = tuple((c.actors.ids[rl.actor], rl.text, b) for rl, b in past)
    metrics = c.metrics.values(c.to_units(x)[None, :])[0] if c.metrics.names else []
    return ProposalVerdict(
        id=id,
        label=names.get("label") or id,
        by=names.get("by"),
        outcome=names.get("shown")
        or {i: f"{v:.4g}" for i, v in zip(c.issue_ids, c.to_units(x), strict=True)},
        parties=prefs.ids,
        utilities=u,
        margins=u - prefs.reservation,
        actor_margins={
            a: float(m) for a, m in zip(c.actors.ids, ua - c.actors.reservation, strict=True)
        },
        efficient=not dominated,
        accepts=tuple(bool(a) for a in v.accepts[0]),
        actor_accepts={a: bool(ok) for a, ok in zip(c.actors.ids, v.actor_accepts[0], strict=True)},
        reasons=_reasons(c, v.actor_margin[0], v.breach[0]),
        broken=broken,
        broken_by=tuple(rl.amount(b) for rl, b in past),
        metrics={n: float(m) for n, m in zip(c.metrics.names, metrics, strict=True)},
    )


def _reasons(c: Compiled, margins: FloatArray, breach: FloatArray) -> dict[str, str]:
    """Why each refusing actor refuses: its red lines broken (by how much), or its margin."""
    out: dict[str, str] = {}
    for row, (a, m) in enumerate(zip(c.actors.ids, margins, strict=True)):
        why = [
            f"breaks its red line {rl.text}"
            + ("" if rl.allowed is not None else f" by {rl.amount(float(breach[i]))}")
            for i, rl in enumerate(c.red_lines)
            if rl.actor == row and breach[i] > 0
        ]
        if m < -TOL:
            why.append(f"below its no-deal value by {-m:.2g}")
        if why:
            out[a] = "; ".join(why)
    return out


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
