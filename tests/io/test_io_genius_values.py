"""GENIUS profiles as ANAC ships them: negative evaluations and reservation values below 0.

What a user hit: the ANAC 2010 "Travel" domain (its profile travel_chox.xml has evaluations
such as -0.0179 and a reservation of -0.1106) was refused outright. accord now reads it and
re-expresses that party's utility by one exact positive affine map, with a note.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest

import accord
from accord.io import read_with_notes

DOMAIN = """<negotiation_template><utility_space><objective index="0" name="root">
<issue index="1" name="Food" etype="discrete"><item index="1" value="Fish"/>
<item index="2" value="Meat"/><item index="3" value="Salad"/></issue>
<issue index="2" name="Music" etype="discrete"><item index="1" value="Jazz"/>
<item index="2" value="Rock"/></issue>
</objective></utility_space></negotiation_template>
"""
PROFILE = """<utility_space><objective index="0" name="root">
<issue index="1" name="Food" etype="discrete">
<item index="1" value="Fish" evaluation="0.8"/><item index="2" value="Meat" evaluation="-0.2"/>
<item index="3" value="Salad" evaluation="0.4"/></issue>
<issue index="2" name="Music" etype="discrete">
<item index="1" value="Jazz" evaluation="3"/><item index="2" value="Rock" evaluation="1"/></issue>
<weight index="1" value="0.6"/><weight index="2" value="0.4"/>
</objective><discount_factor value="0.0"/><reservation value="{r}"/></utility_space>
"""
EVAL = {"Food": {"Fish": 0.8, "Meat": -0.2, "Salad": 0.4}, "Music": {"Jazz": 3, "Rock": 1}}
WEIGHT = {"Food": 0.6, "Music": 0.4}


def _folder(tmp_path: Path, reservation: float) -> Path:
    (tmp_path / "domain.xml").write_text(DOMAIN)
    (tmp_path / "party.xml").write_text(PROFILE.format(r=reservation))
    return tmp_path


def _genius_utility(pkg: dict[str, str]) -> float:
    """GENIUS's own utility: Σ weight × evaluation / the issue's largest evaluation."""
    return sum(WEIGHT[i] * EVAL[i][v] / max(EVAL[i].values()) for i, v in pkg.items())


def test_negative_evaluations_are_rescaled_exactly_with_a_note(tmp_path: Path) -> None:
    s, notes = read_with_notes(_folder(tmp_path, 0.3))
    assert any("rescaled exactly" in n and "Food" in n for n in notes)
    c = accord.compile(s)
    packages = [dict(zip(EVAL, combo, strict=True)) for combo in itertools.product(*EVAL.values())]
    raw = np.array([_genius_utility(p) for p in packages])
    ours = np.array([_our_utility(s, c, p) for p in packages])
    slope, intercept = np.polyfit(raw, ours, 1)
    assert slope > 0 and np.allclose(ours, slope * raw + intercept, atol=1e-12)
    assert c.actors.reservation[0] == pytest.approx(slope * 0.3 + intercept)
    assert ours.min() >= 0 and ours.max() <= 1 + 1e-12


def test_a_reservation_below_every_package_reads_as_zero(tmp_path: Path) -> None:
    s, notes = read_with_notes(_folder(tmp_path, -0.5))
    assert any("below every package: read as 0" in n for n in notes)
    assert accord.compile(s).actors.reservation[0] == 0


def test_a_discount_factor_of_zero_means_no_discount(tmp_path: Path) -> None:
    s, _ = read_with_notes(_folder(tmp_path, 0.3))
    assert s.actors[0].discount == 1


def _our_utility(s: accord.Scenario, c: accord.Compiled, pkg: dict[str, str]) -> float:
    x = np.array(
        [[s.issues[k].options.index(pkg[s.issues[k].name or s.issues[k].id]) for k in range(c.k)]]
    )
    x = x / np.array([len(i.options) - 1 for i in s.issues])
    from accord.scenario.decide import decide

    return float(decide(c, x, parties="actors").actor_utility[0, 0])
