"""The report's "The road to the deal" section."""

from __future__ import annotations

import accord
from accord.report.road import road_section


def test_section_for_the_timeline_base() -> None:
    sec = road_section(accord.load("almaty-2013"))
    assert sec is not None
    assert sec.title == "The road to the deal"
    (fig,) = sec.figures
    assert fig.png.startswith(b"\x89PNG")
    rounds, table = sec.appendix
    assert len(rounds.frame) == 9
    assert rounds.frame["recorded"].iloc[-1] == "final deal"
    assert list(table.frame["round"])[-1] == "Vienna (JCPOA)"
    assert set(table.frame["seats"]) <= {"hit", "miss"}


def test_no_section_for_other_scenarios() -> None:
    assert road_section(accord.load("teaching-trade")) is None
