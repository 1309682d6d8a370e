"""The HTML pages, the forms without JavaScript, `accord serve`, and play-mode properties."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import accord
from accord.cli.main import app as cli
from accord.errors import InputError
from accord.web import play as playmode


def test_index_lists_scenarios_and_forms(client: TestClient) -> None:
    r = client.get("/")
    assert r.status_code == 200
    assert "Iran–P5+1" in r.text and 'action="/upload"' in r.text
    assert "cdn" not in r.text.lower() and "https://" not in r.text


def test_static_files_are_served(client: TestClient) -> None:
    for name in ("app.css", "common.js", "scenario.js", "play.js", "run.js"):
        assert client.get(f"/static/{name}").status_code == 200


def test_scenario_page(client: TestClient) -> None:
    r = client.get("/scenarios/almaty-2013")
    assert r.status_code == 200
    assert 'src="/api/scenarios/almaty-2013/issue-maps.png"' in r.text
    assert '"id": "khamenei"' in r.text and "Sources" in r.text
    assert client.get("/scenarios/no-such-thing").status_code == 404
    assert "Not found" in client.get("/scenarios/no-such-thing").text


def test_form_upload_good_and_bad(client: TestClient) -> None:
    bad = client.post("/upload", files=[("files", ("x.yaml", b"meta: [oops"))])
    assert bad.status_code == 422 and "not valid YAML" in bad.text and "<form" in bad.text
    none = client.post("/upload", data={"x": "1"})
    assert none.status_code == 422 and "choose a file" in none.text
    text = accord.io.native.dumps_yaml(accord.load("teaching-budget")).encode()
    ok = client.post("/upload", files=[("files", ("budget.yaml", text))], follow_redirects=False)
    assert ok.status_code == 303 and ok.headers["location"].startswith("/scenarios/u")
    assert client.get(ok.headers["location"]).status_code == 200


def test_form_play_and_sweep(client: TestClient) -> None:
    r = client.post(
        "/scenarios/teaching-trade/play",
        follow_redirects=False,
        data={
            "seat": "buyer",
            "opponent_buyer": "linear",
            "opponent_seller": "boulware",
            "rounds": "8",
            "seed": "1",
        },
    )
    assert r.status_code == 303 and r.headers["location"].startswith("/plays/p")
    page = client.get(r.headers["location"])
    assert page.status_code == 200 and 'src="/static/play.js"' in page.text
    bad = client.post("/scenarios/teaching-trade/play", data={"seat": "buyer", "rounds": "x"})
    assert bad.status_code == 422 and "whole number" in bad.text
    r = client.post(
        "/scenarios/teaching-trade/sweep",
        follow_redirects=False,
        data={"task": "forecast", "model": "median", "draws": "5"},
    )
    assert r.status_code == 303 and client.get(r.headers["location"]).status_code == 200
    bad = client.post("/scenarios/teaching-trade/sweep", data={"draws": "999999"})
    assert bad.status_code == 422 and "limit" in bad.text
    assert client.get("/runs/r000000000000").status_code == 404
    assert client.get("/plays/p000000000000").status_code == 404


def test_serve_command(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import uvicorn

    seen: dict[str, Any] = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: seen.update(kw, app=app))
    r = CliRunner().invoke(cli, ["serve", "--data", str(tmp_path / "d"), "--port", "8123"])
    assert r.exit_code == 0, r.output
    assert seen["host"] == "127.0.0.1" and seen["port"] == 8123
    assert (tmp_path / "d" / "accord.db").is_file()
    r = CliRunner().invoke(cli, ["serve", "--port", "70000", "--data", str(tmp_path)])
    assert r.exit_code == 2 and "port" in r.output
    blocked = tmp_path / "file"
    blocked.write_text("x")
    r = CliRunner().invoke(cli, ["serve", "--data", str(blocked)])
    assert r.exit_code == 2 and "data directory" in r.output


TRADE = accord.load("teaching-trade")
TRADE_ST = playmode.settings_for(TRADE, "buyer", rounds=6)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(-2, 6), min_size=3, max_size=3))
def test_offer_utility_is_in_range_or_refused(levels: list[int]) -> None:
    d = playmode.domain_of(TRADE)
    sizes = d.levels.max(axis=0) + 1
    valid = all(0 <= v < n for v, n in zip(levels, sizes, strict=True))
    if not valid:
        with pytest.raises(InputError):
            playmode.utility_of(TRADE, TRADE_ST, levels)
        return
    u = playmode.utility_of(TRADE, TRADE_ST, levels)
    assert 0 <= u["utility"] <= u["best"] <= 1
    assert list(d.levels[u["outcome"]]) == levels


@settings(max_examples=15, deadline=None)
@given(
    st.lists(
        st.tuples(st.booleans(), st.lists(st.integers(0, 3), min_size=3, max_size=3)),
        min_size=1,
        max_size=8,
    )
)
def test_replay_is_consistent(moves: list[tuple[bool, list[int]]]) -> None:
    """Each move extends the offers seen so far; a finished session stays finished."""
    made: list[dict[str, Any]] = []
    seen: list[Any] = []
    for accept, offer in moves:
        now = playmode.state(TRADE, TRADE_ST, made)
        assert now["offers"][: len(seen)] == seen
        seen = now["offers"]
        if now["status"] == "finished":
            with pytest.raises(InputError):
                playmode.check_move(TRADE, TRADE_ST, made, accept, offer)
            return
        ok = not (accept and now["mode"] == "propose")
        if not ok:
            with pytest.raises(InputError):
                playmode.check_move(TRADE, TRADE_ST, made, accept, offer)
            continue
        made.append(playmode.check_move(TRADE, TRADE_ST, made, accept, offer))
