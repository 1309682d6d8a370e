"""The one walk over a scenario's numbers: declaration, walk, bounds, setting and rebuilding."""

from __future__ import annotations

import dataclasses
import math
import typing
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

import accord
from accord.errors import InputError
from accord.experiments.uncertain import Uncertain, perturb, uncertain_numbers
from accord.io.native import from_data, to_data
from accord.scenario import Distribution, Estimate, Scenario, check
from accord.scenario import numbers as nb
from accord.scenario.numbers import (
    FIELDS,
    SETTINGS,
    Bounds,
    cited_numbers,
    number_field,
    numbers,
    set_numbers,
    source_refs,
)

PARTS_OF_A_NUMBER = (Estimate, Distribution)
"""Models whose floats are a number's own value and uncertainty, not numbers of their own."""


def _floats(annotation: Any) -> bool:
    """Whether a field annotation can hold a float or an `Estimate`."""
    if annotation is float:
        return True
    if isinstance(annotation, type) and issubclass(annotation, Estimate):
        return True
    return any(_floats(a) for a in typing.get_args(annotation))


def _models(annotation: Any) -> list[type[BaseModel]]:
    """The schema models an annotation refers to."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for a in typing.get_args(annotation) for m in _models(a)]


def undeclared(root: type[BaseModel]) -> list[str]:
    """Float or `Estimate` fields reachable from `root` in neither `FIELDS` nor `SETTINGS`."""
    declared = {(o, f.attr) for f in FIELDS for o in f.owners} | set(SETTINGS)
    seen: set[type[BaseModel]] = set()
    todo, out = [root], []
    while todo:
        model = todo.pop()
        if model in seen or issubclass(model, PARTS_OF_A_NUMBER):
            continue
        seen.add(model)
        for name, info in model.model_fields.items():
            if _floats(info.annotation) and (model, name) not in declared:
                out.append(f"{model.__name__}.{name}")
            todo += _models(info.annotation)
    return sorted(out)


def test_every_number_field_of_the_schema_is_declared() -> None:
    assert undeclared(Scenario) == []


def test_an_undeclared_number_field_is_caught() -> None:
    class Extra(BaseModel):
        weight: float
        note: str | None = None

    class Holder(BaseModel):
        extras: tuple[Extra, ...] = ()
        price: dict[str, float | Estimate] = {}

    assert undeclared(Holder) == ["Extra.weight", "Holder.price"]


def test_every_declaration_names_a_real_field() -> None:
    for f in FIELDS:
        for owner in f.owners:
            assert f.attr in owner.model_fields, f.name
    for owner, attr in SETTINGS:
        assert attr in owner.model_fields


def full(almaty: Scenario) -> Scenario:
    """Almaty with every declared kind of number present at least once."""
    data = to_data(almaty)
    a = data["actors"][0]
    a["risk"] = {"value": 0.2, "source": "judgement", "range": [-2, 2]}
    a["discount"] = {"value": 0.9, "source": "judgement", "range": [-1, 1]}
    options = almaty.issue("fordow").options or ()
    a["utilities"] = {"fordow": dict(zip(options, (0, 0.2, 0.5, 1), strict=True))}
    a["shapes"] = {"capacity": {"kind": "power", "exponent": 2, "at": 3}}
    a["reservation"] = 0.1
    a["metric_terms"] = [
        {"metric": "breakout_months", "weight": 0.5, "shape": {"kind": "threshold", "at": 3}}
    ]
    data["proposals"][0]["outcome"]["capacity"] = 500
    return from_data(data, "<full>")


def test_the_walk_visits_every_declared_field(almaty: Scenario) -> None:
    s = full(almaty)
    assert {n.field.name for n in numbers(s)} == {f.name for f in FIELDS}


def _at(obj: Any, path: tuple[str | int, ...]) -> Any:
    for part in path:
        obj = obj[part] if isinstance(obj, dict | tuple) else getattr(obj, str(part))
    return obj


def test_each_number_sits_at_its_path_and_names_its_holder(almaty: Scenario) -> None:
    s = full(almaty)
    walked = list(numbers(s))
    assert len({n.name for n in walked}) == len(walked)
    for n in walked:
        assert _at(s, n.path) is n.value
        head, holder = n.name.split(".")[:2]
        if head in ("actors", "issues"):
            assert getattr(s, head)[int(n.path[1])].id == holder


def test_document_order_and_inherited_sources(almaty: Scenario) -> None:
    names = [n.name for n in numbers(almaty)]
    assert names[0] == "meta.round_length"
    assert names.index("issues.capacity.status_quo") < names.index("actors.khamenei.capability")
    assert names[-1].startswith("proposals.")
    by_name = {n.name: n for n in numbers(almaty)}
    us = almaty.actor("us")
    red_line = by_name["actors.us.red_lines.0.value"]
    assert red_line.inherited == (us.red_lines[0].source or us.source)
    term = by_name["actors.us.metric_terms.0.weight"]
    assert term.inherited == (us.metric_terms[0].source or us.source)


def test_a_red_line_without_a_source_inherits_its_actors() -> None:
    data = to_data(_small())
    data["actors"][0]["source"] = "src"
    data["actors"][0]["red_lines"] = [{"issue": "level", "op": "<=", "value": 8}]
    s = from_data(data, "<t>")
    assert ("actors.a.red_lines.0.value", 8.0, "src") in cited_numbers(s)


def test_clocks_without_an_id_are_named_by_kind_and_index() -> None:
    data = to_data(_small())
    data["clocks"] = [
        {"kind": "drift", "issue": "level", "rate": 1},
        {"kind": "cost", "actor": "b", "rate": -0.1},
        {"kind": "cost", "actor": "a", "rate": -0.2, "id": "pain"},
    ]
    names = [n for n, _, _ in cited_numbers(from_data(data, "<t>"))]
    assert names[-3:] == ["clocks.drift0.rate", "clocks.cost1.rate", "clocks.pain.rate"]


def test_cited_numbers_leave_out_the_uncited_fields(almaty: Scenario) -> None:
    cited = {name for name, _, _ in cited_numbers(full(almaty))}
    walked = {n.name: n.field for n in numbers(full(almaty))}
    written = {n.name for n in numbers(full(almaty)) if n.written}
    assert cited == {name for name, f in walked.items() if f.cited and name in written}
    assert "actors.khamenei.risk" in cited and "actors.khamenei.capability" in cited
    assert "actors.khamenei.discount" not in {n for n, _, _ in cited_numbers(almaty)}
    assert not any(".utilities." in name or name.startswith("proposals.") for name in cited)


def _small() -> Scenario:
    return from_data(
        {
            "meta": {"title": "t", "sources": [{"id": "src", "cite": "a source"}]},
            "issues": [
                {"id": "level", "scale": [0, 10], "status_quo": 5},
                {"id": "mode", "options": ["low", "mid", "high"], "status_quo": "mid"},
            ],
            "actors": [
                {
                    "id": "a",
                    "capability": {"value": 2, "source": "src", "range": [1, 3]},
                    "positions": {"level": {"value": 1, "range": [0, 4]}, "mode": "low"},
                    "salience": {"level": 0.5, "mode": 0.5},
                },
                {
                    "id": "b",
                    "capability": 1,
                    "positions": {"level": 9, "mode": "high"},
                    "salience": {"level": 0.7, "mode": 0.2},
                },
            ],
        },
        "<small>",
    )


# --- bounds: declared once, used by validation and by Monte-Carlo clamping -----------------

BOUNDED = [
    ("actors.*.capability", ("actors", 0, "capability"), -1.0),
    ("actors.*.salience.*", ("actors", 0, "salience", "level"), 1.5),
    ("actors.*.reservation", ("actors", 0, "reservation"), 1.2),
    ("actors.*.risk", ("actors", 0, "risk"), -1.5),
    ("actors.*.discount", ("actors", 0, "discount"), 0.0),
    ("meta.round_length", ("meta", "round_length"), -2.0),
]


@pytest.mark.parametrize(("pattern", "path", "bad"), BOUNDED)
def test_validation_refuses_a_value_outside_the_declared_bounds(
    pattern: str, path: tuple[str | int, ...], bad: float
) -> None:
    f = number_field(pattern)
    data = set_numbers(to_data(_small()), [(path, bad)])
    with pytest.raises(InputError) as e:
        from_data(data, "<t>")
    [p] = e.value.problems
    assert p.path == path and p.value == bad
    assert f.label in p.message


@pytest.mark.parametrize(("pattern", "path", "bad"), BOUNDED)
def test_clamping_keeps_a_draw_inside_the_same_bounds(
    pattern: str, path: tuple[str | int, ...], bad: float
) -> None:
    data = to_data(_small())
    _put(data, path, {"value": 0.5, "source": "src", "range": [-1000, 1000]})
    s = from_data(data, "<t>")
    [p] = [u for u in uncertain_numbers(s) if u.path == path]
    b = number_field(pattern).bounds(s)
    lo, hi = float(p.ppf(0.0)), float(p.ppf(1.0))
    assert b.admits(lo) and b.admits(hi) and not b.admits(bad)
    assert lo == b.clamp_lo
    assert hi == b.hi if b.hi < math.inf else hi > 999


def _put(data: Any, path: tuple[str | int, ...], value: Any) -> None:
    for part in path[:-1]:
        data = data[part]
    data[path[-1]] = value


def test_one_change_to_a_declaration_moves_validation_and_clamping(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    narrow = dataclasses.replace(number_field("actors.*.risk"), scope=Bounds(-0.5, 0.5))
    monkeypatch.setitem(nb._BY_NAME, "actors.*.risk", narrow)
    data = to_data(_small())
    data["actors"][1]["risk"] = 0.7
    with pytest.raises(InputError, match=r"risk must lie in \[-0.5, 0.5\]"):
        from_data(data, "<t>")
    data["actors"][1]["risk"] = {"value": 0.1, "source": "src", "range": [-1, 1]}
    [p] = [u for u in uncertain_numbers(from_data(data, "<t>")) if u.name.endswith("risk")]
    assert (float(p.ppf(0.0)), float(p.ppf(1.0))) == (-0.5, 0.5)


def test_issue_scale_numbers_are_clamped_to_the_issue_and_rounded_on_options() -> None:
    data = to_data(_small())
    data["actors"][1]["positions"]["mode"] = {"value": 1, "range": [-5, 9]}
    s = from_data(data, "<t>")
    by_name = {u.name: u for u in uncertain_numbers(s)}
    level, mode = by_name["actors.a.positions.level"], by_name["actors.b.positions.mode"]
    assert (level.lo, level.hi, level.integer) == (0.0, 10.0, False)
    assert (mode.lo, mode.hi, mode.integer) == (0.0, 2.0, True)
    assert float(mode.ppf(0.52)) == 2.0


def test_bounds_read_as_people_write_them() -> None:
    assert Bounds(0, 1).text() == "[0, 1]"
    assert Bounds(0, 1, lo_open=True).text() == "(0, 1]"
    assert Bounds(0).text() == "≥ 0"
    assert Bounds(0, 1, lo_open=True).admits(1.0) and not Bounds(0, 1, lo_open=True).admits(0.0)
    assert Bounds(0, math.inf, lo_open=True).clamp_lo == nb.TINY


# --- setting numbers and rebuilding --------------------------------------------------------


def test_setting_every_number_to_itself_gives_the_same_scenario(almaty: Scenario) -> None:
    s = full(almaty)
    raw = [(n.path, v.value if isinstance(v := n.value, Estimate) else v) for n in numbers(s)]
    assert set_numbers(s, raw) == s
    assert from_data(set_numbers(to_data(s), raw), "<t>") == s


def test_setting_a_number_keeps_its_source_and_touches_nothing_else(almaty: Scenario) -> None:
    path = ("actors", 0, "capability")
    s = set_numbers(almaty, [(path, 90.0)])
    before, after = list(numbers(almaty)), list(numbers(s))
    changed = [(a.name, b.value) for a, b in zip(before, after, strict=True) if a.value != b.value]
    assert [c[0] for c in changed] == ["actors.khamenei.capability"]
    est = changed[0][1]
    assert isinstance(est, Estimate) and est.value == 90.0
    assert est.source == almaty.actors[0].capability.source  # type: ignore[union-attr]
    assert almaty.actors[0].capability != est


def test_model_and_data_routes_agree(almaty: Scenario) -> None:
    params = uncertain_numbers(almaty)
    values = [float(p.ppf(0.3)) for p in params]
    by_model = perturb(almaty, params, values)
    pairs = [(p.path, v) for p, v in zip(params, values, strict=True)]
    assert by_model == from_data(set_numbers(to_data(almaty), pairs), "<t>")


def test_setting_inside_something_that_is_not_a_container_fails() -> None:
    with pytest.raises(TypeError, match="cannot set a number inside"):
        set_numbers(_small(), [(("meta", "title", "x"), 1.0)])


def widened(params: list[Uncertain]) -> list[Uncertain]:
    """The same numbers with ranges far wider than their fields allow."""
    out = []
    for p in params:
        x = p.estimate.number()
        half = 1000 * (abs(x) + 1)
        est = p.estimate.model_copy(update={"range": (x - half, x + half), "dist": None})
        out.append(dataclasses.replace(p, estimate=est))
    return out


@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_perturbing_within_bounds_always_gives_a_valid_scenario(data: st.DataObject) -> None:
    s = _PROPERTY_SCENARIO
    params = widened(uncertain_numbers(s))
    u = data.draw(st.lists(st.floats(0, 1), min_size=len(params), max_size=len(params)))
    values = [float(p.ppf(x)) for p, x in zip(params, u, strict=True)]
    drawn = perturb(s, params, values)
    assert check(drawn) == []
    Scenario.model_validate(drawn.model_dump())


def _property_scenario() -> Scenario:
    data = to_data(accord.load("almaty-2013"))
    data["actors"][1]["risk"] = {"value": 0.2, "source": "judgement", "range": [0, 1]}
    data["actors"][1]["discount"] = {"value": 0.9, "source": "judgement", "range": [0.5, 1]}
    data["actors"][1]["reservation"] = {"value": 0.3, "source": "judgement", "range": [0, 1]}
    return from_data(data, "<property>")


_PROPERTY_SCENARIO = _property_scenario()


# --- source references ---------------------------------------------------------------------


def test_source_refs_list_holders_before_their_estimates() -> None:
    data = to_data(_small())
    data["actors"][0]["source"] = "nosuch"
    data["actors"][0]["positions"]["level"]["source"] = "nosuch2"
    data["issues"][1]["source"] = "zz"
    data["blocs"] = [{"id": "ab", "members": ["a", "b"], "seat": "a", "rule_source": "rr"}]
    with pytest.raises(InputError) as e:
        from_data(data, "<t>")
    assert [(p.path, p.value) for p in e.value.problems] == [
        (("issues", 1, "source"), "zz"),
        (("actors", 0, "source"), "nosuch"),
        (("actors", 0, "positions", "level", "source"), "nosuch2"),
        (("blocs", 0, "rule_source"), "rr"),
    ]


def test_source_refs_cover_every_estimate(almaty: Scenario) -> None:
    refs = dict(source_refs(full(almaty)))
    for n in numbers(full(almaty)):
        if isinstance(n.value, Estimate) and n.value.source:
            assert refs[(*n.path, "source")] == n.value.source


def test_declared_names_are_unique() -> None:
    assert len({f.name for f in FIELDS}) == len(FIELDS)


def test_the_array_of_draws_never_leaves_the_bounds(almaty: Scenario) -> None:
    params = widened(uncertain_numbers(almaty))
    u = np.linspace(0, 1, 11)
    for p in params:
        x = p.ppf(u)
        assert np.all(x >= p.lo) and np.all(x <= p.hi), p.name
