"""GENIUS XML negotiation domains (ANAC): a folder with a domain file and one profile per party.

The domain file's root is ``<negotiation_template>``, each profile's ``<utility_space>``
(formats.md). GENIUS evaluates a bid additively: ``u(ω) = Σ_i w_i · e_i(ω_i)``, where a discrete
issue's evaluations are divided by that issue's largest evaluation, an integer issue's evaluator
is ``offset + slope·(x − lowerbound)`` clipped to [0, 1], and a real issue's is linear
(``parameter1·x + parameter0``) or triangular (``parameter0`` low, ``parameter1`` high,
``parameter2`` top) — Hindriks, Jonker & Tykhonov, *GENIUS*, 2014, §3; the GENIUS evaluator
classes.

Mapping to accord (decisions where the formats differ):
- Each profile is an actor (id from the file name). Saliences are the issue weights; positions
  are each issue's best value. Capability is not in the format: every party gets 1, said in
  the scenario description.
- Discrete issues become options issues with explicit per-option ``utilities``; integer issues
  too (one option per integer, when there are at most `MAX_OPTIONS`), so both are exact. Real
  issues become continuous scales whose position is the evaluator's best point; accord's
  distance utility then approximates the evaluator, and the actor's description says so.
- ``<reservation value>`` is the actor's reservation (GENIUS's default is 0);
  ``<discount_factor>`` in (0, 1) its discount (0 or 1 mean none, as in GENIUS).
- GENIUS has no status quo: each issue's is its first value, with a note.
- A folder that holds GeniusWeb JSON profiles and no XML is read as `geniusweb`. A single
  ``.xml`` file is recognised by its root element (`accord.io.sniff`): a domain file reads the
  profiles beside it; a profile file is read alone, with the domain beside it or, when there is
  none, the issues and values of the profile itself (a note says so).
- Weights that do not sum to 1 are kept; accord's utility divides by their sum, which a note
  states (GENIUS renormalises the same way).
- The writer writes the seated parties (blocs as one party with their derived preferences) to
  ``domain.xml`` and ``<party>.xml``; continuous issues are discretised into `GRID` values and
  reported, as is everything else GENIUS cannot hold.
- Documents with a DTD or entity declarations are refused (no entity expansion).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import numpy as np

from accord.errors import InputError, Problem
from accord.errors import Path as FieldPath
from accord.io import Format, register_format
from accord.io.fmt_common import (
    Problems,
    check_count,
    check_issues,
    fmt_num,
    note,
    parse_float,
    read_text,
)
from accord.io.fmt_genius_model import (
    EQUAL_CAPABILITY,
    DomainIssue,
    Party,
    losses_for_parties,
    party_tables,
    to_scenario,
    zero,
)
from accord.scenario import Scenario, compile
from accord.scenario.schema import MAX_OPTIONS

MAX_FILES = 1000
OPTIONS_HINT = "accord.scenario.schema.MAX_OPTIONS"


def _parse_xml(path: Path, pb: Problems) -> ET.Element | None:
    text = read_text(path)
    if "<!DOCTYPE" in text or "<!ENTITY" in text:
        pb.add("DTDs and entity declarations are not read", (), None, 1, str(path))
        return None
    try:
        return ET.fromstring(text)
    except ET.ParseError as e:
        pb.add(f"not well-formed XML: {e}", (), None, e.position[0], str(path))
        return None


def _bounds(el: ET.Element) -> tuple[str | None, str | None]:
    rng = el.find("range")
    lo = el.get("lowerbound") or (rng.get("lowerbound") if rng is not None else None)
    hi = el.get("upperbound") or (rng.get("upperbound") if rng is not None else None)
    return lo, hi


def _kind(el: ET.Element) -> str:
    return (el.get("type") or el.get("vtype") or el.get("etype") or "discrete").lower()


def _domain(root: ET.Element, pb: Problems, file: str) -> list[DomainIssue]:
    issues: list[DomainIssue] = []
    for el in root.iter("issue"):
        check_issues(len(issues) + 1, file)
        name = el.get("name") or el.get("index") or f"issue{len(issues) + 1}"
        kind = _kind(el)
        path: FieldPath = ("issue", name)
        if kind == "discrete":
            values = [it.get("value") or "" for it in el.iter("item")]
            check_count(f"items of issue {name!r}", len(values), MAX_OPTIONS, OPTIONS_HINT, file)
            if len(values) < 2 or len(set(values)) != len(values) or "" in values:
                pb.add(
                    "a discrete issue needs two or more distinct item values",
                    path,
                    values,
                    None,
                    file,
                )
            issues.append(DomainIssue(name, kind, values=values))
        elif kind in ("integer", "real"):
            lo_t, hi_t = _bounds(el)
            lo, hi = parse_float(lo_t), parse_float(hi_t)
            if lo is None or hi is None or not lo < hi:
                pb.add("expected numeric lowerbound < upperbound", path, [lo_t, hi_t], None, file)
                continue
            issues.append(DomainIssue(name, kind, lo=lo, hi=hi))
        else:
            pb.add("unknown issue type; expected discrete, integer or real", path, kind, None, file)
    if not issues:
        pb.add("the domain has no issues", (), None, None, file)
    return issues


def _linear(offset: float, slope: float, lo: float) -> Callable[[float], float]:
    return lambda x: float(np.clip(offset + slope * (x - lo), 0.0, 1.0))


def _triangular(low: float, high: float, top: float) -> Callable[[float], float]:
    def f(x: float) -> float:
        if x < low or x > high:
            return 0.0
        if x < top:
            return (x - low) / (top - low) if top > low else 1.0
        return (high - x) / (high - top) if high > top else 1.0

    return f


def _profile(root: ET.Element, path: Path, domain: list[DomainIssue], pb: Problems) -> Party:
    file = str(path)
    party = Party(name=path.stem, file=file)
    by_index: dict[str, str] = {}
    known = {d.name: d for d in domain}
    for el in root.iter("issue"):
        name = el.get("name") or ""
        if name not in known:
            pb.add("an issue the domain does not have", ("issue",), name, None, file)
            continue
        by_index[el.get("index") or name] = name
        d = known[name]
        if d.kind == "discrete":
            evals: dict[str, float] = {}
            for it in el.iter("item"):
                v = it.get("value") or ""
                e = parse_float(it.get("evaluation"))
                if v not in d.values:
                    pb.add(
                        "an item value the domain does not have",
                        ("issue", name, "item"),
                        v,
                        None,
                        file,
                    )
                elif e is None or not np.isfinite(e):
                    pb.add(
                        "expected a finite evaluation",
                        ("issue", name, v, "evaluation"),
                        it.get("evaluation"),
                        None,
                        file,
                    )
                else:
                    evals[v] = e
            missing = [v for v in d.values if v not in evals]
            if missing:
                pb.add(f"no evaluation for values {missing}", ("issue", name), None, None, file)
            party.discrete[name] = evals
        else:
            party.numeric[name] = _evaluator(el, d, pb, file)
    for w in root.iter("weight"):
        idx = w.get("index") or ""
        value = parse_float(w.get("value"))
        if idx not in by_index:
            continue  # the weight of an objective, not of an issue
        if value is None or not 0 <= value <= 1:
            pb.add("expected a weight in [0, 1]", ("weight", idx), w.get("value"), None, file)
            continue
        party.weights[by_index[idx]] = value
    for d in domain:
        if d.name not in party.weights:
            pb.add(f"no weight for issue {d.name!r}", ("weight",), None, None, file)
    res = root.find("reservation")
    if res is not None:
        party.reservation = parse_float(res.get("value"))
        if party.reservation is None or not np.isfinite(party.reservation):
            pb.add(
                "expected a finite reservation value",
                ("reservation",),
                res.get("value"),
                None,
                file,
            )
    disc = root.find("discount_factor")
    if disc is not None:
        d_value = parse_float(disc.get("value"))
        if d_value is None or d_value < 0:
            pb.add(
                "expected a discount factor ≥ 0",
                ("discount_factor",),
                disc.get("value"),
                None,
                file,
            )
        elif 0 < d_value < 1:
            party.discount = d_value
    return party


def _evaluator(el: ET.Element, d: DomainIssue, pb: Problems, file: str) -> Callable[[float], float]:
    ev = el.find("evaluator")
    if ev is None:
        pb.add("a numeric issue needs an <evaluator>", ("issue", d.name), None, None, file)
        return zero
    ftype = (ev.get("ftype") or "linear").lower()
    g = {k: parse_float(v) for k, v in ev.attrib.items()}
    if ftype == "linear" and g.get("slope") is not None:
        return _linear(g.get("offset") or 0.0, g["slope"] or 0.0, d.lo)
    if ftype == "linear" and g.get("utilityLowestValue") is not None:
        u_lo = g["utilityLowestValue"] or 0.0
        u_hi = g.get("utilityHighestValue") or 0.0
        return _linear(u_lo, (u_hi - u_lo) / (d.hi - d.lo), d.lo)
    if ftype == "linear" and g.get("parameter1") is not None:
        return _linear(
            (g.get("parameter0") or 0.0) + (g["parameter1"] or 0.0) * d.lo,
            g["parameter1"] or 0.0,
            d.lo,
        )
    if ftype == "triangular" and None not in (
        g.get("parameter0"),
        g.get("parameter1"),
        g.get("parameter2"),
    ):
        return _triangular(g["parameter0"] or 0.0, g["parameter1"] or 0.0, g["parameter2"] or 0.0)
    if ftype == "constant" and g.get("parameter0") is not None:
        c = float(np.clip(g["parameter0"] or 0.0, 0, 1))
        return lambda x: c
    pb.add(
        "unsupported evaluator; expected linear (slope/offset or parameter0/1), triangular "
        "or constant",
        ("issue", d.name, "evaluator"),
        dict(ev.attrib),
        None,
        file,
    )
    return zero


GENERIC_ROOTS = {"", "root", "any", "objective"}
"""Names GENIUS editors give the root objective; the folder's name says more."""


