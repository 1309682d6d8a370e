"""GeniusWeb JSON profiles (``LinearAdditiveUtilitySpace``): one file per party, each carrying
the domain (formats.md; GeniusWeb's ``geniusweb.profile.utilityspace`` classes).

A profile gives per issue ``discreteutils.valueUtilities`` (value → utility) or
``numberutils`` (linear from ``lowValue``/``lowUtility`` to ``highValue``/``highUtility``, 0
outside), ``issueWeights`` summing to 1, and optionally a ``reservationBid``. Numeric value
sets are written ``{"range": [min, max, step]}``.

Mapping to accord (decisions where the formats differ):
- A folder ending ``.geniusweb`` (or any folder of such JSON files, or ``--from geniusweb``)
  holds one profile per party; a single profile file is read as a one-party scenario.
- Discrete issues and numeric ranges with at most `MAX_OPTIONS` values become options issues
  with explicit utilities (exact); larger ranges become continuous scales, the position at the
  best value (approximate, said in the actor's description). Utilities are not renormalised.
- The reservation value is the utility of the ``reservationBid`` (0 without one). Capability is
  not in the format (every party gets 1); there is no status quo (each issue's first value).
- The writer writes ``<party>.json`` per seat with the domain in each; continuous issues are
  discretised and the status quo becomes the reservation bid. Losses are reported.
"""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import numpy as np

from accord.errors import InputError, Problem
from accord.io import Format, register_format
from accord.io.fmt_common import Problems, check_count, check_issues, fmt_num, read_text
from accord.io.fmt_genius import MAX_FILES
from accord.io.fmt_genius_model import (
    EQUAL_CAPABILITY,
    DomainIssue,
    Party,
    losses_for_parties,
    party_tables,
    to_scenario,
)
from accord.scenario import Scenario, compile
from accord.scenario.schema import MAX_OPTIONS

KEY = "LinearAdditiveUtilitySpace"
OPTIONS_HINT = "accord.scenario.schema.MAX_OPTIONS"


def _num(x: Any) -> float | None:
    try:
        v = float(Decimal(str(x)))
    except (InvalidOperation, ValueError, TypeError):
        return None
    return v if np.isfinite(v) else None


def _label(v: Any) -> str:
    if isinstance(v, int | float) and not isinstance(v, bool):
        try:
            x = float(v)
        except OverflowError:
            return str(v)
        return fmt_num(x) if np.isfinite(x) else str(v)
    return str(v)


def _dict(x: Any) -> dict[str, Any]:
    """`x` when it is a JSON object, else an empty one (the caller reports what is missing)."""
    return x if isinstance(x, dict) else {}


def _load(path: Path, pb: Problems) -> dict[str, Any] | None:
    text = read_text(path)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        pb.add(f"not valid JSON: {e.msg}", (), None, e.lineno, str(path))
        return None
    except RecursionError:
        pb.add("not readable JSON: nested too deeply", (), None, None, str(path))
        return None
    except ValueError as e:
        pb.add(f"not readable JSON: {str(e)[:80]}", (), None, None, str(path))
        return None
    if not isinstance(data, dict) or KEY not in data:
        return None
    body = data[KEY]
    if not isinstance(body, dict):
        pb.add(f"{KEY} must be an object", (KEY,), None, None, str(path))
        return None
    return body


