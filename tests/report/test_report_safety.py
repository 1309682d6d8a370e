"""The offline report runs no script from data (issue 18): autoescape on, no ``|safe`` in the
template, tables and the story passed as data, source addresses linked only when http(s)."""

from __future__ import annotations

import re
import shutil
from importlib import resources
from pathlib import Path

import pytest

import accord
from accord.job import JobOptions, run_job
from accord.report.build import build_report

PAYLOAD = (
    '<img src=x onerror="window.__pwned=(window.__pwned||0)+1">'
    "<script>window.__pwned=(window.__pwned||0)+1</script>"
)
FIXED = "2026-01-01 00:00 UTC"


def hostile_yaml() -> str:
    """teaching-trade with a script in every name, note and citation."""
    text = (resources.files("accord.scenario") / "builtin" / "teaching-trade.yaml").read_text(
        encoding="utf-8"
    )
    js = PAYLOAD.replace('"', '\\"')
    text = text.replace(
        "title: Teaching case — a supply contract (buyer and seller)", f'title: "T {js}"'
    )
    text = text.replace("name: Unit price", f'name: "Price {js}"')
    text = text.replace("name: Buyer", f'name: "Buyer {js}"')
    text = text.replace("name: Seller", f'name: "Seller [/x] {js}"')
    # A javascript: URL is refused when the scenario is validated (tests/scenario/
    # test_sources_public.py); here a script in every citation, and a real link with a query.
    text = text.replace(
        "  sources:\n",
        "  sources:\n"
        f'    - {{id: web, cite: "cite {js}", grade: F, url: "https://example.org/a?b=1&c=2"}}\n',
    )
    assert "example.org" in text
    text = text.replace('note: "the list price if no contract is signed"', f'note: "note {js}"')
    return text


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("hostile") / "hostile.yaml"
    path.write_text(hostile_yaml(), encoding="utf-8")
    s = accord.load(str(path))
    assert "<script>" in s.actors[0].label
    r = run_job(s, JobOptions(draws=0, months=2, rounds=6, resolution=4))
    out = path.parent / "report.html"
    out.write_text(build_report(r, created=FIXED), encoding="utf-8")
    return out


def test_template_marks_nothing_safe() -> None:
    text = (resources.files("accord.report") / "templates" / "report.html.j2").read_text(
        encoding="utf-8"
    )
    assert "|safe" not in text.replace(" ", "")
    assert "autoescape" not in text  # the environment turns it on; the template can't undo it


def test_no_script_or_handler_reaches_the_page(report: Path) -> None:
    html = report.read_text(encoding="utf-8")
    assert "&lt;script&gt;" in html  # shown as text
    assert "<script" not in html.lower()
    assert not re.search(r"<img[^>]*onerror", html, re.I)
    assert "javascript:" not in re.findall(r'href="([^"]*)"', html)
    assert 'href="javascript' not in html
    assert 'href="https://example.org/a?b=1&amp;c=2"' in html


@pytest.mark.browser
def test_no_script_from_data_runs_in_chromium(report: Path) -> None:
    """Open the report in headless Chromium: no injected handler or script runs."""
    sync_api = pytest.importorskip("playwright.sync_api")
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(chromium).exists():
        pytest.skip("needs Chromium")
    dialogs: list[str] = []
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=chromium, args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.goto(report.as_uri())
        page.wait_for_load_state("load")
        for link in page.query_selector_all("a[href]"):
            href = link.get_attribute("href") or ""
            assert href.startswith(("#", "http://", "https://")), href
        pwned = page.evaluate("window.__pwned")
        text = page.inner_text("body")
        browser.close()
    assert pwned is None
    assert not dialogs
    assert "<script>" in text  # the data is shown, as text
