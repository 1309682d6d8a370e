"""A bounded load test on loopback: mixed valid and invalid requests against a real server.

2,000 requests at concurrency 16 against `accord serve` in a subprocess; no answer may be a
5xx, and the server's resident memory may not keep growing (its growth after a warm-up is
bounded). Then a legitimate ~1.9 MB upload is validated while `/api/health` is polled: the
health answers stay fast (p50 and p99 are printed), because the upload is read in a worker
process, never on the event loop."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

httpx = pytest.importorskip("httpx")
pytest.importorskip("uvicorn")

pytestmark = pytest.mark.slow

REQUESTS = 2000
CONCURRENCY = 16
WARMUP = 400
MAX_GROWTH_MB = 60


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int]]:
    if not Path("/proc/self/status").exists():
        pytest.skip("needs /proc to measure memory")
    port = free_port()
    data = tmp_path_factory.mktemp("loaddata")
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "accord.cli.main",
            "serve",
            "--port",
            str(port),
            "--data",
            str(data),
            "--job-seconds",
            "300",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    end = time.monotonic() + 90
    try:
        while True:
            if proc.poll() is not None:
                raise AssertionError(proc.stderr.read().decode() if proc.stderr else "exited")
            try:
                if httpx.get(base + "/api/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > end:
                raise AssertionError("the server did not start in 90 s")
            time.sleep(0.2)
        yield base, proc.pid
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


def requests(pid: str) -> list[tuple[str, str, dict]]:
    """One round of the mix: cheap valid reads, a live utility, and many kinds of bad input."""
    return [
        ("GET", "/api/scenarios", {}),
        ("GET", "/api/scenarios/teaching-trade", {}),
        ("GET", "/api/scenarios/no-such", {}),
        ("GET", "/api/scenarios/..%2F..%2Fetc%2Fpasswd", {}),
        ("POST", f"/api/plays/{pid}/utility", {"json": {"offer": [1, 2, 3]}}),
        ("POST", f"/api/plays/{pid}/utility", {"json": {"offer": [99]}}),
        ("POST", "/api/scenarios", {"files": [("files", ("x.yaml", b"meta: [bad"))]}),
        (
            "POST",
            "/api/scenarios/teaching-trade/evaluate",
            {"json": {"edits": {"nobody": {"capability": 1}}}},
        ),
        (
            "POST",
            "/api/scenarios/teaching-trade/evaluate",
            {"content": b"{nope", "headers": {"content-type": "application/json"}},
        ),
        ("POST", "/api/runs", {"json": {"scenario": "teaching-trade", "draws": 10**9}}),
        ("GET", "/api/runs/r000000000000/files/..%2Faccord.db", {}),
        ("GET", "/", {}),
    ]


def test_mixed_load_has_no_5xx_and_steady_memory(server: tuple[str, int]) -> None:
    base, pid = server
    with httpx.Client(base_url=base, timeout=30) as c:
        play = c.post("/api/plays", json={"scenario": "teaching-trade", "seat": "buyer"})
        assert play.status_code == 201
        c.post("/api/scenarios/teaching-trade/evaluate", json={})
    mix = requests(play.json()["id"])
    plan = [mix[i % len(mix)] for i in range(REQUESTS)]

    def send(client: httpx.Client, item: tuple[str, str, dict]) -> int:
        method, url, kw = item
        return client.request(method, url, **kw).status_code

    statuses: Counter[int] = Counter()
    started = time.monotonic()
    with (
        httpx.Client(
            base_url=base, timeout=30, limits=httpx.Limits(max_connections=CONCURRENCY)
        ) as client,
        ThreadPoolExecutor(CONCURRENCY) as pool,
    ):
        statuses.update(pool.map(lambda it: send(client, it), plan[:WARMUP]))
        warm = rss_mb(pid)
        statuses.update(pool.map(lambda it: send(client, it), plan[WARMUP:]))
        final = rss_mb(pid)
    took = time.monotonic() - started
    assert sum(statuses.values()) == REQUESTS
    assert not [s for s in statuses if s >= 500], statuses
    assert statuses[200] > 0 and statuses[422] > 0 and statuses[404] > 0
    assert final - warm < MAX_GROWTH_MB, (warm, final)
    print(
        f"\n{REQUESTS} requests in {took:.1f} s, statuses {dict(statuses)}, "
        f"RSS {warm:.0f} MB after warm-up, {final:.0f} MB at the end"
    )
    assert took < 600


def big_upload() -> bytes:
    """A valid scenario of about 1.9 MB: the trade case with 900 buyers with long descriptions."""
    import yaml

    import accord
    from accord.io import native

    data = native.to_data(accord.load("teaching-trade"))
    base = data["actors"][0]
    data["actors"] = [
        {**base, "id": f"a{k}", "name": f"Actor {k}", "description": "A purchaser. " * 150}
        for k in range(900)
    ]
    return yaml.safe_dump(data, sort_keys=False).encode()


def test_health_stays_fast_while_a_large_upload_is_validated(server: tuple[str, int]) -> None:
    base, _ = server
    text = big_upload()
    assert len(text) > 1_800_000
    result: dict[str, int] = {}

    def upload() -> None:
        with httpx.Client(base_url=base, timeout=600) as c:
            r = c.post("/api/scenarios", files=[("files", ("big.yaml", text))])
            result["status"] = r.status_code

    thread = threading.Thread(target=upload)
    busy: list[float] = []
    with httpx.Client(base_url=base, timeout=30) as c:
        thread.start()
        while thread.is_alive():
            t0 = time.perf_counter()
            r = c.get("/api/health")
            took = time.perf_counter() - t0
            if r.json()["jobs_running"] > 0:
                busy.append(took)
            time.sleep(0.02)
    thread.join()
    assert result["status"] == 201 or 400 <= result["status"] < 500, result
    assert len(busy) >= 5, "the upload was not seen being validated"
    busy.sort()
    p50, p99 = busy[len(busy) // 2], busy[min(len(busy) - 1, int(0.99 * len(busy)))]
    print(
        f"\n/api/health during a {len(text) / 1e6:.2f} MB upload: {len(busy)} answers, "
        f"p50 {1000 * p50:.1f} ms, p99 {1000 * p99:.1f} ms, max {1000 * busy[-1]:.1f} ms"
    )
    assert p50 < 0.1  # the bound: the event loop is never blocked by the upload


def descendants(pid: int) -> set[int]:
    """The processes below `pid` (from /proc)."""
    children: dict[int, list[int]] = {}
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                ppid = int((d / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(d.name))
    out: set[int] = set()
    todo = [pid]
    while todo:
        for c in children.get(todo.pop(), []):
            out.add(c)
            todo.append(c)
    return out


def alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def test_workers_die_with_a_killed_server(tmp_path: Path) -> None:
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "accord.cli.main", "serve", "--port", str(port),
         "--data", str(tmp_path), "--job-seconds", "300"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        end = time.monotonic() + 90
        while True:
            try:
                if httpx.get(base + "/api/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
            assert time.monotonic() < end and proc.poll() is None
        text = big_upload()

        def upload() -> None:
            with contextlib.suppress(httpx.HTTPError):  # the server is killed mid-upload
                httpx.post(
                    base + "/api/scenarios", files=[("files", ("big.yaml", text))], timeout=600
                )

        threading.Thread(target=upload, daemon=True).start()
        while httpx.get(base + "/api/health").json()["jobs_running"] == 0:
            assert time.monotonic() < end
            time.sleep(0.05)
        below = descendants(proc.pid)
        assert below, "no worker process was found"
    finally:
        proc.kill()
        proc.wait(10)
    end = time.monotonic() + 15
    while any(alive(p) for p in below) and time.monotonic() < end:
        time.sleep(0.2)
    assert not [p for p in below if alive(p)]
