"""The openai client (sync, async, streamed) traced by argus.init(), checked through Argus's API."""

from __future__ import annotations

import asyncio

import argus
import openai
import pytest
from conftest import Traces, only, texts

MODEL = "gpt-4o-mini"
SYSTEM = "You are a terse storyteller."


@pytest.fixture
def client(mock_url: str, sdk: argus.Handle) -> openai.OpenAI:
    return openai.OpenAI(api_key="test", base_url=f"{mock_url}/v1", max_retries=0)


@pytest.fixture
def aclient(mock_url: str, sdk: argus.Handle) -> openai.AsyncOpenAI:
    return openai.AsyncOpenAI(api_key="test", base_url=f"{mock_url}/v1", max_retries=0)


def test_chat_call_records_model_params_tokens_content_and_parent(client: openai.OpenAI, traces: Traces) -> None:
    prompt = "Tell a fable about a fox"
    with argus.chain("answer", input=prompt) as chain:
        r = client.chat.completions.create(
            model=MODEL,
            temperature=0.3,
            top_p=0.9,
            max_tokens=50,
            messages=[{"role": "system", "content": SYSTEM}, {"role": "user", "content": prompt}],
        )
        chain.set_output(r.choices[0].message.content)
    spans = traces.spans(chain.trace_id, 2)
    root = only(spans, "chain")
    llm = only(spans, "llm")
    assert root["parentSpanId"] == "" and root["name"] == "answer"
    assert llm["parentSpanId"] == root["spanId"]
    assert llm["name"] == f"chat {MODEL}"
    assert llm["provider"] == "openai" and llm["operation"] == "chat"
    assert llm["requestModel"] == MODEL and llm["responseModel"] == r.model
    assert llm["inputTokens"] == r.usage.prompt_tokens
    assert llm["outputTokens"] == r.usage.completion_tokens
    assert llm["params"]["temperature"] == 0.3 and llm["params"]["topP"] == 0.9 and llm["params"]["maxTokens"] == 50
    assert llm["finishReasons"] == ["stop"]
    assert llm["responseId"] == r.id
    assert texts(llm["input"], "user") == prompt
    assert texts(llm["input"], "system") == SYSTEM
    assert texts(llm["output"], "assistant") == r.choices[0].message.content
    assert llm["serviceName"] == "argus-sdk-pytest" and llm["environment"] == "test"
    assert root["input"] == prompt and root["output"] == r.choices[0].message.content


def test_stream_records_ttft_usage_and_the_joined_answer(client: openai.OpenAI, traces: Traces) -> None:
    prompt = "Stream a fable about an owl"
    with argus.chain("stream") as chain:
        stream = client.chat.completions.create(
            model=MODEL,
            stream=True,
            stream_options={"include_usage": True},
            messages=[{"role": "user", "content": prompt}],
        )
        assert isinstance(stream, openai.Stream)  # the SDK's own object comes back
        answer, usage = "", None
        for chunk in stream:
            if chunk.choices and chunk.choices[0].delta.content:
                answer += chunk.choices[0].delta.content
            usage = chunk.usage or usage
    llm = only(traces.spans(chain.trace_id, 2), "llm")
    assert answer and texts(llm["output"]) == answer
    assert llm["inputTokens"] == usage.prompt_tokens and llm["outputTokens"] == usage.completion_tokens
    assert not llm.get("tokensEstimated")
    assert 0 <= llm["ttftMs"] <= llm["durationMs"]
    assert llm["params"]["stream"] is True


