"""Anthropic ``messages.create``: system prompt, content blocks (text, images, documents, tool_use /
tool_result, thinking), usage with the OTel rule input = input_tokens + cache_read_input_tokens +
cache_creation_input_tokens, and the SSE event stream of ``stream=True``."""

from __future__ import annotations

import json
from typing import Any, Dict, List, Optional

from ._call import Adapter, LlmCall, StreamRecorder
from ._openai import set_json, set_number
from ._parts import (
    Message,
    Part,
    estimate_tokens,
    get,
    items,
    media_part,
    number,
    schema_finish_reason,
    string,
    text_part,
    tool_call_part,
    tool_response_part,
)


def _blocks(content: Any) -> List[Any]:
    return [{"type": "text", "text": content}] if isinstance(content, str) else items(content)


def _block_text(content: Any) -> str:
    return "".join(string(get(b, "text")) or "" for b in _blocks(content))


def _source_part(source: Any, modality: str) -> Optional[Part]:
    kind = get(source, "type")
    if kind == "base64":
        return {
            "type": "blob",
            "modality": modality,
            "mime_type": string(get(source, "media_type")),
            "content": get(source, "data"),
        }
    if kind == "url" and isinstance(get(source, "url"), str):
        return media_part(get(source, "url"), modality)
    if kind == "text" and isinstance(get(source, "data"), str):
        return text_part(get(source, "data"))
    return None


def _block_part(b: Any) -> Optional[Part]:
    kind = get(b, "type")
    if kind == "text":
        return text_part(string(get(b, "text")) or "")
    if kind == "thinking":
        return text_part(string(get(b, "thinking")) or "", "reasoning")
    if kind == "image":
        return _source_part(get(b, "source"), "image")
    if kind == "document":
        return _source_part(get(b, "source"), "document")
    if kind == "tool_use":
        return tool_call_part(get(b, "id"), get(b, "name"), get(b, "input"))
    if kind == "tool_result":
        return tool_response_part(get(b, "tool_use_id"), _block_text(get(b, "content")))
    return {"type": kind} if isinstance(kind, str) else None


def _parts(content: Any) -> List[Part]:
    return [p for p in (_block_part(b) for b in _blocks(content)) if p is not None]


def _input_message(m: Any) -> Message:
    parts = _parts(get(m, "content"))
    is_tool_turn = bool(parts) and all(p["type"] == "tool_call_response" for p in parts)
    return {"role": "tool" if is_tool_turn else (string(get(m, "role")) or "user"), "parts": parts}


def _usage(usage: Any) -> Dict[str, Optional[float]]:
    raw_input = number(get(usage, "input_tokens"))
    cache_read = number(get(usage, "cache_read_input_tokens"))
    cache_write = number(get(usage, "cache_creation_input_tokens"))
    return {
        "input": None if raw_input is None else raw_input + (cache_read or 0) + (cache_write or 0),
        "output": number(get(usage, "output_tokens")),
        "cache_read": cache_read,
        "cache_write": cache_write,
    }


def _record_message(call: LlmCall, message: Any, content: Any = None) -> None:
    stop = string(get(message, "stop_reason"))
    call.set_response(get(message, "id"), get(message, "model"), [stop] if stop else [])
    usage = get(message, "usage")
    if usage is not None:
        call.set_usage(_usage(usage))
    blocks = get(message, "content") if content is None else content
    call.set_output([{"role": "assistant", "parts": _parts(blocks), "finish_reason": schema_finish_reason(stop)}])


