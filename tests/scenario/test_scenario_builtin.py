"""The built-in scenarios load, validate and compile; Almaty cites a source for every number."""

from __future__ import annotations

import numpy as np
import pytest

import accord
from accord.cli.scenario_cmds import unsourced_numbers
from accord.errors import UnknownNameError
from accord.io import native
from accord.scenario import Estimate, builtin_names, builtin_path, check

BUILTINS = ["almaty-2013", "ec-emissions-1994", "teaching-budget", "teaching-trade"]


def test_the_builtin_scenarios_are_listed() -> None:
    assert builtin_names() == BUILTINS


@pytest.mark.parametrize("name", BUILTINS)
def test_builtin_loads_validates_and_compiles(name: str) -> None:
    s = accord.load(name)
    assert check(s) == []
    c = accord.compile(s)
    assert c.k == len(s.issues) and c.actors.n == len(s.actors)
    assert c.seats.ids == tuple(s.seats)
    assert np.all((c.status_quo >= 0) & (c.status_quo <= 1))
    assert np.all(np.isfinite(c.actors.reservation)) and np.all(np.isfinite(c.seats.reservation))


@pytest.mark.parametrize("name", BUILTINS)
def test_builtin_text_is_what_the_writer_would_keep(name: str) -> None:
    s = accord.load(name)
    assert native.read_text(native.dumps_yaml(s)) == s


def test_every_almaty_number_cites_a_source_or_is_a_judgement() -> None:
    s = accord.load("almaty-2013")
    assert unsourced_numbers(s) == []


def test_unsourced_numbers_finds_plain_numbers() -> None:
    s = accord.load("almaty-2013")
    a = s.actors[0].model_copy(update={"capability": 100.0, "source": None})
    bare = s.model_copy(update={"actors": (a, *s.actors[1:])})
    assert unsourced_numbers(bare) == [f"actors.{a.id}.capability"]


def test_almaty_judgements_carry_their_reasoning_where_numbers_are_read_off() -> None:
    s = accord.load("almaty-2013")
    judged = [
        v
        for a in s.actors
        for v in (*a.positions.values(), *a.salience.values(), a.capability)
        if isinstance(v, Estimate) and v.source == "judgement"
    ]
    assert judged, "the Almaty case marks some numbers as judgements"


def test_almaty_seats_are_the_two_sides() -> None:
    s = accord.load("almaty-2013")
    assert s.seats == ["iran", "p5plus1"]
    c = accord.compile(s)
    assert c.seats.ids == ("iran", "p5plus1")
    iran = c.seat_members[0]
    assert [c.actors.ids[i] for i in iran] == ["khamenei", "jalili"]


def test_unknown_builtin_name() -> None:
    with pytest.raises(UnknownNameError, match="unknown scenario 'nope'"):
        builtin_path("nope")
    with pytest.raises(UnknownNameError, match="known: almaty-2013"):
        accord.load("nope")
