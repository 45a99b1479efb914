"""W3C propagation helpers and the ASGI middleware (driven by a plain ASGI app, no framework)."""

from __future__ import annotations

import asyncio
from typing import Any, Dict, List

import argus
from conftest import Traces, only


def test_inject_and_extract_round_trip(sdk: argus.Handle) -> None:
    with argus.chain("client") as root:
        headers = argus.inject_headers({"content-type": "application/json"})
    assert headers["content-type"] == "application/json"
    assert headers["traceparent"] == f"00-{root.trace_id}-{root.span_id}-01"
    from opentelemetry import trace

    ctx = argus.extract_context({"TraceParent": headers["traceparent"]})
    remote = trace.get_current_span(ctx).get_span_context()
    assert format(remote.trace_id, "032x") == root.trace_id and remote.is_remote


def test_asgi_middleware_continues_the_caller_trace(sdk: argus.Handle, traces: Traces) -> None:
    async def app(scope: Dict[str, Any], receive: Any, send: Any) -> None:
        with argus.tool("inside"):
            pass
        await send({"type": "http.response.start", "status": 503, "headers": []})
        await send({"type": "http.response.body", "body": b"busy"})

    middleware = argus.ArgusASGIMiddleware(app)
    trace_id, parent = "0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331"
    sent: List[Dict[str, Any]] = []

    async def send(message: Dict[str, Any]) -> None:
        sent.append(message)

    async def receive() -> Dict[str, Any]:
        return {"type": "http.request", "body": b""}

    scope = {
        "type": "http",
        "method": "POST",
        "path": "/v1/answer",
        "query_string": b"q=1",
        "scheme": "http",
        "headers": [(b"traceparent", f"00-{trace_id}-{parent}-01".encode())],
    }
    asyncio.run(middleware(scope, receive, send))
    assert [m["type"] for m in sent] == ["http.response.start", "http.response.body"]
    spans = traces.spans(trace_id, 2)
    server, tool = only(spans, "http"), only(spans, "tool")
    assert server["parentSpanId"] == parent and tool["parentSpanId"] == server["spanId"]
    assert server["status"] == "error"  # 5xx
