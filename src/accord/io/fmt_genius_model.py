"""The negotiation-domain model shared by the GENIUS and GeniusWeb formats.

A domain is a list of `DomainIssue`; each party a `Party` with issue weights and evaluations.
`to_scenario` turns them into an accord scenario (the mapping is documented in
`accord.io.fmt_genius`); `party_tables` and `losses_for_parties` serve the two writers. This
module registers no format.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from accord.errors import Path as FieldPath
from accord.io.fmt_common import Where, build, fmt_num, lost_features, make_id
from accord.io.fmt_common import note as add_note
from accord.scenario import Scenario, compile, number
from accord.scenario.compile import issue_values
from accord.scenario.schema import MAX_OPTIONS

GRID = 11
EQUAL_CAPABILITY = (
    "GENIUS holds no capabilities: every party has capability 1. "
    "GENIUS has no status quo: each issue's first value is taken; reservation "
    "values come from the profiles."
)


@dataclass
class DomainIssue:
    """One issue of a negotiation domain: discrete values, or integer/real bounds."""

    name: str
    kind: str
    values: list[str] = field(default_factory=list)
    lo: float = 0.0
    hi: float = 1.0


@dataclass
class Party:
    """One profile: weights, evaluations per issue, reservation and discount."""

    name: str
    file: str
    weights: dict[str, float] = field(default_factory=dict)
    discrete: dict[str, dict[str, float]] = field(default_factory=dict)
    numeric: dict[str, Callable[[float], float]] = field(default_factory=dict)
    reservation: float | None = None
    discount: float | None = None
    line: int | None = None


def zero(x: float) -> float:
    """The evaluator that values everything at 0."""
    return 0.0


def to_scenario(
    title: str,
    domain: list[DomainIssue],
    parties: list[Party],
    file: str,
    note: str,
    normalise: bool = True,
) -> Scenario:
    """accord's scenario from a parsed domain and its parties (GENIUS or GeniusWeb)."""
    issues: list[dict[str, Any]] = []
    taken_i: set[str] = set()
    ids: dict[str, str] = {}
    labels: dict[str, list[str]] = {}
    for d in domain:
        iid = make_id(d.name, taken_i, "i")
        ids[d.name] = iid
        issue: dict[str, Any] = {"id": iid}
        if iid != d.name:
            issue["name"] = d.name
        if d.values:
            labels[d.name] = d.values
        elif d.kind == "integer" and d.hi - d.lo + 1 <= MAX_OPTIONS:
            labels[d.name] = [fmt_num(v) for v in np.arange(d.lo, d.hi + 1)]
        if d.name in labels:
            issue["options"] = labels[d.name]
            issue["status_quo"] = {"value": labels[d.name][0], "note": "GENIUS has no status quo"}
        else:
            issue["scale"] = [d.lo, d.hi]
            issue["status_quo"] = {"value": d.lo, "note": "GENIUS has no status quo"}
        issues.append(issue)
    actors: list[dict[str, Any]] = []
    lines: dict[FieldPath, Where] = {}
    taken_a: set[str] = set()
    for p in parties:
        if p.reservation is not None:
            add_note(f"party {p.name}: reservation value {fmt_num(p.reservation)}")
        tables = _option_tables(p, domain, labels, normalise)
        _rebase(p, tables)
        total = sum(p.weights.values())
        if abs(total - 1) > 1e-9:
            add_note(
                f"party {p.name}: issue weights sum to {fmt_num(round(total, 9))}; utilities "
                "divide by the sum (weights renormalised), saliences keep the numbers"
            )
        aid = make_id(p.name, taken_a)
        actor: dict[str, Any] = {
            "id": aid,
            "capability": 1.0,
            "positions": {},
            "salience": {},
            "utilities": {},
            "reservation": p.reservation or 0.0,
        }
        if aid != p.name:
            actor["name"] = p.name
        if p.discount is not None:
            actor["discount"] = p.discount
            add_note(
                f"party {p.name}: discount factor {fmt_num(p.discount)} (every engine uses it)"
            )
        approx: list[str] = []
        for d in domain:
            iid = ids[d.name]
            actor["salience"][iid] = p.weights.get(d.name, 0.0)
            if d.name in labels:
                u = tables[d.name]
                actor["utilities"][iid] = u
                best_u = max(u.values())
                actor["positions"][iid] = next(v for v in labels[d.name] if u[v] == best_u)
            else:
                f = p.numeric.get(d.name, zero)
                xs = np.linspace(d.lo, d.hi, 201)
                us = np.array([f(x) for x in xs])
                best = float(xs[int(np.argmax(us))])
                actor["positions"][iid] = best
                tent = 1 - np.abs(xs - best) / (d.hi - d.lo)
                if np.abs(us - tent).max() > 1e-6:
                    approx.append(d.name)
        if approx:
            actor["description"] = (
                "Evaluators of " + ", ".join(approx) + " approximated by a "
                "distance utility peaked at the best value."
            )
        lines[("actors", len(actors))] = (p.file, p.line)
        actors.append(actor)
    data = {"meta": {"title": title, "description": note}, "issues": issues, "actors": actors}
    return build(data, lines, (file, None))


