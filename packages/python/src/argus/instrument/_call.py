"""One traced LLM call: its CLIENT span, what the operation adapter records on it, and the one-time
ending (response, stream end, error or abandonment). The SDK's own result object is returned; for a
stream only its ``_iterator`` is replaced by a traced one, so ``for``/``async for``, ``with``,
``close()`` and the helpers built on the stream keep working. Nothing here raises into the app."""

from __future__ import annotations

import contextlib
import functools
import time
from typing import Any, Callable, Dict, Iterator, List, Optional

from opentelemetry import context as otel_context
from opentelemetry import trace
from opentelemetry.trace import SpanKind

from .._config import get_config
from .._diagnostics import safely, warn
from .._observe import record_error
from .._setup import get_tracer
from ._parts import to_json
from ._provider import endpoint_of


class StreamRecorder:
    """Collects a streamed answer chunk by chunk."""

    def add(self, chunk: Any) -> bool:
        """Observes one chunk; True when it carried generated content (the first sets TTFT)."""
        raise NotImplementedError

    def finish(self) -> None:
        """Records what the stream produced (output, usage — estimated when the stream had none)."""
        raise NotImplementedError


class Adapter:
    """How one API operation (chat, embeddings, Anthropic messages) is recorded."""

    operation = "chat"
    provider = "openai"

    def request(self, body: Dict[str, Any], out: Dict[str, Any]) -> None:
        """Request parameters as attributes (never content)."""

    def content(self, body: Dict[str, Any], out: Dict[str, Any]) -> None:
        """Input content as attributes; called only when capturing."""

    def response(self, call: LlmCall, data: Any) -> None:
        """Records a complete response."""

    def stream(self, call: LlmCall) -> Optional[StreamRecorder]:
        """A recorder for a streamed response (None: streams are not observed)."""
        return None


class LlmCall:
    """A started call."""

    __slots__ = ("span", "body", "capture", "start", "ended", "chunks", "ttft_s", "adapter")

    def __init__(self, span: Any, body: Dict[str, Any], adapter: Adapter, capture: bool) -> None:
        self.span = span
        self.body = body
        self.adapter = adapter
        self.capture = capture
        self.start = time.perf_counter()
        self.ended = False
        self.chunks = 0
        self.ttft_s: Optional[float] = None

    def on_result(self, result: Any, is_async: bool) -> Any:
        """Records a response and ends the span, or traces a stream's iterator; returns ``result``."""
        recorder = self.adapter.stream(self) if self.body.get("stream") is True else None
        inner = getattr(result, "_iterator", None) if recorder is not None else None
        if recorder is not None and inner is not None:
            traced = _trace_async(inner, self, recorder) if is_async else _trace_sync(inner, self, recorder)
            try:
                result._iterator = traced
                _observe_close(result, self, recorder, is_async)
                return result
            except Exception as error:
                warn("Cannot trace a stream", error)
        safely("record a response", lambda: self.adapter.response(self, result), None)
        self.end()
        return result

    def chunk(self, recorder: StreamRecorder, value: Any) -> None:
        if self.ended:
            return
        self.chunks += 1
        try:
            has_content = recorder.add(value)
        except Exception as error:
            warn("Cannot record a stream chunk", error)
            has_content = False
        if has_content and self.ttft_s is None:
            self.ttft_s = time.perf_counter() - self.start

    def finish_stream(self, recorder: StreamRecorder, abandoned: bool) -> None:
        if self.ended:
            return

        def record() -> None:
            recorder.finish()
            attrs: Dict[str, Any] = {"argus.stream.chunk_count": self.chunks}
            if self.ttft_s is not None:
                attrs["gen_ai.response.time_to_first_chunk"] = self.ttft_s
            if abandoned:
                attrs["argus.stream.abandoned"] = True
            self.span.set_attributes(attrs)

        safely("record a stream", record, None)
        self.end()

    def fail(self, error: BaseException) -> None:
        """Records ``error`` (status ERROR, ``error.type``, exception event) and ends the span."""
        if self.ended:
            return
        status = getattr(error, "status_code", None)
        if isinstance(status, int):
            safely("record a status", lambda: self.span.set_attribute("http.response.status_code", status), None)
        record_error(self.span, error)
        self.end()

    def end(self) -> None:
        if self.ended:
            return
        self.ended = True
        safely("end a span", self.span.end, None)

    def set_response(self, response_id: Any, model: Any, finish_reasons: List[str]) -> None:
        attrs: Dict[str, Any] = {}
        if isinstance(response_id, str):
            attrs["gen_ai.response.id"] = response_id
        if isinstance(model, str):
            attrs["gen_ai.response.model"] = model
        if finish_reasons:
            attrs["gen_ai.response.finish_reasons"] = list(finish_reasons)
        self.span.set_attributes(attrs)

    def set_usage(self, usage: Dict[str, Optional[float]], estimated: bool = False) -> None:
        names = {
            "input": "gen_ai.usage.input_tokens",
            "output": "gen_ai.usage.output_tokens",
            "cache_read": "gen_ai.usage.cache_read.input_tokens",
            "cache_write": "gen_ai.usage.cache_creation.input_tokens",
            "reasoning": "gen_ai.usage.reasoning.output_tokens",
        }
        attrs: Dict[str, Any] = {names[k]: int(v) for k, v in usage.items() if v is not None and k in names}
        if estimated:
            attrs["argus.usage.estimated"] = True
        self.span.set_attributes(attrs)

    def set_output(self, messages: List[Dict[str, Any]]) -> None:
        if not self.capture or not messages:
            return
        text = to_json(messages)
        if text is not None:
            self.span.set_attribute("gen_ai.output.messages", text)


