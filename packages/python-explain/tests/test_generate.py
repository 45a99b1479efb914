"""One ``generate`` call: the text is the model's own, and the events follow the convention and its
limits (no server here; tests/test_argus.py sends them to a real one)."""

from __future__ import annotations

import logging

import pytest
import torch

from argus_explain import ExplainError, Explainer
from argus_explain._attention import json_chars
from tiny import tiny_model

UNREACHABLE = "http://127.0.0.1:9"  # the discard port: nothing listens on loopback


def by_name(events, name):
    return [attrs for n, attrs in events if n == name]


def test_text_is_what_the_model_generates(model, tokenizer, spans) -> None:
    explainer = Explainer(model, tokenizer, tracer_provider=spans.provider)
    g = explainer.generate("where did the cat sit?", max_new_tokens=6)
    ids = tokenizer("where did the cat sit?", return_tensors="pt")["input_ids"]
    plain = model.generate(ids, max_new_tokens=6, do_sample=False, pad_token_id=0)
    assert g.text == tokenizer.decode(plain[0, ids.shape[1]:], skip_special_tokens=True)
    assert (g.input_tokens, g.output_tokens) == (22, plain.shape[1] - 22)
    assert len(g.trace_id) == 32 and len(g.span_id) == 16 and g.errors == {}


def test_one_llm_span_with_the_events(model, tokenizer, spans) -> None:
    g = Explainer(model, tokenizer, tracer_provider=spans.provider, model_name="tiny-gpt2").generate(
        "the cat", max_new_tokens=3)
    (span,) = spans.get_finished_spans()
    assert span.name == "text_completion tiny-gpt2"
    a = span.attributes
    assert (a["gen_ai.operation.name"], a["gen_ai.request.model"], a["gen_ai.provider.name"]) == (
        "text_completion", "tiny-gpt2", "huggingface")
    assert (a["gen_ai.usage.input_tokens"], a["gen_ai.usage.output_tokens"]) == (7, g.output_tokens)
    assert '"content": "the cat"' in a["gen_ai.input.messages"]
    assert [e.name for e in span.events] == [name for name, _ in g.events]
    # The span lasts as long as the generation; recording happens after it and is reported apart.
    assert a["argus.explain.recording_ms"] > 0
    assert span.end_time - span.start_time < (g.latency_ms + g.recording_ms) * 1e6


def test_every_event_of_the_convention(model, tokenizer, spans) -> None:
    g = Explainer(model, tokenizer, tracer_provider=spans.provider).generate("the cat", max_new_tokens=4)
    n = g.input_tokens + g.output_tokens
    attention = by_name(g.events, "argus.explain.attention")
    # Rollout, the mean of each of the 2 layers, and each of their 2 heads.
    assert [(a["argus.explain.layer"], a["argus.explain.head"]) for a in attention] == [
        (-1, -1), (0, -1), (1, -1), (0, 0), (0, 1), (1, 0), (1, 1)]
    assert attention[0]["argus.explain.aggregation"] == "rollout"
    for a in attention:
        assert len(a["argus.explain.tokens"]) == n and len(a["argus.explain.weights"]) == n * n
        rows = torch.tensor(a["argus.explain.weights"]).view(n, n).sum(-1)
        assert torch.allclose(rows, torch.ones(n, dtype=rows.dtype), atol=n * 5e-5)
    (attribution,) = by_name(g.events, "argus.explain.attribution")
    assert attribution["argus.explain.tokens"] == list("the cat")
    assert len(attribution["argus.explain.scores"]) == g.input_tokens
    assert attribution["argus.explain.method"] == "integrated-gradients"
    assert attribution["argus.explain.target"] == g.text
    layers = by_name(g.events, "argus.explain.layer_stats")
    assert [s["argus.explain.layer"] for s in layers] == [0, 1]
    # generate() runs one forward pass per new token (KV cache), each through every layer.
    assert all(s["argus.explain.calls"] == g.output_tokens for s in layers)


def test_what_to_record_is_configurable(model, tokenizer, spans) -> None:
    g = Explainer(model, tokenizer, tracer_provider=spans.provider, heads="mean", rollout=False, attributions=False,
                  layers=[-1]).generate("the cat", max_new_tokens=2)
    assert [(n, a["argus.explain.layer"], a.get("argus.explain.head")) for n, a in g.events] == [
        ("argus.explain.attention", 1, -1), ("argus.explain.layer_stats", 1, None)]
    none = Explainer(model, tokenizer, tracer_provider=spans.provider, attention=False, attributions=False, layer_stats=False)
    assert none.generate("the cat", max_new_tokens=2).events == []