def test_stream_without_usage_estimates_tokens(client: openai.OpenAI, traces: Traces) -> None:
    with argus.chain("estimate") as chain:
        stream = client.chat.completions.create(
            model=MODEL, stream=True, messages=[{"role": "user", "content": "Say hi"}]
        )
        answer = "".join(c.choices[0].delta.content or "" for c in stream if c.choices)
    llm = only(traces.spans(chain.trace_id, 2), "llm")
    assert texts(llm["output"]) == answer
    assert llm["tokensEstimated"] is True
    assert llm["outputTokens"] == -(-len(answer) // 4)


def test_stream_closed_early_still_ends_its_span(client: openai.OpenAI, traces: Traces) -> None:
    with argus.chain("early") as chain:
        stream = client.chat.completions.create(
            model=MODEL, stream=True, messages=[{"role": "user", "content": "A long fable about rivers"}]
        )
        for _ in stream:
            break
        stream.close()
        del stream  # the traced iterator is finalised with the stream
    llm = only(traces.spans(chain.trace_id, 2), "llm")
    assert llm["status"] != "error"


def test_async_chat_and_stream(aclient: openai.AsyncOpenAI, traces: Traces) -> None:
    async def run() -> tuple:
        with argus.chain("async") as chain:
            r = await aclient.chat.completions.create(
                model=MODEL, messages=[{"role": "user", "content": "Async fable"}]
            )
            stream = await aclient.chat.completions.create(
                model=MODEL,
                stream=True,
                stream_options={"include_usage": True},
                messages=[{"role": "user", "content": "Async stream"}],
            )
            answer = ""
            async for chunk in stream:
                if chunk.choices and chunk.choices[0].delta.content:
                    answer += chunk.choices[0].delta.content
        return chain.trace_id, r, answer

    trace_id, r, answer = asyncio.run(run())
    spans = traces.spans(trace_id, 3)
    llms = sorted((s for s in spans if s["kind"] == "llm"), key=lambda s: s["startTime"])
    assert len(llms) == 2
    root = only(spans, "chain")
    assert all(s["parentSpanId"] == root["spanId"] for s in llms)
    assert llms[0]["outputTokens"] == r.usage.completion_tokens and llms[0].get("ttftMs") is None
    assert texts(llms[1]["output"]) == answer and llms[1]["ttftMs"] >= 0


def test_provider_error_is_reraised_unchanged_and_recorded(client: openai.OpenAI, traces: Traces) -> None:
    with argus.chain("failing") as chain:
        with pytest.raises(openai.RateLimitError) as caught:
            client.chat.completions.create(model=MODEL, messages=[{"role": "user", "content": "[[fail:429]] x"}])
    assert caught.value.status_code == 429  # the SDK's own exception object
    llm = only(traces.spans(chain.trace_id, 2), "llm")
    assert llm["status"] == "error" and llm["errorType"] == "RateLimitError"
    assert "429" in llm["statusMessage"]
    assert llm["requestModel"] == MODEL


def test_broken_stream_error_is_reraised_and_recorded(client: openai.OpenAI, traces: Traces) -> None:
    with argus.chain("broken") as chain:
        stream = client.chat.completions.create(
            model=MODEL, stream=True, messages=[{"role": "user", "content": "[[fail:stream]] a fable"}]
        )
        with pytest.raises(Exception) as caught:
            for _ in stream:
                pass
    llm = only(traces.spans(chain.trace_id, 2), "llm")
    assert llm["status"] == "error" and llm["errorType"] == type(caught.value).__name__


def test_embeddings(client: openai.OpenAI, traces: Traces) -> None:
    with argus.chain("embed") as chain:
        r = client.embeddings.create(model="text-embedding-3-small", input=["alpha beta", "gamma"])
    emb = only(traces.spans(chain.trace_id, 2), "embedding")
    assert emb["requestModel"] == "text-embedding-3-small"
    assert emb["inputTokens"] == r.usage.prompt_tokens
    assert texts(emb["input"]) == "alpha betagamma"


def test_moonshot_host_is_detected_as_kimi() -> None:
    from argus.instrument._provider import endpoint_of

    class OpenAI:  # the provider comes from the client's base URL
        base_url = "https://api.moonshot.ai/v1/"

    assert endpoint_of(OpenAI(), "openai") == {"provider": "moonshot_ai", "address": "api.moonshot.ai", "port": 443}


def test_responses_api_call_and_stream(client: openai.OpenAI, traces: Traces) -> None:
    with argus.chain("responses") as chain:
        r = client.responses.create(
            model=MODEL, instructions="Be brief.", input="Tell a fable about a bee", max_output_tokens=60
        )
        stream = client.responses.create(model=MODEL, input="Stream a fable about a bee", stream=True)
        streamed = "".join(e.delta for e in stream if e.type == "response.output_text.delta")
    llms = sorted((s for s in traces.spans(chain.trace_id, 3) if s["kind"] == "llm"), key=lambda s: s["startTime"])
    assert len(llms) == 2
    call, streamed_span = llms
    assert call["requestModel"] == MODEL and call["responseModel"] == r.model
    assert call["inputTokens"] == r.usage.input_tokens and call["outputTokens"] == r.usage.output_tokens
    assert call["params"]["maxTokens"] == 60
    assert call["systemInstructions"] == [{"type": "text", "content": "Be brief."}]
    assert texts(call["input"], "user") == "Tell a fable about a bee"
    assert texts(call["output"]) == r.output_text
    assert streamed and texts(streamed_span["output"]) == streamed
    assert 0 <= streamed_span["ttftMs"] <= streamed_span["durationMs"]
