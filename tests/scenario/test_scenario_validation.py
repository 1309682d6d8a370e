"""Every validation error kind of the scenario schema, and the lines YAML errors point at."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from accord.errors import InputError
from accord.io.native import from_data, read_text
from accord.scenario import Scenario

BASE: dict[str, Any] = {
    "meta": {"title": "t", "sources": [{"id": "src", "cite": "a source"}]},
    "issues": [
        {"id": "level", "scale": [0, 10], "status_quo": 5},
        {"id": "mode", "options": ["low", "mid", "high"], "status_quo": "mid"},
    ],
    "actors": [
        {
            "id": "a",
            "capability": 2,
            "positions": {"level": 1, "mode": "low"},
            "salience": {"level": 0.5, "mode": 0.5},
        },
        {
            "id": "b",
            "capability": 1,
            "positions": {"level": 9, "mode": "high"},
            "salience": {"level": 0.7, "mode": 0.2},
        },
        {
            "id": "c",
            "capability": 1,
            "positions": {"level": 4, "mode": 1},
            "salience": {"level": 0.1, "mode": 0.9},
        },
    ],
    "blocs": [{"id": "ab", "members": ["a", "b"], "seat": "a"}],
    "clocks": [
        {"kind": "drift", "issue": "level", "rate": 0.1, "limit": 10},
        {"kind": "cost", "actor": "c", "rate": -0.01},
    ],
    "proposals": [{"id": "deal", "outcome": {"level": 5, "mode": "mid"}}],
}

Edit = Callable[[dict[str, Any]], None]


def _set(path: str, value: Any) -> Edit:
    def edit(d: dict[str, Any]) -> None:
        keys: list[Any] = [int(k) if k.isdigit() else k for k in path.split(".")]
        obj: Any = d
        for k in keys[:-1]:
            obj = obj[k]
        obj[keys[-1]] = value

    return edit


def _del(path: str) -> Edit:
    def edit(d: dict[str, Any]) -> None:
        keys: list[Any] = [int(k) if k.isdigit() else k for k in path.split(".")]
        obj: Any = d
        for k in keys[:-1]:
            obj = obj[k]
        del obj[keys[-1]]

    return edit


def _append(path: str, value: Any) -> Edit:
    def edit(d: dict[str, Any]) -> None:
        obj: Any = d
        for k in path.split("."):
            obj = obj[int(k) if k.isdigit() else k]
        obj.append(value)

    return edit


def test_the_base_scenario_is_valid() -> None:
    s = from_data(copy.deepcopy(BASE))
    assert isinstance(s, Scenario) and s.seats == ["ab", "c"]


CASES: list[tuple[str, Edit, str]] = [
    # ids and cross-references
    (
        "unknown issue in positions",
        _set("actors.0.positions.zz", 1),
        r"actors\[0\]\.positions\.zz = 1.*unknown issue id; expected one of: level, mode",
    ),
    (
        "unknown issue in salience",
        _set("actors.0.salience.zz", 0.5),
        r"actors\[0\]\.salience\.zz = 0\.5.*unknown issue id",
    ),
    (
        "duplicate issue id",
        _append("issues", {"id": "level", "scale": [0, 1], "status_quo": 0}),
        r"issues\[2\]\.id = 'level': duplicate id",
    ),
    ("duplicate actor id", _set("actors.2.id", "a"), r"actors\[2\]\.id = 'a': duplicate id"),
    (
        "duplicate bloc id",
        _append("blocs", {"id": "ab", "members": ["c"], "seat": "c"}),
        r"blocs\[1\]\.id = 'ab': duplicate id",
    ),
    (
        "duplicate proposal id",
        _append("proposals", {"id": "deal", "outcome": {"level": 1, "mode": "low"}}),
        r"proposals\[1\]\.id = 'deal': duplicate id",
    ),
    ("bad id", _set("actors.0.id", "1st actor"), r"actors\[0\]\.id = '1st actor'.*pattern"),
    # positions and saliences
    (
        "position outside the scale",
        _set("actors.0.positions.level", 11),
        r"actors\[0\]\.positions\.level = 11.*outside the issue's scale \[0, 10\]",
    ),
    (
        "position not among the options",
        _set("actors.0.positions.mode", "extreme"),
        r"actors\[0\]\.positions\.mode = 'extreme': expected one of the options",
    ),
    (
        "option index out of range",
        _set("actors.2.positions.mode", 3),
        r"actors\[2\]\.positions\.mode = 3.*expected an option label or index 0–2",
    ),
    (
        "text on a scale",
        _set("actors.0.positions.level", "high"),
        r"actors\[0\]\.positions\.level = 'high': expected a number on the scale",
    ),
    (
        "missing position",
        _del("actors.1.positions.mode"),
        r"actors\[1\]\.positions: missing a position on issue 'mode'",
    ),
    (
        "missing salience",
        _del("actors.1.salience.level"),
        r"actors\[1\]\.salience: missing a salience on issue 'level'",
    ),
    (
        "salience above 1",
        _set("actors.0.salience.level", 1.5),
        r"actors\[0\]\.salience\.level = 1\.5: salience must lie in \[0, 1\]",
    ),
    (
        "negative capability",
        _set("actors.0.capability", -1),
        r"actors\[0\]\.capability = -1\.0: capability must be a number ≥ 0",
    ),
    (
        "status quo outside the scale",
        _set("issues.0.status_quo", -3),
        r"issues\[0\]\.status_quo = -3\.0: outside the issue's scale",
    ),
    (
        "outcome not an option",
        _set("issues.1.outcome", "none"),
        r"issues\[1\]\.outcome = 'none': expected one of the options",
    ),
    # issues
    (
        "scale and options",
        _set("issues.0.options", ["x", "y"]),
        r"issues\[0\].*either a scale \[lo, hi\] or a list of options",
    ),
    (
        "decreasing scale",
        _set("issues.0.scale", [10, 0]),
        r"issues\[0\].*scale \[10\.0, 0\.0\] must be finite with lo < hi",
    ),
    ("one option", _set("issues.1.options", ["only"]), r"issues\[1\].*at least two options"),
    (
        "repeated options",
        _set("issues.1.options", ["low", "low", "high"]),
        r"issues\[1\].*options must be distinct",
    ),
    # explicit utilities, reservation, risk, discount
    (
        "utilities on a scale",
        _set("actors.0.utilities", {"level": {"x": 1}}),
        r"actors\[0\]\.utilities\.level = 'level': explicit utilities need an options issue",
    ),
    (
        "utility of an unknown option",
        _set("actors.0.utilities", {"mode": {"low": 1, "mid": 0.5, "high": 0, "max": 1}}),
        r"actors\[0\]\.utilities\.mode\.max = 'max': expected one of the options",
    ),
    (
        "utility above 1",
        _set("actors.0.utilities", {"mode": {"low": 2, "mid": 0.5, "high": 0}}),
        r"actors\[0\]\.utilities\.mode\.low = 2\.0: an option utility must lie in \[0, 1\]",
    ),
    (
        "utilities missing an option",
        _set("actors.0.utilities", {"mode": {"low": 1}}),
        r"actors\[0\]\.utilities\.mode: utilities missing for options \['mid', 'high'\]",
    ),
    (
        "reservation above 1",
        _set("actors.0.reservation", 1.2),
        r"actors\[0\]\.reservation = 1\.2: reservation must lie in \[0, 1\]",
    ),
    ("risk outside [-1, 1]", _set("actors.0.risk", 3), r"risk must lie in \[-1, 1\]"),
    ("zero discount", _set("actors.0.discount", 0), r"discount must lie in \(0, 1\]"),
    (
        "exponent too large",
        _set("actors.0.exponent", 50),
        r"actors\[0\]\.exponent = 50.*less than or equal to 10",
    ),
    # blocs and the table
    (
        "bloc names an unknown actor",
        _set("blocs.0.members", ["a", "zz"]),
        r"blocs\[0\]\.members\[1\] = 'zz': unknown actor id",
    ),
    (
        "seat not a member",
        _set("blocs.0.seat", "c"),
        r"blocs\[0\]\.seat = 'c': the seat-holder must be one of the bloc's members",
    ),
    (
        "actor in two blocs",
        _append("blocs", {"id": "bc", "members": ["b", "c"], "seat": "c"}),
        r"blocs\[1\]\.members\[0\] = 'b': already a member of bloc 'ab'",
    ),
    (
        "bloc id clashes with an actor",
        _set("blocs.0.id", "c"),
        r"blocs\[0\]\.id = 'c': a bloc id must differ from every actor id",
    ),
    ("empty bloc", _set("blocs.0.members", []), r"blocs\[0\]\.members.*at least 1 item"),
    (
        "unknown seat",
        _set("table", ["ab", "zz"]),
        r"table\[1\] = 'zz': expected a bloc id or an actor id",
    ),
    (
        "member seated alone",
        _set("table", ["ab", "a"]),
        r"table\[1\] = 'a': this actor is seated through bloc 'ab'",
    ),
    ("seated twice", _set("table", ["ab", "ab"]), r"table\[1\] = 'ab': seated twice"),
    ("empty table", _set("table", []), r"table = \[\]: at least one seat is needed"),
    # empty scenarios and missing fields
    ("no issues", _set("issues", []), r"issues = \[\]: .*at least one entry here"),
    ("no actors", _set("actors", []), r"actors = \[\]: .*at least one entry here"),
    ("no title", _del("meta.title"), r"meta\.title: required field is missing"),
    ("unknown field", _set("meta.author", "me"), r"meta\.author = 'me': unknown field"),
    ("wrong format tag", _set("format", "accord/9"), r"format = 'accord/9'"),
    # sources
    (
        "unknown source id",
        _set("actors.0.source", "nowhere"),
        r"actors\[0\]\.source = 'nowhere': unknown source id; known: \['src'\]",
    ),
    (
        "unknown source id in an estimate",
        _set("actors.0.capability", {"value": 2, "source": "nowhere"}),
        r"actors\[0\]\.capability\.source = 'nowhere'",
    ),
    (
        "source without a citation",
        _set("meta.sources", [{"id": "src"}]),
        r"meta\.sources\[0\]\.cite: required field is missing",
    ),
    # clocks
    (
        "drift on an unknown issue",
        _set("clocks.0.issue", "zz"),
        r"clocks\[0\]\.issue = 'zz': unknown issue id",
    ),
    (
        "drift limit outside the scale",
        _set("clocks.0.limit", 20),
        r"clocks\[0\]\.limit = 20\.0: expected a value in \[0\.0, 10\.0\]",
    ),
    (
        "cost on an unknown actor",
        _set("clocks.1.actor", "zz"),
        r"clocks\[1\]\.actor = 'zz': unknown actor id",
    ),
    ("unknown clock kind", _set("clocks.1.kind", "tide"), r"clocks\[1\].*tide"),
    # estimates and distributions
    (
        "range and dist",
        _set(
            "actors.0.capability",
            {"value": 2, "range": [1, 3], "dist": {"kind": "uniform", "low": 1, "high": 3}},
        ),
        r"actors\[0\]\.capability.*give either range or dist, not both",
    ),
    (
        "decreasing range",
        _set("actors.0.capability", {"value": 2, "range": [3, 1]}),
        r"range \[3\.0, 1\.0\] is not increasing",
    ),
    (
        "range outside the scale",
        _set("actors.0.positions.level", {"value": 2, "range": [1, 30]}),
        r"actors\[0\]\.positions\.level = \[1\.0, 30\.0\]: range outside the scale",
    ),
    (
        "uniform without high",
        _set("actors.0.capability", {"value": 2, "dist": {"kind": "uniform", "low": 1}}),
        r"a uniform distribution needs high",
    ),
    (
        "triangular mode outside",
        _set(
            "actors.0.capability",
            {"value": 2, "dist": {"kind": "triangular", "low": 1, "mode": 5, "high": 3}},
        ),
        r"mode must lie within \[low, high\]",
    ),
    (
        "low above high",
        _set("actors.0.capability", {"value": 2, "dist": {"kind": "uniform", "low": 4, "high": 3}}),
        r"low \(4\.0\) must not exceed high \(3\.0\)",
    ),
    (
        "normal with sd 0",
        _set("actors.0.capability", {"value": 2, "dist": {"kind": "normal", "mean": 2, "sd": 0}}),
        r"dist\.sd = 0.*greater than 0",
    ),
    (
        "beta without b",
        _set(
            "actors.0.capability",
            {"value": 2, "dist": {"kind": "beta", "a": 2, "low": 0, "high": 4}},
        ),
        r"a beta distribution needs b",
    ),
    (
        "unknown distribution",
        _set("actors.0.capability", {"value": 2, "dist": {"kind": "cauchy"}}),
        r"dist\.kind = 'cauchy'",
    ),
    (
        "infinite estimate",
        _set("actors.0.capability", {"value": float("inf")}),
        r"value must be a finite number",
    ),
    # proposals
    (
        "proposal on an unknown issue",
        _set("proposals.0.outcome.zz", 1),
        r"proposals\[0\]\.outcome\.zz = 1\.0: unknown issue id",
    ),
    (
        "proposal missing an issue",
        _del("proposals.0.outcome.mode"),
        r"proposals\[0\]\.outcome: missing issues \['mode'\]",
    ),
    (
        "proposal outside the scale",
        _set("proposals.0.outcome.level", 12),
        r"proposals\[0\]\.outcome\.level = 12\.0: outside the issue's scale",
    ),
]


@pytest.mark.parametrize(
    ("edit", "expected"), [(e, m) for _, e, m in CASES], ids=[c[0] for c in CASES]
)
def test_each_error_kind_is_reported(edit: Edit, expected: str) -> None:
    data = copy.deepcopy(BASE)
    edit(data)
    with pytest.raises(InputError, match=expected):
        from_data(data, "case.yaml")


def test_salience_on_0_100_is_read_with_salience_scale() -> None:
    data = copy.deepcopy(BASE)
    data["meta"]["salience_scale"] = 100
    for a in data["actors"]:
        a["salience"] = {k: v * 100 for k, v in a["salience"].items()}
    s = from_data(data)
    assert s.salience_of(s.actor("a"), "level") == pytest.approx(0.5)
    data["actors"][0]["salience"]["level"] = 150
    with pytest.raises(InputError, match=r"salience must lie in \[0, 100\]"):
        from_data(data)


def test_free_text_citations_need_no_source_entry() -> None:
    data = copy.deepcopy(BASE)
    data["actors"][0]["source"] = "Reuters, 8 Jul 2014"
    from_data(data)


def test_every_problem_is_reported_at_once() -> None:
    data = copy.deepcopy(BASE)
    data["actors"][0]["positions"]["level"] = 11
    data["actors"][1]["salience"]["mode"] = 2
    data["blocs"][0]["seat"] = "c"
    with pytest.raises(InputError) as e:
        from_data(data)
    assert len(e.value.problems) == 3


YAML = """\
format: accord/1
meta:
  title: lines