class MessagesAdapter(Adapter):
    operation = "chat"
    provider = "anthropic"

    def request(self, body: Dict[str, Any], out: Dict[str, Any]) -> None:
        set_number(out, "gen_ai.request.temperature", body.get("temperature"))
        set_number(out, "gen_ai.request.top_p", body.get("top_p"))
        set_number(out, "gen_ai.request.top_k", body.get("top_k"))
        set_number(out, "gen_ai.request.max_tokens", body.get("max_tokens"))
        stops = body.get("stop_sequences")
        if isinstance(stops, (list, tuple)):
            out["gen_ai.request.stop_sequences"] = [s for s in stops if isinstance(s, str)]
        if body.get("stream") is True:
            out["gen_ai.request.stream"] = True
        budget = get(body.get("thinking"), "budget_tokens")
        if isinstance(budget, int):
            out["anthropic.thinking.budget_tokens"] = budget

    def content(self, body: Dict[str, Any], out: Dict[str, Any]) -> None:
        set_json(out, "gen_ai.input.messages", [_input_message(m) for m in items(body.get("messages"))])
        if body.get("system") is not None:
            set_json(out, "gen_ai.system_instructions", _parts(body.get("system")))
        tools = items(body.get("tools"))
        if tools:
            defs = []
            for t in tools:
                d: Dict[str, Any] = {"type": "function", "name": string(get(t, "name")) or ""}
                if isinstance(get(t, "description"), str):
                    d["description"] = get(t, "description")
                if get(t, "input_schema") is not None:
                    d["parameters"] = get(t, "input_schema")
                defs.append(d)
            set_json(out, "gen_ai.tool.definitions", defs)

    def response(self, call: LlmCall, data: Any) -> None:
        if get(data, "id") is not None:
            _record_message(call, data)

    def stream(self, call: LlmCall) -> StreamRecorder:
        return MessageEvents(call)


class MessageEvents(StreamRecorder):
    """Rebuilds the message from ``message_start``, content block events and ``message_delta``."""

    def __init__(self, call: LlmCall) -> None:
        self.call = call
        self.message: Dict[str, Any] = {}
        self.usage: Dict[str, Any] = {}
        self.blocks: Dict[int, Dict[str, Any]] = {}
        self.chars = 0

    def add(self, event: Any) -> bool:
        kind = get(event, "type")
        if kind == "message_start":
            message = get(event, "message")
            self.message = {"id": get(message, "id"), "model": get(message, "model")}
            usage = get(message, "usage")
            for key in ("input_tokens", "output_tokens", "cache_read_input_tokens", "cache_creation_input_tokens"):
                if get(usage, key) is not None:
                    self.usage[key] = get(usage, key)
        elif kind == "content_block_start":
            index = get(event, "index")
            block = get(event, "content_block")
            if isinstance(index, int) and block is not None:
                self.blocks[index] = {"block": block, "text": [], "json": []}
        elif kind == "content_block_delta":
            return self._add_delta(event)
        elif kind == "message_delta":
            reason = get(get(event, "delta"), "stop_reason")
            if isinstance(reason, str):
                self.message["stop_reason"] = reason
            usage = get(event, "usage")
            # Counts here are cumulative; a None keeps the value from message_start.
            for key in ("input_tokens", "output_tokens", "cache_read_input_tokens", "cache_creation_input_tokens"):
                if get(usage, key) is not None:
                    self.usage[key] = get(usage, key)
        return False

    def _add_delta(self, event: Any) -> bool:
        entry = self.blocks.get(get(event, "index"))  # type: ignore[arg-type]
        delta = get(event, "delta")
        partial = string(get(delta, "partial_json"))
        piece = string(get(delta, "text")) or string(get(delta, "thinking")) or partial
        if piece is None:
            return False
        self.chars += len(piece)
        if entry is not None and self.call.capture:
            (entry["json"] if partial is not None else entry["text"]).append(piece)
        return piece != ""

    def finish(self) -> None:
        content = []
        for _, entry in sorted(self.blocks.items()):
            block = entry["block"]
            kind = get(block, "type")
            if kind == "text":
                content.append({"type": "text", "text": "".join(entry["text"])})
            elif kind == "thinking":
                content.append({"type": "thinking", "thinking": "".join(entry["text"])})
            elif kind == "tool_use":
                raw = "".join(entry["json"])
                try:
                    args: Any = json.loads(raw) if raw else get(block, "input")
                except ValueError:
                    args = raw
                content.append({"type": "tool_use", "id": get(block, "id"), "name": get(block, "name"), "input": args})
            elif isinstance(kind, str):
                content.append({"type": kind})
        has_usage = isinstance(self.usage.get("output_tokens"), int)
        message = {**self.message, "usage": self.usage if has_usage else None}
        _record_message(self.call, message, content)
        if not has_usage:
            chars = sum(len(_block_text(get(m, "content"))) for m in items(self.call.body.get("messages")))
            self.call.set_usage({"input": estimate_tokens(chars), "output": estimate_tokens(self.chars)}, True)
