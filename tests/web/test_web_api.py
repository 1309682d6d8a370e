"""The JSON API: every endpoint, bad uploads, path traversal, limits, persistence."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import httpx
import pytest
import yaml
from fastapi.testclient import TestClient

from accord.io import native
from accord.web import JobLimits, create_app

from .conftest import DATA, play_to_end, wait_run

TRADE = "teaching-trade"


def upload(client: TestClient, *files: tuple[str, bytes]) -> httpx.Response:
    return client.post("/api/scenarios", files=[("files", (n, b)) for n, b in files])


def trade_yaml(**changes: object) -> bytes:
    data = native.to_data(native.read_text(client_yaml()))
    data["meta"]["title"] = "Uploaded trade"
    data.update(changes)
    return yaml.safe_dump(data).encode()


def client_yaml() -> str:
    import accord

    return native.dumps_yaml(accord.load(TRADE))


def test_health_registry_and_openapi(client: TestClient) -> None:
    assert client.get("/api/health").json()["status"] == "ok"
    reg = client.get("/api/registry").json()
    assert "compromise" in [m["name"] for m in reg["models"]]
    assert "boulware" in [s["name"] for s in reg["strategies"]]
    assert "yaml" in [f["name"] for f in reg["formats"]]
    paths = client.get("/openapi.json").json()["paths"]
    for p in (
        "/api/scenarios",
        "/api/scenarios/{sid}/evaluate",
        "/api/plays/{pid}/move",
        "/api/plays/{pid}/utility",
        "/api/runs",
        "/api/runs/{rid}/files/{name}",
    ):
        assert p in paths


def test_list_and_view_builtin(client: TestClient) -> None:
    ids = [s["id"] for s in client.get("/api/scenarios").json()]
    assert {"almaty-2013", TRADE} <= set(ids)
    s = client.get("/api/scenarios/almaty-2013").json()
    assert s["builtin"] and len(s["actors"]) == 11 and len(s["issues"]) == 6
    assert {x["id"] for x in s["seats"]} == {"iran", "p5plus1"}
    assert s["sources"] and s["clocks"]


def test_figure_and_download(client: TestClient) -> None:
    r = client.get(f"/api/scenarios/{TRADE}/issue-maps.png")
    assert r.status_code == 200 and r.content[:8] == b"\x89PNG\r\n\x1a\n"
    r = client.get(f"/api/scenarios/{TRADE}/download")
    assert r.status_code == 200 and "attachment" in r.headers["content-disposition"]
    assert native.read_text(r.text).meta.title.startswith("Teaching case")


def test_upload_yaml_json_csv_genius(client: TestClient) -> None:
    r = upload(client, ("mine.yaml", trade_yaml()))
    assert r.status_code == 201, r.text
    sid = r.json()["id"]
    assert client.get(f"/api/scenarios/{sid}").json()["title"] == "Uploaded trade"
    as_json = json.dumps(yaml.safe_load(trade_yaml())).encode()
    r = upload(client, ("mine.json", as_json))
    assert r.status_code == 201, r.text
    assert client.get(f"/scenarios/{r.json()['id']}").status_code == 200  # stored as YAML
    csv = [(p.name, p.read_bytes()) for p in (DATA / "talks.csv", DATA / "talks.issues.csv")]
    r = upload(client, *csv)
    assert r.status_code == 201, r.text
    genius = [(p.name, p.read_bytes()) for p in sorted((DATA / "genius").glob("*.xml"))]
    r = upload(client, *genius)
    assert r.status_code == 201, r.text
    web = [(p.name, p.read_bytes()) for p in sorted((DATA / "geniusweb").glob("*.json"))]
    r = upload(client, *web)
    assert r.status_code == 201, r.text
    bdm = DATA / "ec.bdm.csv"
    assert upload(client, (bdm.name, bdm.read_bytes())).status_code == 201
    listed = [s["id"] for s in client.get("/api/scenarios").json() if not s["builtin"]]
    assert sid in listed and len(listed) == 6


@pytest.mark.parametrize(
    ("name", "body", "expect"),
    [
        ("bad.yaml", b"meta: [unclosed", "not valid YAML"),
        ("bad.yaml", b"meta: {title: x}\nissues: []\nactors: []\n", ""),
        ("bad.txt", b"hello", "cannot tell the format"),
        ("bad.yaml", bytes(range(256)) * 4, "not a text file"),
        ("bad.yaml", b"", "expected a mapping"),
        ("bad.json", b"[1, 2, 3]", "expected a mapping"),
        ("bad.csv", b"a,b\n1,2\n", ""),
    ],
)
def test_bad_uploads_are_4xx_with_problems(
    client: TestClient, name: str, body: bytes, expect: str
) -> None:
    r = upload(client, (name, body))
    assert r.status_code == 422, r.text
    problems = r.json()["problems"]
    assert problems and all(p["message"] for p in problems)
    assert expect in " ".join(p["message"] for p in problems)
    assert all("accord-upload-" not in (p["file"] or "") for p in problems)
    assert all(s["builtin"] for s in client.get("/api/scenarios").json())


def test_upload_problem_names_file_and_line(client: TestClient) -> None:
    text = trade_yaml().decode().replace("scale:\n  - 80", "scale:\n  - 200")
    r = upload(client, ("../../etc/mine.yaml", text.encode()))
    assert r.status_code == 422
    p = r.json()["problems"][0]
    assert p["file"] == "mine.yaml" and "scale" in p["text"]


def test_upload_limits(client: TestClient) -> None:
    big = b"# " + b"x" * (2 * 1024 * 1024) + b"\n"
    r = upload(client, ("big.yaml", big))
    assert r.status_code == 413 and "limit" in r.json()["detail"]
    assert client.post("/api/scenarios").status_code == 422
    r = upload(client, ("a.csv", b"x"), ("b.csv", b"y"))
    assert r.status_code == 422 and "one scenario file" in r.json()["detail"]


@pytest.mark.parametrize(
    "url",
    [
        "/api/scenarios/..%2F..%2Fetc%2Fpasswd",
        "/api/scenarios/%2e%2e",
        "/api/scenarios/ALMATY",
        "/api/scenarios/a;b",
        "/api/scenarios/" + "a" * 80,
        "/api/plays/..%2Faccord.db",
        "/api/runs/r000000000000/files/..%2F..%2Faccord.db",
        "/api/runs/r000000000000/files/accord.db",
        "/api/runs/..%2F..%2F/files/manifest.json",
        "/scenarios/..%2F..%2Fetc%2Fpasswd",
        "/static/..%2F..%2F..%2Ferrors.py",
        "/static/../store.py",
    ],
)
def test_path_traversal_is_refused(client: TestClient, url: str) -> None:
    r = client.get(url)
    assert 400 <= r.status_code < 500, (url, r.status_code)
    assert "root:" not in r.text and "sqlite" not in r.text.lower()
    assert "import" not in r.text


def test_evaluate_with_edits_moves_the_forecast(client: TestClient) -> None:
    base = client.post(f"/api/scenarios/{TRADE}/evaluate", json={}).json()
    assert base["zone"]["empty"] is False and "nash" in base["solutions"]
    edited = client.post(
        f"/api/scenarios/{TRADE}/evaluate",
        json={"edits": {"seller": {"positions": {"price": 90}, "capability": 5}}},
    ).json()
    assert edited["forecasts"]["compromise"]["price"] < base["forecasts"]["compromise"]["price"]
    r = client.post(
        f"/api/scenarios/{TRADE}/evaluate",
        json={"edits": {"buyer": {"salience": {"delivery": 0.1}}}, "models": ["median"]},
    )
    assert list(r.json()["forecasts"]) == ["median"]


@pytest.mark.parametrize(
    "body",
    [
        {"edits": {"nobody": {"capability": 1}}},
        {"edits": {"buyer": {"positions": {"nowhere": 1}}}},
        {"edits": {"buyer": {"risk": 1}}},
        {"edits": {"buyer": {"positions": {"price": 500}}}},
        {"edits": {"buyer": {"positions": {"delivery": "by pigeon"}}}},
        {"edits": {"buyer": {"capability": "lots"}}},
        {"edits": {"buyer": {"salience": {"price": -1}}}},
        {"edits": [1, 2]},
        {"models": ["oracle"]},
        {"unknown": 1},
    ],
)
def test_bad_edits_are_422(client: TestClient, body: dict) -> None:
    r = client.post(f"/api/scenarios/{TRADE}/evaluate", json=body)
    assert r.status_code == 422, r.text
    assert r.json()["problems"]


def test_bad_json_and_oversized_body(client: TestClient) -> None:
    r = client.post(
        f"/api/scenarios/{TRADE}/evaluate",
        content=b"{not json",
        headers={"content-type": "application/json"},
    )
    assert r.status_code == 422
    r = client.post(
        f"/api/scenarios/{TRADE}/evaluate",
        content=b"[" + b"1," * 2_000_000 + b"1]",
        headers={"content-type": "application/json"},
    )
    assert r.status_code == 413


def test_copy_and_delete(client: TestClient) -> None:
    r = client.post(
        f"/api/scenarios/{TRADE}/copy",
        json={"edits": {"buyer": {"capability": 3}}, "title": "My copy"},
    )
    assert r.status_code == 201
    sid = r.json()["id"]
    s = client.get(f"/api/scenarios/{sid}").json()
    assert s["title"] == "My copy"
    assert {a["id"]: a["capability"] for a in s["actors"]}["buyer"] == 3
    assert client.delete(f"/api/scenarios/{TRADE}").status_code == 422
    assert client.delete(f"/api/scenarios/{sid}").status_code == 204
    assert client.get(f"/api/scenarios/{sid}").status_code == 404
    assert client.delete(f"/api/scenarios/{sid}").status_code == 404
    assert client.get("/api/scenarios/u000000000000").status_code == 404


def test_play_session_to_the_end(client: TestClient) -> None:
    r = client.post(
        "/api/plays",
        json={"scenario": TRADE, "seat": "seller", "rounds": 8, "opponents": {"buyer": "conceder"}},
    )
    assert r.status_code == 201, r.text
    state = r.json()
    pid = state["id"]
    assert state["status"] == "playing" and state["settings"]["opponents"] == {"buyer": "conceder"}
    assert [c["id"] for c in state["choices"]] == ["price", "delivery", "warranty"]
    u = client.post(f"/api/plays/{pid}/utility", json={"offer": state["suggest"]}).json()
    assert u["utility"] == pytest.approx(u["best"])
    worst = client.post(f"/api/plays/{pid}/utility", json={"offer": [0, 3, 4]}).json()
    assert worst["utility"] < u["utility"]
    final = play_to_end(client, pid)
    res = final["result"]
    assert final["status"] == "finished"
    assert res["nash"]["utility"] > 0 and len(res["strategies"]) >= 5
    assert 0 <= res["utility"] <= 1
    assert {p["id"]: p["status"] for p in client.get("/api/plays").json()}[pid] == "finished"
    r = client.post(f"/api/plays/{pid}/move", json={"offer": state["suggest"]})
    assert r.status_code == 422 and "ended" in r.json()["detail"]


def test_play_mode_propose_then_accept(client: TestClient) -> None:
    pid = client.post("/api/plays", json={"scenario": TRADE, "seat": "buyer", "rounds": 6}).json()[
        "id"
    ]
    state = client.get(f"/api/plays/{pid}").json()
    assert state["mode"] == "propose" and state["on_table"] is None
    r = client.post(f"/api/plays/{pid}/move", json={"accept": True})
    assert r.status_code == 422
    state = client.post(f"/api/plays/{pid}/move", json={"offer": state["suggest"]}).json()
    assert state["mode"] == "respond" and state["on_table"]["by"] == "seller"
    done = client.post(f"/api/plays/{pid}/move", json={"accept": True}).json()
    assert done["status"] == "finished" and done["result"]["agreement"] is True
    assert done["result"]["utility"] == pytest.approx(state["on_table"]["utility"])


def test_play_clock_moves_the_no_deal_point(client: TestClient) -> None:
    state = client.post(
        "/api/plays", json={"scenario": "almaty-2013", "seat": "iran", "rounds": 10}
    ).json()
    path = state["no_deal_path"]
    assert len(path) == 11 and path[-1] != pytest.approx(path[0])


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"scenario": TRADE, "seat": "nobody"}, 422),
        ({"scenario": TRADE, "seat": "buyer", "protocol": "mediated"}, 422),
        ({"scenario": TRADE, "seat": "buyer", "opponents": {"seller": "telepath"}}, 422),
        ({"scenario": TRADE, "seat": "buyer", "opponents": {"buyer": "linear"}}, 422),
        ({"scenario": TRADE, "seat": "buyer", "rounds": 100000}, 422),
        ({"scenario": "../etc", "seat": "buyer"}, 422),
        ({"scenario": "u000000000000", "seat": "buyer"}, 404),
    ],
)
def test_bad_play_requests(client: TestClient, body: dict, status: int) -> None:
    r = client.post("/api/plays", json=body)
    assert r.status_code == status, r.text


@pytest.mark.parametrize(
    "offer",
    [[0, 0], [9, 0, 0], {"price": 0}, {"price": "x", "delivery": 0, "warranty": 0}, [-1, 0, 0]],
)
def test_bad_offers(client: TestClient, offer: object) -> None:
    pid = client.post("/api/plays", json={"scenario": TRADE, "seat": "buyer"}).json()["id"]
    assert client.post(f"/api/plays/{pid}/utility", json={"offer": offer}).status_code == 422
    assert client.post(f"/api/plays/{pid}/move", json={"offer": offer}).status_code == 422
    assert client.get("/api/plays/p000000000000").status_code == 404


def test_run_in_background_with_files(client: TestClient) -> None:
    r = client.post(
        "/api/runs",
        json={
            "scenario": "almaty-2013",
            "task": "forecast",
            "model": "compromise",
            "draws": 20,
            "seed": 3,
        },
    )
    assert r.status_code == 202, r.text
    rid = r.json()["id"]
    run = wait_run(client, rid)
    assert run["status"] == "complete", run
    assert run["done"] == 20 and "forecast.capacity" in run["summary"]["metrics"]
    assert client.get("/api/runs").json()[0]["id"] == rid
    csv = client.get(f"/api/runs/{rid}/files/runs.csv")
    assert csv.status_code == 200 and len(csv.text.splitlines()) == 21
    report = client.get(f"/api/runs/{rid}/files/report.html")
    assert report.status_code == 200 and "<html" in report.text and "data:image/png" in report.text
    assert client.get(f"/api/runs/{rid}/files/summary.csv").status_code == 200


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"scenario": TRADE, "task": "divination"}, 422),
        ({"scenario": TRADE, "model": "oracle"}, 422),
        ({"scenario": TRADE, "draws": 10_000}, 422),
        ({"scenario": TRADE, "draws": 0}, 422),
        ({"scenario": TRADE, "plan": "guess"}, 422),
        ({"scenario": "nope-nope", "draws": 5}, 404),
    ],
)
def test_bad_runs(client: TestClient, body: dict, status: int) -> None:
    r = client.post("/api/runs", json=body)
    assert r.status_code == status, r.text
    assert client.get("/api/runs").json() == []


def test_queue_limit_is_429_and_time_limit_stops_a_run(data_dir: Path) -> None:
    app = create_app(data_dir, JobLimits(workers=1, max_queue=1, max_draws=100, time_limit=60))
    jobs = app.state.ctx.jobs
    gate = threading.Event()
    real = jobs._run

    def held(*args: object) -> None:
        gate.wait(30)
        real(*args)

    jobs._run = held
    with TestClient(app, base_url="http://localhost") as client:
        body = {"scenario": TRADE, "draws": 5}
        first = client.post("/api/runs", json=body)
        assert first.status_code == 202
        busy = client.post("/api/runs", json=body)
        assert busy.status_code == 429 and "try again" in busy.json()["detail"]
        assert busy.headers["retry-after"]
        gate.set()
        done = wait_run(client, first.json()["id"])
        assert done["status"] == "complete", done
        assert client.post("/api/runs", json=body).status_code == 202
    slow = create_app(data_dir, JobLimits(time_limit=1e-9))
    with TestClient(slow, base_url="http://localhost") as client:
        rid = client.post("/api/runs", json={"scenario": TRADE, "draws": 50}).json()["id"]
        run = wait_run(client, rid)
        assert run["status"] == "timeout" and "time" in run["message"]
        assert client.get(f"/api/runs/{rid}/files/runs.csv").status_code == 404


def test_everything_survives_a_restart(data_dir: Path) -> None:
    with TestClient(create_app(data_dir), base_url="http://localhost") as client:
        sid = upload(client, ("mine.yaml", trade_yaml())).json()["id"]
        pid = client.post(
            "/api/plays", json={"scenario": sid, "seat": "buyer", "rounds": 6}
        ).json()["id"]
        state = client.get(f"/api/plays/{pid}").json()
        client.post(f"/api/plays/{pid}/move", json={"offer": state["suggest"]})
        before = client.get(f"/api/plays/{pid}").json()
        rid = client.post("/api/runs", json={"scenario": sid, "draws": 10}).json()["id"]
        wait_run(client, rid)
    with TestClient(create_app(data_dir), base_url="http://localhost") as client:
        assert client.get(f"/api/scenarios/{sid}").json()["title"] == "Uploaded trade"
        after = client.get(f"/api/plays/{pid}").json()
        assert after["offers"] == before["offers"] and after["mode"] == before["mode"]
        assert client.get(f"/api/runs/{rid}").json()["status"] == "complete"
        assert client.get(f"/api/runs/{rid}/files/runs.csv").status_code == 200


def test_unfinished_runs_are_marked_after_a_restart(data_dir: Path) -> None:
    first = create_app(data_dir).state.ctx.store
    rid = first.add_run(TRADE, {"title": "t", "task": "forecast"}, 10)
    first.stop_heartbeat()  # the first server stopped
    with TestClient(create_app(data_dir), base_url="http://localhost") as client:
        assert client.get(f"/api/runs/{rid}").json()["status"] == "interrupted"


def test_a_second_server_leaves_the_first_ones_runs_alone(data_dir: Path) -> None:
    first = create_app(data_dir).state.ctx.store
    rid = first.add_run(TRADE, {"title": "t", "task": "forecast"}, 10)
    first.update_run(rid, status="running")
    with TestClient(create_app(data_dir), base_url="http://localhost") as client:
        assert client.get(f"/api/runs/{rid}").json()["status"] == "running"
        # the first server dies without signing off: its process is gone
        with first._db() as db:
            db.execute("UPDATE servers SET pid = ? WHERE id = ?", (2**22 + 12345, first.server_id))
        first._stop.set()
        assert client.get(f"/api/runs/{rid}").json()["status"] == "interrupted"


def test_edit_the_status_quo_and_add_and_remove_actors_and_issues(client: TestClient) -> None:
    url = f"/api/scenarios/{TRADE}/evaluate"
    base = client.post(url, json={}).json()
    sq = client.post(url, json={"status_quo": {"price": 100, "delivery": "4 weeks"}}).json()
    assert sq["status_quo"]["delivery"] == "4 weeks" and sq["status_quo"] != base["status_quo"]
    assert sq["scenario"]["issues"][0]["status_quo"] == 100
    added = {
        "add_actors": [{"id": "broker", "name": "Broker", "capability": 2}],
        "add_issues": [
            {"id": "volume", "name": "Volume", "scale": [0, 10], "status_quo": 0,
             "positions": {"buyer": 10, "seller": 8}, "salience": {"buyer": 0.5}}
        ],
        "remove_issues": ["warranty"],
    }  # fmt: skip
    r = client.post(url, json=added)
    assert r.status_code == 200, r.text
    view = r.json()["scenario"]
    assert [i["id"] for i in view["issues"]] == ["price", "delivery", "volume"]
    broker = next(a for a in view["actors"] if a["id"] == "broker")
    assert broker["positions"]["volume"] == 0 and broker["salience"]["price"] == 0
    assert "volume" in r.json()["forecasts"]["compromise"]
    gone = client.post(url, json={"remove_actors": ["seller"], "models": ["median"]})
    assert [a["id"] for a in gone.json()["scenario"]["actors"]] == ["buyer"]
    nobody = client.post(url, json={"remove_actors": ["nobody"], "remove_issues": ["nowhere"]})
    assert nobody.status_code == 422 and len(nobody.json()["problems"]) == 2


def test_edit_clocks_proposals_and_blocs_as_yaml(client: TestClient) -> None:
    url = "/api/scenarios/almaty-2013/evaluate"
    view = client.get("/api/scenarios/almaty-2013").json()
    assert view["sections"]["clocks"] and view["sections"]["proposals"]
    no_clocks = client.post(url, json={"sections": {"clocks": ""}, "models": ["median"]})
    assert no_clocks.status_code == 200 and no_clocks.json()["scenario"]["clocks"] == []
    outcome = ", ".join(f"{i['id']}: {i['status_quo']!r}" for i in view["issues"])
    mine = f"- id: mine\n  by: iran\n  outcome: {{{outcome}}}\n"
    one = client.post(url, json={"sections": {"proposals": mine}})
    assert one.status_code == 200, one.text
    assert [p["id"] for p in one.json()["proposals"]] == ["mine"]
    bad = client.post(url, json={"sections": {"blocs": "- id: x\n  members: [nobody]\n"}})
    assert bad.status_code == 422 and bad.json()["problems"]
    bomb = "a: &a [1,1,1,1,1,1,1,1,1]\nb: [*a, *a"
    assert client.post(url, json={"sections": {"clocks": bomb}}).status_code == 422
    copy = client.post(
        "/api/scenarios/almaty-2013/copy", json={"sections": {"clocks": ""}, "title": "No clocks"}
    )
    assert copy.status_code == 201
    assert (
        client.get(copy.json()["url"].replace("/scenarios", "/api/scenarios")).json()["clocks"]
        == []
    )


def test_evaluate_skips_a_model_over_its_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    from accord.io import load
    from accord.web.service import evaluate

    monkeypatch.setenv("ACCORD_MAX_BDM_WORK", "1")
    out = evaluate(load("teaching-trade"), ("compromise", "bdm"))
    assert list(out["forecasts"]) == ["compromise"]
    assert out["skipped"][0]["model"] == "bdm"
    assert "ACCORD_MAX_BDM_WORK" in out["skipped"][0]["reason"]


def test_evaluate_states_the_zone_share_and_who_tabled_as_the_cli_does(client: TestClient) -> None:
    import accord
    from accord.present.format import percent

    r = client.post("/api/scenarios/almaty-2013/evaluate", json={}).json()
    a = accord.analyze(accord.load("almaty-2013"), n_packages=3)
    assert r["zone"]["share_text"] == percent(a.zone_share) != percent(0.0)
    plan = next(p for p in r["proposals"] if p["id"] == "iran_plan")
    assert plan["by"] == "iran" and plan["by_label"] == "Iran"
