"""OpenAI ``chat.completions.create`` and ``embeddings.create``: request parameters, messages in
the parts schema, tool definitions, usage, logprobs, streamed chunks (content, reasoning, refusals,
tool-call fragments, logprobs and the optional final usage chunk)."""

from __future__ import annotations

from typing import Any, Dict, List, Optional

from .._config import get_config
from ._call import Adapter, LlmCall, StreamRecorder
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
    to_json,
    tool_call_part,
    tool_response_part,
)


def set_number(out: Dict[str, Any], key: str, value: Any) -> None:
    n = number(value)
    if n is not None:
        out[key] = n


def request_params(body: Dict[str, Any], out: Dict[str, Any]) -> None:
    set_number(out, "gen_ai.request.temperature", body.get("temperature"))
    set_number(out, "gen_ai.request.top_p", body.get("top_p"))
    max_tokens = body.get("max_completion_tokens")
    set_number(out, "gen_ai.request.max_tokens", max_tokens if max_tokens is not None else body.get("max_tokens"))
    set_number(out, "gen_ai.request.frequency_penalty", body.get("frequency_penalty"))
    set_number(out, "gen_ai.request.presence_penalty", body.get("presence_penalty"))
    set_number(out, "gen_ai.request.seed", body.get("seed"))
    n = body.get("n")
    if isinstance(n, int) and n != 1:
        out["gen_ai.request.choice.count"] = n
    stop = body.get("stop")
    if isinstance(stop, str):
        out["gen_ai.request.stop_sequences"] = [stop]
    elif isinstance(stop, (list, tuple)):
        out["gen_ai.request.stop_sequences"] = [s for s in stop if isinstance(s, str)]
    if body.get("stream") is True:
        out["gen_ai.request.stream"] = True
    fmt = string(get(body.get("response_format"), "type"))
    if fmt is not None:
        out["gen_ai.output.type"] = "text" if fmt == "text" else "json"


def content_parts(content: Any) -> List[Part]:
    """Parts of message content: a string, or text / image / audio / file / refusal parts."""
    if isinstance(content, str):
        return [text_part(content)] if content else []
    parts: List[Part] = []
    for p in items(content):
        kind = string(get(p, "type"))
        text = get(p, "text")
        if isinstance(text, str):
            parts.append(text_part(text))
        elif kind == "refusal" and isinstance(get(p, "refusal"), str):
            parts.append(text_part(get(p, "refusal"), "refusal"))
        elif kind == "image_url" and isinstance(get(get(p, "image_url"), "url"), str):
            parts.append(media_part(get(get(p, "image_url"), "url"), "image"))
        elif kind == "input_audio" and get(p, "input_audio") is not None:
            audio = get(p, "input_audio")
            parts.append(
                {
                    "type": "blob",
                    "modality": "audio",
                    "mime_type": f"audio/{string(get(audio, 'format')) or 'wav'}",
                    "content": get(audio, "data"),
                }
            )
        elif kind is not None:
            parts.append({"type": kind})
    return parts


def content_text(content: Any) -> str:
    if isinstance(content, str):
        return content
    return "".join(string(get(p, "text")) or "" for p in items(content))


def chat_message(m: Any) -> Message:
    """One chat message (a dict or an SDK object) in the parts schema."""
    role = string(get(m, "role")) or "user"
    if role in ("tool", "function"):
        call_id = get(m, "tool_call_id") if role == "tool" else get(m, "name")
        return {"role": "tool", "parts": [tool_response_part(call_id, content_text(get(m, "content")))]}
    parts: List[Part] = []
    reasoning = get(m, "reasoning_content")
    if isinstance(reasoning, str) and reasoning:
        parts.append(text_part(reasoning, "reasoning"))
    parts.extend(content_parts(get(m, "content")))
    if isinstance(get(m, "refusal"), str):
        parts.append(text_part(get(m, "refusal"), "refusal"))
    for call in items(get(m, "tool_calls")):
        fn = get(call, "function")
        parts.append(tool_call_part(get(call, "id"), get(fn, "name"), get(fn, "arguments")))
    message: Message = {"role": role, "parts": parts}
    if isinstance(get(m, "name"), str):
        message["name"] = get(m, "name")
    return message


def tool_definitions(tools: Any) -> List[Dict[str, Any]]:
    out = []
    for t in items(tools):
        fn = get(t, "function") or t
        d: Dict[str, Any] = {"type": string(get(t, "type")) or "function", "name": string(get(fn, "name")) or ""}
        if isinstance(get(fn, "description"), str):
            d["description"] = get(fn, "description")
        if get(fn, "parameters") is not None:
            d["parameters"] = get(fn, "parameters")
        out.append(d)
    return out


