"""The metric registry, its contract, a third-party metric, and breakout on arrays."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pytest

import accord
from accord.clocks.breakout_metric import breakout_months
from accord.metrics import METRICS, MetricContext, bind_metric, metric_names
from accord.nuclear import builtin_state
from accord.nuclear.breakout import breakout
from accord.nuclear.vector import breakout_months_array
from accord.scenario.preferences import metric_context


@pytest.fixture(scope="module")
def almaty() -> accord.Scenario:
    return accord.load("almaty-2013")


@pytest.mark.parametrize("name", metric_names())
def test_every_registered_metric_honours_the_contract(name: str, almaty) -> None:
    """Bound to a scenario it applies to: (N, K) → (N,), row by row the same, deterministic."""
    c = accord.compile(almaty)
    fn = bind_metric(name, metric_context(almaty, name))
    x = c.to_units(np.random.default_rng(0).random((64, c.k)))
    v = fn(x)
    assert v.shape == (64,) and v.dtype == np.float64 and not np.isnan(v).any()
    assert np.array_equal(v, fn(x))
    rows = np.array([fn(x[i : i + 1])[0] for i in range(len(x))])
    assert np.allclose(rows, v)
    assert isinstance(METRICS.get(name).obj.unit, str)


def test_breakout_on_arrays_matches_the_scalar_module(almaty) -> None:
    c = accord.compile(almaty)
    fn = bind_metric("breakout_months", metric_context(almaty, "breakout_months"))
    rng = np.random.default_rng(1)
    x = c.to_units(rng.random((200, c.k)))
    x[:20, 0] = 0.0  # no enrichment: no capacity, no breakout
    x[20:40, 1] = 0.0  # no 20 % stock
    got = fn(x)
    base = builtin_state("feb-2013")
    for row, m in zip(x, got, strict=True):
        ref = breakout_months(almaty, dict(zip(almaty.issue_ids, row, strict=True)), base=base)
        assert m == pytest.approx(np.inf if ref is None else ref, rel=1e-9)


def test_breakout_kernel_matches_states_with_many_stocks() -> None:
    state = builtin_state("may-2013")
    assays = tuple(s.assay for s in state.stocks)
    kg = np.array(
        [
            [s.kg_u for s in state.stocks],
            [0.0, state.stocks[1].kg_u],
            [state.stocks[0].kg_u, 0.0],
            [0.0, 0.0],
        ]
    )
    cap = np.array([state.capacity(), 3000.0, 0.0, 5000.0])
    got = breakout_months_array(assays, kg, cap, natural_kg_u=state.natural_kg_u)
    for k in range(len(kg)):
        s = state
        for a, m in zip(assays, kg[k], strict=True):
            s = s.with_stock(a, float(m))
        ref = breakout(s.with_capacity(float(cap[k]))).months
        assert got[k] == pytest.approx(np.inf if ref is None else ref, rel=1e-9)


def test_a_metric_that_does_not_apply_is_a_clean_error() -> None:
    s = accord.load("teaching-trade").model_dump(mode="json", exclude_none=True)
    s["actors"][0]["red_lines"] = [{"metric": "breakout_months", "op": ">=", "value": 6}]
    with pytest.raises(accord.errors.InputError, match="does not apply"):
        accord.Scenario.model_validate(s)


@dataclass(frozen=True)
class Spread:
    """The sum of all issue values (a toy third-party metric)."""

    unit: str = "units"

    def bind(self, context: MetricContext):  # type: ignore[no-untyped-def]
        return lambda units: np.asarray(units, dtype=float).sum(axis=1)


def test_a_third_party_metric_registers_and_drives_red_lines() -> None:
    METRICS.add("test_spread", Spread())
    try:
        data = accord.load("teaching-trade").model_dump(mode="json", exclude_none=True)
        data["actors"][0]["red_lines"] = [{"metric": "test_spread", "op": "<=", "value": 120}]
        data["actors"][0]["metric_terms"] = [
            {
                "metric": "test_spread",
                "weight": 0.5,
                "shape": {"kind": "threshold", "at": 110, "above": False},
            }
        ]
        s = accord.Scenario.model_validate(data)
        c = accord.compile(s)
        assert c.metrics.names == ("test_spread",)
        a = accord.analyze(s, resolution=5)
        assert len(a.frontier_units) and np.all(a.frontier_units.sum(axis=1) <= 120 + 1e-9)
        assert all(p.metrics["test_spread"] <= 120 + 1e-9 for p in a.packages)
        finding = a.red_lines[0]
        assert finding.actor == "Buyer" or finding.actor == "buyer"
        plain = accord.analyze(accord.load("teaching-trade"), resolution=5)
        assert plain.frontier_units.sum(axis=1).max() > 120
    finally:
        METRICS._entries.pop("test_spread")
