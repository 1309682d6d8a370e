"""Seeded randomness: the only way accord draws random numbers.

Every generator of accord is built here (a test checks that no other module calls
``default_rng`` or ``SeedSequence``):

- run *i* of an experiment draws from ``SeedSequence(root, spawn_key=(i,))`` (design §2,
  `run_rng`), so a result never depends on which worker ran it or how the runs were chunked;
- `spawn_rngs` gives the n independent child streams of a seed (the parties of a session);
- `stream` gives an engine its own stream of a job's seed, keyed by the engine's name, so that
  the engines of one job do not draw the same numbers from one integer seed.
"""

from __future__ import annotations

import zlib

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


def stream(root: int, name: str) -> np.random.SeedSequence:
    """The seed sequence of engine `name` under a job's root seed.

    ``SeedSequence(root, spawn_key=(k,))`` with ``k`` the CRC-32 of the name: stable across
    runs, processes and Python versions (unlike ``hash``), different for every engine.
    """
    check_seed(root)
    return np.random.SeedSequence(root, spawn_key=(zlib.crc32(name.encode()),))


def spawn_rngs(seed: SeedLike, n: int) -> list[np.random.Generator]:
    """`n` independent generators spawned from `seed` (a generator spawns its own children).

    ``None`` means seed 0, as everywhere in accord.
    """
    if isinstance(seed, np.random.Generator):
        return list(seed.spawn(n))
    check_seed(seed)
    ss = seed if isinstance(seed, np.random.SeedSequence) else np.random.SeedSequence(seed or 0)
    return [np.random.default_rng(s) for s in ss.spawn(n)]


def make_rng(seed: SeedLike = None) -> np.random.Generator:
    """A generator from a seed, a seed sequence or a generator (returned as is).

    ``None`` means seed 0: accord is reproducible by default, never seeded from the clock.
    """
    if isinstance(seed, np.random.Generator):
        return seed
    check_seed(seed)
    return np.random.default_rng(0 if seed is None else seed)
