"""Rounds of talks on the calendar: round r starts ``r × meta.round_length`` time units after
``meta.date`` (issue 16 §6). Without a date, rounds are shown as elapsed time only."""

from __future__ import annotations

import datetime as dt

from accord.scenario import Scenario
from accord.scenario.schema import number

_MONTHS = {"day": 12 / 365.25, "week": 12 / 52.18, "month": 1.0, "quarter": 3.0, "year": 12.0}


def round_months(s: Scenario, r: float) -> float:
    """Months elapsed at the start of round `r`."""
    step = number(s.meta.round_length, 1.0)
    return float(r) * step * _MONTHS[s.meta.time_unit]


def round_date(s: Scenario, r: float) -> dt.date | None:
    """The calendar date of round `r` (None when the scenario has no date)."""
    if s.meta.date is None:
        return None
    whole = round(round_months(s, r))
    y, m = divmod(s.meta.date.month - 1 + whole, 12)
    return dt.date(s.meta.date.year + y, m + 1, 1)


def elapsed(months: float) -> str:
    """``8 months`` or ``3.3 years``: a duration as a reader says it."""
    if months < 24:
        return f"{months:.0f} months" if months >= 1.5 else f"{months * 30.4:.0f} days"
    return f"{months / 12:.1f} years"


def round_when(s: Scenario, r: float) -> str:
    """``round 38, about 6.3 years in (mid 2019)``: where a round falls in time."""
    if r <= 0:
        return "round 0, at the opening"
    text = f"round {r:g}, about {elapsed(round_months(s, r))} in"
    d = round_date(s, r)
    return f"{text} ({d:%B %Y})" if d is not None else text
