"""Fixtures: the tiny model and tokenizer (tests/tiny.py), and a real Argus server (``argus start``
on a temp data dir, a free loopback port) for the integration tests. ``ARGUS_EXPLAIN_TEST_URL``
points the integration tests at a server already running instead."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Dict

import pytest
import torch

# One intra-op thread: on the shared 2-core CI machine, torch's thread pool spinning against other
# processes made a tiny model's forward pass ~40× slower (87 ms vs 2 ms).
torch.set_num_threads(1)

sys.path.insert(0, str(Path(__file__).resolve().parent))

from tiny import tiny_model, tiny_tokenizer  # noqa: E402

REPO = Path(__file__).resolve().parents[3]


@pytest.fixture()
def model() -> Any:
    return tiny_model()


@pytest.fixture(scope="session")
def tokenizer() -> Any:
    return tiny_tokenizer()


def _node() -> str:
    """The repository's Node 24 (npm dependency `node`), else ARGUS_TEST_NODE, else `node`."""
    if os.environ.get("ARGUS_TEST_NODE"):
        return os.environ["ARGUS_TEST_NODE"]
    pinned = REPO / "node_modules" / ".bin" / "node"
    return str(pinned) if pinned.exists() else (shutil.which("node") or "node")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get_json(url: str, timeout: float = 5) -> Any:
    with urllib.request.urlopen(url, timeout=timeout) as r:
        return json.loads(r.read().decode("utf-8"))


@pytest.fixture(scope="session")
def argus_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    given = os.environ.get("ARGUS_EXPLAIN_TEST_URL")
    if given:
        yield given.rstrip("/")
        return
    tmp = tmp_path_factory.mktemp("argus")
    port = _free_port()
    log = tmp / "argus.log"
    args = [_node(), str(REPO / "packages/server/bin/argus.js"), "start", "--port", str(port),
            "--data-dir", str(tmp / "data")]
    with log.open("w") as out:
        proc = subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT,
                                env={**os.environ, "ARGUS_LOG_LEVEL": "warn", "ARGUS_GRPC_PORT": "0"})
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"argus exited early:\n{log.read_text()}")
        try:
            get_json(f"{url}/health", 1)
            break
        except OSError:
            if time.monotonic() > deadline:
                proc.kill()
                raise RuntimeError(f"argus did not start:\n{log.read_text()}") from None
            time.sleep(0.1)
    yield url
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()


def read_span(url: str, trace_id: str, span_id: str, timeout: float = 20) -> Dict[str, Any]:
    """The span as Argus's API answers it, once it arrived."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            for span in get_json(f"{url}/api/v1/traces/{trace_id}")["spans"]:
                if span["spanId"] == span_id:
                    return span
        except urllib.error.HTTPError as error:
            if error.code != 404:
                raise
        time.sleep(0.2)
    raise AssertionError(f"span {trace_id}/{span_id} did not arrive in {timeout} s")


@pytest.fixture()
def spans() -> Any:
    """A tracer provider that keeps finished spans in memory (unit tests send nothing)."""
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import SimpleSpanProcessor
    from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    exporter.provider = provider  # type: ignore[attr-defined]
    return exporter
