"""An application that set up its own OpenTelemetry provider first: init() attaches to it (mode
`attached`) instead of replacing it, so the application's exporter and Argus both get the spans.
Runs in its own interpreter: a process has one global tracer provider."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

from conftest import Traces, only

SCRIPT = textwrap.dedent(
    """
    import json, sys
    from opentelemetry import trace
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import SimpleSpanProcessor
    from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
    import argus

    mine = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(mine))
    trace.set_tracer_provider(provider)
    handle = argus.init(endpoint=sys.argv[1], service_name="attached-app")
    with argus.session("sess-attached"):
        with trace.get_tracer("app").start_as_current_span("app-own-span"):
            with argus.tool("lookup", input={"q": 1}) as s:
                trace_id = s.trace_id
    argus.flush()
    print(json.dumps({"mode": handle.mode, "trace_id": trace_id,
                      "mine": sorted(s.name for s in mine.get_finished_spans())}))
    """
)


def test_init_attaches_to_the_application_provider(argus_url: str, traces: Traces) -> None:
    out = subprocess.run([sys.executable, "-c", SCRIPT, argus_url], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["mode"] == "attached"
    assert result["mine"] == ["app-own-span", "lookup"]  # the application's exporter still gets everything
    spans = traces.spans(result["trace_id"], 2)
    tool = only(spans, "tool")
    assert tool["sessionId"] == "sess-attached"
    app_span = next(s for s in spans if s["name"] == "app-own-span")
    assert app_span["sessionId"] == "sess-attached"  # Argus' context processor covers the app's own spans
    assert tool["parentSpanId"] == app_span["spanId"]
