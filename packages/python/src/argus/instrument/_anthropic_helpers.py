"""Anthropic's ``messages.stream()`` helper posts the request itself instead of calling ``create``;
its manager's request is traced here the way ``create(stream=True)`` is (same span, same recorder:
``MessageStream`` iterates the raw stream whose iterator the call observes)."""

from __future__ import annotations

from typing import Any, Callable, Dict

from .._diagnostics import warn
from ._anthropic import MessagesAdapter
from ._call import trace_async_method, trace_method

_ADAPTER = MessagesAdapter()


def _stream_helper(
    original: Callable[..., Any], key: str, traced_request: Callable[[Any, Any, Dict[str, Any]], Any]
) -> Callable[..., Any]:
    """``original`` (a ``stream`` method) with its manager's request attribute ``key`` replaced by
    ``traced_request(resource, request, body)``; a request it answers ``None`` for stays as it is."""

    def stream(self: Any, *args: Any, **kwargs: Any) -> Any:
        manager = original(self, *args, **kwargs)
        request = getattr(manager, key, None)
        body: Dict[str, Any] = {**kwargs, "stream": True}
        try:
            traced = traced_request(self, request, body)
            if traced is not None:
                setattr(manager, key, traced)
        except Exception as error:
            warn("Cannot trace messages.stream()", error)
        return manager

    stream.__argus_original__ = original  # type: ignore[attr-defined]
    stream.__doc__ = original.__doc__
    return stream


def trace_stream_helper(original: Callable[..., Any]) -> Callable[..., Any]:
    """Wraps ``Messages.stream`` so the request its manager sends runs as a traced streamed call."""

    def traced_request(resource: Any, request: Any, body: Dict[str, Any]) -> Any:
        if not callable(request):
            return None
        traced = trace_method(_ADAPTER, lambda _resource, **_: request())
        return lambda: traced(resource, **body)

    return _stream_helper(original, "_MessageStreamManager__api_request", traced_request)


def trace_async_stream_helper(original: Callable[..., Any]) -> Callable[..., Any]:
    """The same for ``AsyncMessages.stream``, whose manager awaits a request coroutine."""

    def traced_request(resource: Any, request: Any, body: Dict[str, Any]) -> Any:
        if request is None or not hasattr(request, "__await__"):
            return None

        async def send(_resource: Any, **_: Any) -> Any:
            return await request

        return trace_async_method(_ADAPTER, send)(resource, **body)

    return _stream_helper(original, "_AsyncMessageStreamManager__api_request", traced_request)
