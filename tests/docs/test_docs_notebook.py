"""docs/notebook.md runs as written, and what it shows is what a notebook user gets."""

from __future__ import annotations

import os
import re
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
from matplotlib.figure import Figure

PAGE = Path(__file__).resolve().parents[2] / "docs" / "notebook.md"


def test_notebook_page_runs(tmp_path: Path) -> None:
    blocks = re.findall(r"```python\n(.*?)```", PAGE.read_text(encoding="utf-8"), re.S)
    assert len(blocks) >= 5
    ns: dict[str, object] = {}
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        for code in blocks:
            exec(compile(code, str(PAGE), "exec"), ns)
    finally:
        os.chdir(cwd)
    assert (tmp_path / "bargaining-space.svg").read_bytes().startswith(b"<?xml")
    for name in ("s", "a", "bdm", "r"):
        view = ns[name]._repr_html_()  # type: ignore[attr-defined]
        assert "<table" in view or "<p>" in view, name
        assert len(view) < 20_000, name
    assert "Nash" in ns["a"]._repr_html_() or "nash" in ns["a"]._repr_html_()  # type: ignore[attr-defined]
    assert "suspended" in ns["bdm"]._repr_html_()  # type: ignore[attr-defined]
    assert "Where bargaining is heading" in ns["r"]._repr_html_()  # type: ignore[attr-defined]
    assert isinstance(ns["fig"], Figure)
    assert "shown" in ns["bdm"].to_frame().columns  # type: ignore[attr-defined]
    assert "<script" not in str(ns["html"]).lower()