def _domain(body: dict[str, Any], pb: Problems, file: str) -> list[DomainIssue]:
    dom = body.get("domain", {})
    iv = dom.get("issuesValues") if isinstance(dom, dict) else None
    if not isinstance(iv, dict) or not iv:
        pb.add(
            "expected domain.issuesValues with one entry per issue",
            (KEY, "domain"),
            None,
            None,
            file,
        )
        return []
    check_issues(len(iv), file)
    out: list[DomainIssue] = []
    for name, spec in iv.items():
        path = (KEY, "domain", "issuesValues", name)
        if isinstance(spec, dict) and isinstance(spec.get("values"), list):
            check_count(
                f"values of issue {name!r}", len(spec["values"]), MAX_OPTIONS, OPTIONS_HINT, file
            )
            values = [_label(v) for v in spec["values"]]
            if len(values) < 2 or len(set(values)) != len(values):
                pb.add("expected two or more distinct values", path, values, None, file)
            out.append(DomainIssue(name, "discrete", values=values))
        elif (
            isinstance(spec, dict)
            and isinstance(spec.get("range"), list)
            and len(spec["range"]) == 3
        ):
            lo, hi, step = (_num(x) for x in spec["range"])
            if (
                lo is None
                or hi is None
                or step is None
                or not lo < hi
                or step <= 0
                or not np.isfinite((hi - lo) / step)
            ):
                pb.add(
                    "expected range [min, max, step] with min < max and step > 0",
                    path,
                    spec["range"],
                    None,
                    file,
                )
                continue
            n = int(np.floor((hi - lo) / step + 1e-9)) + 1
            if n <= MAX_OPTIONS:
                vals = [fmt_num(round(lo + j * step, 12)) for j in range(n)]
                out.append(DomainIssue(name, "discrete", values=vals))
            else:
                out.append(DomainIssue(name, "real", lo=lo, hi=hi))
        else:
            pb.add(
                'expected {"values": [...]} or {"range": [min, max, step]}', path, spec, None, file
            )
    return out


def _party(body: dict[str, Any], path: Path, domain: list[DomainIssue], pb: Problems) -> Party:
    file = str(path)
    party = Party(name=str(body.get("name") or path.stem), file=file)
    utils = body.get("issueUtilities", {})
    weights = body.get("issueWeights", {})
    for d in domain:
        u = utils.get(d.name) if isinstance(utils, dict) else None
        where = (KEY, "issueUtilities", d.name)
        if not isinstance(u, dict):
            pb.add("no utilities for this issue", where, None, None, file)
            continue
        if "discreteutils" in u:
            vu = _dict(_dict(u["discreteutils"]).get("valueUtilities"))
            if not vu:
                pb.add(
                    "discreteutils needs valueUtilities {value: utility}", where, None, None, file
                )
            table = {str(k): _num(v) for k, v in vu.items()}
            bad = {k: v for k, v in table.items() if v is None or not 0 <= v <= 1}
            if bad:
                pb.add("value utilities must lie in [0, 1]", where, bad, None, file)
            unknown = [k for k in table if k not in d.values] if d.kind == "discrete" else []
            if unknown:
                pb.add("values the domain does not have", where, unknown, None, file)
            party.discrete[d.name] = {k: v or 0.0 for k, v in table.items()}
        elif "numberutils" in u:
            nu = _dict(u["numberutils"])
            lv, lu, hv, hu = (
                _num(nu.get(k)) for k in ("lowValue", "lowUtility", "highValue", "highUtility")
            )
            if None in (lv, lu, hv, hu) or lv == hv:
                pb.add(
                    "numberutils needs lowValue < highValue and their utilities",
                    where,
                    nu,
                    None,
                    file,
                )
                continue
            party.numeric[d.name] = _number_utility(lv or 0.0, lu or 0.0, hv or 0.0, hu or 0.0)
        else:
            pb.add("expected discreteutils or numberutils", where, list(u), None, file)
        w = _num(weights.get(d.name)) if isinstance(weights, dict) else None
        if w is None or not 0 <= w <= 1:
            pb.add(
                "expected a weight in [0, 1]",
                (KEY, "issueWeights", d.name),
                weights.get(d.name) if isinstance(weights, dict) else None,
                None,
                file,
            )
        else:
            party.weights[d.name] = w
    return party


def _number_utility(lv: float, lu: float, hv: float, hu: float) -> Any:
    def f(x: float) -> float:
        if x < lv - 1e-12 or x > hv + 1e-12:
            return 0.0
        return lu + (hu - lu) * (x - lv) / (hv - lv)

    return f


def _utility(p: Party, domain: list[DomainIssue], bid: dict[str, Any]) -> float:
    total = 0.0
    for d in domain:
        if d.name not in bid:
            continue
        v = bid[d.name]
        if d.name in p.discrete:
            total += p.weights.get(d.name, 0.0) * p.discrete[d.name].get(_label(v), 0.0)
        elif d.name in p.numeric:
            x = _num(v)
            total += p.weights.get(d.name, 0.0) * (p.numeric[d.name](x) if x is not None else 0)
    return float(np.clip(total, 0.0, 1.0))


