"""Sources are public citations a reader can follow: title, publisher, date, an http(s) link or a
copy shipped in the repository; unsafe addresses are refused (issue 16 §4)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from accord.cli.main import app
from accord.errors import InputError
from accord.io.native import read, read_text
from accord.scenario import builtin_names, builtin_path
from accord.scenario.schema import Source

REPO = Path(__file__).resolve().parents[2]
runner = CliRunner()

SCENARIO = """\
format: accord/1
meta:
  title: t
  sources:
    - {{id: s, cite: "a source", {extra}}}
issues:
  - {{id: x, scale: [0, 1], status_quo: 0, source: s}}
actors:
  - {{id: p, capability: 1, positions: {{x: 0}}, salience: {{x: 1}}, source: s}}
  - {{id: q, capability: 1, positions: {{x: 1}}, salience: {{x: 1}}, source: s}}
"""


def _all_sources() -> list[tuple[str, Source]]:
    return [
        (name, src) for name in builtin_names() for src in read(builtin_path(name)).meta.sources
    ]


@pytest.mark.parametrize(("name", "src"), _all_sources(), ids=lambda x: getattr(x, "id", x))
def test_every_builtin_source_can_be_followed(name: str, src: Source) -> None:
    assert src.title, f"{name}: source {src.id} has no title"
    assert src.grade in {"F", "R", "E", "J"}, f"{name}: source {src.id} has no grade"
    assert src.url or src.document, f"{name}: source {src.id} has neither a url nor a document"
    if src.url:
        assert re.fullmatch(r"https?://\S+", src.url)
    if src.document:
        assert (REPO / src.document).is_file(), f"{name}: {src.document} does not ship"


def test_grades_stay_honest() -> None:
    """Judgements stay judgements; the fact sheet's own estimates stay estimates."""
    srcs = {(n, s.id): s for n, s in _all_sources()}
    assert all(s.grade == "J" for (_, sid), s in srcs.items() if sid == "judgement")
    assert srcs["almaty-2013", "fs-power"].grade == "E"
    assert srcs["almaty-2013", "fs-capacity"].grade == "E"


def test_no_source_points_at_an_unshipped_fact_sheet() -> None:
    for name, src in _all_sources():
        assert "shared/" not in (src.cite + (src.document or "")), (name, src.id)


def test_fact_sheet_sections_cited_exist_in_the_shipped_copy() -> None:
    sheet = (REPO / "docs/sources/iran-talks-2013.md").read_text(encoding="utf-8")
    assert sheet.startswith("<!--") and "copied verbatim" in sheet.split("-->")[0].lower()
    assert "\n# Iran–P5+1 domain facts" in sheet
    cited = [s for n, s in _all_sources() if s.document == "docs/sources/iran-talks-2013.md"]
    assert len(cited) >= 5
    for s in cited:
        assert s.title
        m = re.search(r"§(\d)([a-z]?)", s.title)
        assert m, s.id
        num, sub = m.groups()
        heading = rf"^###? {num}{sub}\. " if sub else rf"^## {num}\. "
        assert re.search(heading, sheet, re.M), (s.id, heading)


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        "data:text/html,x",
        "file:///etc/passwd",
        "www.example.org",
        'https://a.org/x" onclick="x',
    ],
)
def test_unsafe_urls_are_refused_with_file_line_and_field(url: str) -> None:
    text = SCENARIO.format(extra=f"url: '{url}'")
    with pytest.raises(InputError) as e:
        read_text(text, "bad.yaml")
    msg = str(e.value.problems[0])
    assert "bad.yaml:5" in msg and "meta.sources[0].url" in msg and "http" in msg


def test_cli_validate_refuses_a_javascript_url(tmp_path: Path) -> None:
    f = tmp_path / "bad.yaml"
    f.write_text(SCENARIO.format(extra="url: 'javascript:alert(1)'"), encoding="utf-8")
    r = runner.invoke(app, ["validate", str(f)])
    assert r.exit_code == 2
    assert "javascript:alert(1)" in r.output and "Traceback" not in r.output


@pytest.mark.parametrize(
    ("extra", "date"),
    [("date: 2013-04-06", "2013-04-06"), ("date: 2013-06", "2013-06"), ("date: 1994", "1994")],
)
def test_dates_are_kept_as_written(extra: str, date: str) -> None:
    s = read_text(SCENARIO.format(extra=extra), "ok.yaml")
    assert s.meta.sources[0].date == date


@pytest.mark.parametrize(
    "extra", ["date: 'April 2013'", "document: ../secret.md", "document: /etc/passwd"]
)
def test_bad_dates_and_documents_outside_the_repository_are_refused(extra: str) -> None:
    with pytest.raises(InputError):
        read_text(SCENARIO.format(extra=extra), "bad.yaml")


def test_reference_reads_title_publisher_date_then_cite() -> None:
    s = Source(id="x", cite="p. 3", title="T", publisher="P", date="2013")
    assert s.reference() == "T, P, 2013. p. 3"
    assert Source(id="y", cite="only").reference() == "only"


def test_show_prints_title_publisher_date_and_link() -> None:
    r = runner.invoke(app, ["show", "almaty-2013"], env={"COLUMNS": "200"})
    assert r.exit_code == 0, r.output
    out = r.output
    assert "Obama: Iran a year away from nuclear weapon, CBS News, 2013-03-14" in out
    assert "https://www.cbsnews.com/news/obama-iran-a-year-away-from-nuclear-weapon/" in out
    assert "docs/sources/iran-talks-2013.md" in out
    assert "judgement" in out and "estimate" in out


def test_json_schema_states_the_http_rule() -> None:
    from accord.scenario import Scenario

    prop = Scenario.model_json_schema()["$defs"]["Source"]["properties"]["url"]
    assert re.match(prop["pattern"], "https://example.org/a")
    assert not re.match(prop["pattern"], "javascript:alert(1)")
