"""The compatibility tests' Flask + Kimi streaming app, rewritten on the SDK (examples/flask_kimi.py),
run as its own process: each request is an http server span with the Kimi call as its llm child,
carrying model, tokens, TTFT (streamed route), session and user; a caller's traceparent is continued."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Dict, List

import pytest
from conftest import Traces, free_port, only, texts

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "flask_kimi.py"
KIMI = "moonshot-v1-8k"


def call(url: str, headers: Dict[str, str]) -> Any:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as r:
            return r.status, dict(r.headers), r.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode("utf-8")


@pytest.fixture(scope="module")
def flask_app(argus_url: str, mock_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Dict[str, Any]]:
    port = free_port()
    log = tmp_path_factory.mktemp("flask") / "app.log"
    proc = subprocess.Popen(
        [sys.executable, str(EXAMPLE)],
        env={
            **os.environ,
            "PORT": str(port),
            "ARGUS_URL": argus_url,
            "KIMI_BASE_URL": f"{mock_url}/v1",
            "PYTHONDONTWRITEBYTECODE": "1",
        },
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        assert proc.poll() is None, log.read_text()
        assert time.monotonic() < deadline, log.read_text()
        try:
            urllib.request.urlopen(f"{url}/stream-truth", timeout=1)
            break
        except OSError:
            time.sleep(0.1)
    who = {"x-session-id": "sess-flask", "x-user-id": "user-flask"}
    q = lambda p: "?prompt=" + urllib.parse.quote(p)  # noqa: E731
    caller_trace, caller_span = "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7"
    _, _, chat = call(
        f"{url}/chat{q('Tell a fable about kimi')}", {**who, "traceparent": f"00-{caller_trace}-{caller_span}-01"}
    )
    status, headers, streamed = call(f"{url}/stream{q('Stream a fable about kimi')}", who)
    assert status == 200
    _, _, truth = call(f"{url}/stream-truth", {})
    fail_status, _, fail = call(f"{url}/fail{q('[[fail:429]] kimi')}", {})
    proc.send_signal(signal.SIGTERM)  # the app flushes (argus.shutdown) and exits
    assert proc.wait(15) == 0, log.read_text()
    yield {
        "chat": json.loads(chat),
        "stream": {**json.loads(truth), "answer": streamed, "traceId": headers.get("x-trace-id")},
        "fail": {"status": fail_status, **json.loads(fail)},
        "caller": (caller_trace, caller_span),
    }


def test_chat_route_is_a_server_span_with_the_kimi_call_as_child(flask_app: Dict[str, Any], traces: Traces) -> None:
    chat = flask_app["chat"]
    caller_trace, caller_span = flask_app["caller"]
    assert chat["traceId"] == caller_trace  # the caller's traceparent was continued
    spans = traces.spans(chat["traceId"], 2)
    server, llm = only(spans, "http"), only(spans, "llm")
    assert server["parentSpanId"] == caller_span and llm["parentSpanId"] == server["spanId"]
    assert server["name"] == "GET /chat" and server["serviceName"] == "flask-kimi"
    assert server["environment"] == "compat"
    assert llm["requestModel"] == KIMI and llm["responseModel"] == chat["responseModel"]
    assert llm["inputTokens"] == chat["inputTokens"] and llm["outputTokens"] == chat["outputTokens"]
    assert llm["params"]["temperature"] == 0.3 and llm["params"]["maxTokens"] == 50
    assert texts(llm["input"], "system") == "You are a terse storyteller."
    assert texts(llm["output"]) == chat["answer"]
    assert llm["sessionId"] == "sess-flask" and llm["userId"] == "user-flask"


def test_streamed_route_carries_ttft_tokens_and_the_streamed_answer(flask_app: Dict[str, Any], traces: Traces) -> None:
    stream = flask_app["stream"]
    spans = traces.spans(stream["traceId"], 2)
    server, llm = only(spans, "http"), only(spans, "llm")
    assert server["parentSpanId"] == "" and llm["parentSpanId"] == server["spanId"]
    assert server["name"] == "GET /stream"
    assert stream["answer"] and texts(llm["output"]) == stream["answer"]
    assert llm["inputTokens"] == stream["inputTokens"] and llm["outputTokens"] == stream["outputTokens"]
    assert llm["responseModel"] == stream["responseModel"]
    assert 0 <= llm["ttftMs"] <= llm["durationMs"]
    assert llm["sessionId"] == "sess-flask" and llm["userId"] == "user-flask"


def test_failing_route_records_the_provider_error(flask_app: Dict[str, Any], traces: Traces) -> None:
    fail = flask_app["fail"]
    assert fail["status"] == 502
    spans: List[Dict[str, Any]] = traces.spans(fail["traceId"], 2)
    llm = only(spans, "llm")
    assert llm["status"] == "error" and "429" in llm["statusMessage"] and llm["requestModel"] == KIMI
    assert only(spans, "http")["parentSpanId"] == ""
