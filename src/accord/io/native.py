"""accord's own format: YAML or JSON, the schema of `accord.scenario` written out.

Errors point at the line: the YAML (or JSON, which is YAML) node tree is composed first, every
field path is mapped to its line, and each validation problem is reported with the line of the
deepest node on its path. YAML is read with the safe loader only (libyaml's when installed).

Hostile input is refused before it is built (issue 18). The limits, each raised by an
environment variable that the error names:
- text size: ``ACCORD_MAX_TEXT_CHARS`` (20 MiB of characters);
- nesting depth of collections: ``ACCORD_MAX_DEPTH`` (100; a scenario needs about 6);
- nodes that YAML aliases add when expanded: ``ACCORD_MAX_ALIAS_NODES`` (100,000), so an
  anchor bomb ("billion laughs") is refused after a few hundred bytes, wherever it sits.
JSON is read with the JSON parser (YAML 1.1 would read ``5e-07`` as a string), so
``accord convert s.yaml s.json && accord validate s.json`` round-trips every number.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError
from yaml.events import (
    AliasEvent,
    CollectionEndEvent,
    CollectionStartEvent,
    Event,
    ScalarEvent,
)
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from accord.errors import InputError, Problem, env_limit
from accord.errors import Path as FieldPath
from accord.scenario import Scenario

MAX_TEXT_CHARS = 20 * 1024 * 1024
"""Text longer than this is refused before parsing (setting: ``ACCORD_MAX_TEXT_CHARS``)."""
MAX_DEPTH = 100
"""Collections nested deeper are refused while parsing (setting: ``ACCORD_MAX_DEPTH``)."""
MAX_ALIAS_NODES = 100_000
"""Nodes that YAML aliases may add when expanded (setting: ``ACCORD_MAX_ALIAS_NODES``)."""


_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _check_events(text: str, file: str) -> None:
    """Refuse a YAML text that nests too deep or whose aliases expand too far, before it is built.

    One pass over libyaml's event stream: every collection's *expanded* size (itself and all
    under it, aliases counted in full) is summed without expanding anything, and each alias adds
    the size of its anchor to a running total. A "billion laughs" document is refused after a few
    events, in time linear in the text.
    """
    max_depth = env_limit("ACCORD_MAX_DEPTH", MAX_DEPTH)
    max_alias = env_limit("ACCORD_MAX_ALIAS_NODES", MAX_ALIAS_NODES)
    sizes: dict[str, int] = {}
    stack: list[list[Any]] = []  # [expanded size so far, anchor] per open collection
    alias_nodes = 0
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, CollectionStartEvent):
            stack.append([1, event.anchor])
            if len(stack) > max_depth:
                raise _problem(
                    f"nested deeper than {max_depth} levels", "ACCORD_MAX_DEPTH", file, event
                )
            continue
        if isinstance(event, CollectionEndEvent):
            size, anchor = stack.pop()
        elif isinstance(event, AliasEvent):
            size, anchor = sizes.get(event.anchor or "", 1), None
            alias_nodes += size
            if alias_nodes > max_alias:
                msg = f"YAML aliases expand to more than {max_alias:,} nodes"
                raise _problem(msg, "ACCORD_MAX_ALIAS_NODES", file, event)
        elif isinstance(event, ScalarEvent):
            size, anchor = 1, event.anchor
        else:
            continue
        if anchor is not None:
            sizes[anchor] = size
        if stack:
            stack[-1][0] += size


def _problem(what: str, setting: str, file: str, event: Event) -> InputError:
    line = event.start_mark.line + 1 if event.start_mark is not None else None
    msg = f"{what} (the limit; set {setting} to raise it)"
    return InputError(Problem(msg, file=file, line=line))


def _load(text: str, file: str, compose: bool = False) -> Any:
    """The data of a YAML document (or, with `compose`, its node tree) within the limits;
    every problem becomes an `InputError` with its line."""
    limit = env_limit("ACCORD_MAX_TEXT_CHARS", MAX_TEXT_CHARS)
    if len(text) > limit:
        msg = f"text of {len(text):,} characters is over the limit of {limit:,}"
        raise InputError(Problem(msg + " (set ACCORD_MAX_TEXT_CHARS to raise it)", file=file))
    try:
        _check_events(text, file)
        if compose:
            return yaml.compose(text, Loader=_Loader)
        return yaml.load(text, Loader=_Loader)  # _Loader is a safe loader
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(e, "problem", None) or str(e)
        raise InputError(Problem(f"not valid YAML/JSON: {problem}", file=file, line=line)) from None
    except (ValueError, TypeError, AttributeError, OverflowError) as e:
        # A scalar the resolver took for a date, an int or a float that does not convert
        # (``2013-02-30``, ``!!int 1e999``): PyYAML raises plain exceptions for these.
        raise InputError(
            Problem(f"not valid YAML: a value cannot be read ({e})", file=file)
        ) from None


def line_map(text: str) -> dict[FieldPath, int]:
    """Field path → 1-based line of its node, for every node of a YAML/JSON document.

    The walk visits each node once: a node reached again through an alias is not descended
    into again (an alias bomb would otherwise make the map exponential). A text the bounded
    loader refuses gets an empty map.
    """
    lines: dict[FieldPath, int] = {}
    try:
        root = _load(text, "<input>", compose=True)
    except InputError:
        return lines
    seen: set[int] = set()

    def walk(node: Node, path: FieldPath) -> None:
        lines[path] = node.start_mark.line + 1
        if id(node) in seen:
            return
        seen.add(id(node))
        if isinstance(node, MappingNode):
            for key, value in node.value:
                k = key.value if isinstance(key, ScalarNode) else str(key)
                walk(value, (*path, k))
                lines[(*path, k)] = key.start_mark.line + 1
        elif isinstance(node, SequenceNode):
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
        elif e["type"] == "finite_number":
            msg = "the value must be a finite number (not inf or nan)"
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
    # A number-or-`Estimate` union also reports its mapping branch at the same path; when the
    # number branch has spoken, the mapping branch adds nothing.
    mapping = "Input should be a valid dict"
    numeric = {p.path for p in problems if not p.message.startswith(mapping)}
    problems = [p for p in problems if not (p.message.startswith(mapping) and p.path in numeric)]
    seen: set[tuple[Any, ...]] = set()
    out = []
    for p in problems:
        key = (p.path, p.message)
        if key not in seen:
            seen.add(key)
            out.append(p)
    return out


def parse(text: str, file: str = "<input>") -> Any:
    """Safe-load YAML or JSON text within the limits; a syntax error becomes an `InputError`.

    JSON (a ``.json`` file, or text that starts with ``{`` or ``[`` and parses as JSON) is read
    with a JSON parser, not the YAML 1.1 loader, so ``5e-07`` stays a number. YAML is read by the
    bounded safe loader: depth, alias expansion and size are checked before anything is built.
    """
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as e:
        line = text.count("\n", 0, e.start) + 1
        raise InputError(
            Problem("not proper Unicode (a lone surrogate)", file=file, line=line)
        ) from None
    if file.lower().endswith(".json") or text.lstrip()[:1] in ("{", "["):
        data = _parse_json(text, file, strict=file.lower().endswith(".json"))
        if data is not _NOT_JSON:
            return data
    return _load(text, file)


_NOT_JSON = object()


def _parse_json(text: str, file: str, strict: bool) -> Any:
    """JSON text as data; with `strict` a syntax error is an `InputError`, else `_NOT_JSON`."""
    limit = env_limit("ACCORD_MAX_TEXT_CHARS", MAX_TEXT_CHARS)
    if len(text) > limit:
        _load(text, file)  # raises the size problem
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        if not strict:
            return _NOT_JSON
        raise InputError(Problem(f"not valid JSON: {e.msg}", file=file, line=e.lineno)) from None
    except ValueError as e:  # valid JSON syntax, unreadable value: an integer of 4,300+ digits
        raise InputError(
            Problem(f"not valid JSON: a value cannot be read ({e})", file=file)
        ) from None
    except RecursionError:
        data = None  # nested far beyond any limit: reported below
        depth = sys.getrecursionlimit()
    else:
        depth = _depth(data)
    max_depth = env_limit("ACCORD_MAX_DEPTH", MAX_DEPTH)
    if depth > max_depth:
        raise InputError(
            Problem(
                f"nested deeper than {max_depth} levels (the limit; set ACCORD_MAX_DEPTH"
                " to raise it)",
                file=file,
            )
        )
    return data


def _depth(data: Any) -> int:
    """The nesting depth of parsed JSON, without recursion."""
    deepest, stack = 0, [(data, 1)]
    while stack:
        item, d = stack.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, d)
            children = item.values() if isinstance(item, dict) else item
            stack.extend((c, d + 1) for c in children if isinstance(c, dict | list))
    return deepest


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
    try:
        return Scenario.model_validate(data)
    except ValidationError as e:
        problems = problems_from_validation(e, data)
    except InputError as e:
        problems = e.problems
    # The line map costs more than the validation itself: build it only when there is a problem.
    lines = line_map(text) if text is not None else {}
    raise InputError(locate(problems, file, lines))


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
