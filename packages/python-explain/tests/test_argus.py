"""End to end: the package sends its span over OTLP/HTTP to a real Argus server (started by
conftest.py) and the span read back through the API is an LLM span carrying the events, with
their shapes intact (token lists, n×n weights, one stats event per layer)."""

from __future__ import annotations

import math

from argus_explain import Explainer
from conftest import read_span
from tiny import tiny_model


def test_the_span_and_its_events_arrive_in_argus(argus_url: str, model, tokenizer) -> None:
    explainer = Explainer(model, tokenizer, endpoint=argus_url, service_name="explain-pytest",
                          model_name="tiny-gpt2", ig_steps=8)
    g = explainer.generate("where did the cat sit?", max_new_tokens=5)
    assert explainer.flush(20), "the export to Argus failed (see the log)"
    span = read_span(argus_url, g.trace_id, g.span_id)
    assert (span["kind"], span["serviceName"], span["requestModel"]) == ("llm", "explain-pytest", "tiny-gpt2")
    assert (span["inputTokens"], span["outputTokens"]) == (g.input_tokens, g.output_tokens)
    assert span["input"][0]["parts"][0]["content"] == "where did the cat sit?"
    assert span["output"][0]["parts"][0]["content"] == g.text
    events = span["events"]
    assert [e["name"] for e in events] == [name for name, _ in g.events]
    n = g.input_tokens + g.output_tokens
    attention = [e["attributes"] for e in events if e["name"] == "argus.explain.attention"]
    assert len(attention) == 7
    for a in attention:
        assert len(a["argus.explain.tokens"]) == n
        weights = a["argus.explain.weights"]
        assert len(weights) == n * n and all(isinstance(w, (int, float)) for w in weights)
        assert all(math.isclose(sum(weights[i * n:(i + 1) * n]), 1.0, abs_tol=n * 5e-5) for i in range(n))
    assert attention[0]["argus.explain.aggregation"] == "rollout"
    (attribution,) = [e["attributes"] for e in events if e["name"] == "argus.explain.attribution"]
    assert attribution["argus.explain.tokens"] == list("where did the cat sit?")
    assert len(attribution["argus.explain.scores"]) == g.input_tokens
    stats = [e["attributes"] for e in events if e["name"] == "argus.explain.layer_stats"]
    assert [int(s["argus.explain.layer"]) for s in stats] == [0, 1]
    assert all(float(s["argus.explain.time_ms"]) > 0 and float(s["argus.explain.activation_norm"]) > 0 for s in stats)
    explainer.shutdown()


def test_an_api_key_header_is_sent_and_accepted(argus_url: str, model, tokenizer) -> None:
    # Auth is off on this server: the header is accepted and ignored, the span still arrives.
    explainer = Explainer(model, tokenizer, endpoint=argus_url, api_key="argus-test-key", attention=False,
                          attributions=False)
    g = explainer.generate("hello", max_new_tokens=2)
    assert explainer.flush(20)
    assert read_span(argus_url, g.trace_id, g.span_id)["events"][0]["name"] == "argus.explain.layer_stats"
    explainer.shutdown()


def test_more_than_128_events_arrive(argus_url: str, tokenizer) -> None:
    # The explainer's own provider raises OpenTelemetry's 128-event default to the server's 512.
    wide = tiny_model(n_layer=4, n_head=32)
    explainer = Explainer(wide, tokenizer, endpoint=argus_url, attributions=False)
    g = explainer.generate("the cat", max_new_tokens=2)
    assert explainer.flush(20)
    events = read_span(argus_url, g.trace_id, g.span_id)["events"]
    assert len(events) == len(g.events) == 1 + 4 + 4 * 32 + 4 and g.dropped_maps == 0
    explainer.shutdown()
