"""``@observe`` and the span context managers: an application step (chain, tool, retriever, agent
…) inside an active span, with its input, output and errors recorded under the attribute names the
Argus normalizer maps (OTel GenAI ``gen_ai.operation.name`` where the spec has one, OpenInference
``openinference.span.kind`` otherwise). Errors are re-raised unchanged; instrumentation never raises."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Mapping
from typing import Any, Callable, Dict, Optional, TypeVar, Union, overload

from opentelemetry import context as otel_context
from opentelemetry import trace
from opentelemetry.trace import Span, Status, StatusCode

from ._config import get_config
from ._diagnostics import safely, warn
from ._retrieval import documents_attribute, documents_of
from ._serialize import capture_text
from ._setup import get_tracer

F = TypeVar("F", bound=Callable[..., Any])

KINDS: Dict[str, Dict[str, str]] = {
    "llm": {"gen_ai.operation.name": "chat"},
    "embedding": {"gen_ai.operation.name": "embeddings"},
    "retriever": {"gen_ai.operation.name": "retrieval"},
    "tool": {"gen_ai.operation.name": "execute_tool"},
    "agent": {"gen_ai.operation.name": "invoke_agent"},
    "workflow": {"gen_ai.operation.name": "invoke_workflow"},
    "chain": {"openinference.span.kind": "CHAIN"},
    "guardrail": {"openinference.span.kind": "GUARDRAIL"},
    "evaluator": {"openinference.span.kind": "EVALUATOR"},
}

_MAX_YIELDED = 10_000


def error_type(error: BaseException) -> str:
    """The ``error.type`` of an exception: its class name."""
    return type(error).__name__


def record_error(span: Span, error: BaseException) -> None:
    """Status ERROR, an ``exception`` event and ``error.type``; never raises."""

    def record() -> None:
        span.record_exception(error)
        span.set_status(Status(StatusCode.ERROR, str(error)))
        span.set_attribute("error.type", error_type(error))

    safely("record an error on a span", record, None)


def _capture(flag: bool) -> bool:
    return flag and get_config().capture_content


class ObservedSpan:
    """A span opened by ``argus.span()`` / ``@observe``: set its output, attributes, read its ids."""

    def __init__(self, span: Span, kind: str, capture_input: bool, capture_output: bool) -> None:
        self.span = span
        self.kind = kind
        self._capture_input = capture_input
        self._capture_output = capture_output
        self._token: Any = None
        self._ended = False

    @property
    def trace_id(self) -> str:
        """32 hex characters."""
        return format(self.span.get_span_context().trace_id, "032x")

    @property
    def span_id(self) -> str:
        """16 hex characters."""
        return format(self.span.get_span_context().span_id, "016x")

    def set_attribute(self, key: str, value: Any) -> None:
        """Sets a span attribute (str, bool, int, float or a list of one of them)."""
        safely("set a span attribute", lambda: self.span.set_attribute(key, value), None)

    def set_input(self, value: Any) -> None:
        """Records the step's input (when content capture is on)."""
        if value is not None and _capture(self._capture_input) and self.span.is_recording():
            safely("record a span input", lambda: _set_content(self.span, self.kind, "input", value), None)

    def set_output(self, value: Any) -> None:
        """Records the step's output (retrievers: documents) when content capture is on."""
        if self.span.is_recording():
            safely("record a span output", lambda: _record_output(self, value), None)

    def _end(self, error: Optional[BaseException] = None) -> None:
        if self._ended:
            return
        self._ended = True
        if error is not None:
            record_error(self.span, error)
        safely("end a span", self.span.end, None)


def _set_content(span: Span, kind: str, which: str, value: Any) -> None:
    if kind == "tool":
        key = "gen_ai.tool.call.arguments" if which == "input" else "gen_ai.tool.call.result"
        span.set_attribute(key, capture_text(value, as_json=True)[0])
    else:
        text, mime = capture_text(value)
        span.set_attribute(f"{which}.value", text)
        span.set_attribute(f"{which}.mime_type", mime)


def _record_output(observed: ObservedSpan, value: Any) -> None:
    docs = documents_of(value) if observed.kind == "retriever" else None
    if docs is not None:
        observed.span.set_attribute(
            "gen_ai.retrieval.documents", documents_attribute(docs, _capture(observed._capture_output))
        )
    elif value is not None and _capture(observed._capture_output):
        _set_content(observed.span, observed.kind, "output", value)


