"""Every Python example of docs/bargaining.md runs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

DOC = Path(__file__).resolve().parents[2] / "docs" / "bargaining.md"
BLOCKS = re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)


def test_the_page_has_examples() -> None:
    assert len(BLOCKS) >= 3


@pytest.mark.parametrize("code", BLOCKS)
def test_example_runs(code: str) -> None:
    from accord.bargain import STRATEGIES

    before = set(STRATEGIES.names())
    try:
        exec(compile(code, str(DOC), "exec"), {})
    finally:
        for name in set(STRATEGIES.names()) - before:
            STRATEGIES._entries.pop(name)
