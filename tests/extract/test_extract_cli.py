"""`accord extract` end to end: the draft file, `accord show` on it, JSON, and bad input."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

pytest.importorskip("spacy")

from accord.cli.main import app
from accord.extract import pipeline

ARTICLES = Path(__file__).resolve().parents[1] / "data" / "articles"
ALMATY = ARTICLES / "almaty-2013.txt"
runner = CliRunner()


def test_extract_writes_a_draft_that_show_displays(tmp_path: Path) -> None:
    out = tmp_path / "draft.yaml"
    r = runner.invoke(app, ["extract", str(ALMATY), "--out", str(out)])
    assert r.exit_code == 0, r.output
    assert "Catherine Ashton" in r.output and "Quotes" in r.output
    assert out.is_file()
    shown = runner.invoke(app, ["show", str(out)])
    assert shown.exit_code == 0, shown.output
    assert "Uranium enrichment" in shown.output and "P5+1" in shown.output
    valid = runner.invoke(app, ["validate", str(out)])
    assert valid.exit_code == 0 and "cite no source" not in valid.output


def test_extract_json_has_the_quotes_table() -> None:
    r = runner.invoke(app, ["extract", str(ALMATY), "--json"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    quotes = data["extraction"]["quotes"]
    assert len(quotes) == 16
    assert quotes[0]["speaker_name"] == "Catherine Ashton"
    assert {"sentence", "party", "kind", "attribution"} <= set(quotes[0])
    assert data["scenario"]["format"] == "accord/1"
    assert any(s["id"] == "q16" for s in data["scenario"]["meta"]["sources"])


def test_existing_output_needs_force(tmp_path: Path) -> None:
    out = tmp_path / "draft.yaml"
    out.write_text("keep me")
    r = runner.invoke(app, ["extract", str(ALMATY), "--out", str(out)])
    assert r.exit_code == 2
    assert "--force" in r.output
    assert out.read_text() == "keep me"
    r = runner.invoke(app, ["extract", str(ALMATY), "--out", str(out), "--force"])
    assert r.exit_code == 0
    assert out.read_text().startswith("format: accord/1")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"   \n\n  \t\n", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary"),
        (b"\xff\xfe\xfa caf\xe9 au lait", "not UTF-8"),
        (
            "Les négociations entre l'Iran et les grandes puissances se sont terminées samedi "
            "à Almaty sans accord, a déclaré la représentante de l'Union européenne. Les deux "
            "parties restent très éloignées sur le fond du dossier nucléaire.".encode(),
            "does not look like English",
        ),
        (b"Talks ended.", "too short"),
    ],
)
def test_bad_input_exits_2_with_a_clear_message(
    tmp_path: Path, content: bytes, message: str
) -> None:
    f = tmp_path / "report.txt"
    f.write_bytes(content)
    out = tmp_path / "draft.yaml"
    r = runner.invoke(app, ["extract", str(f), "--out", str(out)])
    assert r.exit_code == 2
    assert message in r.output
    assert "Traceback" not in r.output
    assert not out.exists()


def test_missing_file_exits_2(tmp_path: Path) -> None:
    r = runner.invoke(app, ["extract", str(tmp_path / "nope.txt")])
    assert r.exit_code == 2
    assert "no such file" in r.output


def test_without_spacy_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "spacy", None)
    pipeline.build_nlp.cache_clear()
    try:
        r = runner.invoke(app, ["extract", str(ALMATY)])
    finally:
        pipeline.build_nlp.cache_clear()
    assert r.exit_code == 2
    assert "pip install 'accord[extract]'" in r.output


def test_a_huge_report_exits_2_naming_the_file(tmp_path: Path) -> None:
    f = tmp_path / "huge.txt"
    f.write_text("The union said the talks failed. " * 40_000, encoding="utf-8")
    out = tmp_path / "draft.yaml"
    r = runner.invoke(app, ["extract", str(f), "--out", str(out)])
    assert r.exit_code == 2
    assert "huge.txt" in r.output and "limit" in r.output
    assert "Traceback" not in r.output and not out.exists()