def _start(
    name: str,
    kind: str,
    attributes: Optional[Mapping[str, Any]],
    capture_input: bool,
    capture_output: bool,
) -> Optional[ObservedSpan]:
    if kind not in KINDS:
        warn(f"Unknown kind '{kind}'; expected one of {', '.join(KINDS)}: using 'chain'")
        kind = "chain"
    attrs: Dict[str, Any] = dict(KINDS[kind])
    if kind == "tool":
        attrs["gen_ai.tool.name"] = name
    if kind == "agent":
        attrs["gen_ai.agent.name"] = name
    attrs.update(attributes or {})
    span = get_tracer().start_span(str(name), attributes=attrs)
    return ObservedSpan(span, kind, capture_input, capture_output)


class span:  # noqa: N801 - used as ``with argus.span(...)``
    """A context manager opening an active span for a block of the application.

    Example::

        with argus.span("search", kind="retriever", input=query) as s:
            docs = index.query(query)
            s.set_output(docs)

    Exceptions raised in the block are recorded and propagate unchanged.
    """

    def __init__(
        self,
        name: str,
        *,
        kind: str = "chain",
        input: Any = None,  # noqa: A002 - mirrors the TS SDK option
        attributes: Optional[Mapping[str, Any]] = None,
        capture_input: bool = True,
        capture_output: bool = True,
    ) -> None:
        self._args = (name, kind, attributes, capture_input, capture_output)
        self._input = input
        self._observed: Optional[ObservedSpan] = None
        self._token: Any = None

    def __enter__(self) -> ObservedSpan:
        observed = safely("start a span", lambda: _start(*self._args), None)
        if observed is None:
            return ObservedSpan(trace.INVALID_SPAN, "chain", False, False)
        observed.set_input(self._input)
        self._observed = observed
        self._token = safely(
            "activate a span", lambda: otel_context.attach(trace.set_span_in_context(observed.span)), None
        )
        return observed

    def __exit__(self, exc_type: Any, exc: Optional[BaseException], tb: Any) -> bool:
        if self._token is not None:
            safely("deactivate a span", lambda: otel_context.detach(self._token), None)
        if self._observed is not None:
            self._observed._end(exc)
        return False

    async def __aenter__(self) -> ObservedSpan:
        return self.__enter__()

    async def __aexit__(self, exc_type: Any, exc: Optional[BaseException], tb: Any) -> bool:
        return self.__exit__(exc_type, exc, tb)


def chain(name: str, **options: Any) -> span:
    """``with argus.chain("answer", input=q) as s:`` — a chain step."""
    return span(name, kind="chain", **options)


def tool(name: str, **options: Any) -> span:
    """``with argus.tool("get_weather", input=args) as s:`` — a tool call."""
    return span(name, kind="tool", **options)


def retriever(name: str, **options: Any) -> span:
    """``with argus.retriever("search", input=q) as s: s.set_output(docs)`` — a retrieval."""
    return span(name, kind="retriever", **options)


def agent(name: str, **options: Any) -> span:
    """``with argus.agent("planner", input=goal) as s:`` — an agent run."""
    return span(name, kind="agent", **options)


def _input_of(signature: Optional[inspect.Signature], args: tuple, kwargs: dict) -> Any:
    """One argument as itself, several as a name → value mapping (``self``/``cls`` left out)."""
    if signature is None:
        return list(args) if args else (kwargs or None)
    bound = signature.bind_partial(*args, **kwargs)
    values = {k: v for k, v in bound.arguments.items() if k not in ("self", "cls")}
    if not values:
        return None
    return next(iter(values.values())) if len(values) == 1 else values


def _begin(name: str, options: tuple, signature: Optional[inspect.Signature], args: tuple, kwargs: dict):  # type: ignore[no-untyped-def]
    """Starts and activates the span; (observed, context token) or (None, None)."""
    observed = safely("start a span", lambda: _start(name, *options), None)
    if observed is None:
        return None, None
    if _capture(options[2]) and observed.span.is_recording():
        observed.set_input(safely("read the arguments", lambda: _input_of(signature, args, kwargs), None))
    token = safely("activate a span", lambda: otel_context.attach(trace.set_span_in_context(observed.span)), None)
    return observed, token


def _detach(token: Any) -> None:
    if token is not None:
        safely("deactivate a span", lambda: otel_context.detach(token), None)


def _failed(observed: Optional[ObservedSpan], token: Any, error: BaseException) -> None:
    """The function raised: ends its span with the error; the caller re-raises."""
    _detach(token)
    if observed is not None:
        observed._end(error)


def _returned(observed: Optional[ObservedSpan], token: Any, result: Any) -> Any:
    """The function returned: ends its span with ``result`` as the output; answers ``result``."""
    _detach(token)
    if observed is not None:
        observed.set_output(result)
        observed._end()
    return result