def chat_usage(usage: Any) -> Optional[Dict[str, Optional[float]]]:
    """Usage of a chat response (``prompt_tokens`` already includes cached tokens)."""
    if usage is None:
        return None
    prompt = get(usage, "prompt_tokens_details")
    completion = get(usage, "completion_tokens_details")
    cache = number(get(prompt, "cached_tokens"))
    if cache is None:
        # DeepSeek reports `prompt_cache_hit_tokens`, Moonshot a top-level `cached_tokens`.
        cache = number(get(usage, "prompt_cache_hit_tokens"))
    if cache is None:
        cache = number(get(usage, "cached_tokens"))
    return {
        "input": number(get(usage, "prompt_tokens")),
        "output": number(get(usage, "completion_tokens")),
        "cache_read": cache,
        "reasoning": number(get(completion, "reasoning_tokens")),
    }


def messages_chars(messages: Any) -> int:
    return sum(len(content_text(get(m, "content"))) for m in items(messages))


def set_openai_meta(call: LlmCall, data: Any) -> None:
    tier = get(data, "service_tier")
    if isinstance(tier, str):
        call.span.set_attribute("openai.response.service_tier", tier)
    fingerprint = get(data, "system_fingerprint")
    if isinstance(fingerprint, str):
        call.span.set_attribute("openai.response.system_fingerprint", fingerprint)


def set_json(out: Dict[str, Any], key: str, value: Any) -> None:
    text = to_json(value)
    if text is not None:
        out[key] = text


def add_logprobs_event(call: LlmCall, index: int, entries: List[Any]) -> None:
    """A ``gen_ai.choice.logprobs`` event for one choice (as the TS SDK sends it): index, count and
    mean always; the tokens (``logprobs.content``, JSON) only when capturing content without a
    ``redact`` function, since token pieces cannot be redacted reliably."""
    if not entries:
        return
    logprobs = [number(get(e, "logprob")) for e in entries]
    total = 0.0
    for lp in logprobs:
        total += lp or 0.0
    attrs: Dict[str, Any] = {
        "gen_ai.choice.index": index,
        "logprobs.count": len(entries),
        "logprobs.mean": total / len(entries),
    }
    if call.capture and get_config().redact is None:
        content = [
            {
                "token": get(e, "token"),
                "logprob": lp,
                "top_logprobs": [
                    {"token": get(t, "token"), "logprob": number(get(t, "logprob"))}
                    for t in items(get(e, "top_logprobs"))
                ],
            }
            for e, lp in zip(entries, logprobs)
        ]
        set_json(attrs, "logprobs.content", content)
    call.span.add_event("gen_ai.choice.logprobs", attrs)


def _wants_logprobs(call: LlmCall) -> bool:
    return call.body.get("logprobs") is True


class ChatAdapter(Adapter):
    operation = "chat"
    provider = "openai"

    def request(self, body: Dict[str, Any], out: Dict[str, Any]) -> None:
        request_params(body, out)

    def content(self, body: Dict[str, Any], out: Dict[str, Any]) -> None:
        set_json(out, "gen_ai.input.messages", [chat_message(m) for m in items(body.get("messages"))])
        if items(body.get("tools")):
            set_json(out, "gen_ai.tool.definitions", tool_definitions(body.get("tools")))

    def response(self, call: LlmCall, data: Any) -> None:
        choices = items(get(data, "choices"))
        if get(data, "id") is None and not choices:
            return  # a raw response object (with_raw_response): nothing parsed to record
        call.set_response(get(data, "id"), get(data, "model"), [string(get(c, "finish_reason")) or "" for c in choices])
        usage = chat_usage(get(data, "usage"))
        if usage is not None:
            call.set_usage(usage)
        call.set_output(
            [
                {
                    **chat_message(get(c, "message")),
                    "role": "assistant",
                    "finish_reason": schema_finish_reason(string(get(c, "finish_reason"))),
                }
                for c in choices
            ]
        )
        set_openai_meta(call, data)
        if _wants_logprobs(call):
            for c in choices:
                index = get(c, "index")
                entries = items(get(get(c, "logprobs"), "content"))
                add_logprobs_event(call, index if isinstance(index, int) else 0, entries)

    def stream(self, call: LlmCall) -> StreamRecorder:
        return ChatStream(call)


class _Choice:
    __slots__ = ("text", "reasoning", "refusal", "tools", "finish_reason", "logprobs")

    def __init__(self) -> None:
        self.text: List[str] = []
        self.reasoning: List[str] = []
        self.refusal: List[str] = []
        self.tools: Dict[int, Dict[str, Any]] = {}
        self.finish_reason: Optional[str] = None
        self.logprobs: List[Any] = []