def read(path: Path) -> Scenario:
    """The scenario of a GENIUS folder (domain and profiles), of a domain file (with the
    profiles beside it), or of one profile file (with the domain beside it, else its own)."""
    folder = path if path.is_dir() else path.parent
    xmls = sorted(folder.glob("*.xml"))
    if path.is_dir() and not xmls and any(folder.glob("*.json")):
        from accord.io.fmt_geniusweb import read as read_web

        return read_web(path)
    if path.is_file() and path not in xmls:
        xmls.append(path)
    check_count("XML files in the folder", len(xmls), MAX_FILES, "accord.io.fmt_genius.MAX_FILES")
    pb = Problems(str(path))
    domain_root: tuple[Path, ET.Element] | None = None
    profiles: list[tuple[Path, ET.Element]] = []
    for x in xmls:
        root = _parse_xml(x, pb)
        if root is None:
            continue
        if root.tag == "negotiation_template":
            if domain_root is not None:
                pb.add(
                    f"a second domain file (the first is {domain_root[0].name})",
                    (),
                    None,
                    None,
                    str(x),
                )
            domain_root = (x, root)
        elif root.tag == "utility_space":
            profiles.append((x, root))
    pb.raise_any()
    if path.is_file():
        own = [(p, r) for p, r in profiles if p == path]
        if own:
            profiles = own
            note(f"one profile file read: {path.name} (a folder reads every profile)")
    if domain_root is not None:
        _domain(domain_root[1], pb, str(domain_root[0]))  # its limits and errors come first
        pb.raise_any()
    if not profiles:
        raise InputError(
            Problem("no GENIUS profile (<utility_space>) beside the domain", file=str(folder))
        )
    if domain_root is None and path.is_dir():
        raise InputError(
            Problem("no GENIUS domain file (<negotiation_template>) here", file=str(folder))
        )
    if domain_root is None:
        domain_root = profiles[0]
        note(f"no domain file beside {profiles[0][0].name}: its own issues are the domain")
    dfile = str(domain_root[0])
    domain = _domain(domain_root[1], pb, dfile)
    pb.raise_any()
    parties = [_profile(root, p, domain, pb) for p, root in profiles]
    pb.raise_any()
    objective = domain_root[1].find(".//objective")
    name = (objective.get("name") if objective is not None else None) or ""
    title = folder.resolve().name if name.lower() in GENERIC_ROOTS else name
    return to_scenario(title or "GENIUS domain", domain, parties, dfile, EQUAL_CAPABILITY)


