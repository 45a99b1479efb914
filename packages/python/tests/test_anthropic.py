"""The anthropic client (sync, async, streamed events) traced by argus.init()."""

from __future__ import annotations

import asyncio

import anthropic
import argus
import pytest
from conftest import Traces, only, texts

MODEL = "claude-sonnet-4-5"


@pytest.fixture
def client(mock_url: str, sdk: argus.Handle) -> anthropic.Anthropic:
    return anthropic.Anthropic(api_key="test", base_url=mock_url, max_retries=0)


def test_message_records_system_usage_and_content(client: anthropic.Anthropic, traces: Traces) -> None:
    with argus.chain("claude") as chain:
        r = client.messages.create(
            model=MODEL,
            max_tokens=60,
            temperature=0.2,
            system="Be brief.",
            messages=[{"role": "user", "content": "Tell a fable about a crow"}],
        )
    llm = only(traces.spans(chain.trace_id, 2), "llm")
    assert llm["provider"] == "anthropic" and llm["requestModel"] == MODEL and llm["responseModel"] == r.model
    assert llm["inputTokens"] == r.usage.input_tokens + (r.usage.cache_read_input_tokens or 0) + (
        r.usage.cache_creation_input_tokens or 0
    )
    assert llm["outputTokens"] == r.usage.output_tokens
    assert llm["params"]["maxTokens"] == 60 and llm["params"]["temperature"] == 0.2
    assert llm["systemInstructions"] == [{"type": "text", "content": "Be brief."}]
    assert texts(llm["input"], "user") == "Tell a fable about a crow"
    assert texts(llm["output"]) == "".join(b.text for b in r.content if b.type == "text")
    assert llm["finishReasons"] == [r.stop_reason]


def test_streamed_events_record_ttft_usage_and_text(client: anthropic.Anthropic, traces: Traces) -> None:
    with argus.chain("claude-stream") as chain:
        stream = client.messages.create(
            model=MODEL, max_tokens=80, stream=True, messages=[{"role": "user", "content": "Stream a fable"}]
        )
        answer, output_tokens = "", None
        for event in stream:
            if event.type == "content_block_delta" and event.delta.type == "text_delta":
                answer += event.delta.text
            if event.type == "message_delta":
                output_tokens = event.usage.output_tokens
    llm = only(traces.spans(chain.trace_id, 2), "llm")
    assert answer and texts(llm["output"]) == answer
    assert llm["outputTokens"] == output_tokens
    assert 0 <= llm["ttftMs"] <= llm["durationMs"]


def test_async_message_and_error(mock_url: str, sdk: argus.Handle, traces: Traces) -> None:
    aclient = anthropic.AsyncAnthropic(api_key="test", base_url=mock_url, max_retries=0)

    async def run() -> str:
        with argus.chain("claude-async") as chain:
            await aclient.messages.create(model=MODEL, max_tokens=30, messages=[{"role": "user", "content": "Hi"}])
            with pytest.raises(anthropic.InternalServerError):
                await aclient.messages.create(
                    model=MODEL, max_tokens=30, messages=[{"role": "user", "content": "[[fail:500]] hi"}]
                )
        return chain.trace_id

    spans = traces.spans(asyncio.run(run()), 3)
    llms = [s for s in spans if s["kind"] == "llm"]
    assert len(llms) == 2 and [s["status"] == "error" for s in llms].count(True) == 1
    failed = next(s for s in llms if s["status"] == "error")
    assert failed["errorType"] == "InternalServerError"


def test_stream_helper_is_one_traced_call(client: anthropic.Anthropic, mock_url: str, traces: Traces) -> None:
    with argus.chain("claude-helper") as chain:
        with client.messages.stream(
            model=MODEL, max_tokens=80, messages=[{"role": "user", "content": "Stream through the helper"}]
        ) as stream:
            text = "".join(stream.text_stream)
            final = stream.get_final_message()
    aclient = anthropic.AsyncAnthropic(api_key="test", base_url=mock_url, max_retries=0)

    async def run() -> str:
        async with aclient.messages.stream(
            model=MODEL, max_tokens=40, messages=[{"role": "user", "content": "Async helper"}]
        ) as s:
            return "".join([t async for t in s.text_stream])

    with argus.chain("claude-helper-async") as achain:
        async_text = asyncio.run(run())
    llm = only(traces.spans(chain.trace_id, 2), "llm")
    assert text and texts(llm["output"]) == text
    assert llm["outputTokens"] == final.usage.output_tokens and llm["params"]["maxTokens"] == 80
    assert 0 <= llm["ttftMs"] <= llm["durationMs"]
    allm = only(traces.spans(achain.trace_id, 2), "llm")
    assert async_text and texts(allm["output"]) == async_text and allm["ttftMs"] >= 0
