"""The pages in real headless Chromium: edit a position and see the forecast move, then play
a session to its end. Needs Playwright for Python and Chromium (``apt-get install chromium``)."""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app served by uvicorn on a free loopback port, in a thread."""
    uvicorn = pytest.importorskip("uvicorn")
    import httpx

    from accord.web import create_app

    port = free_port()
    app = create_app(Path(tmp_path_factory.mktemp("webdata")))
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    end = time.monotonic() + 30
    while time.monotonic() < end:
        try:
            if httpx.get(base + "/api/health", timeout=2).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.1)
    yield base
    srv.should_exit = True
    thread.join(10)


@pytest.fixture(scope="module")
def browser(server: str) -> Iterator[Any]:
    """Headless Chromium (skipped with a hint where Chromium is not installed)."""
    if shutil.which("chromium") is None:
        pytest.skip("Chromium is not installed: apt-get install chromium")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def page(browser: Any) -> Iterator[Any]:
    """A Chromium page; the functional tests poll with wait_for_function, which the app's CSP
    forbids (it allows no eval), so this page bypasses the CSP."""
    pg = browser.new_page(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    pg.set_default_timeout(30_000)
    yield pg
    pg.close()


def test_edit_a_position_and_see_the_forecast_change(server: str, page: Any) -> None:
    pg = page
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.goto(server + "/scenarios/teaching-trade")
    cell = 'span.fc[data-model="compromise"][data-issue="price"]'
    pg.wait_for_selector(cell)
    before = pg.text_content(cell)
    field = 'input[data-actor="seller"][data-field="positions"][data-issue="price"]'
    pg.fill(field, "85")
    pg.wait_for_selector(f"{cell} b.now")  # before → after, side by side
    assert pg.text_content(f"{cell} .was") == before
    assert float(pg.text_content(f"{cell} b.now") or "nan") < float(before or "nan")
    assert "changed" in (pg.get_attribute(field, "class") or "")
    assert pg.evaluate("document.querySelector('img.figure').naturalWidth") > 100
    assert errors == []


def test_play_a_session_to_its_end(server: str, page: Any) -> None:
    pg = page
    pg.goto(server + "/scenarios/teaching-trade")
    pg.select_option("#seat", "seller")
    pg.fill('#play-form input[name="rounds"]', "10")
    pg.click("#play-start")
    pg.wait_for_selector("#u-value")
    first = pg.text_content("#u-value")
    pg.evaluate("""() => { const el = document.querySelector('#sl-0');
        el.value = '0'; el.dispatchEvent(new Event('input')); }""")
    pg.wait_for_function(f"document.querySelector('#u-value').textContent !== {first!r}")
    for _ in range(60):
        if pg.get_attribute("#status", "data-status") == "finished":
            break
        before = pg.text_content("#offers")
        if pg.is_visible("#accept"):
            pg.click("#accept")
        else:
            pg.click("#propose")
        pg.wait_for_function(
            "([b]) => document.querySelector('#status').dataset.status === 'finished' || "
            "document.querySelector('#offers').textContent !== b",
            arg=[before],
        )
    assert pg.get_attribute("#status", "data-status") == "finished"
    final = pg.text_content("#final")
    assert "Your utility" in final and "Nash point" in final
    assert pg.locator("#result table tbody tr").count() >= 5


XSS = '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>'


def _hostile_upload(server: str) -> str:
    """Upload the trade scenario with script payloads in every text field; returns its id."""
    import httpx

    import accord
    from accord.io import native

    data = native.to_data(accord.load("teaching-trade"))
    data["meta"]["title"] = "Trade " + XSS
    data["meta"]["description"] = XSS
    data["meta"]["sources"][0]["cite"] = XSS
    data["meta"]["sources"][0]["url"] = "https://example.org/a?b=1&c=2"  # javascript: is refused
    data["issues"][0]["name"] = "Price " + XSS
    data["actors"][0]["name"] = "Buyer " + XSS
    text = native.dumps_yaml(native.from_data(data))
    r = httpx.post(server + "/api/scenarios", files=[("files", ("xss.yaml", text.encode()))])
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


@pytest.mark.parametrize("csp", [True, False], ids=["with-csp", "escaping-alone"])
def test_no_script_from_data_runs_on_the_scenario_page(
    server: str, browser: Any, csp: bool
) -> None:
    sid = _hostile_upload(server)
    pg = browser.new_page(bypass_csp=not csp)
    dialogs: list[str] = []
    pg.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    pg.goto(f"{server}/scenarios/{sid}")
    pg.wait_for_selector("span.fc")  # the results were drawn by scenario.js
    assert "Buyer <img" in (pg.text_content("#positions") or "")  # shown, as text
    assert pg.evaluate("window.__xss") is None
    assert pg.locator('a[href^="javascript:"]').count() == 0
    assert dialogs == []
    pg.close()


def test_no_script_from_data_runs_in_a_runs_report(server: str, browser: Any) -> None:
    import httpx

    sid = _hostile_upload(server)
    run = httpx.post(server + "/api/runs", json={"scenario": sid, "draws": 20}).json()
    end = time.monotonic() + 60
    while httpx.get(f"{server}/api/runs/{run['id']}").json()["status"] in ("queued", "running"):
        assert time.monotonic() < end
        time.sleep(0.2)
    pg = browser.new_page()
    pg.goto(f"{server}/api/runs/{run['id']}/files/report.html")
    pg.wait_for_load_state("load")
    assert "Trade" in (pg.title() or pg.text_content("body") or "")
    assert pg.evaluate("window.__xss") is None
    pg.close()


def test_edit_the_structure_and_see_before_and_after(server: str, page: Any) -> None:
    pg = page
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.goto(server + "/scenarios/teaching-trade")
    pg.wait_for_selector("span.fc")
    assert pg.locator("th.issue").count() == 3
    pg.fill('#add-actor [name="id"]', "broker")
    pg.fill('#add-actor [name="name"]', "Broker")
    pg.click("#add-actor-btn")
    pg.click('button[data-remove-issue="warranty"]')
    pg.select_option('select[data-sq="delivery"]', "4 weeks")
    pg.wait_for_selector("#zone >> text=After:")
    assert pg.locator("th.issue").count() == 2
    assert pg.locator('tr[data-row="broker"]').count() == 1
    assert "changed" in (pg.get_attribute('select[data-sq="delivery"]', "class") or "")
    pg.wait_for_selector("#forecasts .was")  # a forecast moved: before → after
    pg.click("#save-copy")
    pg.wait_for_url("**/scenarios/u*")
    pg.wait_for_selector("span.fc")
    assert pg.locator('tr[data-row="broker"]').count() == 1
    assert pg.locator("th.issue").count() == 2
    assert errors == []
