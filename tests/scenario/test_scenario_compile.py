"""Invariants of `compile`: utilities in [0, 1], bloc derivation, reservation values."""

from __future__ import annotations

import string
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import accord
from accord.scenario import Compiled, Scenario

BUILTINS = ["almaty-2013", "ec-emissions-1994", "teaching-budget", "teaching-trade"]


def outcomes(c: Compiled, n: int = 300, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    x = rng.random((n, c.k))
    opts = c.n_options > 0
    x[:, opts] = np.rint(x[:, opts] * (c.n_options[opts] - 1)) / (c.n_options[opts] - 1)
    return x


@pytest.mark.parametrize("name", BUILTINS)
def test_utilities_lie_in_0_1(name: str) -> None:
    c = accord.compile(accord.load(name))
    x = outcomes(c)
    for prefs in (c.actors, c.seats):
        u = c.utility(prefs, x)
        assert u.shape == (len(x), prefs.n)
        assert np.all((u >= -1e-12) & (u <= 1 + 1e-12))
        terms = np.zeros(prefs.n)
        for t in prefs.terms:
            terms[t.party] += t.weight
        assert np.allclose(prefs.weight.sum(axis=1) + terms, 1.0)


def test_an_actor_values_its_own_position_most() -> None:
    s = accord.load("ec-emissions-1994")
    c = accord.compile(s)
    u = c.utility(c.actors, c.actors.position)
    assert np.allclose(np.diag(u), 1.0)
    assert np.all(u <= np.diag(u)[None, :] + 1e-12)


def test_options_map_to_even_steps() -> None:
    s = accord.load("almaty-2013")
    c = accord.compile(s)
    k = s.issue_ids.index("sanctions_relief")
    assert c.n_options[k] == 5
    for a in s.actors:
        j = s.position_of(a, "sanctions_relief")
        assert c.actors.position[c.actors.index(a.id), k] == pytest.approx(j / 4)


def test_reservation_is_the_utility_of_the_status_quo_unless_given() -> None:
    s = accord.load("almaty-2013")
    c = accord.compile(s)
    u_q = c.utility(c.actors, c.status_quo[None, :])[0]
    given = [a.reservation is not None for a in s.actors]
    assert not any(given)
    assert np.allclose(c.actors.reservation, u_q)
    seat_uq = c.utility(c.seats, c.status_quo[None, :])[0]
    assert np.allclose(c.seats.reservation, seat_uq)

    t = accord.load("teaching-trade")
    ct = accord.compile(t)
    assert np.allclose(ct.actors.reservation, [0.3, 0.3])


def test_bloc_preferences_are_derived_from_the_members() -> None:
    s = accord.load("almaty-2013")
    c = accord.compile(s)
    b = c.seats.index("p5plus1")
    rows = list(c.seat_members[b])
    cap = c.actors.capability[rows]
    sal = c.actors.salience[rows]
    pos = c.actors.position[rows]
    assert c.seats.capability[b] == pytest.approx(cap.sum())
    cs = cap[:, None] * sal
    expected_pos = (cs * pos).sum(axis=0) / cs.sum(axis=0)
    assert np.allclose(c.seats.position[b], expected_pos)
    expected_sal = (cap[:, None] / cap.sum() * sal).sum(axis=0)
    assert np.allclose(c.seats.salience[b], expected_sal)
    for k, table in c.seats.tables.items():
        member_tables = c.actors.tables[k][rows]
        assert np.allclose(table[b], np.average(member_tables, axis=0, weights=cs[:, k]))


def test_a_given_reservation_shifts_the_bloc_reservation(tmp_path: Any) -> None:
    s = accord.load("almaty-2013")
    base = accord.compile(s).seats.reservation
    shifted = s.model_copy(
        update={
            "actors": tuple(
                a.model_copy(update={"reservation": 1.0}) if a.id == "us" else a for a in s.actors
            )
        }
    )
    c = accord.compile(shifted)
    assert c.seats.reservation[0] == pytest.approx(base[0])
    assert c.seats.reservation[1] > base[1]


# --- hypothesis properties ---------------------------------------------------------------------

ids = st.text(string.ascii_lowercase, min_size=1, max_size=5).map(lambda t: "a" + t)


@st.composite
def scenarios(draw: Any) -> Scenario:
    """Random valid scenarios: continuous and options issues, optional blocs and reservations."""
    n_issues = draw(st.integers(1, 3))
    issues: list[tuple[dict[str, Any], Any]] = []
    for k in range(n_issues):
        if draw(st.booleans()):
            m = draw(st.integers(2, 5))
            opts = [f"o{j}" for j in range(m)]
            issues.append(
                (
                    {"id": f"i{k}", "options": opts, "status_quo": draw(st.sampled_from(opts))},
                    st.sampled_from(opts),
                )
            )
        else:
            lo = draw(st.floats(-100, 100))
            hi = lo + draw(st.floats(0.5, 100))
            issues.append(
                (
                    {"id": f"i{k}", "scale": [lo, hi], "status_quo": draw(st.floats(lo, hi))},
                    st.floats(lo, hi),
                )
            )
    actor_ids = draw(st.lists(ids, min_size=2, max_size=5, unique=True))
    actors = []
    for aid in actor_ids:
        a: dict[str, Any] = {
            "id": aid,
            "capability": draw(st.floats(0, 100)),
            "positions": {i["id"]: draw(p) for i, p in issues},
            "salience": {i["id"]: draw(st.floats(0, 1)) for i, _ in issues},
            "exponent": draw(st.sampled_from([0.5, 1.0, 2.0])),
        }
        if draw(st.booleans()):
            a["reservation"] = draw(st.floats(0, 1))
        actors.append(a)
    data: dict[str, Any] = {
        "meta": {"title": "generated"},
        "issues": [i for i, _ in issues],
        "actors": actors,
    }
    if draw(st.booleans()):
        members = actor_ids[:2]
        data["blocs"] = [{"id": "bloc", "members": members, "seat": members[0]}]
    return Scenario.model_validate(data)


@settings(max_examples=60, deadline=None)
@given(s=scenarios(), seed=st.integers(0, 2**16))
def test_generated_utilities_and_reservations_lie_in_0_1(s: Scenario, seed: int) -> None:
    c = accord.compile(s)
    x = outcomes(c, 50, seed)
    for prefs in (c.actors, c.seats):
        u = c.utility(prefs, x)
        assert np.all((u >= -1e-9) & (u <= 1 + 1e-9))
        assert np.all((prefs.reservation >= 0) & (prefs.reservation <= 1))
        assert np.all((prefs.position >= -1e-12) & (prefs.position <= 1 + 1e-12))


@settings(max_examples=60, deadline=None)
@given(s=scenarios())
def test_generated_reservation_is_the_status_quo_utility_unless_given(s: Scenario) -> None:
    c = accord.compile(s)
    u_q = c.utility(c.actors, c.status_quo[None, :])[0]
    for k, a in enumerate(s.actors):
        expected = u_q[k] if a.reservation is None else float(a.reservation)  # type: ignore[arg-type]
        assert c.actors.reservation[k] == pytest.approx(expected)


@settings(max_examples=40, deadline=None)
@given(s=scenarios(), factor=st.floats(0.01, 100))
def test_rescaling_capabilities_changes_no_bloc_preference(s: Scenario, factor: float) -> None:
    scaled = s.model_copy(
        update={
            "actors": tuple(
                a.model_copy(update={"capability": float(a.capability) * factor})  # type: ignore[arg-type]
                for a in s.actors
            )
        }
    )
    c1, c2 = accord.compile(s), accord.compile(scaled)
    assert np.allclose(c1.seats.position, c2.seats.position)
    assert np.allclose(c1.seats.salience, c2.seats.salience)
    assert np.allclose(c1.seats.capability * factor, c2.seats.capability)


@settings(max_examples=40, deadline=None)
@given(s=scenarios(), data=st.data())
def test_listing_order_of_actors_does_not_matter(s: Scenario, data: Any) -> None:
    order = data.draw(st.permutations(range(len(s.actors))))
    shuffled = s.model_copy(update={"actors": tuple(s.actors[i] for i in order)})
    c1, c2 = accord.compile(s), accord.compile(shuffled)
    rows = [c1.actors.index(a) for a in c2.actors.ids]
    assert np.allclose(c1.actors.position[rows], c2.actors.position)
    assert np.allclose(c1.actors.reservation[rows], c2.actors.reservation)
    x = outcomes(c1, 20)
    assert np.allclose(c1.utility(c1.actors, x)[:, rows], c2.utility(c2.actors, x))
