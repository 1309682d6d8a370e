"""accord's own format: YAML or JSON, the schema of `accord.scenario` written out.

Errors point at the line: the YAML (or JSON, which is YAML) node tree is composed first, every
field path is mapped to its line, and each validation problem is reported with the line of the
deepest node on its path. YAML is read with the safe loader only.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from accord.errors import InputError, Problem
from accord.errors import Path as FieldPath
from accord.scenario import Scenario


def line_map(text: str) -> dict[FieldPath, int]:
    """Field path → 1-based line of its node, for every node of a YAML/JSON document."""
    lines: dict[FieldPath, int] = {}
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return lines

    def walk(node: yaml.Node, path: FieldPath) -> None:
        lines[path] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                k = key.value if isinstance(key, yaml.ScalarNode) else str(key)
                lines[(*path, k)] = key.start_mark.line + 1
                walk(value, (*path, k))
                lines[(*path, k)] = key.start_mark.line + 1
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                walk(item, (*path, i))

    if root is not None:
        walk(root, ())
    return lines


def locate(problems: list[Problem], file: str, lines: dict[FieldPath, int]) -> list[Problem]:
    """Fill in file and line: the line of the longest known prefix of each problem's path."""
    out = []
    for p in problems:
        path = p.path
        while path and path not in lines:
            path = path[:-1]
        out.append(p.located(file=file, line=lines.get(path)))
    return out


def problems_from_validation(err: ValidationError, data: Any = None) -> list[Problem]:
    """One `Problem` per pydantic error, with the field path and the offending input."""
    out = []
    for e in err.errors(include_url=False):
        loc = tuple(x for x in e["loc"] if not (isinstance(x, str) and "[" in x))
        loc = tuple(x for x in loc if x not in ("float", "str", "Estimate", "function-after"))
        msg = e["msg"]
        if e["type"] == "missing":
            msg = "required field is missing"
        elif e["type"] == "extra_forbidden":
            msg = "unknown field"
        out.append(Problem(msg, loc, None if e["type"] == "missing" else e.get("input")))
    return _dedupe(out)


def _dedupe(problems: list[Problem]) -> list[Problem]:
    """One problem per defect: a union type reports every branch, so an error whose path is a
    strict prefix of another error's path (the plain-number branch of `Number`) is dropped."""
    paths = [p.path for p in problems]
    problems = [
        p
        for p in problems
        if not any(len(q) > len(p.path) and q[: len(p.path)] == p.path for q in paths)
    ]
    seen: set[tuple[Any, ...]] = set()
    out = []
    for p in problems:
        key = (p.path, p.message)
        if key not in seen:
            seen.add(key)
            out.append(p)
    return out


def parse(text: str, file: str = "<input>") -> Any:
    """Safe-load YAML or JSON text; a syntax error becomes an `InputError` with its line."""
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(e, "problem", None) or str(e)
        raise InputError(Problem(f"not valid YAML/JSON: {problem}", file=file, line=line)) from None


def from_data(data: Any, file: str = "<input>", text: str | None = None) -> Scenario:
    """Validate parsed data as a `Scenario`; problems carry file and, with `text`, lines."""
    if not isinstance(data, dict):
        raise InputError(
            Problem(
                "expected a mapping with meta, issues and actors",
                (),
                type(data).__name__,
                file=file,
                line=1,
            )
        )
    lines = line_map(text) if text is not None else {}
    try:
        return Scenario.model_validate(data)
    except ValidationError as e:
        raise InputError(locate(problems_from_validation(e, data), file, lines)) from None
    except InputError as e:
        raise InputError(locate(e.problems, file, lines)) from None


def read_text(text: str, file: str = "<input>") -> Scenario:
    """A scenario from YAML or JSON text."""
    return from_data(parse(text, file), file, text)


def read(path: Path) -> Scenario:
    """A scenario from a native YAML or JSON file."""
    text = path.read_text(encoding="utf-8")
    return read_text(text, str(path))


def to_data(s: Scenario) -> dict[str, Any]:
    """The scenario as plain data, defaults left out, ready for YAML or JSON."""
    data: dict[str, Any] = s.model_dump(mode="json", exclude_defaults=True, by_alias=True)
    data = {"format": s.format, **data}
    if s.clocks:  # `kind` is the discriminator: keep it even where it is the default
        data["clocks"] = [
            {"kind": c.kind, **d} for c, d in zip(s.clocks, data["clocks"], strict=True)
        ]
    return data


def dumps_yaml(s: Scenario) -> str:
    """YAML text of the scenario."""
    return yaml.safe_dump(to_data(s), sort_keys=False, allow_unicode=True, width=100)


def write_yaml(s: Scenario, path: Path) -> list[str]:
    """Write YAML; nothing is lost."""
    path.write_text(dumps_yaml(s), encoding="utf-8")
    return []


def write_json(s: Scenario, path: Path) -> list[str]:
    """Write JSON; nothing is lost."""
    path.write_text(json.dumps(to_data(s), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return []
