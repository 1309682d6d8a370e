"""Randomness only through `accord.seeding`: no other module builds a generator."""

from __future__ import annotations

import ast
from pathlib import Path

import numpy as np

import accord
from accord.seeding import make_rng, run_rng, spawn_rngs, stream

BUILDERS = {"default_rng", "SeedSequence", "RandomState", "Generator", "PCG64", "seed"}


def _builders(path: Path) -> list[str]:
    """Calls like ``np.random.default_rng(...)`` or ``random.Random(...)`` in one file."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        text = ast.unparse(node.func)
        if text.split(".")[-1] in BUILDERS and "random" in text:
            found.append(f"{path.name}:{node.lineno} {text}")
        if text in ("random.Random", "Random"):
            found.append(f"{path.name}:{node.lineno} {text}")
    return found


def test_no_module_but_seeding_builds_a_generator() -> None:
    root = Path(accord.__file__).parent
    offenders = [
        hit
        for path in sorted(root.rglob("*.py"))
        if path.name != "seeding.py"
        for hit in _builders(path)
    ]
    assert offenders == []


def test_the_checker_finds_a_generator(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("import numpy as np\nrng = np.random.default_rng(3)\n")
    assert _builders(bad) == ["bad.py:2 np.random.default_rng"]


def test_streams_are_stable_and_distinct() -> None:
    a = np.random.default_rng(stream(7, "bdm")).random(3)
    assert np.array_equal(a, np.random.default_rng(stream(7, "bdm")).random(3))
    assert not np.array_equal(a, np.random.default_rng(stream(7, "talks")).random(3))
    assert not np.array_equal(a, run_rng(7, 0).random(3))


def test_spawned_generators_match_numpy_spawning() -> None:
    ours = [g.random() for g in spawn_rngs(5, 3)]
    theirs = [np.random.default_rng(s).random() for s in np.random.SeedSequence(5).spawn(3)]
    assert ours == theirs
    assert [g.random() for g in spawn_rngs(None, 2)] == [g.random() for g in spawn_rngs(0, 2)]
    g = make_rng(1)
    assert make_rng(g) is g