def _objective(parent: ET.Element, title: str) -> ET.Element:
    return ET.SubElement(
        parent,
        "objective",
        index="0",
        name=title,
        type="objective",
        etype="objective",
        vtype="objective",
    )


def _issue(obj: ET.Element, k: int, issue_id: str) -> ET.Element:
    return ET.SubElement(
        obj,
        "issue",
        index=str(k + 1),
        name=issue_id,
        vtype="discrete",
        type="discrete",
        etype="discrete",
    )


def write(s: Scenario, path: Path) -> list[str]:
    """Write a GENIUS folder (``domain.xml`` and one profile per seat)."""
    labels, tables, discretised = party_tables(s)
    c = compile(s)
    path.mkdir(parents=True, exist_ok=True)
    dom = ET.Element("negotiation_template")
    space = ET.SubElement(dom, "utility_space", number_of_issues=str(len(s.issues)))
    obj = _objective(space, s.meta.title)
    for k, issue in enumerate(s.issues):
        el = _issue(obj, k, issue.id)
        for j, lab in enumerate(labels[k]):
            ET.SubElement(el, "item", index=str(j + 1), value=lab)
    _save(dom, path / ("domain.xml" if "domain" not in c.seats.ids else "negotiation_domain.xml"))
    for r, sid in enumerate(c.seats.ids):
        prof = ET.Element("utility_space")
        ET.SubElement(prof, "reservation", value=fmt_num(float(c.seats.reservation[r])))
        if c.seats.discount[r] != 1:
            ET.SubElement(prof, "discount_factor", value=fmt_num(float(c.seats.discount[r])))
        obj = _objective(prof, s.meta.title)
        for k, issue in enumerate(s.issues):
            el = _issue(obj, k, issue.id)
            for j, lab in enumerate(labels[k]):
                ET.SubElement(
                    el,
                    "item",
                    index=str(j + 1),
                    value=lab,
                    evaluation=fmt_num(round(tables[sid][k][j], 12)),
                )
        for k in range(len(s.issues)):
            ET.SubElement(
                obj, "weight", index=str(k + 1), value=fmt_num(float(c.seats.weight[r, k]))
            )
        _save(prof, path / f"{sid}.xml")
    return losses_for_parties(s, tables, discretised)


def _save(root: ET.Element, path: Path) -> None:
    ET.indent(root)
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, "unicode") + "\n",
        encoding="utf-8",
    )


register_format(
    Format(
        "genius",
        (".genius",),
        read,
        write,
        False,
        "GENIUS XML folder: domain.xml + one <utility_space> profile per party",
    )
)
