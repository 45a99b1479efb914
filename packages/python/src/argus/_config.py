"""The SDK configuration: ``init()`` options resolved once against the environment (the only
reader of ``os.environ`` in the SDK) and frozen. Before ``init()`` the environment alone decides."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Callable, Dict, Optional
from urllib.parse import unquote, urlparse

from ._diagnostics import warn

SDK_NAME = "argus-sdk"
SDK_VERSION = "0.1.0"
DEFAULT_ENDPOINT = "http://127.0.0.1:4318"
_FALSE = {"false", "0", "no", "off"}


@dataclass(frozen=True)
class Config:
    """The resolved configuration."""

    endpoint: str = DEFAULT_ENDPOINT
    traces_url: str = DEFAULT_ENDPOINT + "/v1/traces"
    headers: Mapping[str, str] = field(default_factory=dict)
    service_name: Optional[str] = None
    service_version: Optional[str] = None
    environment: Optional[str] = None
    capture_content: bool = True
    sample_rate: float = 1.0
    redact: Optional[Callable[[str], str]] = None
    max_queue_size: int = 2048
    export_timeout_s: float = 10.0
    max_content_chars: int = 32000


def parse_header_list(raw: Optional[str]) -> Dict[str, str]:
    """Parses ``k1=v1,k2=v2`` (values URL-encoded) as the OTel specification defines it."""
    out: Dict[str, str] = {}
    for pair in (raw or "").split(","):
        key, sep, value = pair.partition("=")
        if sep and key.strip():
            out[key.strip().lower()] = unquote(value.strip())
    return out


def _non_empty(value: Optional[str]) -> Optional[str]:
    return value.strip() if value is not None and value.strip() != "" else None


def _valid_url(url: str) -> bool:
    parsed = urlparse(url)
    return parsed.scheme in ("http", "https") and bool(parsed.netloc)


def _endpoint(option: Optional[str], env: Mapping[str, str]) -> tuple[str, str]:
    """(base URL, traces URL) from the option or the environment."""
    if option is not None:
        base = option.strip().rstrip("/")
        if _valid_url(base):
            return base, base + "/v1/traces"
        warn(f"Ignoring endpoint '{option}': expected an http(s) URL")
    argus = _non_empty(env.get("ARGUS_ENDPOINT"))
    if argus is not None and _valid_url(argus):
        return argus.rstrip("/"), argus.rstrip("/") + "/v1/traces"
    traces = _non_empty(env.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"))
    if traces is not None and _valid_url(traces):
        base = traces[: -len("/v1/traces")] if traces.endswith("/v1/traces") else traces
        return base.rstrip("/"), traces
    otlp = _non_empty(env.get("OTEL_EXPORTER_OTLP_ENDPOINT"))
    if otlp is not None and _valid_url(otlp):
        return otlp.rstrip("/"), otlp.rstrip("/") + "/v1/traces"
    return DEFAULT_ENDPOINT, DEFAULT_ENDPOINT + "/v1/traces"


def _positive(name: str, value: Optional[float], default: float) -> float:
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
        warn(f"Ignoring {name} {value!r}: expected a positive number")
        return default
    return value


def resolve_config(
    *,
    endpoint: Optional[str] = None,
    api_key: Optional[str] = None,
    headers: Optional[Mapping[str, str]] = None,
    service_name: Optional[str] = None,
    service_version: Optional[str] = None,
    environment: Optional[str] = None,
    capture_content: Optional[bool] = None,
    sample_rate: Optional[float] = None,
    redact: Optional[Callable[[str], str]] = None,
    max_queue_size: Optional[int] = None,
    export_timeout_s: Optional[float] = None,
    max_content_chars: Optional[int] = None,
    env: Optional[Mapping[str, str]] = None,
) -> Config:
    """Options over environment over defaults; invalid values are reported and replaced by defaults."""
    env = os.environ if env is None else env
    base, traces = _endpoint(endpoint, env)
    all_headers = parse_header_list(env.get("OTEL_EXPORTER_OTLP_HEADERS"))
    key = api_key if api_key is not None else _non_empty(env.get("ARGUS_API_KEY"))
    if key:
        all_headers["authorization"] = f"Bearer {key}"
    for k, v in (headers or {}).items():
        all_headers[str(k).lower()] = str(v)
    if capture_content is None:
        raw = _non_empty(env.get("ARGUS_CAPTURE_CONTENT"))
        capture_content = raw is None or raw.lower() not in _FALSE
    rate: float = 1.0
    raw_rate = sample_rate if sample_rate is not None else _non_empty(env.get("ARGUS_SAMPLE_RATE"))
    if raw_rate is not None:
        try:
            rate = float(raw_rate)
            if not 0 <= rate <= 1:
                raise ValueError
        except (TypeError, ValueError):
            warn(f"Ignoring sample rate {raw_rate!r}: expected a number from 0 to 1")
            rate = 1.0
    if redact is not None and not callable(redact):
        warn("Ignoring redact: expected a function of one string")
        redact = None
    return Config(
        endpoint=base,
        traces_url=traces,
        headers=dict(all_headers),
        service_name=service_name or _non_empty(env.get("OTEL_SERVICE_NAME")),
        service_version=service_version,
        environment=environment or _non_empty(env.get("ARGUS_ENVIRONMENT")),
        capture_content=bool(capture_content),
        sample_rate=rate,
        redact=redact,
        max_queue_size=int(_positive("max_queue_size", max_queue_size, 2048)),
        export_timeout_s=float(_positive("export_timeout_s", export_timeout_s, 10.0)),
        max_content_chars=int(_positive("max_content_chars", max_content_chars, 32000)),
    )


_config: Optional[Config] = None


def get_config() -> Config:
    """The active configuration (from the environment alone before ``init()``)."""
    global _config
    if _config is None:
        _config = resolve_config()
    return _config


def set_config(config: Optional[Config]) -> None:
    """Replaces the active configuration (``init()``/``shutdown()``)."""
    global _config
    _config = config