def read(path: Path) -> Scenario:
    """The scenario of a folder of GeniusWeb profiles, or of one profile file."""
    files = sorted(path.glob("*.json")) if path.is_dir() else [path]
    check_count("JSON files in the folder", len(files), MAX_FILES, "accord.io.fmt_genius.MAX_FILES")
    pb = Problems(str(path))
    bodies = [(f, b) for f in files if (b := _load(f, pb)) is not None]
    pb.raise_any()
    if not bodies:
        raise InputError(Problem(f'no GeniusWeb profile ({{"{KEY}": …}}) here', file=str(path)))
    first_file, first = bodies[0]
    domain = _domain(first, pb, str(first_file))
    pb.raise_any()
    names = [d.name for d in domain]
    parties = []
    for f, body in bodies:
        other = _dict(_dict(body.get("domain")).get("issuesValues"))
        if list(other) != names:
            pb.add(
                f"the domain differs from that of {first_file.name}",
                (KEY, "domain"),
                list(other),
                None,
                str(f),
            )
            continue
        p = _party(body, f, domain, pb)
        bid = body.get("reservationBid")
        if isinstance(bid, dict):
            values = _dict(bid.get("issuevalues", bid))
            for d in domain:
                if (
                    d.kind == "discrete"
                    and d.name in values
                    and _label(values[d.name]) not in d.values
                ):
                    pb.add(
                        "a reservation bid value the domain does not have",
                        (KEY, "reservationBid", d.name),
                        values[d.name],
                        None,
                        str(f),
                    )
            p.reservation = _utility(p, domain, values)
        elif bid is not None:
            pb.add("reservationBid must be an object", (KEY, "reservationBid"), bid, None, str(f))
        parties.append(p)
    pb.raise_any()
    title = str(_dict(first.get("domain")).get("name") or path.stem)
    return to_scenario(title, domain, parties, str(first_file), EQUAL_CAPABILITY, normalise=False)


def write(s: Scenario, path: Path) -> list[str]:
    """Write one GeniusWeb profile per seat into the folder `path`."""
    labels, tables, discretised = party_tables(s)
    c = compile(s)
    path.mkdir(parents=True, exist_ok=True)
    domain = {
        "name": s.meta.title,
        "issuesValues": {i.id: {"values": labels[k]} for k, i in enumerate(s.issues)},
    }
    sq = {}
    for k, i in enumerate(s.issues):
        x = c.status_quo[k]
        j = round(float(x) * (len(labels[k]) - 1))
        sq[i.id] = labels[k][j]
    for r, sid in enumerate(c.seats.ids):
        body = {
            "domain": domain,
            "name": sid,
            "issueUtilities": {
                i.id: {
                    "discreteutils": {
                        "valueUtilities": {
                            lab: round(tables[sid][k][j], 12) for j, lab in enumerate(labels[k])
                        }
                    }
                }
                for k, i in enumerate(s.issues)
            },
            "issueWeights": {i.id: float(c.seats.weight[r, k]) for k, i in enumerate(s.issues)},
            "reservationBid": {"issuevalues": sq},
        }
        (path / f"{sid}.json").write_text(
            json.dumps({KEY: body}, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )
    losses = [
        x
        for x in losses_for_parties(s, tables, discretised)
        if not x.startswith("issue utilities whose best")
    ]
    if any(a.reservation is not None for a in s.actors) or s.blocs:
        losses.append(
            "reservation values other than the utility of the status quo "
            "(GeniusWeb holds a reservation bid: the status quo is written)"
        )
    if any(d != 1 for d in c.seats.discount):
        losses.append("time discount factors")
    return losses


register_format(
    Format(
        "geniusweb",
        (".geniusweb",),
        read,
        write,
        False,
        "GeniusWeb JSON profiles (LinearAdditiveUtilitySpace), one per party",
    )
)
