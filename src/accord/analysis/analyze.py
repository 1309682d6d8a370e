"""`analyze(scenario)`: the whole outcome-space analysis in one stable call.

It answers the seed question of a negotiation — are the parties far apart, and what would close
the gap? — in five steps over the outcome space of `accord.space.grid`:

1. the exact Pareto frontier of the seated parties (`accord.analysis.pareto`; for spaces over
   `ENUMERATE_LIMIT` outcomes the exact dynamic programme of
   `accord.analysis.search.additive_frontier`);
2. the agreement zone: its size (exact when enumerated; estimated from a seeded uniform sample
   with its standard error otherwise);
3. the bargaining solutions on the frontier (`accord.analysis.bargaining`);
4. the gap and the best package deals, with the logroll of the best package
   (`accord.analysis.gap`);
5. the check of every proposal of the scenario (`accord.analysis.proposals`).

Decisions: the frontier keeps one outcome per distinct utility vector (the first in grid
order); the disagreement point is the parties' reservation values; the egalitarian point is
chosen among deals (outcomes whose utility vector differs from no deal), so where the zone is
empty it names the package that leaves the worst-off party least short; ``parties="actors"`` runs
the same analysis over every stakeholder instead of the seats. The report and the web app call
this function; its signature and the fields of `Analysis` are kept stable.

With red lines, metric terms or consensus/quorum blocs, steps 1–2 go through the one acceptance
logic (`accord.scenario.decide`, `accord.analysis.constrained`): the frontier is restricted to
packages that break no seated party's red line, the zone and the bargaining solutions to packages
every seat accepts by its rule, and `Analysis.red_lines` says which red lines bind and how far
each would have to move. Every package carries its metric values (e.g. breakout months).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd

from accord.analysis.bargaining import (
    FloatArray,
    agreement_mask,
    egalitarian_point,
    kalai_smorodinsky_point,
    nash_point,
    utilitarian_point,
)
from accord.analysis.constrained import (
    Constrained,
    RedLineFinding,
    Search,
    constrained,
    needs_constraints,
    smallest_relaxation,
)
from accord.analysis.gap import (
    Gap,
    deal_rows,
    gap,
    issue_gains,
    package_ranking,
    per_unit_value,
)
from accord.analysis.pareto import pareto_frontier
from accord.analysis.proposals import ProposalVerdict, check_proposal, normalise_offer
from accord.analysis.search import additive_frontier
from accord.errors import InputError, Problem
from accord.results import Plottable, jsonable
from accord.scenario.compile import Compiled, Preferences, compile
from accord.scenario.schema import Scenario
from accord.space import (
    DEFAULT_RESOLUTION,
    ENUMERATE_LIMIT,
    SPACE_LIMIT,
    OutcomeSpace,
    grid,
    sample,
)

Progress = Callable[[int, int], None]
SOLUTIONS = ("nash", "kalai_smorodinsky", "egalitarian", "utilitarian")


@dataclass(frozen=True, eq=False)
class Package:
    """One outcome with what it gives each party: a solution, a package deal or the gap point."""

    name: str
    outcome: dict[str, str]
    units: FloatArray
    parties: tuple[str, ...]
    utilities: FloatArray
    gains: FloatArray
    issue_gains: FloatArray
    metrics: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, object]:
        """JSON-ready record."""
        return jsonable(
            {
                "name": self.name,
                "outcome": self.outcome,
                "metrics": self.metrics,
                "utility": dict(zip(self.parties, self.utilities, strict=True)),
                "gain": dict(zip(self.parties, self.gains, strict=True)),
                "concession": float(np.maximum(0.0, -self.gains).sum()),
            }
        )


@dataclass(frozen=True, eq=False)
class Analysis(Plottable):
    """The outcome-space analysis of one scenario (see `analyze`)."""

    title: str
    issues: tuple[str, ...]
    parties: tuple[str, ...]
    party_labels: tuple[str, ...]
    reservation: FloatArray
    status_quo: dict[str, str]
    resolution: int
    space_size: int
    enumerated: bool
    frontier_units: FloatArray
    frontier_utilities: FloatArray
    zone_size: int | None
    zone_share: float
    zone_share_se: float
    solutions: dict[str, Package | None]
    gap: Gap
    packages: tuple[Package, ...]
    proposals: tuple[ProposalVerdict, ...]
    sampled: bool = False
    rules: dict[str, str] = field(default_factory=dict)
    red_lines: tuple[RedLineFinding, ...] = ()
    metric_units: dict[str, str] = field(default_factory=dict)
    no_deal_metrics: dict[str, float] = field(default_factory=dict)

    @property
    def zone_empty(self) -> bool:
        """Whether no outcome leaves every party at least as well off as no deal."""
        if self.rules or self.red_lines:
            return self.zone_share <= 0 and not self.zone_size
        return self.gap.zone_empty

    @property
    def binding_red_lines(self) -> tuple[RedLineFinding, ...]:
        """Red lines that alone keep some package out of the zone."""
        return tuple(f for f in self.red_lines if f.binds)

    @property
    def smallest_relaxation(self) -> RedLineFinding | None:
        """When the zone is empty: the one red line whose smallest move opens a zone."""
        return smallest_relaxation(self.red_lines) if self.zone_empty else None

    def to_dict(self) -> dict[str, object]:
        """JSON-ready record of the whole analysis."""
        return jsonable(
            {
                "title": self.title,
                "parties": dict(zip(self.parties, self.party_labels, strict=True)),
                "reservation": dict(zip(self.parties, self.reservation, strict=True)),
                "status_quo": self.status_quo,
                "resolution": self.resolution,
                "space_size": self.space_size,
                "enumerated": self.enumerated,
                "zone": {
                    "empty": self.zone_empty,
                    "size": self.zone_size,
                    "share": self.zone_share,
                    "share_se": self.zone_share_se,
                },
                "frontier": {
                    "size": len(self.frontier_utilities),
                    "utilities": self.frontier_utilities,
                    "outcomes": [
                        dict(zip(self.issues, row, strict=True)) for row in self.frontier_units
                    ],
                },
                "solutions": self.solutions,
                "gap": self.gap,
                "packages": self.packages,
                "proposals": self.proposals,
                "sampled": self.sampled,
                "rules": self.rules,
                "red_lines": self.red_lines,
                "smallest_relaxation": self.smallest_relaxation,
                "metric_units": self.metric_units,
                "no_deal_metrics": self.no_deal_metrics,
            }
        )

    def to_frame(self) -> pd.DataFrame:
        """Tidy table: one row per (kind, name, party) with the utility and the gain."""
        rows = []
        named = [("solution", k, p) for k, p in self.solutions.items()]
        named += [("package", p.name, p) for p in self.packages]
        for kind, name, pkg in named:
            if pkg is None:
                continue
            for j, party in enumerate(self.parties):
                rows.append(
                    {
                        "kind": kind,
                        "name": name,
                        "party": party,
                        "utility": pkg.utilities[j],
                        "gain": pkg.gains[j],
                    }
                )
        for v in self.proposals:
            for j, party in enumerate(self.parties):
                rows.append(
                    {
                        "kind": "proposal",
                        "name": v.id,
                        "party": party,
                        "utility": v.utilities[j],
                        "gain": v.margins[j],
                    }
                )
        return pd.DataFrame(rows, columns=["kind", "name", "party", "utility", "gain"])


def analyze(
    scenario: Scenario | Compiled,
    *,
    resolution: int = DEFAULT_RESOLUTION,
    parties: Literal["seats", "actors"] = "seats",
    weights: FloatArray | None = None,
    n_packages: int = 5,
    offers: Mapping[str, Mapping[str, float | str]] | None = None,
    limit: int = SPACE_LIMIT,
    enumerate_limit: int = ENUMERATE_LIMIT,
    samples: int = 100_000,
    seed: int = 0,
    progress: Progress | None = None,
    explain: bool = True,
) -> Analysis:
    """Frontier, agreement zone, bargaining solutions, gap, package deals and proposal check.

    `weights` are the bargaining powers of the asymmetric Nash solution (one per party);
    `offers` adds offers (id → issue id → value) to the scenario's proposals; `progress` is
    called with (done, total) outcome counts while the space is enumerated; ``explain=False``
    skips the per-red-line findings (Monte-Carlo draws need only the zone).
    """
    s = scenario if isinstance(scenario, Scenario) else scenario.scenario
    c = compile(scenario) if isinstance(scenario, Scenario) else scenario
    if parties not in ("seats", "actors"):
        raise InputError(Problem("expected 'seats' or 'actors'", ("parties",), parties))
    prefs = c.seats if parties == "seats" else c.actors
    if weights is not None and np.shape(weights) != (prefs.n,):
        raise InputError(
            Problem(f"expected {prefs.n} bargaining weights", ("weights",), list(np.ravel(weights)))
        )
    space = grid(c, resolution, limit)
    r = prefs.reservation
    show = _shower(s, c)
    z = _frontier_and_zone(
        space, c, prefs, parties, Search(enumerate_limit, samples, seed, progress, explain)
    )
    index, futil, zone_size, cons = z.index, z.utilities, z.zone_size, z.constrained
    metrics_of = _metrics_of(c)
    packager = _packager(space, c, prefs, show, metrics_of)
    package = packager(index, futil)
    units = c.to_units(space.outcomes(index)) if len(index) else np.zeros((0, c.k))
    solutions = _solutions(packager, index, futil, z.zone_index, z.zone_utilities, r, weights)
    per_unit = per_unit_value(prefs.weight, c.span, c.n_options)
    g = gap(futil, r, prefs.ids, per_unit)
    ranked = package_ranking(futil, r)[:n_packages]
    packages = tuple(
        p
        for i, row in enumerate(ranked)
        if (p := package(f"package {i + 1}", int(row))) is not None
    )
    verdicts = _verdicts(s, c, prefs, futil, show, offers)

    return Analysis(
        title=s.meta.title if s is not None else c.digest[:12],
        issues=c.issue_ids,
        parties=prefs.ids,
        party_labels=prefs.labels,
        reservation=r,
        status_quo=show(c.to_units(c.status_quo)),
        resolution=space.resolution,
        space_size=space.size,
        enumerated=zone_size is not None,
        frontier_units=units,
        frontier_utilities=futil,
        zone_size=zone_size,
        zone_share=z.share,
        zone_share_se=z.share_se,
        solutions=solutions,
        gap=g,
        packages=packages,
        proposals=tuple(verdicts),
        sampled=bool(cons is not None and cons.sampled),
        rules=_rules(c, parties),
        red_lines=cons.findings if cons is not None else (),
        metric_units=dict(zip(c.metrics.names, c.metrics.units, strict=True)),
        no_deal_metrics=metrics_of(c.to_units(c.status_quo)),
    )


def _solutions(
    packager: Callable[[np.ndarray, FloatArray], Callable[[str, int | None], Package | None]],
    index: np.ndarray,
    futil: FloatArray,
    zindex: np.ndarray | None,
    zutil: FloatArray | None,
    r: FloatArray,
    weights: FloatArray | None,
) -> dict[str, Package | None]:
    """The four bargaining solutions: on the frontier, or — under red lines and bloc rules — on
    the zone's frontier (packages every seat accepts), falling back to the frontier's deals for
    the egalitarian and utilitarian points when the zone is empty."""
    if zindex is not None and zutil is not None and len(zutil):
        zp = packager(zindex, zutil)
        return {
            "nash": zp("nash", nash_point(zutil, r, weights)),
            "kalai_smorodinsky": zp("kalai_smorodinsky", kalai_smorodinsky_point(zutil, r)),
            "egalitarian": zp("egalitarian", egalitarian_point(zutil, r)),
            "utilitarian": zp("utilitarian", utilitarian_point(zutil)),
        }
    package = packager(index, futil)
    deals = deal_rows(futil, r) if len(futil) else np.zeros(0, dtype=np.int64)
    restricted = zindex is not None
    return {
        "nash": None if restricted else package("nash", nash_point(futil, r, weights)),
        "kalai_smorodinsky": None
        if restricted
        else package("kalai_smorodinsky", kalai_smorodinsky_point(futil, r)),
        "egalitarian": package(
            "egalitarian", _among(deals, egalitarian_point(futil[deals], r)) if len(deals) else None
        ),
        "utilitarian": package("utilitarian", utilitarian_point(futil) if len(futil) else None),
    }


def _metrics_of(c: Compiled) -> Callable[[FloatArray], dict[str, float]]:
    def metrics(units: FloatArray) -> dict[str, float]:
        if not c.metrics.names:
            return {}
        v = c.metrics.values(np.asarray(units, dtype=float)[None, :])[0]
        return {n: float(x) for n, x in zip(c.metrics.names, v, strict=True)}

    return metrics


def _rules(c: Compiled, parties: str) -> dict[str, str]:
    """Each seated bloc's decision rule (empty when no bloc declares one other than weighted)."""
    if parties != "seats" or not c.seat_rules:
        return {}
    rules = {
        sid: (f"quorum {t:g}" if rule == "quorum" else rule)
        for sid, (rule, t, _by) in zip(c.seats.ids, c.seat_rules, strict=True)
        if rule != "actor"
    }
    return rules if any(v != "weighted" for v in rules.values()) or c.red_lines else {}