def test_long_prompts_send_the_last_64_tokens_within_the_value_limit(model, tokenizer, spans) -> None:
    prompt = "the cat sat on the mat and looked at the dog, who sat on the rug and looked back at it. " * 2
    g = Explainer(model, tokenizer, tracer_provider=spans.provider).generate(prompt, max_new_tokens=4)
    assert g.input_tokens > 64
    for a in by_name(g.events, "argus.explain.attention"):
        assert len(a["argus.explain.tokens"]) == 64 and len(a["argus.explain.weights"]) == 4096
        assert json_chars(a["argus.explain.weights"]) <= 16_384
    (attribution,) = by_name(g.events, "argus.explain.attribution")
    assert attribution["argus.explain.tokens"] == list(prompt[-64:])


def test_the_event_limit_drops_per_head_maps_first(tokenizer, spans) -> None:
    # 8 heads × 2 layers: rollout + 2 means + 16 heads + attribution + 2 layer stats = 22 events.
    wide = tiny_model(n_head=8)
    g = Explainer(wide, tokenizer, tracer_provider=spans.provider, max_events=16).generate("the cat", max_new_tokens=2)
    assert len(g.events) == 16 and g.dropped_maps == 6
    heads = [a["argus.explain.head"] for a in by_name(g.events, "argus.explain.attention")]
    assert heads[:3] == [-1, -1, -1]  # rollout and both means kept first
    assert len(by_name(g.events, "argus.explain.layer_stats")) == 2


def test_a_given_provider_s_event_limit_is_respected(tokenizer) -> None:
    # OpenTelemetry keeps 128 events per span unless told otherwise: 4 layers × 32 heads would make
    # 138, and the SDK would silently drop the oldest. The budget leaves out per-head maps instead.
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import SimpleSpanProcessor
    from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    wide = tiny_model(n_layer=4, n_head=32)
    g = Explainer(wide, tokenizer, tracer_provider=provider).generate("the cat", max_new_tokens=2)
    (span,) = exporter.get_finished_spans()
    assert len(g.events) == 128 and g.dropped_maps == 10
    assert len(span.events) == 128 and span.dropped_events == 0
    assert span.events[0].attributes["argus.explain.aggregation"] == "rollout"
    assert [e.name for e in span.events[-5:]] == ["argus.explain.attribution"] + ["argus.explain.layer_stats"] * 4


def test_model_mode_is_restored(model, tokenizer, spans) -> None:
    model.train()
    Explainer(model, tokenizer, tracer_provider=spans.provider, attention=False).generate("ab", max_new_tokens=1)
    assert model.training


def test_argus_unreachable_returns_the_text_and_logs(model, tokenizer, caplog) -> None:
    explainer = Explainer(model, tokenizer, endpoint=UNREACHABLE, export_timeout_s=1)
    with caplog.at_level(logging.WARNING, logger="argus_explain"):
        g = explainer.generate("the cat", max_new_tokens=3)
        assert g.text != "" or g.output_tokens == 0
        assert explainer.flush(5) is False
        assert explainer.flush(5) is True  # nothing more failed since
    assert f"Cannot export 1 span(s) to {UNREACHABLE}/v1/traces" in caplog.text
    explainer.shutdown()


def test_a_failing_step_is_logged_and_the_others_recorded(model, tokenizer, caplog, spans) -> None:
    explainer = Explainer(model, tokenizer, tracer_provider=spans.provider)

    def broken(*args, **kwargs):
        raise RuntimeError("out of memory")

    explainer._attribution = broken  # a step that fails, as IG can on a large model
    with caplog.at_level(logging.WARNING, logger="argus_explain"):
        g = explainer.generate("the cat", max_new_tokens=2)
    assert g.errors == {"attribution": "RuntimeError: out of memory"}
    assert "Cannot record attribution for span" in caplog.text
    assert by_name(g.events, "argus.explain.attention") and by_name(g.events, "argus.explain.layer_stats")


def test_a_failing_generation_raises_the_model_s_error_and_records_it(model, tokenizer, spans) -> None:
    explainer = Explainer(model, tokenizer, tracer_provider=spans.provider)
    # transformers installs hooks of its own (to capture attentions): ours must leave only those.
    hooks = [(dict(b._forward_hooks), dict(b._forward_pre_hooks)) for b in model.transformer.h]

    def out_of_memory(*args, **kwargs):
        raise RuntimeError("CUDA out of memory")

    model.generate = out_of_memory
    with pytest.raises(RuntimeError, match="CUDA out of memory"):
        explainer.generate("the cat", max_new_tokens=2)
    (span,) = spans.get_finished_spans()
    assert span.status.status_code.name == "ERROR" and span.status.description == "CUDA out of memory"
    assert [e.name for e in span.events] == ["exception"]
    assert [(dict(b._forward_hooks), dict(b._forward_pre_hooks)) for b in model.transformer.h] == hooks


def test_an_empty_prompt_is_a_clear_error(model, tokenizer, spans) -> None:
    with pytest.raises(ExplainError, match="Cannot generate: 'prompt' must be a non-empty string"):
        Explainer(model, tokenizer, tracer_provider=spans.provider).generate("")
