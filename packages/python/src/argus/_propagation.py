"""Traces across services: W3C ``traceparent``/``tracestate`` (and baggage) through the global
OpenTelemetry propagator. ``inject_headers`` for outgoing requests, ``extract_context`` for incoming
ones, a WSGI middleware (Flask: :func:`instrument_flask`) and an ASGI middleware (FastAPI,
Starlette) that open a SERVER span per request continuing the caller's trace."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any, Callable, Dict, List, Optional, Tuple

from opentelemetry import context as otel_context
from opentelemetry import propagate, trace
from opentelemetry.context import Context
from opentelemetry.trace import SpanKind, Status, StatusCode

from ._diagnostics import safely
from ._setup import get_tracer


def inject_headers(headers: Optional[Mapping[str, str]] = None, ctx: Optional[Context] = None) -> Dict[str, str]:
    """A copy of ``headers`` plus the trace headers of the active (or given) context."""
    out: Dict[str, str] = dict(headers or {})
    safely("inject trace headers", lambda: propagate.inject(out, context=ctx), None)
    return out


def extract_context(headers: Mapping[str, Any]) -> Context:
    """The context carried by incoming headers (any mapping; keys compared case-insensitively)."""
    lowered = {str(k).lower(): v for k, v in (headers or {}).items()}
    found = safely("extract trace headers", lambda: propagate.extract(lowered), None)
    return found if found is not None else otel_context.get_current()


def _start_server_span(method: str, path: str, query: str, scheme: str, headers: Mapping[str, Any]) -> Any:
    attrs: Dict[str, Any] = {"http.request.method": method, "url.path": path, "url.scheme": scheme}
    if query:
        attrs["url.query"] = query
    return get_tracer().start_span(method, context=extract_context(headers), kind=SpanKind.SERVER, attributes=attrs)


def _end_server_span(span: Any, status: Optional[int], error: Optional[BaseException] = None) -> None:
    def end() -> None:
        if status is not None:
            span.set_attribute("http.response.status_code", status)
        if error is not None:
            span.record_exception(error)
            span.set_attribute("error.type", type(error).__name__)
            span.set_status(Status(StatusCode.ERROR, str(error)))
        elif status is not None and status >= 500:
            span.set_attribute("error.type", str(status))
            span.set_status(Status(StatusCode.ERROR))
        span.end()

    safely("end a server span", end, None)


def set_route(route: str) -> None:
    """Sets ``http.route`` on the active server span and names it ``{method} {route}``."""

    def apply() -> None:
        span = trace.get_current_span()
        if span.is_recording():
            span.set_attribute("http.route", route)
            method = getattr(span, "attributes", {}).get("http.request.method")
            if method:
                span.update_name(f"{method} {route}")

    safely("set the route", apply, None)


class _TracedBody:
    """The WSGI response iterable, iterated inside the request's context (streamed answers stay
    children of the request span); the span ends when the server closes it."""

    def __init__(self, body: Iterable[bytes], span: Any, ctx: Context, status: List[Optional[int]]) -> None:
        self._body = body
        self._iter: Optional[Iterator[bytes]] = None
        self._span = span
        self._ctx = ctx
        self._status = status
        self._error: Optional[BaseException] = None

    def __iter__(self) -> _TracedBody:
        return self

    def __next__(self) -> bytes:
        token = otel_context.attach(self._ctx)
        try:
            if self._iter is None:
                self._iter = iter(self._body)
            return next(self._iter)
        except StopIteration:
            raise
        except BaseException as error:
            self._error = error
            raise
        finally:
            otel_context.detach(token)

    def close(self) -> None:
        token = otel_context.attach(self._ctx)
        try:
            close = getattr(self._body, "close", None)
            if close is not None:
                close()
        finally:
            otel_context.detach(token)
            _end_server_span(self._span, self._status[0], self._error)


class ArgusWSGIMiddleware:
    """WSGI middleware: a SERVER span per request (``http.request.method``, ``url.path``,
    ``url.query``, ``http.response.status_code``; 5xx is an error), continuing the caller's trace.

    Example: ``app.wsgi_app = ArgusWSGIMiddleware(app.wsgi_app)``
    """

    def __init__(self, app: Callable[..., Any]) -> None:
        self.app = app

    def __call__(self, environ: Dict[str, Any], start_response: Callable[..., Any]) -> Any:
        headers = {k[5:].replace("_", "-").lower(): v for k, v in environ.items() if k.startswith("HTTP_")}
        span = safely(
            "start a server span",
            lambda: _start_server_span(
                environ.get("REQUEST_METHOD", "GET"),
                environ.get("PATH_INFO", "") or "/",
                environ.get("QUERY_STRING", ""),
                environ.get("wsgi.url_scheme", "http"),
                headers,
            ),
            None,
        )
        if span is None:
            return self.app(environ, start_response)
        status: List[Optional[int]] = [None]

        def start(status_line: str, response_headers: List[Tuple[str, str]], exc_info: Any = None) -> Any:
            try:
                status[0] = int(status_line.split(" ", 1)[0])
            except ValueError:
                pass
            return (
                start_response(status_line, response_headers, exc_info)
                if exc_info
                else start_response(status_line, response_headers)
            )

        ctx = trace.set_span_in_context(span)
        token = otel_context.attach(ctx)
        try:
            body = self.app(environ, start)
        except BaseException as error:
            otel_context.detach(token)
            _end_server_span(span, status[0] or 500, error)
            raise
        otel_context.detach(token)
        return _TracedBody(body, span, ctx, status)


def instrument_flask(app: Any) -> Any:
    """Traces every request of a Flask app (server span with ``http.route``); returns ``app``."""

    def route_hook() -> None:
        from flask import request  # imported here: Flask is not a dependency

        rule = getattr(request, "url_rule", None)
        if rule is not None:
            set_route(str(rule.rule))

    def install() -> None:
        app.wsgi_app = ArgusWSGIMiddleware(app.wsgi_app)
        app.before_request(route_hook)

    safely("instrument a Flask app", install, None)
    return app


class ArgusASGIMiddleware:
    """ASGI middleware (FastAPI, Starlette): a SERVER span per HTTP request, continuing the caller's
    trace; the app, streamed responses included, runs inside it.

    Example: ``app.add_middleware(ArgusASGIMiddleware)``
    """

    def __init__(self, app: Callable[..., Any]) -> None:
        self.app = app

    async def __call__(self, scope: Dict[str, Any], receive: Callable[..., Any], send: Callable[..., Any]) -> None:
        if scope.get("type") != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope.get("headers") or []}
        query = scope.get("query_string") or b""
        span = safely(
            "start a server span",
            lambda: _start_server_span(
                scope.get("method", "GET"),
                scope.get("path", "/"),
                query.decode("latin-1") if isinstance(query, bytes) else str(query),
                scope.get("scheme", "http"),
                headers,
            ),
            None,
        )
        if span is None:
            await self.app(scope, receive, send)
            return
        status: List[Optional[int]] = [None]

        async def traced_send(message: Dict[str, Any]) -> None:
            if message.get("type") == "http.response.start":
                status[0] = message.get("status")
            await send(message)

        token = otel_context.attach(trace.set_span_in_context(span))
        try:
            await self.app(scope, receive, traced_send)
        except BaseException as error:
            _end_server_span(span, status[0] or 500, error)
            raise
        else:
            route = getattr(scope.get("route"), "path", None)
            if isinstance(route, str):
                set_route(route)
            _end_server_span(span, status[0])
        finally:
            otel_context.detach(token)