issues:
  - id: level
    scale: [0, 10]
    status_quo: 5
actors:
  - id: a
    capability: 1
    positions:
      level: 12
    salience: {level: 0.5}
  - id: b
    capability: -2
    positions: {level: 3}
    salience: {level: 0.5}
    colour: red
blocs:
  - id: g
    members: [a, zz]
    seat: a
"""


def test_yaml_errors_carry_their_lines() -> None:
    with pytest.raises(InputError) as e:
        read_text(YAML, "lines.yaml")
    found = {(p.line, p.message.split(";")[0]) for p in e.value.problems}
    assert (18, "unknown field") in found
    lines = {str(p) for p in e.value.problems}
    assert "lines.yaml:18: actors[1].colour = 'red': unknown field" in lines
    with pytest.raises(InputError) as e:
        read_text(YAML.replace("    colour: red\n", ""), "lines.yaml")
    lines = {str(p) for p in e.value.problems}
    assert (
        "lines.yaml:12: actors[0].positions.level = 12.0: outside the issue's scale [0, 10]"
        in lines
    )
    assert "lines.yaml:15: actors[1].capability = -2.0: capability must be a number ≥ 0" in lines
    assert any(t.startswith("lines.yaml:20: blocs[0].members[1] = 'zz'") for t in lines)


def test_yaml_syntax_errors_carry_their_line() -> None:
    with pytest.raises(InputError, match=r"bad\.yaml:3: not valid YAML/JSON"):
        read_text("meta:\n  title: x\n  - oops\n", "bad.yaml")


def test_a_document_that_is_not_a_mapping() -> None:
    with pytest.raises(InputError, match=r"list\.yaml:1: 'list': expected a mapping"):
        read_text("- 1\n- 2\n", "list.yaml")


def test_yaml_is_read_safely() -> None:
    with pytest.raises(InputError, match="not valid YAML/JSON"):
        read_text("meta: !!python/object/apply:os.system ['true']\n", "evil.yaml")
