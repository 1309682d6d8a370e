"""BDM's expected-utility model: Scholz replication, vectorised vs loop, switches."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from accord.errors import InputError, LimitError
from accord.forecast import MODELS
from accord.forecast.models.bdm import BDM
from accord.forecast.models.bdm_core import Switches, bdm_round, win_probability
from accord.scenario import compile


def _reference() -> Any:
    """The test-only loop implementation beside this file (tests are not a package)."""
    path = Path(__file__).with_name("bdm_reference.py")
    spec = importlib.util.spec_from_file_location("bdm_reference", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


bdm_round_loop = _reference().bdm_round_loop

# Scholz, Calbert & Smith (2011) Table 2; forecast-models.md §2.4.6.
SCHOLZ_MEDIAN = [8.4, 9.9, 9.9, 9.9, 9.9, 7.4, 8.8, 9.6]
SCHOLZ_MEAN = [7.4, 7.5, 7.6, 7.3, 7.3, 7.4, 7.5, 7.6]
JMCKIB_MEDIAN = [8.42, 9.61, 9.96, 9.96, 9.96, 7.47, 8.82, 9.67]
JMCKIB_MEAN = [7.46, 7.55, 7.59, 7.36, 7.35, 7.41, 7.51, 7.57]


def test_scholz_table_2_is_reproduced_round_by_round(ec_emissions) -> None:
    c = compile(ec_emissions)
    med = BDM.scholz(rounds=8).forecast(c)
    mean = BDM.scholz(rounds=8, forecast="mean").forecast(c)
    assert med.rounds == 8 and med.stop == "fixed rounds (8)"
    assert med.trajectory[0, 0] == pytest.approx(7.0)
    assert mean.trajectory[0, 0] == pytest.approx(7.39, abs=0.005)
    assert np.abs(med.trajectory[1:, 0] - SCHOLZ_MEDIAN).max() < 0.3
    assert np.abs(mean.trajectory[1:, 0] - SCHOLZ_MEAN).max() < 0.3
    assert med.trajectory[1:, 0] == pytest.approx(JMCKIB_MEDIAN, abs=0.006)
    assert mean.trajectory[1:, 0] == pytest.approx(JMCKIB_MEAN, abs=0.006)


def test_replication_from_the_shared_csv(shared_dir) -> None:
    import pandas as pd

    df = pd.read_csv(shared_dir / "data" / "ec-emissions-1994.csv")
    x = df["position"].to_numpy(float)
    c, s = df["capability"].to_numpy(float), df["salience"].to_numpy(float)
    path, _, _ = BDM.scholz(rounds=8).run_issue(x, c, s, float(np.ptp(x)))
    assert np.abs(np.array(path[1:]) - SCHOLZ_MEDIAN).max() < 0.3


def test_paper_switches_change_the_result(ec_emissions) -> None:
    c = compile(ec_emissions)
    a = BDM.scholz(rounds=8).forecast(c).trajectory[:, 0]
    b = BDM.scholz(rounds=8, denominator="paper").forecast(c).trajectory[:, 0]
    assert not np.allclose(a, b)


@pytest.mark.parametrize(
    "sw",
    [
        Switches(),
        Switches(denominator="paper", offer="least-movement", capitulation=True),
        Switches(q=0.5, security="challenger", reset_risk=False),
        Switches(denominator="paper", q=0.8, offer="eu-weighted"),
    ],
)
def test_vectorised_round_matches_the_dyad_loop(sw: Switches) -> None:
    rng = np.random.default_rng(11)
    for _ in range(4):
        n = 6
        x = rng.integers(0, 5, size=n).astype(float) * 2.5
        c = rng.uniform(0.1, 1.0, size=n)
        s = rng.uniform(0.1, 1.0, size=n)
        r = rng.uniform(0.5, 2.0, size=n)
        for _ in range(3):
            fast = bdm_round(x, c, s, r, 10.0, sw)
            slow_x, slow_r = bdm_round_loop(list(x), list(c), list(s), list(r), 10.0, sw)
            assert fast.r == pytest.approx(slow_r, abs=1e-9)
            assert fast.x == pytest.approx(slow_x, abs=1e-9)
            x, r = fast.x, fast.r


def test_paper_probabilities_are_complementary() -> None:
    rng = np.random.default_rng(2)
    x = rng.uniform(0, 1, 8)
    p = win_probability(x, rng.uniform(0.1, 1, 8), rng.uniform(0.5, 2, 8), 1.0, "paper")
    off = ~np.eye(8, dtype=bool)
    assert (p + p.T)[off] == pytest.approx(np.ones(56))
    q = win_probability(x, np.ones(8), np.ones(8), 1.0, "scholz-code")
    assert (q + q.T)[off].max() < 1.0


def test_convergence_stop_is_recorded(ec_emissions) -> None:
    f = MODELS.create("bdm").forecast(compile(ec_emissions))
    assert f.stop.startswith("converged")
    assert f.rounds < 10
    capped = MODELS.create("bdm", rounds=2).forecast(compile(ec_emissions))
    assert capped.stop == "round cap (2)" and capped.rounds == 2


def test_unanimity_needs_no_rounds(make_scenario) -> None:
    f = BDM().forecast(compile(make_scenario([[30.0], [30.0]], [[1.0], [0.5]], [1.0, 2.0])))
    assert f.point == pytest.approx([30.0]) and f.stop == "no disagreement"


def test_positions_are_recorded_in_issue_units(ec_emissions) -> None:
    f = BDM.scholz(rounds=3).forecast(compile(ec_emissions))
    assert f.positions is not None and f.positions.shape == (4, 10, 1)
    assert f.positions[0, :, 0] == pytest.approx([4, 7, 4, 4, 10, 10, 10, 7, 4, 7])
    assert set(f.to_frame()["round"]) == {0, 1, 2, 3}


def test_bad_switches() -> None:
    with pytest.raises(InputError, match="denominator"):
        BDM(denominator="votes")  # type: ignore[arg-type]
    with pytest.raises(InputError):
        BDM(q=1.5)
    with pytest.raises(LimitError):
        BDM(rounds=10**6)
