"""The span events of the documented convention (docs/explainability.md, "White box"):
``argus.explain.attention``, ``argus.explain.attribution`` and ``argus.explain.layer_stats``,
built from tensors and bounded (at most 64 tokens, each attribute's JSON under the server's
value limit, the event count under its attribute limit)."""

from __future__ import annotations

from typing import Any, Dict, List, Sequence, Tuple

import torch

from ._attention import fitted_window, head_mean, rollout
from ._config import ExplainConfig
from ._gradients import Attribution
from ._layers import LayerStats

Event = Tuple[str, Dict[str, Any]]
P = "argus.explain."
#: Longest token label sent (a long "token" is a display problem, not information).
MAX_TOKEN_CHARS = 32


def token_labels(tokenizer: Any, ids: Sequence[int]) -> List[str]:
    """Readable labels, one per token id: the decoded piece, else the vocabulary entry."""
    raw = tokenizer.convert_ids_to_tokens(list(ids))
    out: List[str] = []
    for i, token_id in enumerate(ids):
        text = tokenizer.decode([token_id])
        label = text if text.strip() != "" else str(raw[i])
        out.append(label[:MAX_TOKEN_CHARS])
    return out


def _attention_event(tokens: List[str], matrix: torch.Tensor, layer: int, head: int,
                     config: ExplainConfig, aggregation: str = "") -> Event:
    k, weights = fitted_window(matrix, min(config.max_tokens, len(tokens)), config.max_value_chars)
    attrs: Dict[str, Any] = {
        P + "tokens": tokens[-k:],
        P + "layer": layer,
        P + "head": head,
        P + "weights": weights,
    }
    if aggregation:
        attrs[P + "aggregation"] = aggregation
    return ("argus.explain.attention", attrs)


def attention_events(attentions: Sequence[torch.Tensor], tokens: List[str], layers: Sequence[int],
                     config: ExplainConfig, budget: int) -> Tuple[List[Event], int]:
    """Rollout (over every layer), then each chosen layer's head mean, then its heads while the
    event budget lasts. ``attentions`` are ``[heads, n, n]`` per layer. Returns (events, dropped)."""
    events: List[Event] = []
    if config.rollout and budget > 0:
        events.append(_attention_event(tokens, rollout(attentions), -1, -1, config, "rollout"))
    for layer in layers:
        if len(events) >= budget:
            break
        events.append(_attention_event(tokens, head_mean(attentions[layer].double()), layer, -1, config))
    dropped = 0
    if config.heads == "all":
        for layer in layers:
            for head in range(attentions[layer].shape[0]):
                if len(events) >= budget:
                    dropped += 1
                    continue
                events.append(_attention_event(tokens, attentions[layer][head].double(), layer, head, config))
    return events, dropped


def attribution_event(tokens: List[str], attribution: Attribution, target: str, max_tokens: int) -> Event:
    """Integrated-gradients scores of the last ``max_tokens`` prompt tokens."""
    scores = [round(float(s), 6) + 0.0 for s in attribution.scores.tolist()][-max_tokens:]
    return (
        "argus.explain.attribution",
        {
            P + "tokens": tokens[-max_tokens:],
            P + "scores": scores,
            P + "method": "integrated-gradients",
            P + "target": target[:200],
            P + "steps": attribution.steps,
            P + "baseline": "zero-embedding",
            P + "convergence_delta": round(attribution.convergence_delta, 6),
        },
    )


def layer_events(stats: Sequence[LayerStats]) -> List[Event]:
    """One ``layer_stats`` event per monitored layer."""
    return [
        (
            "argus.explain.layer_stats",
            {
                P + "layer": s.layer,
                P + "time_ms": round(s.time_ms, 4),
                P + "activation_norm": round(s.activation_norm, 4),
                P + "saturation": round(s.saturation, 6),
                P + "calls": s.calls,
            },
        )
        for s in stats
    ]
