"""Edits of the web editor, applied to a copy of a scenario and validated like a file.

`Changes` holds everything the scenario page can change:

- ``edits``: actor id → ``{"capability": x, "positions": {issue: v}, "salience": {issue: v}}``;
- ``status_quo``: issue id → value (an option label for options issues);

  both are set at their field paths with `accord.scenario.numbers.set_numbers`, which keeps
  the source, note and uncertainty of an estimate whose value is replaced;
- ``add_actors`` / ``remove_actors``; ``add_issues`` / ``remove_issues``;
- ``sections``: the scenario's ``blocs`` (seats and bloc decision rules), ``clocks``,
  ``proposals`` and ``table``, each replaced as a whole by the YAML (or JSON) text given,
  read with the library's own loader (`accord.io.native.parse`, with its limits).

Decisions: a new actor without a position on an issue takes the status quo there with
salience 0, and a new issue gives every actor the status quo with salience 0, so that an
addition is valid at once and the table shows what to fill in. Removing an actor also takes
it out of blocs (a bloc left empty goes), the table and its cost clocks; removing an issue
takes it out of positions, saliences, utilities, proposals and drift clocks. Whatever is
left inconsistent is reported by the scenario's own validation, never silently fixed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from accord.errors import InputError, Path, Problem
from accord.io import native
from accord.scenario import Scenario
from accord.scenario.numbers import number_field, set_numbers

SECTIONS = ("blocs", "clocks", "proposals", "table")
EDITABLE = {
    f.attr: f
    for f in map(
        number_field, ("actors.*.capability", "actors.*.positions.*", "actors.*.salience.*")
    )
}
"""The numbers of an actor the editor may change, by attribute (declared in `FIELDS`)."""
STATUS_QUO = number_field("issues.*.status_quo")


@dataclass
class Changes:
    """What the editor changes; every part may be empty (see the module docstring)."""

    edits: dict[str, Any] = field(default_factory=dict)
    status_quo: dict[str, Any] = field(default_factory=dict)
    add_actors: list[dict[str, Any]] = field(default_factory=list)
    remove_actors: list[str] = field(default_factory=list)
    add_issues: list[dict[str, Any]] = field(default_factory=list)
    remove_issues: list[str] = field(default_factory=list)
    sections: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, data: Mapping[str, Any]) -> Changes:
        """The changes in a request body (unknown keys are left to the body's own model)."""
        return cls(**{k: v for k, v in data.items() if k in cls.__dataclass_fields__ and v})

    def empty(self) -> bool:
        """Whether nothing is changed."""
        return not any(getattr(self, k) for k in self.__dataclass_fields__)


def apply_changes(s: Scenario, ch: Changes) -> Scenario:
    """A copy of `s` with `ch` applied; `InputError` lists every problem at once."""
    if ch.empty():
        return s
    if not isinstance(ch.edits, Mapping):
        raise InputError(Problem("expected a mapping of actor id to changes", ("edits",)))
    data = native.to_data(s)
    problems: list[Problem] = []
    _sections(data, ch.sections, problems)
    _remove_actors(data, ch.remove_actors, problems)
    _remove_issues(data, ch.remove_issues, problems)
    _add_issues(data, ch.add_issues, problems)
    _add_actors(data, ch.add_actors, problems)
    sets = _status_quo(data, ch.status_quo, problems) + _actor_edits(data, ch.edits, problems)
    InputError.collect(problems)
    data = set_numbers(data, sets)
    try:
        return native.from_data(data, "<edits>")
    except (TypeError, ValueError) as e:
        raise InputError(Problem(str(e), ("edits",))) from None


def apply_edits(s: Scenario, edits: Mapping[str, Any]) -> Scenario:
    """A copy of `s` with actors' capability, positions and salience replaced."""
    return apply_changes(s, Changes(edits=dict(edits) if isinstance(edits, Mapping) else edits))


def _sections(data: dict[str, Any], sections: Mapping[str, str], out: list[Problem]) -> None:
    for name, text in sections.items():
        if name not in SECTIONS:
            out.append(Problem(f"expected one of {', '.join(SECTIONS)}", ("sections", name)))
            continue
        if not isinstance(text, str):
            out.append(Problem("expected YAML text", ("sections", name), text))
            continue
        try:
            value = native.parse(text, f"<{name}>") if text.strip() else None
        except InputError as e:
            out.extend(p.located(f"<{name}>") for p in e.problems)
            continue
        if value is None:
            data.pop(name, None)
        elif name == "table" and not isinstance(value, list):
            out.append(Problem("expected a list of seat ids", ("sections", name)))
        elif name != "table" and not isinstance(value, list):
            out.append(Problem(f"expected a list of {name}", ("sections", name)))
        else:
            data[name] = value


def _ids(items: list[dict[str, Any]]) -> list[Any]:
    return [x.get("id") for x in items if isinstance(x, dict)]


def _remove_actors(data: dict[str, Any], ids: list[str], out: list[Problem]) -> None:
    known = _ids(data["actors"])
    for aid in ids:
        if aid not in known:
            out.append(Problem("no such actor", ("remove_actors",), aid))
    gone = set(ids)
    data["actors"] = [a for a in data["actors"] if a.get("id") not in gone]
    blocs = []
    for b in data.get("blocs") or []:
        members = [m for m in b.get("members", []) if m not in gone]
        if members:
            blocs.append({**b, "members": members})
    if "blocs" in data:
        data["blocs"] = blocs
    if data.get("table") is not None:
        data["table"] = [t for t in data["table"] if t not in gone]
    if "clocks" in data:
        data["clocks"] = [k for k in data["clocks"] if k.get("actor") not in gone]


def _remove_issues(data: dict[str, Any], ids: list[str], out: list[Problem]) -> None:
    known = _ids(data["issues"])
    for iid in ids:
        if iid not in known:
            out.append(Problem("no such issue", ("remove_issues",), iid))
    gone = set(ids)
    data["issues"] = [i for i in data["issues"] if i.get("id") not in gone]
    for a in data["actors"]:
        for part in ("positions", "salience", "utilities"):
            if isinstance(a.get(part), dict):
                a[part] = {k: v for k, v in a[part].items() if k not in gone}
    for p in data.get("proposals") or []:
        if isinstance(p.get("outcome"), dict):
            p["outcome"] = {k: v for k, v in p["outcome"].items() if k not in gone}
    if "clocks" in data:
        data["clocks"] = [k for k in data["clocks"] if k.get("issue") not in gone]


def _add_issues(data: dict[str, Any], issues: list[dict[str, Any]], out: list[Problem]) -> None:
    for n, issue in enumerate(issues):
        if not isinstance(issue, Mapping) or "status_quo" not in issue:
            out.append(Problem("expected an issue with an id and a status quo", ("add_issues", n)))
            continue
        spec = {k: v for k, v in issue.items() if k not in ("positions", "salience")}
        data["issues"].append(spec)
        for a in data["actors"]:
            pos = (issue.get("positions") or {}).get(a["id"], issue["status_quo"])
            a.setdefault("positions", {})[spec.get("id")] = pos
            a.setdefault("salience", {})[spec.get("id")] = (issue.get("salience") or {}).get(
                a["id"], 0
            )


def _add_actors(data: dict[str, Any], actors: list[dict[str, Any]], out: list[Problem]) -> None:
    sq = {i["id"]: i["status_quo"] for i in data["issues"] if isinstance(i, dict) and "id" in i}
    for n, actor in enumerate(actors):
        if not isinstance(actor, Mapping) or "id" not in actor:
            out.append(Problem("expected an actor with an id", ("add_actors", n)))
            continue
        new = dict(actor)
        new.setdefault("capability", 1)
        new["positions"] = {**sq, **(actor.get("positions") or {})}
        new["salience"] = {**dict.fromkeys(sq, 0), **(actor.get("salience") or {})}
        data["actors"].append(new)
        if data.get("table") is not None:
            data["table"].append(new["id"])


def _status_quo(
    data: dict[str, Any], values: Mapping[str, Any], out: list[Problem]
) -> list[tuple[Path, Any]]:
    """The status quo edits as (field path, value) pairs (`accord.scenario.numbers`)."""
    index = {i.get("id"): k for k, i in enumerate(data["issues"])}
    sets: list[tuple[Path, Any]] = []
    for iid, v in values.items():
        if iid not in index:
            out.append(Problem("no such issue", ("status_quo", iid)))
            continue
        sets.append((("issues", index[iid], STATUS_QUO.attr), v))
    return sets


def _actor_edits(
    data: dict[str, Any], edits: Mapping[str, Any], out: list[Problem]
) -> list[tuple[Path, Any]]:
    """The actors' edits as (field path, value) pairs; each must be an editable field."""
    index = {a["id"]: k for k, a in enumerate(data["actors"])}
    issue_ids = {i.get("id") for i in data["issues"]}
    sets: list[tuple[Path, Any]] = []
    for aid, change in edits.items():
        if aid not in index:
            out.append(Problem(f"no such actor; actors: {', '.join(index)}", ("edits", aid)))
            continue
        if not isinstance(change, Mapping):
            out.append(Problem("expected a mapping", ("edits", aid), change))
            continue
        for name, value in change.items():
            f, path = EDITABLE.get(name), ("edits", aid, name)
            target: Path = ("actors", index[aid], name)
            if f is not None and not f.name.endswith(".*"):
                if f.numeric and not _is_number(value):
                    out.append(Problem("expected a number", path, value))
                else:
                    sets.append((target, value))
            elif f is not None and isinstance(value, Mapping):
                for k, v in value.items():
                    if k not in issue_ids:
                        out.append(Problem("no such issue", (*path, k)))
                    elif f.numeric and not _is_number(v):
                        out.append(Problem("expected a number", (*path, k), v))
                    else:
                        sets.append(((*target, k), v))
            else:
                out.append(
                    Problem("only capability, positions and salience can be edited", path, value)
                )
    return sets


def _is_number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)
