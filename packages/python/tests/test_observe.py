"""@observe, the span context managers and the session/user/tags context, checked in Argus."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Iterator
from typing import Any, Dict, List

import argus
import pytest
from conftest import Traces, by_kind, only


@argus.observe(kind="tool")
def get_weather(city: str) -> Dict[str, Any]:
    return {"city": city, "sky": "clear"}


@argus.observe(name="search-docs", kind="retriever")
def search(query: str, k: int = 2) -> List[Dict[str, Any]]:
    return [{"id": f"d{i}", "page_content": f"doc {i} about {query}", "score": 0.9 - i / 10} for i in range(k)]


@argus.observe
def pipeline(question: str) -> str:
    docs = search(question)
    weather = get_weather("Paris")
    return f"{len(docs)} docs, {weather['sky']}"


def test_decorated_steps_nest_with_kinds_inputs_and_outputs(sdk: argus.Handle, traces: Traces) -> None:
    with argus.agent("planner", input="plan a trip") as root:
        assert pipeline("trains") == "2 docs, clear"
    spans = traces.spans(root.trace_id, 4)
    agent, chain, retriever, tool = (only(spans, k) for k in ("agent", "chain", "retriever", "tool"))
    assert agent["parentSpanId"] == "" and chain["parentSpanId"] == agent["spanId"]
    assert retriever["parentSpanId"] == chain["spanId"] and tool["parentSpanId"] == chain["spanId"]
    assert chain["name"] == "pipeline" and chain["input"] == "trains" and chain["output"] == "2 docs, clear"
    assert retriever["name"] == "search-docs"
    assert [d["content"] for d in retriever["retrievalDocuments"]] == ["doc 0 about trains", "doc 1 about trains"]
    assert retriever["retrievalDocuments"][0]["id"] == "d0"
    assert tool["toolName"] == "get_weather"
    assert json.dumps(tool["output"]).find("clear") >= 0


def test_errors_are_recorded_and_reraised_unchanged(sdk: argus.Handle, traces: Traces) -> None:
    class Boom(Exception):
        pass

    error = Boom("no luck")

    @argus.observe(kind="tool")
    def fails() -> None:
        raise error

    with argus.chain("outer") as root:
        with pytest.raises(Boom) as caught:
            fails()
    assert caught.value is error
    tool = only(traces.spans(root.trace_id, 2), "tool")
    assert tool["status"] == "error" and tool["errorType"] == "Boom" and tool["statusMessage"] == "no luck"


def test_generators_async_functions_and_async_generators(sdk: argus.Handle, traces: Traces) -> None:
    @argus.observe(name="words")
    def words(n: int) -> Iterator[str]:
        for i in range(n):
            with argus.tool(f"piece-{i}"):
                pass
            yield f"w{i} "

    @argus.observe(name="fetch", kind="tool")
    async def fetch(x: int) -> int:
        await asyncio.sleep(0)
        return x * 2

    @argus.observe(name="ticks")
    async def ticks(n: int) -> AsyncIterator[str]:
        for i in range(n):
            yield str(await fetch(i))

    async def run() -> str:
        with argus.chain("root") as root:
            assert "".join(words(2)) == "w0 w1 "
            assert [t async for t in ticks(2)] == ["0", "2"]
        return root.trace_id

    spans = traces.spans(asyncio.run(run()), 7)
    by_name = {s["name"]: s for s in spans}
    assert by_name["words"]["output"] == "w0 w1 "
    assert by_name["piece-0"]["parentSpanId"] == by_name["words"]["spanId"]  # body runs inside the span
    assert by_name["ticks"]["output"] == "02"
    fetches = [s for s in spans if s["name"] == "fetch"]
    assert len(fetches) == 2 and all(s["parentSpanId"] == by_name["ticks"]["spanId"] for s in fetches)
    assert sorted(str(s["output"]) for s in fetches) == ["0", "2"]


def test_generators_closed_early_or_failing_still_end_their_spans(sdk: argus.Handle, traces: Traces) -> None:
    class Boom(Exception):
        pass

    @argus.observe(name="counting")
    def counting() -> Iterator[int]:
        n = 0
        while True:
            yield n
            n += 1

    @argus.observe(name="failing")
    async def failing() -> AsyncIterator[str]:
        yield "first "
        raise Boom("mid-stream")

    async def run() -> str:
        with argus.chain("root") as root:
            numbers = counting()
            assert [next(numbers), next(numbers)] == [0, 1]
            numbers.close()
            seen: List[str] = []
            with pytest.raises(Boom):
                async for piece in failing():
                    seen.append(piece)
            assert seen == ["first "]
        return root.trace_id

    spans = traces.spans(asyncio.run(run()), 3)
    by_name = {s["name"]: s for s in spans}
    # Closed early: ended with what it yielded so far (not text, so a list).
    assert by_name["counting"]["status"] != "error" and by_name["counting"]["output"] == [0, 1]
    failed = by_name["failing"]
    assert failed["status"] == "error" and failed["errorType"] == "Boom" and failed["statusMessage"] == "mid-stream"


def test_session_user_tags_and_metadata_reach_every_span(sdk: argus.Handle, traces: Traces) -> None:
    async def turn(i: int) -> str:
        with argus.tags("async", f"turn-{i}"):
            with argus.tool("lookup"):
                await asyncio.sleep(0)
        return argus.current_trace_id() or ""

    async def run() -> str:
        with argus.session("sess-py-1"), argus.user("user-py-1"), argus.tags("beta"):
            with argus.metadata({"plan": "pro", "region": "eu"}), argus.metadata({"region": "us"}):
                with argus.chain("conversation") as root:
                    await asyncio.gather(turn(1), turn(2))
        assert argus.get_context() == {}
        return root.trace_id

    spans = traces.spans(asyncio.run(run()), 3)
    assert all(s["sessionId"] == "sess-py-1" and s["userId"] == "user-py-1" for s in spans)
    root = only(spans, "chain")
    assert root["tags"] == ["beta"] and root["metadata"] == {"plan": "pro", "region": "us"}
    assert sorted(sorted(s["tags"]) for s in by_kind(spans, "tool")) == [
        ["async", "beta", "turn-1"],
        ["async", "beta", "turn-2"],
    ]


def test_a_failing_redact_never_reaches_the_application(argus_url: str, traces: Traces) -> None:
    def bad_redact(text: str) -> str:
        raise RuntimeError("redactor broken")

    argus.shutdown()
    try:
        argus.init(endpoint=argus_url, service_name="argus-sdk-pytest", redact=bad_redact, capture_content=True)
        with argus.chain("redacted", input="secret@example.com") as root:
            pass
        chain = only(traces.spans(root.trace_id, 1), "chain")
        assert chain["input"] == "[redaction failed]"
    finally:
        argus.shutdown()
        argus.init(endpoint=argus_url, service_name="argus-sdk-pytest", environment="test")


def test_capture_content_off_keeps_names_tokens_and_drops_text(argus_url: str, traces: Traces) -> None:
    argus.shutdown()
    try:
        argus.init(endpoint=argus_url, service_name="argus-sdk-pytest", capture_content=False)
        with argus.chain("private", input="a secret question") as root:
            root.set_output("a secret answer")
        chain = only(traces.spans(root.trace_id, 1), "chain")
        assert chain["name"] == "private"
        assert "input" not in chain or chain["input"] in (None, "")
        assert "output" not in chain or chain["output"] in (None, "")
    finally:
        argus.shutdown()
        argus.init(endpoint=argus_url, service_name="argus-sdk-pytest", environment="test")


def test_unknown_kind_falls_back_to_chain_and_bad_context_values_are_ignored(sdk: argus.Handle, traces: Traces) -> None:
    with argus.session(42):  # type: ignore[arg-type]
        with argus.span("odd", kind="nonsense") as root:
            pass
    chain = only(traces.spans(root.trace_id, 1), "chain")
    assert chain["name"] == "odd" and not chain.get("sessionId")
