"""`python bench/python-sdk-overhead.py [calls]` (with the SDK's venv: .venv-sdk-python/bin/python):
the per-call cost of the Python SDK's openai instrumentation — the same client with and without it,
its HTTP transport answering a canned response at once (httpx.MockTransport, no network), spans going
through argus.init()'s real provider and batch processor into a no-op exporter (export excluded) —
and of @argus.observe on an empty function. Process CPU time (the export thread's included), so a
busy shared machine deschedules the benchmark without inflating it; medians of 15 rounds, with
instrumented and plain rounds alternating so remaining noise hits both. Results go to stdout."""

from __future__ import annotations

import dataclasses
import json
import platform
import statistics
import sys
import time
from typing import Callable, Dict, List

import argus
import httpx
import openai
from argus import _config
from opentelemetry.sdk.trace.export import SpanExporter, SpanExportResult

CALLS = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
ROUNDS = 15

COMPLETION = json.dumps(
    {
        "id": "chatcmpl-bench",
        "object": "chat.completion",
        "created": 1767225600,
        "model": "gpt-4o-mini-2024-07-18",
        "choices": [
            {
                "index": 0,
                "finish_reason": "stop",
                "message": {"role": "assistant", "content": "Once upon a time, a fox learned to count tokens."},
            }
        ],
        "usage": {"prompt_tokens": 12, "completion_tokens": 10, "total_tokens": 22},
    }
).encode()


def sse_body() -> bytes:
    words = "Once upon a time a fox learned to count every token it saw .".split()
    events = []
    for i, word in enumerate(words):  # 12 content chunks, then the usage chunk
        events.append(
            {
                "id": "chatcmpl-bench",
                "object": "chat.completion.chunk",
                "created": 1767225600,
                "model": "gpt-4o-mini-2024-07-18",
                "choices": [
                    {
                        "index": 0,
                        "delta": {"content": word + " "},
                        "finish_reason": "stop" if i == len(words) - 1 else None,
                    }
                ],
            }
        )
    events.append(
        {
            "id": "chatcmpl-bench",
            "object": "chat.completion.chunk",
            "created": 1767225600,
            "model": "gpt-4o-mini-2024-07-18",
            "choices": [],
            "usage": {"prompt_tokens": 12, "completion_tokens": 12, "total_tokens": 24},
        }
    )
    return b"".join(b"data: " + json.dumps(e).encode() + b"\n\n" for e in events) + b"data: [DONE]\n\n"


SSE = sse_body()


def answer(request: httpx.Request) -> httpx.Response:
    if b'"stream":true' in request.content.replace(b" ", b""):
        return httpx.Response(200, content=SSE, headers={"content-type": "text/event-stream"})
    return httpx.Response(200, content=COMPLETION, headers={"content-type": "application/json"})


class NoopExporter(SpanExporter):
    def export(self, spans):  # type: ignore[no-untyped-def]
        return SpanExportResult.SUCCESS

    def shutdown(self) -> None:
        pass


client = openai.OpenAI(
    api_key="bench",
    base_url="http://bench.invalid/v1",
    max_retries=0,
    http_client=httpx.Client(transport=httpx.MockTransport(answer)),
)
MESSAGES = [{"role": "system", "content": "You are terse."}, {"role": "user", "content": "Tell a fable about a fox."}]


def chat() -> None:
    client.chat.completions.create(model="gpt-4o-mini", messages=MESSAGES, temperature=0.3)


def stream() -> None:
    for _ in client.chat.completions.create(
        model="gpt-4o-mini", messages=MESSAGES, stream=True, stream_options={"include_usage": True}
    ):
        pass


def per_call_us(fn: Callable[[], None], calls: int) -> float:
    start = time.process_time()
    for _ in range(calls):
        fn()
    return (time.process_time() - start) / calls * 1e6


def compare(label: str, fn: Callable[[], None], calls: int) -> Dict[str, float]:
    plain: List[float] = []
    traced: List[float] = []
    for _ in range(3):  # warm-up
        fn()
    for _ in range(ROUNDS):
        argus.uninstrument()
        plain.append(per_call_us(fn, calls))
        argus.instrument()
        traced.append(per_call_us(fn, calls))
    p, t = statistics.median(plain), statistics.median(traced)
    print(f"{label:<42} plain {p:8.1f} µs   instrumented {t:8.1f} µs   added {t - p:+7.1f} µs")
    return {"plain": p, "instrumented": t, "added": t - p}


