"""The wrapper: ``Explainer(model, tokenizer).generate(prompt)`` generates with a Hugging Face
causal LM and records one LLM span with white-box events (attention, integrated gradients,
per-layer statistics). Recording failures are logged and never lose the generated text."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Sequence

import torch
from opentelemetry import trace

from ._config import ExplainConfig, resolve_config
from ._errors import ExplainError, logger
from ._events import Event, attention_events, attribution_event, layer_events, token_labels
from ._export import PACKAGE_VERSION, event_limit, provider_or_default
from ._gradients import integrated_gradients
from ._layers import LayerMonitor, find_blocks, layer_count


@dataclass
class Generation:
    """What one ``generate`` call produced and recorded."""

    text: str
    prompt: str
    input_tokens: int
    output_tokens: int
    finish_reason: str
    latency_ms: float
    recording_ms: float
    trace_id: str
    span_id: str
    #: The span events as sent: ``(name, attributes)``.
    events: List[Event] = field(default_factory=list)
    #: Recording steps that failed (logged too): ``{"attention": "…"}``.
    errors: Dict[str, str] = field(default_factory=dict)
    #: Per-head attention maps left out to stay under the event limit (head means are kept).
    dropped_maps: int = 0


def _layer_indexes(chosen: Optional[Sequence[int]], count: int) -> List[int]:
    if chosen is None:
        return list(range(count))
    out: List[int] = []
    for i in chosen:
        if not -count <= i < count:
            raise ExplainError(f"Cannot record layer {i}: the model has {count} layers (0 to {count - 1})")
        if i % count not in out:
            out.append(i % count)
    return sorted(out)


def _model_name(model: Any) -> str:
    config = getattr(model, "config", None)
    return str(getattr(config, "name_or_path", "") or getattr(config, "model_type", "") or type(model).__name__)


class Explainer:
    """Records white-box explanations of a ``transformers`` causal LM's generations in Argus.

    ``model`` must return attention weights when attention is recorded (load it with
    ``attn_implementation="eager"``). Options are those of :func:`resolve_config` (endpoint, api_key,
    service_name, attention, heads, rollout, attributions, ig_steps, layer_stats, layers, …)."""

    def __init__(self, model: Any, tokenizer: Any, *, config: Optional[ExplainConfig] = None,
                 tracer_provider: Optional[Any] = None, model_name: Optional[str] = None, **options: Any) -> None:
        self.config = config if config is not None else resolve_config(**options)
        if not hasattr(model, "generate") or not hasattr(model, "get_input_embeddings"):
            raise ExplainError(f"Cannot explain {type(model).__name__}: expected a transformers causal LM "
                               "(a model with generate() and get_input_embeddings())")
        self.model = model
        self.tokenizer = tokenizer
        self.model_name = model_name or _model_name(model)
        count = layer_count(model)
        self._blocks = find_blocks(model) if self.config.layer_stats else []
        count = count if count is not None else len(self._blocks)
        self._layers = _layer_indexes(self.config.layers, count) if count else []
        if self.config.attention:
            self._check_attentions()
        self._provider, self._exporter = provider_or_default(self.config, tracer_provider)
        self._tracer = self._provider.get_tracer("argus-explain", PACKAGE_VERSION)
        self._max_events = event_limit(self._provider, self.config.max_events)
        self._failures_seen = 0

    def _check_attentions(self) -> None:
        """One forward pass over two tokens: a model that returns no attention weights is a clear
        error now rather than a missing heatmap later."""
        device = self.model.get_input_embeddings().weight.device
        probe = torch.tensor([[0, 0]], device=device)
        error = ""
        try:
            with torch.no_grad():
                attentions = self.model(input_ids=probe, output_attentions=True).attentions
        except Exception as e:  # noqa: BLE001 — reworded below
            attentions, error = None, f" ({e})"
        if not attentions or any(a is None for a in attentions):
            impl = getattr(getattr(self.model, "config", None), "_attn_implementation", "unknown")
            raise ExplainError(
                f"Cannot record attention: {self.model_name} returned no attention weights with attention "
                f"implementation '{impl}'{error}; load the model with attn_implementation=\"eager\" "
                "(or call model.set_attn_implementation(\"eager\")), or pass attention=False"
            )

    def generate(self, prompt: str, *, max_new_tokens: int = 32, **generate_kwargs: Any) -> Generation:
        """Generates a completion of ``prompt`` (greedy unless ``do_sample=True`` is passed) and
        records it as one LLM span with the configured white-box events."""
        if not isinstance(prompt, str) or prompt == "":
            raise ExplainError("Cannot generate: 'prompt' must be a non-empty string")
        was_training = bool(getattr(self.model, "training", False))
        self.model.eval()  # dropout would make attention and gradients noise; restored below
        try:
            return self._generate(prompt, max_new_tokens, generate_kwargs)
        finally:
            if was_training:
                self.model.train()

    def _generate(self, prompt: str, max_new_tokens: int, kwargs: Dict[str, Any]) -> Generation:
        device = self.model.get_input_embeddings().weight.device
        encoded = self.tokenizer(prompt, return_tensors="pt").to(device)
        input_ids = encoded["input_ids"][0]
        if input_ids.numel() == 0:
            raise ExplainError("Cannot generate: the prompt encodes to no tokens")
        kwargs.setdefault("do_sample", False)
        pad = self.tokenizer.pad_token_id if self.tokenizer.pad_token_id is not None else self.tokenizer.eos_token_id
        if pad is not None:
            kwargs.setdefault("pad_token_id", pad)
        monitor = LayerMonitor(self._blocks, self._layers, self.config.saturation_sigma) if self._blocks else None
        span = self._tracer.start_span(f"text_completion {self.model_name}", kind=trace.SpanKind.CLIENT)
        started = time.perf_counter()
        try:
            with torch.no_grad():
                if monitor is not None:
                    with monitor:
                        out = self.model.generate(**encoded, max_new_tokens=max_new_tokens, **kwargs)
                else:
                    out = self.model.generate(**encoded, max_new_tokens=max_new_tokens, **kwargs)
        except Exception as error:
            span.record_exception(error)
            span.set_status(trace.Status(trace.StatusCode.ERROR, str(error)))
            span.end()
            raise
        latency_ms = (time.perf_counter() - started) * 1000.0
        ended_ns = time.time_ns()
        output_ids = out[0, input_ids.shape[0]:]
        text = self.tokenizer.decode(output_ids, skip_special_tokens=True)
        eos = self.tokenizer.eos_token_id
        stopped = output_ids.numel() > 0 and eos is not None and int(output_ids[-1]) == eos
        finish = "stop" if stopped or output_ids.numel() < max_new_tokens else "length"
        self._set_attributes(span, prompt, text, input_ids, output_ids, finish, max_new_tokens, kwargs)
        result = Generation(text, prompt, int(input_ids.numel()), int(output_ids.numel()), finish, latency_ms, 0.0,
                            format(span.get_span_context().trace_id, "032x"),
                            format(span.get_span_context().span_id, "016x"))
        recording = time.perf_counter()
        self._record(result, input_ids, output_ids, monitor)
        result.recording_ms = (time.perf_counter() - recording) * 1000.0
        span.set_attribute("argus.explain.recording_ms", round(result.recording_ms, 3))
        for name, attrs in result.events:
            span.add_event(name, attrs, timestamp=ended_ns)
        if result.dropped_maps:
            span.set_attribute("argus.explain.dropped_attention_maps", result.dropped_maps)
        for step, message in result.errors.items():
            span.set_attribute(f"argus.explain.error.{step}", message[:500])
        span.end(end_time=ended_ns)
        return result

    def _set_attributes(self, span: Any, prompt: str, text: str, input_ids: torch.Tensor, output_ids: torch.Tensor,
                        finish: str, max_new_tokens: int, kwargs: Dict[str, Any]) -> None:
        attrs: Dict[str, Any] = {
            "gen_ai.operation.name": "text_completion",
            "gen_ai.provider.name": "huggingface",
            "gen_ai.request.model": self.model_name,
            "gen_ai.response.model": self.model_name,
            "gen_ai.request.max_tokens": max_new_tokens,
            "gen_ai.usage.input_tokens": int(input_ids.numel()),
            "gen_ai.usage.output_tokens": int(output_ids.numel()),
            "gen_ai.response.finish_reasons": [finish],
        }
        for key, name in (("temperature", "temperature"), ("top_p", "top_p"), ("top_k", "top_k")):
            if isinstance(kwargs.get(key), (int, float)) and kwargs.get("do_sample"):
                attrs[f"gen_ai.request.{name}"] = kwargs[key]
        if self.config.capture_content:
            attrs["gen_ai.input.messages"] = json.dumps([{"role": "user", "parts": [{"type": "text", "content": prompt}]}])
            attrs["gen_ai.output.messages"] = json.dumps(
                [{"role": "assistant", "parts": [{"type": "text", "content": text}], "finish_reason": finish}]
            )
        span.set_attributes(attrs)

    def _record(self, result: Generation, input_ids: torch.Tensor, output_ids: torch.Tensor,
                monitor: Optional[LayerMonitor]) -> None:
        """Fills ``result.events``; each step that fails is logged and noted, the others still run."""
        stats = layer_events(monitor.stats()) if monitor is not None else []
        budget = self._max_events - len(stats) - (1 if self.config.attributions else 0)
        if self.config.attention:
            self._step(result, "attention", lambda: self._attention(result, input_ids, output_ids, budget))
        if self.config.attributions:
            self._step(result, "attribution", lambda: self._attribution(result, input_ids, output_ids))
        result.events.extend(stats)

    @staticmethod
    def _step(result: Generation, name: str, run: Any) -> None:
        try:
            run()
        except Exception as error:  # noqa: BLE001 — the generation must survive its explanation
            logger.warning("Cannot record %s for span %s: %s", name, result.span_id, error)
            result.errors[name] = f"{type(error).__name__}: {error}"

    def _attention(self, result: Generation, input_ids: torch.Tensor, output_ids: torch.Tensor, budget: int) -> None:
        ids = torch.cat([input_ids, output_ids])
        with torch.no_grad():
            attentions = self.model(input_ids=ids.unsqueeze(0), output_attentions=True).attentions
        if not attentions or any(a is None for a in attentions):
            raise ExplainError(f"{self.model_name} returned no attention weights")
        per_layer = [a[0].detach().float().cpu() for a in attentions]
        layers = self._layers or list(range(len(per_layer)))
        tokens = token_labels(self.tokenizer, ids.tolist())
        events, dropped = attention_events(per_layer, tokens, layers, self.config, budget)
        if dropped:
            logger.info("Span %s: %d per-head attention maps left out (event limit %d); the head means are kept",
                        result.span_id, dropped, self._max_events)
            result.dropped_maps = dropped
        result.events.extend(events)

    def _attribution(self, result: Generation, input_ids: torch.Tensor, output_ids: torch.Tensor) -> None:
        if output_ids.numel() == 0:
            raise ExplainError("nothing was generated, so there is no output to attribute")
        attribution = integrated_gradients(self.model, input_ids, output_ids, steps=self.config.ig_steps,
                                           batch_size=self.config.ig_batch_size)
        tokens = token_labels(self.tokenizer, input_ids.tolist())
        result.events.append(attribution_event(tokens, attribution, result.text, self.config.max_tokens))

    def flush(self, timeout_s: float = 10.0) -> bool:
        """Sends the recorded spans now; False when they could not all be sent, or when any span
        since the previous ``flush`` failed to export (the log says why)."""
        done = bool(self._provider.force_flush(int(timeout_s * 1000)))
        if self._exporter is None:
            return done
        failed = self._exporter.failed_spans
        clean = failed == self._failures_seen
        self._failures_seen = failed
        return done and clean

    def shutdown(self) -> None:
        """Flushes and stops the explainer's own exporter (a given tracer provider is left running)."""
        if self._exporter is not None:
            self._provider.shutdown()
