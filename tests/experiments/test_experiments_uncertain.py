"""Uncertain numbers: enumeration, inverse CDFs, perturbation."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from accord.experiments.uncertain import inverse_cdf, perturb, uncertain_numbers
from accord.scenario import Distribution, Scenario

ALMATY_FIRST = [
    "issues.stockpile_20.status_quo",
    "issues.capacity.status_quo",
]


def test_almaty_uncertain_numbers(almaty: Scenario) -> None:
    params = uncertain_numbers(almaty)
    names = [p.name for p in params]
    assert names[:2] == ALMATY_FIRST
    assert "clocks.stockpile_growth.rate" in names
    assert len(set(names)) == len(names)
    assert params[0].distribution.kind == "uniform"
    assert (params[0].distribution.low, params[0].distribution.high) == (160, 182)
    assert params[0].nominal == 167
    salience = [p for p in params if ".salience." in p.name]
    assert salience and all(p.lo == 0 and p.hi == 1 for p in salience)


def test_plain_numbers_are_not_uncertain(ec_emissions: Scenario) -> None:
    stripped = ec_emissions.model_copy(update={"clocks": ()})
    names = [p.name for p in uncertain_numbers(stripped)]
    assert all(not n.startswith("clocks.") for n in names)


U = np.linspace(0.01, 0.99, 25)


@pytest.mark.parametrize(
    ("dist", "reference"),
    [
        (Distribution(kind="uniform", low=2, high=5), stats.uniform(2, 3)),
        (Distribution(kind="triangular", low=0, mode=1, high=4), stats.triang(0.25, 0, 4)),
        (Distribution(kind="normal", mean=3, sd=2), stats.norm(3, 2)),
        (Distribution(kind="beta", a=2, b=5, low=10, high=20), stats.beta(2, 5, 10, 10)),
    ],
)
def test_inverse_cdf_matches_scipy(dist: Distribution, reference: object) -> None:
    np.testing.assert_allclose(inverse_cdf(dist, U), reference.ppf(U), rtol=1e-9, atol=1e-9)  # type: ignore[attr-defined]


def test_normal_is_clipped_to_its_bounds() -> None:
    d = Distribution(kind="normal", mean=0, sd=1, low=-0.5, high=0.5)
    x = inverse_cdf(d, U)
    assert x.min() == -0.5 and x.max() == 0.5


@settings(max_examples=60, deadline=None)
@given(
    low=st.floats(-100, 100),
    width=st.floats(0.01, 100),
    mode=st.floats(0, 1),
    u=st.lists(st.floats(0, 1), min_size=2, max_size=20),
)
def test_triangular_quantiles_are_monotone_and_in_support(
    low: float, width: float, mode: float, u: list[float]
) -> None:
    d = Distribution(kind="triangular", low=low, mode=low + mode * width, high=low + width)
    uu = np.clip(np.sort(np.array(u)), 1e-12, 1 - 1e-12)
    x = inverse_cdf(d, uu)
    assert np.all(np.diff(x) >= -1e-9)
    assert np.all((x >= low - 1e-9) & (x <= low + width + 1e-9))


def test_perturb_sets_values_and_keeps_sources(almaty: Scenario) -> None:
    params = uncertain_numbers(almaty)
    values = [p.ppf(0.9) for p in params]
    s = perturb(almaty, params, [float(v) for v in values])
    assert s.status_quo_of("stockpile_20") == pytest.approx(160 + 0.9 * 22)
    est = s.issue("stockpile_20").status_quo
    assert getattr(est, "source", None) == "iaea-2013-02"
    assert almaty.status_quo_of("stockpile_20") == 167
    Scenario.model_validate(s.model_dump())


def test_values_are_clamped_to_the_field(almaty: Scenario) -> None:
    p = uncertain_numbers(almaty)[0]
    wide = p.__class__(
        p.path, p.name, p.estimate.model_copy(update={"range": (0.0, 1e6)}), p.lo, p.hi
    )
    assert float(wide.ppf(0.999)) == 250.0


def test_uncertain_numbers_carry_their_declared_bounds(almaty: Scenario) -> None:
    from accord.scenario.numbers import numbers

    walked = {n.path: n for n in numbers(almaty)}
    params = uncertain_numbers(almaty)
    assert params and all(walked[p.path].field.varied for p in params)
    for p in params:
        n = walked[p.path]
        assert (p.name, p.lo, p.hi, p.integer) == (
            n.name,
            n.bounds.clamp_lo,
            n.bounds.hi,
            n.integer,
        )
    assert not any(".outcome" in p.name for p in params)
