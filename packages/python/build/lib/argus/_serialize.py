"""Captured content: any value to bounded JSON text with the configured redaction applied.
Cycles, bytes, exceptions, sets, dataclasses and pydantic models never raise; conversion stops
after a node budget, so a huge argument costs little."""

from __future__ import annotations

import dataclasses
import json
from typing import Any, Optional, Tuple

from ._config import get_config

_MAX_DEPTH = 12


def truncate(text: str, max_chars: int) -> str:
    """``text`` cut to ``max_chars`` with a marker saying how much was removed."""
    if len(text) <= max_chars:
        return text
    return f"{text[:max_chars]}…[truncated {len(text) - max_chars} chars]"


def redact_text(text: str) -> str:
    """``text`` through the configured ``redact`` (``[redaction failed]`` when it raises)."""
    redact = get_config().redact
    if redact is None:
        return text
    try:
        out = redact(text)
        return out if isinstance(out, str) else str(out)
    except Exception:
        return "[redaction failed]"


def redact_cut(text: str, max_chars: Optional[int] = None) -> str:
    """``text`` cut (so redaction cost is bounded), redacted, and cut again if redaction grew it."""
    limit = get_config().max_content_chars if max_chars is None else max_chars
    cut = truncate(text, limit)
    redacted = redact_text(cut)
    return truncate(redacted, limit) if len(redacted) > len(cut) else redacted


class _Budget:
    __slots__ = ("left",)

    def __init__(self, nodes: int) -> None:
        self.left = nodes


def to_plain(value: Any, max_chars: int = 32000) -> Any:
    """``value`` as JSON-ready data (strings cut at ``max_chars``); never raises."""
    return _plain(value, _Budget(max(64, max_chars // 4)), set(), 0, max_chars)


def _plain(value: Any, budget: _Budget, ancestors: set, depth: int, max_chars: int) -> Any:
    budget.left -= 1
    if value is None or isinstance(value, (bool, int)):
        return value
    if isinstance(value, float):
        return value if value == value and value not in (float("inf"), float("-inf")) else None
    if isinstance(value, str):
        return value if len(value) <= max_chars else value[: max_chars + 1]
    if isinstance(value, (bytes, bytearray, memoryview)):
        return f"[{type(value).__name__} {len(value)} bytes]"
    if budget.left <= 0:
        return "[…]"
    if id(value) in ancestors:
        return "[Circular]"
    if depth >= _MAX_DEPTH:
        return "[Object]"
    if isinstance(value, BaseException):
        return {"name": type(value).__name__, "message": str(value)}
    ancestors.add(id(value))
    try:
        if isinstance(value, dict):
            out = {}
            for k, v in value.items():
                if budget.left <= 0:
                    break
                out[k if isinstance(k, str) else str(k)] = _plain(v, budget, ancestors, depth + 1, max_chars)
            return out
        if isinstance(value, (list, tuple, set, frozenset)):
            items = []
            for item in value:
                if budget.left <= 0:
                    break
                items.append(_plain(item, budget, ancestors, depth + 1, max_chars))
            return items
        dump = getattr(value, "model_dump", None)  # pydantic v2 (openai / anthropic objects)
        if callable(dump):
            return _plain(dump(), budget, ancestors, depth + 1, max_chars)
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            fields = {f.name: getattr(value, f.name, None) for f in dataclasses.fields(value)}
            return _plain(fields, budget, ancestors, depth + 1, max_chars)
        text = repr(value)
        return text if len(text) <= max_chars else text[:max_chars]
    except Exception:
        return f"[{type(value).__name__}]"
    finally:
        ancestors.discard(id(value))


def to_json(value: Any) -> Optional[str]:
    """JSON text of already plain data; ``None`` when it does not serialize."""
    try:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    except Exception:
        return None


def capture_text(value: Any, as_json: bool = False) -> Tuple[str, str]:
    """(text, mime type) for a span attribute: strings as they are, anything else as JSON;
    redacted and cut at ``max_content_chars``. ``as_json`` forces JSON for strings."""
    max_chars = get_config().max_content_chars
    if isinstance(value, str) and not as_json:
        return redact_cut(value, max_chars), "text/plain"
    raw = to_json(to_plain(value, max_chars)) or "null"
    return redact_cut(raw, max_chars), "application/json"
