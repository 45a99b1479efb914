"""The configuration: where spans go (like argus-sdk: endpoint, API key, headers, service name)
and what is recorded. Options over the environment over defaults, resolved once and frozen; the
only reader of ``os.environ`` in the package."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Dict, Optional, Tuple
from urllib.parse import unquote, urlparse

from ._errors import ExplainError

DEFAULT_ENDPOINT = "http://127.0.0.1:4318"
#: The convention's limit on tokens in an attention map or attribution (the last ones are kept).
MAX_TOKENS = 64
#: The server's default ARGUS_MAX_ATTRIBUTE_VALUE_CHARS: one attribute's JSON must stay under it.
DEFAULT_MAX_VALUE_CHARS = 16_384
#: The server's default ARGUS_MAX_ATTRIBUTES, which also caps events per span.
DEFAULT_MAX_EVENTS = 512


@dataclass(frozen=True)
class ExplainConfig:
    """What an :class:`~argus_explain.Explainer` records and where it sends it."""

    endpoint: str = DEFAULT_ENDPOINT
    traces_url: str = DEFAULT_ENDPOINT + "/v1/traces"
    headers: Mapping[str, str] = field(default_factory=dict)
    service_name: str = "argus-explain"
    environment: Optional[str] = None
    #: Attention maps per recorded layer: ``"all"`` heads and their mean, or the ``"mean"`` only.
    attention: bool = True
    heads: str = "all"
    rollout: bool = True
    #: Integrated gradients over the input embeddings: ``ig_steps`` extra forward + backward passes.
    attributions: bool = True
    ig_steps: int = 16
    ig_batch_size: int = 16
    #: Time and activation statistics per transformer layer (forward hooks).
    layer_stats: bool = True
    #: Layers to record (0-based; negative counts from the end); ``None`` = every layer.
    layers: Optional[Tuple[int, ...]] = None
    max_tokens: int = MAX_TOKENS
    #: An activation is saturated when it is more than this many standard deviations from its mean.
    saturation_sigma: float = 6.0
    max_value_chars: int = DEFAULT_MAX_VALUE_CHARS
    max_events: int = DEFAULT_MAX_EVENTS
    capture_content: bool = True
    export_timeout_s: float = 10.0


def _parse_headers(raw: Optional[str]) -> Dict[str, str]:
    """``k1=v1,k2=v2`` (values URL-encoded), as OTEL_EXPORTER_OTLP_HEADERS defines it."""
    out: Dict[str, str] = {}
    for pair in (raw or "").split(","):
        key, sep, value = pair.partition("=")
        if sep and key.strip():
            out[key.strip().lower()] = unquote(value.strip())
    return out


def _non_empty(value: Optional[str]) -> Optional[str]:
    return value.strip() if value is not None and value.strip() != "" else None


def _endpoint(option: Optional[str], env: Mapping[str, str]) -> str:
    raw = option if option is not None else _non_empty(env.get("ARGUS_ENDPOINT"))
    raw = raw if raw is not None else _non_empty(env.get("OTEL_EXPORTER_OTLP_ENDPOINT"))
    if raw is None:
        return DEFAULT_ENDPOINT
    base = raw.strip().rstrip("/")
    parsed = urlparse(base)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise ExplainError(f"Cannot use endpoint '{raw}': expected an http(s) URL such as {DEFAULT_ENDPOINT}")
    return base


def _positive_int(name: str, value: int, low: int = 1) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        raise ExplainError(f"Cannot use {name} {value!r}: expected an integer ≥ {low}")
    return value


def resolve_config(
    *,
    endpoint: Optional[str] = None,
    api_key: Optional[str] = None,
    headers: Optional[Mapping[str, str]] = None,
    service_name: Optional[str] = None,
    environment: Optional[str] = None,
    attention: bool = True,
    heads: str = "all",
    rollout: bool = True,
    attributions: bool = True,
    ig_steps: int = 16,
    ig_batch_size: int = 16,
    layer_stats: bool = True,
    layers: Optional[Sequence[int]] = None,
    max_tokens: int = MAX_TOKENS,
    saturation_sigma: float = 6.0,
    max_value_chars: int = DEFAULT_MAX_VALUE_CHARS,
    max_events: int = DEFAULT_MAX_EVENTS,
    capture_content: bool = True,
    export_timeout_s: float = 10.0,
    env: Optional[Mapping[str, str]] = None,
) -> ExplainConfig:
    """Options over environment (ARGUS_ENDPOINT, ARGUS_API_KEY, OTEL_*) over defaults; a bad option
    raises :class:`ExplainError` naming it."""
    env = os.environ if env is None else env
    base = _endpoint(endpoint, env)
    all_headers = _parse_headers(env.get("OTEL_EXPORTER_OTLP_HEADERS"))
    key = api_key if api_key is not None else _non_empty(env.get("ARGUS_API_KEY"))
    if key:
        all_headers["authorization"] = f"Bearer {key}"
    for k, v in (headers or {}).items():
        all_headers[str(k).lower()] = str(v)
    if heads not in ("all", "mean"):
        raise ExplainError(f"Cannot use heads {heads!r}: expected 'all' or 'mean'")
    if layers is not None and not all(isinstance(i, int) and not isinstance(i, bool) for i in layers):
        raise ExplainError(f"Cannot use layers {layers!r}: expected a list of layer indexes")
    max_tokens = _positive_int("max_tokens", max_tokens, 2)
    if max_tokens > MAX_TOKENS:
        raise ExplainError(f"Cannot use max_tokens {max_tokens}: the convention allows at most {MAX_TOKENS}")
    if not isinstance(saturation_sigma, (int, float)) or saturation_sigma <= 0:
        raise ExplainError(f"Cannot use saturation_sigma {saturation_sigma!r}: expected a positive number")
    if not isinstance(export_timeout_s, (int, float)) or export_timeout_s <= 0:
        raise ExplainError(f"Cannot use export_timeout_s {export_timeout_s!r}: expected a positive number")
    return ExplainConfig(
        endpoint=base,
        traces_url=base + "/v1/traces",
        headers=dict(all_headers),
        service_name=service_name or _non_empty(env.get("OTEL_SERVICE_NAME")) or "argus-explain",
        environment=environment or _non_empty(env.get("ARGUS_ENVIRONMENT")),
        attention=bool(attention),
        heads=heads,
        rollout=bool(rollout),
        attributions=bool(attributions),
        ig_steps=_positive_int("ig_steps", ig_steps),
        ig_batch_size=_positive_int("ig_batch_size", ig_batch_size),
        layer_stats=bool(layer_stats),
        layers=tuple(layers) if layers is not None else None,
        max_tokens=max_tokens,
        saturation_sigma=float(saturation_sigma),
        max_value_chars=_positive_int("max_value_chars", max_value_chars, 256),
        max_events=_positive_int("max_events", max_events, 16),
        capture_content=bool(capture_content),
        export_timeout_s=float(export_timeout_s),
    )
