"""A real Argus server (``argus start`` in a temp data dir) and the repository's mock LLM, both as
child processes on free loopback ports, and the SDK initialised once against them for the session
(OpenTelemetry allows one global tracer provider per process)."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional

import argus
import pytest

REPO = Path(__file__).resolve().parents[3]


def node_binary() -> str:
    """The repository's Node 24 (npm dependency `node`), else ARGUS_TEST_NODE, else `node`."""
    if os.environ.get("ARGUS_TEST_NODE"):
        return os.environ["ARGUS_TEST_NODE"]
    pinned = REPO / "node_modules" / ".bin" / "node"
    return str(pinned) if pinned.exists() else (shutil.which("node") or "node")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get_json(url: str, timeout: float = 5) -> Any:
    with urllib.request.urlopen(url, timeout=timeout) as r:
        return json.loads(r.read().decode("utf-8"))


def _wait(proc: subprocess.Popen, ready: Callable[[], bool], what: str, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{what} exited early:\n{log.read_text()}")
        try:
            if ready():
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{what} did not start:\n{log.read_text()}")


def _spawn(args: List[str], log: Path, env: Optional[Dict[str, str]] = None) -> subprocess.Popen:
    out = log.open("w")
    return subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT, env={**os.environ, **(env or {})})


def _stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture(scope="session")
def argus_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    tmp = tmp_path_factory.mktemp("argus")
    port = free_port()
    log = tmp / "argus.log"
    proc = _spawn(
        [
            node_binary(),
            str(REPO / "packages/server/bin/argus.js"),
            "start",
            "--port",
            str(port),
            "--data-dir",
            str(tmp / "data"),
        ],
        log,
        {"ARGUS_LOG_LEVEL": "warn", "ARGUS_GRPC_PORT": "0"},
    )
    url = f"http://127.0.0.1:{port}"
    _wait(proc, lambda: get_json(f"{url}/health", 1) is not None, "argus", log)
    yield url
    _stop(proc)


@pytest.fixture(scope="session")
def mock_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    tmp = tmp_path_factory.mktemp("mock")
    port = free_port()
    log = tmp / "mock.log"
    proc = _spawn(
        [node_binary(), str(REPO / "packages/mock-llm/src/cli.ts"), "--port", str(port), "--chunk-delay-ms", "2"],
        log,
    )

    def ready() -> bool:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True

    _wait(proc, ready, "mock LLM", log)
    yield f"http://127.0.0.1:{port}"
    _stop(proc)


@pytest.fixture(scope="session")
def sdk(argus_url: str) -> Iterator[argus.Handle]:
    handle = argus.init(endpoint=argus_url, service_name="argus-sdk-pytest", environment="test")
    assert handle.mode == "global"
    yield handle
    argus.shutdown()


class Traces:
    """Reads what Argus stored."""

    def __init__(self, url: str) -> None:
        self.url = url

    def spans(self, trace_id: str, count: int, timeout: float = 20) -> List[Dict[str, Any]]:
        """The trace's spans once at least `count` arrived (after flushing the SDK)."""
        assert argus.flush(), "flush did not complete"
        deadline = time.monotonic() + timeout
        spans: List[Dict[str, Any]] = []
        while time.monotonic() < deadline:
            try:
                spans = get_json(f"{self.url}/api/v1/traces/{trace_id}")["spans"]
            except urllib.error.HTTPError as error:
                if error.code != 404:
                    raise
            if len(spans) >= count:
                return spans
            time.sleep(0.2)
        raise AssertionError(f"trace {trace_id}: {len(spans)} spans arrived, expected {count}")

    def trace(self, trace_id: str) -> Dict[str, Any]:
        return get_json(f"{self.url}/api/v1/traces/{trace_id}")


@pytest.fixture(scope="session")
def traces(argus_url: str, sdk: argus.Handle) -> Traces:
    return Traces(argus_url)


def by_kind(spans: List[Dict[str, Any]], kind: str) -> List[Dict[str, Any]]:
    return [s for s in spans if s["kind"] == kind]


def only(spans: List[Dict[str, Any]], kind: str) -> Dict[str, Any]:
    found = by_kind(spans, kind)
    assert len(found) == 1, f"expected one {kind} span, got {[(s['name'], s['kind']) for s in spans]}"
    return found[0]


def texts(messages: Any, role: Optional[str] = None) -> str:
    """The text parts of canonical messages (of one role), joined."""
    out = []
    for m in messages or []:
        if role is None or m.get("role") == role:
            out.extend(p.get("content", "") for p in m.get("parts", []) if p.get("type") == "text")
    return "".join(out)
