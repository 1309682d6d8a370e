"""Seeded randomness: the only way accord draws random numbers.

Run *i* of an experiment draws from ``SeedSequence(root, spawn_key=(i,))`` (design §2), so a
result never depends on which worker ran it or how the runs were chunked.
"""

from __future__ import annotations

import numpy as np

from accord.errors import InputError, Problem

SeedLike = int | np.random.SeedSequence | np.random.Generator | None


def check_seed(seed: object) -> None:
    """Refuse a seed NumPy cannot use (a negative integer) with an `InputError`."""
    if isinstance(seed, int | np.integer) and seed < 0:
        raise InputError(Problem("a seed is a whole number ≥ 0", ("seed",), int(seed)))


def run_seed(root: int, i: int) -> np.random.SeedSequence:
    """The seed sequence of run `i` under root seed `root`."""
    check_seed(root)
    return np.random.SeedSequence(root, spawn_key=(i,))


def run_rng(root: int, i: int) -> np.random.Generator:
    """The generator of run `i` under root seed `root`."""
    return np.random.default_rng(run_seed(root, i))


def make_rng(seed: SeedLike = None) -> np.random.Generator:
    """A generator from a seed, a seed sequence or a generator (returned as is).

    ``None`` means seed 0: accord is reproducible by default, never seeded from the clock.
    """
    if isinstance(seed, np.random.Generator):
        return seed
    check_seed(seed)
    return np.random.default_rng(0 if seed is None else seed)