class ChatStream(StreamRecorder):
    def __init__(self, call: LlmCall) -> None:
        self.call = call
        self.choices: Dict[int, _Choice] = {}
        self.id: Any = None
        self.model: Any = None
        self.usage: Any = None
        self.meta: Any = None
        self.chars = 0

    def add(self, chunk: Any) -> bool:
        if self.id is None:
            self.id = get(chunk, "id")
            self.model = get(chunk, "model")
            self.meta = chunk
        usage = get(chunk, "usage")
        if usage is not None:
            self.usage = usage
        has_content = False
        for c in items(get(chunk, "choices")):
            index = get(c, "index")
            index = index if isinstance(index, int) else 0
            state = self.choices.get(index)
            if state is None:
                state = self.choices[index] = _Choice()
            reason = get(c, "finish_reason")
            if isinstance(reason, str):
                state.finish_reason = reason
            if _wants_logprobs(self.call):
                state.logprobs.extend(items(get(get(c, "logprobs"), "content")))
            delta = get(c, "delta")
            if delta is not None and self._add_delta(state, delta):
                has_content = True
        return has_content

    def _add_delta(self, state: _Choice, delta: Any) -> bool:
        has_content = False
        for key, pieces in (
            ("content", state.text),
            ("reasoning_content", state.reasoning),
            ("refusal", state.refusal),
        ):
            piece = get(delta, key)
            if isinstance(piece, str) and piece:
                self.chars += len(piece)
                if self.call.capture:
                    pieces.append(piece)
                has_content = True
        for t in items(get(delta, "tool_calls")):
            i = get(t, "index")
            i = i if isinstance(i, int) else len(state.tools)
            tool = state.tools.setdefault(i, {"id": get(t, "id"), "name": "", "args": []})
            fn = get(t, "function")
            if isinstance(get(fn, "name"), str):
                tool["name"] += get(fn, "name")
            if isinstance(get(fn, "arguments"), str):
                tool["args"].append(get(fn, "arguments"))
                self.chars += len(get(fn, "arguments"))
            has_content = True
        return has_content

    def finish(self) -> None:
        call = self.call
        ordered = sorted(self.choices.items())
        call.set_response(self.id, self.model, [s.finish_reason or "" for _, s in ordered])
        usage = chat_usage(self.usage)
        if usage is not None:
            call.set_usage(usage)
        else:
            call.set_usage(
                {
                    "input": estimate_tokens(messages_chars(call.body.get("messages"))),
                    "output": estimate_tokens(self.chars),
                },
                True,
            )
        if self.meta is not None:
            set_openai_meta(call, self.meta)
        call.set_output([_streamed_message(s) for _, s in ordered])
        for index, s in ordered:
            add_logprobs_event(call, index, s.logprobs)


def _streamed_message(s: _Choice) -> Message:
    parts: List[Part] = []
    if s.reasoning:
        parts.append(text_part("".join(s.reasoning), "reasoning"))
    if s.text:
        parts.append(text_part("".join(s.text)))
    if s.refusal:
        parts.append(text_part("".join(s.refusal), "refusal"))
    for _, t in sorted(s.tools.items()):
        parts.append(tool_call_part(t["id"], t["name"], "".join(t["args"])))
    return {"role": "assistant", "parts": parts, "finish_reason": schema_finish_reason(s.finish_reason)}


class EmbeddingsAdapter(Adapter):
    operation = "embeddings"
    provider = "openai"

    def request(self, body: Dict[str, Any], out: Dict[str, Any]) -> None:
        dims = number(body.get("dimensions"))
        if dims is not None:
            out["gen_ai.embeddings.dimension.count"] = int(dims)
        fmt = body.get("encoding_format")
        if isinstance(fmt, str):
            out["gen_ai.request.encoding_formats"] = [fmt]

    def content(self, body: Dict[str, Any], out: Dict[str, Any]) -> None:
        raw = body.get("input")
        texts = [raw] if isinstance(raw, str) else [t for t in items(raw) if isinstance(t, str)]
        if texts:
            set_json(out, "gen_ai.input.messages", [{"role": "user", "parts": [text_part(t) for t in texts]}])

    def response(self, call: LlmCall, data: Any) -> None:
        call.set_response(None, get(data, "model"), [])
        usage = get(data, "usage")
        if usage is not None:
            call.set_usage({"input": number(get(usage, "prompt_tokens"))})
        first = items(get(data, "data"))
        vector = get(first[0], "embedding") if first else None
        if isinstance(vector, list):
            call.span.set_attribute("gen_ai.embeddings.dimension.count", len(vector))
