"""A bounded hypothesis fuzz of the engines on odd but valid scenarios (issue 18).

Zero and subnormal capabilities and saliences, identical positions, positions on the bounds,
tiny and huge (finite) scales: every registered forecast model and the analysis either return
finite results or raise an `AccordError`, never another exception and never NaN.
"""

from __future__ import annotations

import math
import os
from typing import Any

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accord.errors import AccordError
from accord.io import native

CAMPAIGN = int(os.environ.get("ACCORD_FUZZ_EXAMPLES", "0") or 0)
ENGINES = settings(
    max_examples=CAMPAIGN or 12,
    deadline=None,
    derandomize=not CAMPAIGN,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

WEIGHTS = st.sampled_from([0.0, 5e-324, 1e-300, 0.5, 1.0, 3.0, 1e6])
SALIENCES = st.sampled_from([0.0, 5e-324, 1e-300, 0.5, 1.0])
SCALES = st.sampled_from([(0.0, 1.0), (0.0, 1e-300), (-1e300, 1e300), (1e12, 1e12 + 1), (-5, 5)])


@st.composite
def scenarios(draw: st.DrawFn) -> dict[str, Any]:
    """A small valid scenario whose numbers sit at the edges."""
    issues: list[dict[str, Any]] = []
    for k in range(draw(st.integers(1, 3))):
        if draw(st.booleans()):
            options = [f"o{j}" for j in range(draw(st.integers(2, 4)))]
            issues.append({"id": f"i{k}", "options": options, "status_quo": options[0]})
        else:
            lo, hi = draw(SCALES)
            issues.append({"id": f"i{k}", "scale": [lo, hi], "status_quo": lo})
    same = draw(st.booleans())
    actors = []
    for a in range(draw(st.integers(1, 5))):
        positions = {}
        for i in issues:
            values = i["options"] if "options" in i else i["scale"]
            positions[i["id"]] = values[-1] if same else draw(st.sampled_from(values))
        salience = {i["id"]: draw(SALIENCES) for i in issues}
        actors.append(
            {
                "id": f"a{a}",
                "capability": draw(WEIGHTS),
                "positions": positions,
                "salience": salience,
            }
        )
    return {"meta": {"title": "edges"}, "issues": issues, "actors": actors}


def _finite(values: Any) -> bool:
    arr = np.asarray(values, dtype=float)
    return bool(np.isfinite(arr).all())


@ENGINES
@given(scenarios())
def test_models_and_analysis_on_edge_scenarios(data: dict[str, Any]) -> None:
    from accord.analysis.analyze import analyze
    from accord.forecast import MODELS
    from accord.scenario import compile

    try:
        s = native.from_data(data)
    except AccordError:
        return
    c = compile(s)
    for name in MODELS.names():
        try:
            f = MODELS.create(name).forecast(c, seed=0)
        except AccordError:
            continue
        assert _finite(f.point), (name, f.point)
    try:
        a = analyze(s, resolution=5)
    except AccordError:
        return
    assert math.isfinite(a.zone_share)
