"""Writes the console e2e fixture: the OTLP/JSON span that argus-explain sends for one generation
of a tiny GPT-2 (4 layers × 2 heads), as the exporter encodes it (protobuf → OTLP/JSON). Two
layers are planted so the per-layer profile has something to show: layer 2 sleeps 20 ms in each
call (slow) and layer 3's MLP output is scaled ×300 (a degenerate, large activation norm). The
console test (packages/ui/e2e/explain-package.e2e.test.ts) posts it with fresh ids and times.

    .venv-explain/bin/python packages/python-explain/tests/make_ui_fixture.py \\
        packages/ui/e2e/fixtures/argus-explain-span.json
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import torch
from google.protobuf.json_format import MessageToDict
from opentelemetry.exporter.otlp.proto.common.trace_encoder import encode_spans
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

sys.path.insert(0, str(Path(__file__).resolve().parent))

from tiny import tiny_model, tiny_tokenizer  # noqa: E402

from argus_explain import Explainer  # noqa: E402

PROMPT = "the cat sat on"
torch.set_num_threads(1)  # an oversubscribed thread pool would drown the planted slow layer in noise


def fixture_span() -> dict:
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    model = tiny_model(n_layer=4)
    model.transformer.h[2].mlp.register_forward_hook(lambda module, args, output: time.sleep(0.02))
    with torch.no_grad():
        model.transformer.h[3].mlp.c_proj.weight.mul_(300.0)
    explainer = Explainer(model, tiny_tokenizer(), tracer_provider=provider, model_name="tiny-gpt2")
    explainer.generate(PROMPT, max_new_tokens=4)  # warm-up: the first call pays one-off costs
    exporter.clear()
    explainer.generate(PROMPT, max_new_tokens=4)
    request = MessageToDict(encode_spans(exporter.get_finished_spans()), use_integers_for_enums=True)
    span = request["resourceSpans"][0]["scopeSpans"][0]["spans"][0]
    # Protobuf's JSON writes ids as base64 (OTLP/JSON wants hex); the test sets its own ids and times.
    for key in ("traceId", "spanId", "startTimeUnixNano", "endTimeUnixNano"):
        span.pop(key, None)
    for event in span["events"]:
        event.pop("timeUnixNano", None)
    return span


if __name__ == "__main__":
    out = Path(sys.argv[1])
    span = fixture_span()
    # One line per attribute and event: small, and a diff still shows which one changed.
    head = {k: v for k, v in span.items() if k != "events"}
    lines = ",\n".join(json.dumps(e, separators=(",", ":")) for e in span["events"])
    out.write_text(json.dumps(head, indent=1)[:-2] + ',\n "events": [\n' + lines + "\n ]\n}\n")
    json.loads(out.read_text())
    print(f"wrote {out} ({out.stat().st_size} bytes)")