def _enumerate(
    space: OutcomeSpace, reservation: FloatArray, prefs: Preferences, progress: Progress | None
) -> tuple[np.ndarray, FloatArray, int]:
    """Frontier (per-issue indices, utilities) and zone size of an enumerable space, in blocks.

    Exact: the frontier of a union is within the union of the blocks' frontiers.
    """
    flat: list[np.ndarray] = []
    utils: list[FloatArray] = []
    zone = 0
    for start, u in space.blocks(prefs):
        f = pareto_frontier(u)
        flat.append(start + f)
        utils.append(u[f])
        zone += int(agreement_mask(u, reservation).sum())
        if progress is not None:
            progress(start + len(u), space.size)
    idx = np.concatenate(flat)
    util = np.vstack(utils)
    f = pareto_frontier(util)
    idx, util = idx[f], util[f]
    _, first = np.unique(util, axis=0, return_index=True)
    idx, util = idx[first], util[first]
    order = np.lexsort(util.T[::-1])
    return space.unravel(idx[order]), util[order], zone


def _among(rows: np.ndarray, i: int | None) -> int | None:
    return None if i is None else int(rows[i])


def _shower(s: Scenario | None, c: Compiled) -> Callable[[FloatArray], dict[str, str]]:
    def show(units: FloatArray) -> dict[str, str]:
        if s is None:
            return {i: _number(float(v)) for i, v in zip(c.issue_ids, units, strict=True)}
        return {
            i.id: i.show(float(v)) if i.options else _number(float(v))
            for i, v in zip(s.issues, units, strict=True)
        }

    return show


