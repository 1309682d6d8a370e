"""accord: model, analyse, simulate and forecast multi-party negotiations.

>>> import accord
>>> s = accord.load("almaty-2013")
>>> c = accord.compile(s)
>>> c.seats.ids
('iran', 'p5plus1')
"""

from __future__ import annotations

from accord.analysis import Analysis, analyze
from accord.errors import AccordError, InputError, LimitError, Problem
from accord.io import load, read, write
from accord.scenario import Scenario, compile

__version__ = "0.1.0"

__all__ = [
    "AccordError",
    "Analysis",
    "InputError",
    "LimitError",
    "Problem",
    "Scenario",
    "__version__",
    "analyze",
    "compile",
    "load",
    "read",
    "write",
]
