"""OpenAI ``responses.create`` (Responses API): input items and instructions, output items (messages,
function calls, reasoning summaries) and the streamed events, whose final ``response.completed`` /
``response.incomplete`` / ``response.failed`` carries the whole response."""

from __future__ import annotations

from typing import Any, Dict, List, Optional

from opentelemetry.trace import Status, StatusCode

from ._call import Adapter, LlmCall, StreamRecorder
from ._openai import (
    chat_message,
    content_text,
    messages_chars,
    request_params,
    set_json,
    set_openai_meta,
    tool_definitions,
)
from ._parts import (
    Message,
    Part,
    estimate_tokens,
    get,
    items,
    number,
    string,
    text_part,
    tool_call_part,
    tool_response_part,
)


def _summary(item: Any) -> str:
    return "\n".join(string(get(s, "text")) or "" for s in items(get(item, "summary")))


def _input_message(item: Any) -> Message:
    kind = get(item, "type")
    if kind == "function_call":
        return {
            "role": "assistant",
            "parts": [tool_call_part(get(item, "call_id"), get(item, "name"), get(item, "arguments"))],
        }
    if kind == "function_call_output":
        return {"role": "tool", "parts": [tool_response_part(get(item, "call_id"), content_text(get(item, "output")))]}
    if kind == "reasoning":
        return {"role": "assistant", "parts": [text_part(_summary(item), "reasoning")]}
    return chat_message(item)


def _input_messages(value: Any) -> List[Message]:
    if isinstance(value, str):
        return [{"role": "user", "parts": [text_part(value)]}]
    return [_input_message(i) for i in items(value)]


def _finish_reason(response: Any) -> str:
    status = get(response, "status")
    if status == "failed":
        return "error"
    if status == "incomplete":
        reason = string(get(get(response, "incomplete_details"), "reason"))
        return "length" if reason is None or reason == "max_output_tokens" else reason
    return "tool_call" if any(get(i, "type") == "function_call" for i in items(get(response, "output"))) else "stop"


def _output_message(response: Any) -> Message:
    parts: List[Part] = []
    for item in items(get(response, "output")):
        kind = get(item, "type")
        if kind == "message":
            for c in items(get(item, "content")):
                if isinstance(get(c, "text"), str):
                    parts.append(text_part(get(c, "text")))
                elif isinstance(get(c, "refusal"), str):
                    parts.append(text_part(get(c, "refusal"), "refusal"))
        elif kind == "function_call":
            parts.append(tool_call_part(get(item, "call_id"), get(item, "name"), get(item, "arguments")))
        elif kind == "reasoning":
            text = _summary(item)
            if text:
                parts.append(text_part(text, "reasoning"))
        elif isinstance(kind, str):
            part: Part = {"type": "server_tool_call", "name": kind}
            if isinstance(get(item, "id"), str):
                part["id"] = get(item, "id")
            parts.append(part)
    return {"role": "assistant", "parts": parts, "finish_reason": _finish_reason(response)}


def _usage(usage: Any) -> Optional[Dict[str, Optional[float]]]:
    if usage is None:
        return None
    return {
        "input": number(get(usage, "input_tokens")),
        "output": number(get(usage, "output_tokens")),
        "cache_read": number(get(get(usage, "input_tokens_details"), "cached_tokens")),
        "reasoning": number(get(get(usage, "output_tokens_details"), "reasoning_tokens")),
    }


def _record(call: LlmCall, response: Any) -> None:
    call.set_response(get(response, "id"), get(response, "model"), [_finish_reason(response)])
    usage = _usage(get(response, "usage"))
    if usage is not None:
        call.set_usage(usage)
    set_openai_meta(call, response)
    call.set_output([_output_message(response)])
    if get(response, "status") == "failed":
        error = get(response, "error")
        call.span.set_attribute("error.type", string(get(error, "code")) or "response_failed")
        call.span.set_status(Status(StatusCode.ERROR, string(get(error, "message")) or "Response failed"))


class ResponsesAdapter(Adapter):
    operation = "chat"
    provider = "openai"

    def request(self, body: Dict[str, Any], out: Dict[str, Any]) -> None:
        request_params({**body, "max_tokens": body.get("max_output_tokens")}, out)
        effort = string(get(body.get("reasoning"), "effort"))
        if effort is not None:
            out["openai.request.reasoning_effort"] = effort
        fmt = string(get(get(body.get("text"), "format"), "type"))
        if fmt is not None:
            out["gen_ai.output.type"] = "text" if fmt == "text" else "json"

    def content(self, body: Dict[str, Any], out: Dict[str, Any]) -> None:
        set_json(out, "gen_ai.input.messages", _input_messages(body.get("input")))
        instructions = body.get("instructions")
        if isinstance(instructions, str) and instructions:
            set_json(out, "gen_ai.system_instructions", [text_part(instructions)])
        if items(body.get("tools")):
            set_json(out, "gen_ai.tool.definitions", tool_definitions(body.get("tools")))

    def response(self, call: LlmCall, data: Any) -> None:
        if get(data, "id") is not None:
            _record(call, data)

    def stream(self, call: LlmCall) -> StreamRecorder:
        return ResponseStream(call)


_FINAL = {"response.completed", "response.incomplete", "response.failed"}
_CONTENT = {
    "response.output_text.delta",
    "response.function_call_arguments.delta",
    "response.refusal.delta",
    "response.reasoning_summary_text.delta",
}


class ResponseStream(StreamRecorder):
    def __init__(self, call: LlmCall) -> None:
        self.call = call
        self.final: Any = None
        self.started: Any = None
        self.text: List[str] = []
        self.chars = 0

    def add(self, event: Any) -> bool:
        kind = get(event, "type")
        if kind == "response.created":
            self.started = get(event, "response")
        elif kind in _FINAL:
            self.final = get(event, "response")
        if kind not in _CONTENT:
            return False
        delta = get(event, "delta")
        if isinstance(delta, str):
            self.chars += len(delta)
            if kind == "response.output_text.delta" and self.call.capture:
                self.text.append(delta)
        return True

    def finish(self) -> None:
        call = self.call
        if self.final is not None:
            _record(call, self.final)
            if get(self.final, "usage") is not None:
                return
        else:
            call.set_response(get(self.started, "id"), get(self.started, "model"), [])
            if self.text:
                call.set_output([{"role": "assistant", "parts": [text_part("".join(self.text))]}])
        raw = call.body.get("input")
        chars = len(raw) if isinstance(raw, str) else messages_chars(raw)
        call.set_usage({"input": estimate_tokens(chars), "output": estimate_tokens(self.chars)}, True)
