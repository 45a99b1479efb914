"""DESIGN principle 6: a broken tracing pipeline never reaches the application. Runs in its own
interpreter, whose provider gets a span processor that raises on every span start and end: every
call still returns the provider's answer (and its errors) exactly as without Argus."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent(
    """
    import asyncio, json, sys
    import openai
    from opentelemetry.sdk.trace import SpanProcessor
    import argus

    class Broken(SpanProcessor):
        def on_start(self, span, parent_context=None):
            raise RuntimeError("processor on_start broken")
        def on_end(self, span):
            raise RuntimeError("processor on_end broken")

    messages = []
    handle = argus.init(endpoint="http://127.0.0.1:9", service_name="broken", export_timeout_s=1,
                        diagnostics=lambda message, level: messages.append(message))
    from opentelemetry import trace
    trace.get_tracer_provider().add_span_processor(Broken())
    client = openai.OpenAI(api_key="t", base_url=sys.argv[1] + "/v1", max_retries=0)

    @argus.observe(kind="tool")
    def step(x):
        return x + 1

    @argus.observe
    def gen():
        yield "a"
        yield "b"

    out = {"mode": handle.mode, "step": step(1), "gen": "".join(gen())}
    r = client.chat.completions.create(model="m", messages=[{"role": "user", "content": "hi"}])
    out["answer"] = r.choices[0].message.content
    s = client.chat.completions.create(model="m", stream=True, messages=[{"role": "user", "content": "hi"}])
    out["streamed"] = "".join(c.choices[0].delta.content or "" for c in s if c.choices)
    try:
        client.chat.completions.create(model="m", messages=[{"role": "user", "content": "[[fail:429]]"}])
    except openai.RateLimitError as e:
        out["error"] = type(e).__name__
    with argus.session("s"), argus.chain("c") as c:
        out["score_ok"] = argus.score("x", 1, trace_id="a" * 32).ok
    out["flushed"] = argus.flush(timeout_s=2)
    argus.shutdown(timeout_s=2)
    out["reported"] = any("Cannot" in m for m in messages)
    print(json.dumps(out))
    """
)


def test_a_raising_processor_and_an_unreachable_argus_change_nothing_for_the_app(mock_url: str) -> None:
    run = subprocess.run([sys.executable, "-c", SCRIPT, mock_url], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout.strip().splitlines()[-1])
    assert out["mode"] == "global"
    assert out["step"] == 2 and out["gen"] == "ab"
    assert out["answer"] and out["streamed"]
    assert out["error"] == "RateLimitError"
    assert out["score_ok"] is False
    assert out["reported"] is True  # the failures went to the diagnostic logger