class _GeneratorSpan:
    """A generator function's span while it runs: ``with`` it around each step to make the span
    current there; it keeps what was yielded, up to ``_MAX_YIELDED`` items (the rest counted)."""

    def __init__(self, observed: ObservedSpan) -> None:
        self.observed = observed
        self._ctx = trace.set_span_in_context(observed.span)
        self._token: Any = None
        self.items: list = []
        self.dropped = 0

    def __enter__(self) -> None:
        self._token = otel_context.attach(self._ctx)

    def __exit__(self, *exc: Any) -> None:
        otel_context.detach(self._token)

    def add(self, item: Any) -> Any:
        if len(self.items) < _MAX_YIELDED:
            self.items.append(item)
        else:
            self.dropped += 1
        return item

    def finish(self, otherwise: Any) -> None:
        """Ends the span; its output the items (text joined when all are text), ``otherwise`` when none."""
        self.observed.set_output(self._output() if self.items else otherwise)
        self.observed._end()

    def _output(self) -> Any:
        items, dropped = self.items, self.dropped
        if dropped == 0 and all(isinstance(i, str) for i in items):
            return "".join(items)
        return items + [f"[{dropped} more items]"] if dropped else items


def _decorate(fn: Callable[..., Any], name: str, options: tuple) -> Callable[..., Any]:
    signature = safely("read a signature", lambda: inspect.signature(fn), None)

    if inspect.isasyncgenfunction(fn):

        @functools.wraps(fn)
        async def agen_wrapper(*args: Any, **kwargs: Any) -> Any:
            observed, token = _begin(name, options, signature, args, kwargs)
            _detach(token)
            if observed is None:
                async for item in fn(*args, **kwargs):
                    yield item
                return
            inner = fn(*args, **kwargs)
            run = _GeneratorSpan(observed)
            sent: Any = None
            try:
                while True:
                    with run:
                        item = await inner.asend(sent)
                    sent = yield run.add(item)
            except StopAsyncIteration:
                run.finish(None)
            except GeneratorExit:
                run.finish(None)
                await inner.aclose()
                raise
            except BaseException as error:
                observed._end(error)
                raise

        return agen_wrapper

    if inspect.iscoroutinefunction(fn):

        @functools.wraps(fn)
        async def async_wrapper(*args: Any, **kwargs: Any) -> Any:
            observed, token = _begin(name, options, signature, args, kwargs)
            try:
                result = await fn(*args, **kwargs)
            except BaseException as error:
                _failed(observed, token, error)
                raise
            return _returned(observed, token, result)

        return async_wrapper

    if inspect.isgeneratorfunction(fn):

        @functools.wraps(fn)
        def gen_wrapper(*args: Any, **kwargs: Any) -> Any:
            observed, token = _begin(name, options, signature, args, kwargs)
            _detach(token)
            if observed is None:
                return (yield from fn(*args, **kwargs))
            inner = fn(*args, **kwargs)
            run = _GeneratorSpan(observed)
            sent: Any = None
            try:
                while True:
                    with run:
                        item = inner.send(sent)
                    sent = yield run.add(item)
            except StopIteration as stop:
                run.finish(stop.value)
                return stop.value
            except GeneratorExit:
                run.finish(None)
                inner.close()
                raise
            except BaseException as error:
                observed._end(error)
                raise

        return gen_wrapper

    @functools.wraps(fn)
    def sync_wrapper(*args: Any, **kwargs: Any) -> Any:
        observed, token = _begin(name, options, signature, args, kwargs)
        try:
            result = fn(*args, **kwargs)
        except BaseException as error:
            _failed(observed, token, error)
            raise
        return _returned(observed, token, result)

    return sync_wrapper


@overload
def observe(name: F) -> F: ...
@overload
def observe(
    name: Optional[str] = None,
    *,
    kind: str = "chain",
    attributes: Optional[Mapping[str, Any]] = None,
    capture_input: bool = True,
    capture_output: bool = True,
) -> Callable[[F], F]: ...
def observe(
    name: Union[str, Callable[..., Any], None] = None,
    *,
    kind: str = "chain",
    attributes: Optional[Mapping[str, Any]] = None,
    capture_input: bool = True,
    capture_output: bool = True,
) -> Any:
    """Traces every call of the decorated function (sync, ``async``, generator or async generator)
    in its own span, recording the arguments as input and the result as output.

    Example: ``@argus.observe(kind="tool")`` or plain ``@argus.observe``.
    """
    options = (kind, attributes, capture_input, capture_output)
    if callable(name):
        fn = name
        return _decorate(fn, getattr(fn, "__name__", "function"), options)

    def decorator(fn: F) -> F:
        try:
            span_name = name if isinstance(name, str) and name else getattr(fn, "__name__", "function")
            return _decorate(fn, span_name, options)  # type: ignore[return-value]
        except Exception as error:
            warn(f"Cannot observe {fn!r}; it runs untraced", error)
            return fn

    return decorator
