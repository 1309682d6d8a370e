"""Hostile input to the web app (issue 18): bad uploads are 4xx with their problems, a YAML bomb
is stopped by the worker limits, no stored scenario answers 500, no script from data reaches a
page, writes from other sites and unknown Host names are refused, and a chunked oversize body
is 413."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import accord
from accord.io import native
from accord.web import JobLimits, WorkLimits, create_app

TRADE_YAML = native.dumps_yaml(accord.load("teaching-trade"))
BOMB = "\n".join(
    [
        'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
        *(
            f"{c}: &{c} [{','.join(['*' + p] * 9)}]"
            for p, c in zip("abcdefgh", "bcdefghi", strict=True)
        ),
    ]
)


def with_meta(extra: str) -> str:
    """The trade scenario with `extra` YAML lines added under ``meta:``."""
    return TRADE_YAML.replace("meta:\n", "meta:\n" + extra, 1)


def trade_data() -> dict[str, Any]:
    return native.to_data(accord.load("teaching-trade"))


def as_json(data: dict[str, Any]) -> bytes:
    return json.dumps(data).encode()


def _changed(path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    data = trade_data()
    target = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return data


BAD_UPLOADS: list[tuple[str, list[tuple[str, bytes]]]] = [
    ("yaml bomb", [("bomb.yaml", BOMB.encode())]),
    (
        "yaml bomb under meta",
        [("m.yaml", with_meta("  x: " + BOMB.replace("\n", "\n  ")).encode())],
    ),
    ("deep yaml", [("deep.yaml", b"[" * 100_000)]),
    ("deep json", [("deep.json", b"[" * 100_000)]),
    ("not utf-8", [("x.yaml", b"\xff\xfe\x00\x81 meta: {}")]),
    ("empty", [("empty.yaml", b"")]),
    ("binary csv", [("junk.csv", bytes(range(256)) * 20)]),
    ("scalar", [("s.yaml", b"42")]),
    ("lone surrogate", [("s.json", as_json(trade_data()).replace(b"Teaching", b"\\ud800T"))]),
    ("nan capability", [("n.json", as_json(trade_data()).replace(b'"capability": {', b'"x": {'))]),
    ("inf", [("i.yaml", TRADE_YAML.replace("value: 1.0", "value: .inf", 1).encode())]),
    ("wrong types", [("w.json", as_json(_changed(("actors",), {"a": 1})))]),
    ("two mains", [("a.yaml", TRADE_YAML.encode()), ("b.yaml", TRADE_YAML.encode())]),
    ("too many", [(f"f{i}.xml", b"<x/>") for i in range(25)]),
    ("xml entity", [("d.xml", b'<!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>')]),
    (
        "geniusweb wrong types",
        [("p.json", b'{"LinearAdditiveUtilitySpace": {"issueUtilities": 5}}')],
    ),
]


@pytest.fixture
def hostile(data_dir: Path) -> Iterator[TestClient]:
    """An app with small worker limits, so the bomb is stopped in seconds."""
    app = create_app(
        data_dir,
        JobLimits(workers=1, max_queue=2, max_draws=100, time_limit=30),
        WorkLimits(workers=2, queue=4, seconds=8, memory_mb=400),
    )
    with TestClient(app, base_url="http://localhost") as c:
        yield c


def views(client: TestClient, sid: str) -> list[int]:
    """The status of every view of scenario `sid`."""
    return [
        client.get(f"/scenarios/{sid}").status_code,
        client.get(f"/api/scenarios/{sid}").status_code,
        client.get(f"/api/scenarios/{sid}/download").status_code,
        client.get(f"/api/scenarios/{sid}/issue-maps.png").status_code,
        client.post(f"/api/scenarios/{sid}/evaluate", json={}).status_code,
    ]


@pytest.mark.parametrize(("name", "files"), BAD_UPLOADS, ids=[n for n, _ in BAD_UPLOADS])
def test_a_bad_upload_is_4xx_with_its_problems(
    hostile: TestClient, name: str, files: list[tuple[str, bytes]]
) -> None:
    r = hostile.post("/api/scenarios", files=[("files", f) for f in files])
    assert 400 <= r.status_code < 500, (name, r.status_code, r.text[:300])
    body = r.json()
    assert body["problems"] and all(p["text"] for p in body["problems"])
    assert hostile.get("/api/health").json()["status"] == "ok"


def test_the_bomb_is_stopped_by_a_worker_limit_and_the_server_goes_on(hostile: TestClient) -> None:
    r = hostile.post("/api/scenarios", files=[("files", ("bomb.yaml", BOMB.encode()))])
    assert r.status_code in (413, 422)
    assert "limit" in r.json()["detail"] or "alias" in r.json()["detail"]
    assert hostile.post("/api/scenarios/teaching-trade/evaluate", json={}).status_code == 200
    assert hostile.get("/api/health").json()["jobs_running"] == 0


def test_a_stored_scenario_never_answers_500(hostile: TestClient) -> None:
    """Uploads that are accepted, however odd, are viewable on every route."""
    odd = [
        (
            "a.yaml",
            with_meta("  description: '[/x] [draft v2] <script>alert(1)</script> \x1b[31m'\n"),
        ),
        ("b.yaml", TRADE_YAML.replace("name: Buyer", "name: '[/b]<b>B'")),
        ("c.yaml", TRADE_YAML.replace("cite: invented for teaching", "cite: x\n    url: js:x")),
        ("d.json", json.dumps(_changed(("issues", 0, "scale"), [-1e308, 1e308]))),
    ]
    for name, text in odd:
        r = hostile.post("/api/scenarios", files=[("files", (name, text.encode()))])
        assert r.status_code in (201, 422), r.text
        if r.status_code == 201:
            assert all(s < 500 for s in views(hostile, r.json()["id"]))


def test_no_script_or_javascript_url_from_data_reaches_the_page(hostile: TestClient) -> None:
    import yaml

    data = yaml.safe_load(TRADE_YAML)
    data["meta"]["sources"].append({"id": "x", "cite": "x", "url": "javascript:alert(3)"})
    bad_url = yaml.safe_dump(data, allow_unicode=True)
    r = hostile.post("/api/scenarios", files=[("files", ("x.yaml", bad_url.encode()))])
    assert 400 <= r.status_code < 500 and "http" in r.text
    text = TRADE_YAML.replace(
        "title: Teaching case", "title: <script>alert(1)</script><img src=x onerror=alert(2)>", 1
    )
    r = hostile.post("/api/scenarios", files=[("files", ("x.yaml", text.encode()))])
    assert r.status_code == 201, r.text
    page = hostile.get(f"/scenarios/{r.json()['id']}").text
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "javascript:" not in page.replace("\\u003c", "<")
    assert "&lt;script&gt;alert(1)" in page


def test_writes_from_another_site_are_refused(client: TestClient) -> None:
    body = {"scenario": "teaching-trade", "seat": "buyer"}
    evil = client.post("/api/plays", json=body, headers={"Origin": "http://evil.example"})
    assert evil.status_code == 403 and evil.json()["problems"]
    assert client.post("/api/plays", json=body, headers={"Origin": "null"}).status_code == 403
    site = client.post("/api/plays", json=body, headers={"Sec-Fetch-Site": "cross-site"})
    assert site.status_code == 403
    form = client.post(
        "/upload",
        files=[("files", ("t.yaml", TRADE_YAML.encode()))],
        headers={"Referer": "http://evil.example/page"},
    )
    assert form.status_code == 403
    same = client.post("/api/plays", json=body, headers={"Origin": "http://localhost"})
    assert same.status_code == 201
    assert client.post("/api/plays", json=body).status_code == 201  # curl sends no Origin


def test_unknown_host_names_are_refused(data_dir: Path) -> None:
    with TestClient(create_app(data_dir), base_url="http://rebound.example") as c:
        r = c.get("/api/health")
        assert r.status_code == 400 and "--allow-host" in r.json()["detail"]
    with TestClient(
        create_app(data_dir, hosts=["rebound.example"]), base_url="http://rebound.example:8000"
    ) as c:
        assert c.get("/api/health").status_code == 200
    with TestClient(create_app(data_dir), base_url="http://127.0.0.1:8000") as c:
        assert c.get("/api/health").status_code == 200


def test_security_headers(client: TestClient) -> None:
    for url in ("/", "/scenarios/teaching-trade", "/api/health", "/static/app.css", "/nope"):
        h = client.get(url).headers
        assert "script-src 'self'" in h["content-security-policy"]
        assert "frame-ancestors 'none'" in h["content-security-policy"]
        assert h["x-frame-options"] == "DENY" and h["x-content-type-options"] == "nosniff"


def test_chunked_oversize_upload_is_413(client: TestClient) -> None:
    def chunks() -> Iterator[bytes]:
        head = b'--b\r\nContent-Disposition: form-data; name="files"; filename="x.yaml"\r\n\r\n'
        yield head
        for _ in range(40):
            yield b"x" * 65536

    r = client.post(
        "/api/scenarios",
        content=chunks(),
        headers={"content-type": "multipart/form-data; boundary=b"},
    )
    assert r.status_code == 413 and r.json()["problems"]
    assert client.get("/api/health").status_code == 200


def test_the_api_docs_are_local(client: TestClient) -> None:
    r = client.get("/docs")
    assert r.status_code == 200 and "/api/scenarios/{sid}/evaluate" in r.text
    assert "cdn" not in r.text.lower() and "<script" not in r.text
    assert client.get("/redoc").status_code == 404


YAML_PIECES = st.sampled_from(
    ["meta:", "issues:", "actors:", "- id: x", "  &a [1]", "*a", "{", "}", "[", "]", ": ",
     "!!python/object:os.system", "'\\u0000'", "1e999", ".nan", "\t", "\n", "- ", "<!DOCTYPE"]
)  # fmt: skip


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    mutation=st.one_of(
        st.binary(max_size=400),
        st.lists(YAML_PIECES, max_size=30).map(lambda xs: "".join(xs).encode()),
        st.tuples(st.integers(0, len(TRADE_YAML)), st.text(max_size=20)).map(
            lambda t: (TRADE_YAML[: t[0]] + t[1] + TRADE_YAML[t[0] :]).encode("utf-8", "replace")
        ),
    ),
    name=st.sampled_from(["f.yaml", "f.json", "f.csv", "f.xml", "f.txt", "../../f.yaml"]),
)
def test_fuzzed_uploads_are_never_5xx(hostile: TestClient, mutation: bytes, name: str) -> None:
    r = hostile.post("/api/scenarios", files=[("files", (name, mutation))])
    assert r.status_code < 500, r.text[:300]
    if r.status_code == 201:
        assert all(s < 500 for s in views(hostile, r.json()["id"]))
    else:
        assert r.json()["problems"]


def _big_yaml() -> bytes:
    data = trade_data()
    base = data["actors"][0]
    data["actors"] = [{**base, "id": f"a{k}", "name": f"Actor {k}"} for k in range(600)]
    import yaml

    return yaml.safe_dump(data, sort_keys=False).encode()


def test_a_job_over_its_time_limit_is_killed_and_reported(data_dir: Path) -> None:
    app = create_app(data_dir, work=WorkLimits(workers=1, queue=0, seconds=0.3))
    with TestClient(app, base_url="http://localhost") as c:
        r = c.post("/api/scenarios", files=[("files", ("big.yaml", _big_yaml()))])
        assert r.status_code == 422 and "--job-seconds" in r.json()["detail"]
        assert c.get("/api/health").json()["jobs_running"] == 0
        assert c.get("/api/scenarios").status_code == 200


def test_a_full_worker_pool_answers_429(data_dir: Path) -> None:
    import threading

    app = create_app(data_dir, work=WorkLimits(workers=1, queue=0, seconds=30))
    with TestClient(app, base_url="http://localhost") as c:
        slow = threading.Thread(
            target=c.post,
            args=("/api/scenarios",),
            kwargs={"files": [("files", ("b.yaml", _big_yaml()))]},
        )
        slow.start()
        while c.get("/api/health").json()["jobs_running"] == 0 and slow.is_alive():
            pass
        busy = c.post("/api/scenarios/teaching-trade/evaluate", json={})
        slow.join()
        assert busy.status_code == 429 and busy.headers["retry-after"]
