"""Applying one round's overlay to a scenario: only the named fields change.

`apply_overlay` works on the scenario's data (its JSON form), checks every id the overlay names
against the scenario it is applied to, and validates the result as a `Scenario`. Each problem
names the overlay field (``rounds[3].changes.actors.jalili.positions.arak``) so the reader can
point at the file's line.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from accord.errors import InputError, Problem
from accord.errors import Path as FieldPath
from accord.scenario.schema import Scenario
from accord.timeline.model import NewActor, Overlay

Data = dict[str, Any]


def _set(model: BaseModel) -> Data:
    """The fields a patch sets (JSON form), the empty dicts of its defaults left out."""
    return {
        k: v
        for k, v in model.model_dump(mode="json", exclude_none=True).items()
        if k in model.model_fields_set
    }


def _ids(items: list[Data]) -> dict[str, Data]:
    return {d["id"]: d for d in items}


def apply_overlay(s: Scenario, overlay: Overlay, path: FieldPath = ()) -> Scenario:
    """The scenario `s` with `overlay` applied (`InputError` naming the overlay field)."""
    data = s.model_dump(mode="json", exclude_none=True)
    problems: list[Problem] = []
    _issues(data, overlay, path, problems)
    _actors(data, overlay, path, problems)
    _blocs(data, overlay, path, problems)
    _clocks(data, overlay, path, problems)
    InputError.collect(problems)
    try:
        return Scenario.model_validate(data)
    except InputError as e:
        raise InputError(
            [
                Problem(f"the scenario after this round is invalid: {p}", path, None)
                for p in e.problems
            ]
        ) from None
    except ValueError as e:
        raise InputError(Problem(f"the scenario after this round is invalid: {e}", path)) from None


def _issues(data: Data, o: Overlay, path: FieldPath, problems: list[Problem]) -> None:
    issues = _ids(data["issues"])
    actor_ids = [a["id"] for a in data["actors"]]
    for iid, patch in o.issues.items():
        if iid not in issues:
            problems.append(Problem("no such issue in the scenario", (*path, "issues", iid), iid))
            continue
        issues[iid].update(_set(patch))
    for k, new in enumerate(o.add_issues):
        where = (*path, "add_issues", k)
        if new.id in issues:
            problems.append(Problem("the issue exists already", (*where, "id"), new.id))
            continue
        dump = new.model_dump(mode="json", exclude_none=True)
        stakes = {f: dump.pop(f, {}) for f in ("positions", "salience")}
        data["issues"].append(dump)
        for field, given in stakes.items():
            for aid in given:
                if aid not in actor_ids:
                    problems.append(Problem("no such actor", (*where, field, aid), aid))
        for actor in data["actors"]:
            sq = dump["status_quo"]
            at_sq = sq["value"] if isinstance(sq, dict) else sq
            actor["positions"][new.id] = stakes["positions"].get(actor["id"], at_sq)
            actor["salience"][new.id] = stakes["salience"].get(actor["id"], 0.0)


def _actors(data: Data, o: Overlay, path: FieldPath, problems: list[Problem]) -> None:
    actors = _ids(data["actors"])
    issue_ids = {i["id"] for i in data["issues"]}
    for aid, patch in o.actors.items():
        where = (*path, "actors", aid)
        if aid not in actors:
            problems.append(Problem("no such actor in the scenario", where, aid))
            continue
        d = _set(patch)
        for field in ("positions", "salience", "utilities", "shapes"):
            for iid in d.get(field, {}):
                if iid not in issue_ids:
                    problems.append(Problem("no such issue", (*where, field, iid), iid))
            actors[aid][field] = {**actors[aid].get(field, {}), **d.pop(field, {})}
        for j, rl in enumerate(d.get("red_lines", [])):
            if rl.get("issue") is not None and rl["issue"] not in issue_ids:
                problems.append(Problem("no such issue", (*where, "red_lines", j), rl["issue"]))
        actors[aid].update(d)
    for k, aid in enumerate(o.remove_actors):
        if aid not in actors:
            problems.append(Problem("no such actor", (*path, "remove_actors", k), aid))
            continue
        _drop_actor(data, aid)
    for k, new in enumerate(o.add_actors):
        _add_actor(data, new, (*path, "add_actors", k), problems)


def _drop_actor(data: Data, aid: str, successor: str | None = None) -> None:
    """Remove actor `aid`; a successor takes its bloc membership, seat, table place, clocks."""
    data["actors"] = [a for a in data["actors"] if a["id"] != aid]
    for b in data.get("blocs", []):
        members = [successor if m == aid else m for m in b["members"]]
        b["members"] = [m for m in members if m is not None]
        if b["seat"] == aid and successor is not None:
            b["seat"] = successor
    if data.get("table"):
        table = [successor if t == aid else t for t in data["table"]]
        data["table"] = [t for t in table if t is not None]
    clocks = []
    for c in data.get("clocks", []):
        if c.get("actor") == aid:
            if successor is None:
                continue
            c["actor"] = successor
        clocks.append(c)
    data["clocks"] = clocks


def _add_actor(data: Data, new: NewActor, where: FieldPath, problems: list[Problem]) -> None:
    ids = {a["id"] for a in data["actors"]}
    if new.id in ids:
        problems.append(Problem("the actor exists already", (*where, "id"), new.id))
        return
    if new.succeeds is not None:
        if new.succeeds not in ids:
            problems.append(Problem("no such actor", (*where, "succeeds"), new.succeeds))
            return
        _drop_actor(data, new.succeeds, new.id)
    d = new.model_dump(mode="json", exclude_none=True)
    d.pop("succeeds", None)
    data["actors"].append(d)


def _blocs(data: Data, o: Overlay, path: FieldPath, problems: list[Problem]) -> None:
    blocs = _ids(data.get("blocs", []))
    for bid, patch in o.blocs.items():
        if bid not in blocs:
            problems.append(Problem("no such bloc in the scenario", (*path, "blocs", bid), bid))
            continue
        blocs[bid].update(_set(patch))
    if o.table is not None:
        data["table"] = list(o.table)


def _clocks(data: Data, o: Overlay, path: FieldPath, problems: list[Problem]) -> None:
    clocks = {c["id"]: c for c in data.get("clocks", []) if c.get("id")}
    for cid, patch in o.clocks.items():
        if cid not in clocks:
            problems.append(Problem("no such clock (by id)", (*path, "clocks", cid), cid))
            continue
        clocks[cid].update(_set(patch))
    for k, cid in enumerate(o.remove_clocks):
        if cid not in clocks:
            problems.append(Problem("no such clock (by id)", (*path, "remove_clocks", k), cid))
    data["clocks"] = [c for c in data.get("clocks", []) if c.get("id") not in o.remove_clocks]
    data["clocks"] += [c.model_dump(mode="json", exclude_none=True) for c in o.add_clocks]