def _observe_close(stream: Any, call: LlmCall, recorder: StreamRecorder, is_async: bool) -> None:
    """Ends the span when the application closes the stream before its end (``close()``, ``with``)."""
    original = getattr(stream, "close", None)
    if not callable(original):
        return
    if is_async:

        async def aclose(*args: Any, **kwargs: Any) -> Any:
            call.finish_stream(recorder, True)
            return await original(*args, **kwargs)

        stream.close = aclose
    else:

        def close(*args: Any, **kwargs: Any) -> Any:
            call.finish_stream(recorder, True)
            return original(*args, **kwargs)

        stream.close = close


@contextlib.contextmanager
def _streaming(call: LlmCall, recorder: StreamRecorder) -> Iterator[None]:
    """Around a traced stream's iteration: ends the call when the stream ends, records the error
    when it raises, and ends it as closed early on ``break``, ``close()`` or garbage collection."""
    finished = False
    try:
        yield
        finished = True
        call.finish_stream(recorder, False)
    except GeneratorExit:
        raise
    except BaseException as error:
        finished = True
        call.fail(error)
        raise
    finally:
        if not finished:
            call.finish_stream(recorder, True)


def _trace_sync(inner: Any, call: LlmCall, recorder: StreamRecorder) -> Any:
    with _streaming(call, recorder):
        for chunk in inner:
            call.chunk(recorder, chunk)
            yield chunk


async def _trace_async(inner: Any, call: LlmCall, recorder: StreamRecorder) -> Any:
    with _streaming(call, recorder):
        async for chunk in inner:
            call.chunk(recorder, chunk)
            yield chunk


def _start(adapter: Adapter, resource: Any, kwargs: Dict[str, Any]) -> Any:
    """(span, call); call is None when the span is not recorded. Raises on tracer failures."""
    endpoint = endpoint_of(getattr(resource, "_client", None), adapter.provider)
    model = kwargs.get("model")
    attrs: Dict[str, Any] = {
        "gen_ai.operation.name": adapter.operation,
        "gen_ai.provider.name": endpoint["provider"],
    }
    if isinstance(model, str):
        attrs["gen_ai.request.model"] = model
    if "address" in endpoint:
        attrs["server.address"] = endpoint["address"]
    if "port" in endpoint:
        attrs["server.port"] = endpoint["port"]
    name = f"{adapter.operation} {model}" if isinstance(model, str) else adapter.operation
    span = get_tracer().start_span(name, kind=SpanKind.CLIENT, attributes=attrs)
    if not span.is_recording():
        return span, None
    capture = get_config().capture_content
    extra: Dict[str, Any] = {}
    adapter.request(kwargs, extra)
    if capture:
        adapter.content(kwargs, extra)
    span.set_attributes(extra)
    return span, LlmCall(span, kwargs, adapter, capture)


def _end_unsampled(span: Any) -> None:
    safely("end a span", span.end, None)


def _activate(span: Any) -> Any:
    """Makes the span current; the context token, or None when that failed."""
    return safely("activate a span", lambda: otel_context.attach(trace.set_span_in_context(span)), None)


def _deactivate(token: Any) -> None:
    if token is not None:
        safely("deactivate a span", lambda: otel_context.detach(token), None)


def _failed(span: Any, call: Optional[LlmCall], token: Any, error: BaseException) -> None:
    """The provider call raised: ends the span (recording the error when sampled); the caller re-raises."""
    _deactivate(token)
    if call is None:
        _end_unsampled(span)
    else:
        call.fail(error)


def _returned(span: Any, call: Optional[LlmCall], token: Any, result: Any, is_async: bool) -> Any:
    """The provider call answered: what the application gets (a traced stream, or ``result`` itself)."""
    _deactivate(token)
    if call is None:
        _end_unsampled(span)
        return result
    return safely("observe an LLM call", lambda: call.on_result(result, is_async), result)


def trace_method(adapter: Adapter, original: Callable[..., Any]) -> Callable[..., Any]:
    """Wraps a resource method (``Completions.create`` …) so each call is traced."""

    @functools.wraps(original)
    def traced(self: Any, *args: Any, **kwargs: Any) -> Any:
        started = safely("start an LLM span", lambda: _start(adapter, self, kwargs), None)
        if started is None:
            return original(self, *args, **kwargs)
        span, call = started
        token = _activate(span)
        try:
            result = original(self, *args, **kwargs)
        except BaseException as error:
            _failed(span, call, token, error)
            raise
        return _returned(span, call, token, result, False)

    traced.__argus_original__ = original  # type: ignore[attr-defined]
    return traced


def trace_async_method(adapter: Adapter, original: Callable[..., Any]) -> Callable[..., Any]:
    """Wraps an ``async`` resource method (``AsyncCompletions.create`` …) so each call is traced."""

    @functools.wraps(original)
    async def traced(self: Any, *args: Any, **kwargs: Any) -> Any:
        started = safely("start an LLM span", lambda: _start(adapter, self, kwargs), None)
        if started is None:
            return await original(self, *args, **kwargs)
        span, call = started
        token = _activate(span)
        try:
            result = await original(self, *args, **kwargs)
        except BaseException as error:
            _failed(span, call, token, error)
            raise
        return _returned(span, call, token, result, True)

    traced.__argus_original__ = original  # type: ignore[attr-defined]
    return traced