def _number(v: float) -> str:
    from accord.present.format import number

    return number(v)


@dataclass(frozen=True, eq=False)
class _Zone:
    """The frontier (grid indices and utilities) and the agreement zone's size, however found."""

    index: np.ndarray
    utilities: FloatArray
    zone_size: int | None
    share: float
    share_se: float
    zone_index: np.ndarray | None = None
    zone_utilities: FloatArray | None = None
    constrained: Constrained | None = None


def _frontier_and_zone(
    space: OutcomeSpace,
    c: Compiled,
    prefs: Preferences,
    parties: Literal["seats", "actors"],
    search: Search,
) -> _Zone:
    """Three ways to the same answer: red lines, rules or metric terms make utility
    non-additive or constrained (`constrained`, enumerated or sampled); an additive space small
    enough is enumerated; a larger one is searched exactly (`additive_frontier`) and its zone
    estimated from a seeded uniform sample."""
    r = prefs.reservation
    if needs_constraints(space, c, parties):
        cons = constrained(space, parties, search)
        share = cons.zone_count / cons.seen
        return _Zone(
            cons.index,
            cons.utilities,
            None if cons.sampled else cons.zone_count,
            share,
            float(np.sqrt(share * (1 - share) / cons.seen)) if cons.sampled else 0.0,
            cons.zone_index,
            cons.zone_utilities,
            cons,
        )
    if space.size <= search.enumerate_limit:
        index, futil, zone_size = _enumerate(space, r, prefs, search.progress)
        return _Zone(index, futil, zone_size, zone_size / space.size, 0.0)
    index, futil = additive_frontier(space, prefs)
    drawn = space.utilities_of(prefs, sample(space, search.samples, search.seed))
    share = float(agreement_mask(drawn, r).mean())
    n = search.samples
    return _Zone(index, futil, None, share, float(np.sqrt(share * (1 - share) / n)))


