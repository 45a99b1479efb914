"""Building blocks of captured content in the OTel GenAI parts schema (≥ 1.37): messages of typed
parts (``text``, ``reasoning``, ``tool_call``, ``tool_call_response``, ``blob``, ``uri``). Request
and response objects are read by key or attribute, so dicts and the SDKs' pydantic models both work."""

from __future__ import annotations

import json
import math
import re
from typing import Any, Dict, List, Optional

from .._serialize import redact_cut

Part = Dict[str, Any]
Message = Dict[str, Any]


def get(obj: Any, key: str) -> Any:
    """``obj[key]`` for mappings, ``obj.key`` otherwise (pydantic extras included); None if absent."""
    if obj is None:
        return None
    if isinstance(obj, dict):
        return obj.get(key)
    fields = getattr(obj, "__dict__", None)
    if fields is not None and key in fields:
        return fields[key]
    if hasattr(type(obj), "__pydantic_fields__"):
        # A pydantic model (the SDKs' objects): a missing attribute would raise inside pydantic,
        # which costs ~20 µs; its fields are in __dict__ and unknown keys (Kimi's
        # reasoning_content …) in __pydantic_extra__.
        extra = getattr(obj, "__pydantic_extra__", None)
        return extra.get(key) if isinstance(extra, dict) else None
    return getattr(obj, key, None)


def items(value: Any) -> List[Any]:
    """``value`` as a list (anything that is not a list or tuple gives none)."""
    return list(value) if isinstance(value, (list, tuple)) else []


def string(value: Any) -> Optional[str]:
    return value if isinstance(value, str) else None


def number(value: Any) -> Optional[float]:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return value if math.isfinite(value) else None


def text_part(text: str, kind: str = "text") -> Part:
    return {"type": kind, "content": redact_cut(text)}


def tool_arguments(raw: Any) -> Any:
    """Tool-call arguments: the parsed object when the (redacted) JSON parses, else the text."""
    if not isinstance(raw, str):
        return raw
    text = redact_cut(raw)
    try:
        return json.loads(text)
    except ValueError:
        return text


def tool_call_part(call_id: Any, name: Any, args: Any) -> Part:
    part: Part = {"type": "tool_call", "name": string(name) or "", "arguments": tool_arguments(args)}
    if isinstance(call_id, str):
        part["id"] = call_id
    return part


def tool_response_part(call_id: Any, response: str) -> Part:
    part: Part = {"type": "tool_call_response", "response": redact_cut(response)}
    if isinstance(call_id, str):
        part["id"] = call_id
    return part


_DATA_URL = re.compile(r"^data:([^;,]+)?(?:;[^,]*)?;base64,")


def media_part(url: str, modality: str) -> Part:
    """A ``blob`` for ``data:`` URLs, else a ``uri`` part."""
    m = _DATA_URL.match(url)
    if m is None:
        return {"type": "uri", "modality": modality, "uri": url}
    return {"type": "blob", "modality": modality, "mime_type": m.group(1), "content": url[m.end() :]}


def schema_finish_reason(raw: Optional[str]) -> str:
    """The finish reason of an output message in the parts schema."""
    if raw is None:
        return "stop"
    if raw in ("tool_calls", "function_call", "tool_use"):
        return "tool_call"
    if raw in ("end_turn", "stop_sequence"):
        return "stop"
    if raw == "max_tokens":
        return "length"
    if raw == "refusal":
        return "content_filter"
    return raw


def estimate_tokens(chars: int) -> int:
    """Rough token estimate (4 characters a token) for streams that report no usage."""
    return -(-chars // 4)


def to_json(value: Any) -> Optional[str]:
    try:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)
    except Exception:
        return None
