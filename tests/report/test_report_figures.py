"""The figures and the page, drawn from plain arrays: what each shows, read from the SVG (text
is kept there as comments), and the footer that makes a report reproducible."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

import accord
from accord.report.figures import Figure, issue_maps
from accord.report.html import Section, Table, render
from accord.report.space_figure import TwoSeatSpace, frontier_plot

CLOUD = np.array([[0.1, 0.2], [0.5, 0.5], [0.9, 0.1], [0.3, 0.8]])
FRONTIER = np.array([[0.9, 0.1], [0.5, 0.5], [0.3, 0.8]])


def texts(fig: Figure) -> list[str]:
    assert fig.png.startswith(b"\x89PNG") and fig.svg.startswith(b"<?xml")
    return re.findall(r"<!-- (.*?) -->", fig.svg.decode())


def test_an_empty_zone_is_said_and_red_line_breaches_drawn_apart() -> None:
    space = TwoSeatSpace(
        ("Iran", "P5+1"), CLOUD, FRONTIER, (0.95, 0.95), breaks=np.array([1, 0, 0, 0], bool)
    )
    shown = texts(frontier_plot(space, {"Nash point": FRONTIER[1]}))
    assert "the zone is empty" in shown and "agreement zone" not in shown
    assert "breaks a red line" in shown
    assert "utility of Iran" in shown and "utility of P5+1" in shown


def test_the_zone_proposals_and_a_session_are_drawn() -> None:
    space = TwoSeatSpace(("Iran", "P5+1"), CLOUD, FRONTIER, (0.2, 0.2))
    path = [(0, CLOUD[2]), (1, CLOUD[3]), (0, CLOUD[1])]
    fig = frontier_plot(space, {}, {"JPOA": CLOUD[1]}, path, CLOUD[1])
    shown = texts(fig)
    assert "agreement zone" in shown and "the zone is empty" not in shown
    assert "breaks a red line" not in shown
    for label in ("1  JPOA", "1", "offers by Iran", "offers by P5+1", "simulated agreement"):
        assert label in shown
    assert fig.id == "frontier"


def test_the_zone_a_seat_rule_gives_replaces_the_quadrant() -> None:
    space = TwoSeatSpace(("A", "B"), CLOUD, FRONTIER, (0.0, 0.0), zone=np.zeros(4, bool))
    assert "the zone is empty" in texts(frontier_plot(space, {}))


def test_issue_maps_show_options_forecasts_and_seats() -> None:
    s = accord.load("almaty-2013")
    c = accord.compile(s)
    point = c.to_units(c.status_quo)
    fig = issue_maps(s, c, {"median": point}, {"median": (point - 1, point + 1)})
    shown = texts(fig)
    fordow = next(i for i in s.issues if i.options)
    assert any(fordow.options[0].split()[0] in t for t in shown)
    assert "not seated" in shown and "median" in shown
    assert set(c.seats.labels) <= set(shown)
    assert shown.count("status quo") == c.k


def test_the_page_carries_its_colophon_and_sections() -> None:
    s = accord.load("teaching-trade")
    section = Section(
        "numbers", "Some numbers", paragraphs=["One paragraph."],
        tables=[Table("A table", pd.DataFrame({"x": [1.5]}))],
    )  # fmt: skip
    page = render(
        s,
        [section],
        answers=["An answer."],
        subtitle="a test",
        version="9.9.9",
        digest="abc123",
        seed=42,
        created="2026-01-01 00:00 UTC",
    )
    assert "9.9.9" in page and "abc123" in page and "seed 42" in page
    assert "2026-01-01 00:00 UTC" in page
    assert "Some numbers" in page and "One paragraph." in page and "A table" in page


def test_numbers_of_close_proposals_point_away_from_each_other() -> None:
    from accord.report.space_figure import _away

    at = np.array([[0.40, 0.77], [0.39, 0.74], [0.84, 0.50]])
    a, b = np.array(_away(at, 0)), np.array(_away(at, 1))
    assert a @ b < 0  # the two close ones are labelled on opposite sides
    assert _away(at, 2) == (_away(at, 2)[0], _away(at, 2)[0])  # a lone point: up and right
