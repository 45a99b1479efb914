"""FastAPI with ArgusASGIMiddleware: each request is a server span continuing the caller's trace
(http.route from FastAPI's router); an answer streamed from AsyncOpenAI is its llm child."""

from __future__ import annotations

import argus
import openai
import pytest
from conftest import Traces, only, texts

fastapi = pytest.importorskip("fastapi")
from fastapi.responses import StreamingResponse  # noqa: E402
from fastapi.testclient import TestClient  # noqa: E402

MODEL = "moonshot-v1-8k"


def test_streamed_fastapi_route(mock_url: str, sdk: argus.Handle, traces: Traces) -> None:
    kimi = openai.AsyncOpenAI(api_key="test", base_url=f"{mock_url}/v1", max_retries=0)
    app = fastapi.FastAPI()
    app.add_middleware(argus.ArgusASGIMiddleware)

    @app.get("/stream/{topic}")
    async def stream(topic: str, request: fastapi.Request) -> StreamingResponse:
        session = request.headers.get("x-session-id")

        async def generate():  # type: ignore[no-untyped-def]
            with argus.session(session or "none"):
                s = await kimi.chat.completions.create(
                    model=MODEL,
                    stream=True,
                    stream_options={"include_usage": True},
                    messages=[{"role": "user", "content": f"A fable about {topic}"}],
                )
            async for chunk in s:
                if chunk.choices and chunk.choices[0].delta.content:
                    yield chunk.choices[0].delta.content

        return StreamingResponse(generate(), media_type="text/plain")

    trace_id, parent = "5bf92f3577b34da6a3ce929d0e0e4736", "10f067aa0ba902b7"
    with TestClient(app) as http:
        r = http.get("/stream/owls?x=1", headers={"traceparent": f"00-{trace_id}-{parent}-01", "x-session-id": "s-fa"})
    assert r.status_code == 200 and r.text
    spans = traces.spans(trace_id, 2)
    server, llm = only(spans, "http"), only(spans, "llm")
    assert server["parentSpanId"] == parent and llm["parentSpanId"] == server["spanId"]
    assert server["name"] == "GET /stream/{topic}"
    assert texts(llm["output"]) == r.text and llm["ttftMs"] >= 0 and llm["sessionId"] == "s-fa"
