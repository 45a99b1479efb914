"""``gen_ai.provider.name`` and ``server.address``/``server.port`` from a client's base URL: an
OpenAI-compatible client may point at Kimi, DeepSeek, Groq … (same table as the TS SDK)."""

from __future__ import annotations

import re
from typing import Any, Dict, Optional, Tuple
from urllib.parse import urlparse

_PATTERNS: Tuple[Tuple[str, str], ...] = (
    (r"(^|\.)moonshot\.(cn|ai)$", "moonshot_ai"),
    (r"(^|\.)deepseek\.com$", "deepseek"),
    (r"(^|\.)groq\.com$", "groq"),
    (r"(^|\.)together\.(xyz|ai)$", "together"),
    (r"(^|\.)openrouter\.ai$", "openrouter"),
    (r"(^|\.)openai\.azure\.com$|(^|\.)azure\.com$|azure", "azure.ai.openai"),
    (r"(^|\.)mistral\.ai$", "mistral_ai"),
    (r"(^|\.)x\.ai$", "x_ai"),
    (r"(^|\.)perplexity\.ai$", "perplexity"),
    (r"(^|\.)fireworks\.ai$", "fireworks"),
    (r"generativelanguage\.googleapis\.com$", "gcp.gemini"),
    (r"aiplatform\.googleapis\.com$", "gcp.vertex_ai"),
    (r"bedrock-runtime\..*amazonaws\.com$", "aws.bedrock"),
)
_COMPILED = tuple((re.compile(p), name) for p, name in _PATTERNS)
_CLASSES = {
    "AzureOpenAI": "azure.ai.openai",
    "AsyncAzureOpenAI": "azure.ai.openai",
    "AnthropicBedrock": "aws.bedrock",
    "AsyncAnthropicBedrock": "aws.bedrock",
    "AnthropicVertex": "gcp.vertex_ai",
    "AsyncAnthropicVertex": "gcp.vertex_ai",
}

_cache: Dict[Tuple[str, str, str], Dict[str, Any]] = {}


def endpoint_of(client: Any, fallback: str) -> Dict[str, Any]:
    """``{provider, address, port}`` of an SDK client (cached per base URL and class)."""
    base = str(getattr(client, "base_url", "") or "")
    cls = type(client).__name__
    key = (base, cls, fallback)
    found = _cache.get(key)
    if found is None:
        found = _detect(base, cls, fallback)
        if len(_cache) < 256:
            _cache[key] = found
    return found


def _detect(base: str, cls: str, fallback: str) -> Dict[str, Any]:
    out: Dict[str, Any] = {"provider": fallback}
    url = urlparse(base) if base else None
    host: Optional[str] = url.hostname if url else None
    if url is not None and host:
        out["address"] = host
        try:
            out["port"] = url.port or (80 if url.scheme == "http" else 443)
        except ValueError:
            pass
    if cls in _CLASSES:
        out["provider"] = _CLASSES[cls]
    elif url is not None and (str(out.get("port")) == "11434" or re.search(r"/ollama(/|$)", url.path or "")):
        out["provider"] = "ollama"
    elif host:
        for pattern, name in _COMPILED:
            if pattern.search(host.lower()):
                out["provider"] = name
                break
    return out