def observe_cost(calls: int) -> None:
    def work(x: int) -> int:
        return x

    traced = argus.observe(name="work", kind="tool")(work)
    plain_runs, traced_runs = [], []
    for _ in range(ROUNDS):
        plain_runs.append(per_call_us(lambda: work(1), calls))
        traced_runs.append(per_call_us(lambda: traced(1), calls))
    p, t = statistics.median(plain_runs), statistics.median(traced_runs)
    print(
        f"{'@observe on an empty function':<42} plain {p:8.1f} µs   observed     {t:8.1f} µs   added {t - p:+7.1f} µs"
    )


class CannedStream:
    """The shape of openai.Stream the instrumentation sees: chunks behind ``_iterator``."""

    def __init__(self, chunks: list) -> None:
        self._iterator = iter(chunks)

    def __iter__(self):  # type: ignore[no-untyped-def]
        yield from self._iterator

    def close(self) -> None:
        pass


def wrapper_cost(calls: int) -> None:
    """The wrapper alone: the traced create around a method that returns the parsed response at once
    (what instrumentation adds to any call, without the noise of the client's own ~1 ms)."""
    from argus.instrument._call import trace_method
    from argus.instrument._openai import ChatAdapter
    from openai.types.chat import ChatCompletion, ChatCompletionChunk

    data = ChatCompletion.model_validate(json.loads(COMPLETION))
    chunks = [
        ChatCompletionChunk.model_validate(json.loads(line[6:]))
        for line in SSE.decode().split("\n\n")
        if line.startswith("data: {")
    ]
    resource = client.chat.completions

    def create(self, **kwargs):  # type: ignore[no-untyped-def]
        return CannedStream(chunks) if kwargs.get("stream") else data

    traced = trace_method(ChatAdapter(), create)
    kwargs = {"model": "gpt-4o-mini", "messages": MESSAGES, "temperature": 0.3}
    skw = {**kwargs, "stream": True, "stream_options": {"include_usage": True}}
    for label, fn, plain_fn in (
        ("wrapper alone, non-streamed", lambda: traced(resource, **kwargs), lambda: create(resource, **kwargs)),
        (
            "wrapper alone, streamed (13 chunks)",
            lambda: list(traced(resource, **skw)),
            lambda: list(create(resource, **skw)),
        ),
    ):
        plain_runs, traced_runs = [], []
        for _ in range(ROUNDS):
            plain_runs.append(per_call_us(plain_fn, calls))
            traced_runs.append(per_call_us(fn, calls))
        p, t = statistics.median(plain_runs), statistics.median(traced_runs)
        print(f"{label:<42} plain {p:8.1f} µs   instrumented {t:8.1f} µs   added {t - p:+7.1f} µs")


def bare_span_cost(calls: int) -> None:
    """What OpenTelemetry itself costs for a span with the attributes a traced chat call carries."""
    from opentelemetry import trace

    tracer = trace.get_tracer("bench")
    attrs = {f"gen_ai.attr.{i}": "value" for i in range(16)}
    runs = []
    for _ in range(ROUNDS):
        runs.append(per_call_us(lambda: tracer.start_span("chat gpt-4o-mini", attributes=attrs).end(), calls))
    print(f"{'(reference) bare OTel span, 16 attributes':<42} {statistics.median(runs):8.1f} µs")


def main() -> None:
    print(
        f"argus-sdk {argus.__version__}, openai {openai.__version__}, Python {platform.python_version()}, "
        f"{platform.machine()}, {CALLS} calls x {ROUNDS} rounds (median)"
    )
    argus.init(service_name="bench", span_exporter=NoopExporter())
    compare("chat, non-streamed, content captured", chat, CALLS)
    config = _config.get_config()
    _config.set_config(dataclasses.replace(config, capture_content=False))
    compare("chat, non-streamed, content off", chat, CALLS)
    _config.set_config(config)
    compare("chat, streamed (12 chunks + usage)", stream, CALLS // 2)
    wrapper_cost(CALLS * 2)
    observe_cost(CALLS * 5)
    bare_span_cost(CALLS * 5)
    argus.shutdown()


if __name__ == "__main__":
    main()