def _option_tables(
    p: Party, domain: list[DomainIssue], labels: dict[str, list[str]], normalise: bool
) -> dict[str, dict[str, float]]:
    """Each option issue's values for party `p` as the tool computes them: a discrete
    evaluation divided by the issue's largest (GENIUS; GeniusWeb's are already utilities), a
    numeric evaluator at each value."""
    out: dict[str, dict[str, float]] = {}
    for d in domain:
        if d.name not in labels:
            continue
        if d.name in p.numeric:
            f = p.numeric[d.name]
            out[d.name] = {lab: float(f(float(lab))) for lab in labels[d.name]}
            continue
        raw = p.discrete.get(d.name, {})
        top = max(raw.values(), default=0.0) if normalise else 1.0
        out[d.name] = {v: (raw.get(v, 0.0) / top if top > 0 else 0.0) for v in d.values}
    return out


def _rebase(p: Party, tables: dict[str, dict[str, float]]) -> None:
    """Bring issue values outside [0, 1] (negative evaluations, evaluators above 1) into it by
    the one exact change: a positive affine map of the party's whole utility.

    Issue k's values v become (v − m_k)/s_k with m_k = min(0, min v) and s_k = max(1, max v) −
    m_k; its weight becomes w_k·s_k / S with S = Σ w_k·s_k (w summing to 1); the reservation r
    becomes (r − Σ w_k·m_k) / S. Every package's utility u becomes (u − Σ w_k·m_k) / S, so the
    party ranks packages, lotteries and no deal exactly as in its file. A reservation that is
    then below 0 is below every package (read as 0); above 1, no package is acceptable (read
    as 1). Each change is a note.
    """
    lows = {n: min(0.0, min(t.values(), default=0.0)) for n, t in tables.items()}
    highs = {n: max(1.0, max(t.values(), default=0.0)) for n, t in tables.items()}
    moved = [n for n in tables if lows[n] < 0 or highs[n] > 1]
    total = sum(p.weights.values()) or 1.0
    w = {n: x / total for n, x in p.weights.items()}
    if moved:
        span = {n: highs.get(n, 1.0) - lows.get(n, 0.0) for n in w}
        big = sum(w[n] * span[n] for n in w)
        shift = sum(w[n] * lows.get(n, 0.0) for n in w)
        for n in moved:
            tables[n] = {v: (x - lows[n]) / span[n] for v, x in tables[n].items()}
        p.weights = {n: w[n] * span[n] / big for n in w}
        if p.reservation is not None:
            p.reservation = (p.reservation - shift) / big
        add_note(
            f"party {p.name}: values of {', '.join(moved)} lie outside [0, 1] (lowest "
            f"{fmt_num(round(min(lows.values()), 6))}, highest "
            f"{fmt_num(round(max(highs.values()), 6))}); its utility is rescaled exactly "
            "(u → (u − a)/b, issue values, weights and reservation together), which keeps "
            "every comparison"
        )
    r = p.reservation
    if r is not None and not 0 <= r <= 1:
        side = "below every package: read as 0" if r < 0 else "above every package: read as 1"
        add_note(f"party {p.name}: reservation value {fmt_num(round(r, 6))} is {side}")
        p.reservation = min(max(r, 0.0), 1.0)


def grid_values(s: Scenario, k: int) -> list[float]:
    """The values a continuous issue is discretised to: `GRID` evenly spaced points."""
    lo, hi = s.issues[k].bounds
    return [float(x) for x in np.linspace(lo, hi, GRID)]


def party_tables(s: Scenario) -> tuple[list[list[str]], dict[str, list[list[float]]], list[str]]:
    """Per issue the value labels, per seat the value utilities, and what was changed."""
    c = compile(s)
    labels: list[list[str]] = []
    grids: list[np.ndarray] = []
    changed: list[str] = []
    for k, issue in enumerate(s.issues):
        if issue.options:
            labels.append(list(issue.options))
            m = len(issue.options)
            grids.append(np.arange(m) / (m - 1))
        else:
            xs = grid_values(s, k)
            labels.append([fmt_num(x) for x in xs])
            grids.append(np.linspace(0, 1, GRID))
            changed.append(issue.id)
    tables: dict[str, list[list[float]]] = {}
    for r, sid in enumerate(c.seats.ids):
        one = c.seats.take([r])
        tables[sid] = [issue_values(c, one, k, grids[k])[:, 0].tolist() for k in range(c.k)]
    return labels, tables, changed


def losses_for_parties(
    s: Scenario, tables: dict[str, list[list[float]]], discretised: list[str]
) -> list[str]:
    """What a GENIUS or GeniusWeb writer cannot hold, beyond `lost_features`."""
    out = lost_features(
        s,
        {
            "title",
            "options",
            "utilities",
            "reservation",
            "discount",
            "exponent",
            "capability",
            "blocs",
            "table",
        },
    )
    if len({number(a.capability) for a in s.actors}) > 1:
        out.append("capabilities (GENIUS holds none)")
    if s.blocs:
        out.append(
            "blocs: each seat is written as one party with its derived preferences; "
            "members are not kept"
        )
    seated = set(s.seats) | {m for b in s.blocs if b.id in s.seats for m in b.members}
    unseated = [a.id for a in s.actors if a.id not in seated]
    if unseated:
        out.append(f"actors not at the table ({', '.join(unseated)})")
    if discretised:
        out.append(f"continuous issues ({', '.join(discretised)}) discretised to {GRID} values")
    sal = [[s.salience_of(a, i) for i in s.issue_ids] for a in s.actors]
    if any(abs(sum(row) - 1) > 1e-9 for row in sal):
        out.append("salience magnitudes (weights are normalised to sum to 1 per party)")
    if any(max(t) < 1 - 1e-12 for tab in tables.values() for t in tab):
        out.append(
            "issue utilities whose best value is below 1 (GENIUS divides each issue's "
            "evaluations by their maximum)"
        )
    return out
