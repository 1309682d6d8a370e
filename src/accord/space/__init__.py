"""Outcome spaces: grids over the issues, vectorised utilities in blocks, uniform sampling.

>>> import accord
>>> from accord.space import grid
>>> c = accord.compile(accord.load("teaching-trade"))
>>> grid(c, resolution=5).shape
(5, 4, 5)
"""

from __future__ import annotations

from accord.space.grid import (
    BLOCK_SIZE,
    DEFAULT_RESOLUTION,
    ENUMERATE_LIMIT,
    SPACE_LIMIT,
    OutcomeSpace,
    grid,
)
from accord.space.sampling import sample

__all__ = [
    "BLOCK_SIZE",
    "DEFAULT_RESOLUTION",
    "ENUMERATE_LIMIT",
    "SPACE_LIMIT",
    "OutcomeSpace",
    "grid",
    "sample",
]