def _packager(
    space: OutcomeSpace,
    c: Compiled,
    prefs: Preferences,
    show: Callable[[FloatArray], dict[str, str]],
    metrics_of: Callable[[FloatArray], dict[str, float]],
) -> Callable[[np.ndarray, FloatArray], Callable[[str, int | None], Package | None]]:
    """Makes `Package` records from rows of a table of grid indices and their utilities."""
    tables = space.value_tables(prefs)
    q_idx = space.status_quo_index
    r = prefs.reservation

    def packager(idx: np.ndarray, util: FloatArray) -> Callable[[str, int | None], Package | None]:
        units = c.to_units(space.outcomes(idx)) if len(idx) else np.zeros((0, c.k))

        def package(name: str, row: int | None) -> Package | None:
            if row is None:
                return None
            return Package(
                name=name,
                outcome=show(units[row]),
                units=units[row],
                parties=prefs.ids,
                utilities=util[row],
                gains=util[row] - r,
                issue_gains=issue_gains(tables, idx[row], q_idx),
                metrics=metrics_of(units[row]),
            )

        return package

    return packager


def _verdicts(
    s: Scenario | None,
    c: Compiled,
    prefs: Preferences,
    futil: FloatArray,
    show: Callable[[FloatArray], dict[str, str]],
    offers: Mapping[str, Mapping[str, float | str]] | None,
) -> list[ProposalVerdict]:
    """The verdict on every tabled proposal of the scenario, then on the extra `offers`."""
    verdicts = []
    if s is not None:
        for prop in s.proposals:
            x = normalise_offer(c, {i.id: i for i in s.issues}, prop.outcome)
            verdicts.append(
                check_proposal(
                    c,
                    prefs,
                    x,
                    futil,
                    id=prop.id,
                    label=prop.label,
                    by=prop.by,
                    shown=show(c.to_units(x)),
                )
            )
    for oid, values in (offers or {}).items():
        if s is None:
            raise InputError(
                Problem("offers need the Scenario, not only the compiled arrays", ("offers", oid))
            )
        x = normalise_offer(c, {i.id: i for i in s.issues}, values)
        verdicts.append(check_proposal(c, prefs, x, futil, id=oid, shown=show(c.to_units(x))))
    return verdicts
