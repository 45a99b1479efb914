"""Anthropic's ``messages.stream()`` helper posts the request itself instead of calling ``create``;
its manager's request is traced here the way ``create(stream=True)`` is (same span, same recorder:
``MessageStream`` iterates the raw stream whose iterator the call observes)."""

from __future__ import annotations

from typing import Any, Callable, Dict

from .._diagnostics import warn
from ._anthropic import MessagesAdapter
from ._call import trace_async_method, trace_method

_ADAPTER = MessagesAdapter()


def trace_stream_helper(original: Callable[..., Any]) -> Callable[..., Any]:
    """Wraps ``Messages.stream`` so the request its manager sends runs as a traced streamed call."""

    def stream(self: Any, *args: Any, **kwargs: Any) -> Any:
        manager = original(self, *args, **kwargs)
        key = "_MessageStreamManager__api_request"
        request = getattr(manager, key, None)
        if callable(request):
            body: Dict[str, Any] = {**kwargs, "stream": True}
            traced = trace_method(_ADAPTER, lambda resource, **_: request())
            try:
                setattr(manager, key, lambda: traced(self, **body))
            except Exception as error:
                warn("Cannot trace messages.stream()", error)
        return manager

    stream.__argus_original__ = original  # type: ignore[attr-defined]
    stream.__doc__ = original.__doc__
    return stream


def trace_async_stream_helper(original: Callable[..., Any]) -> Callable[..., Any]:
    """The same for ``AsyncMessages.stream``, whose manager awaits a request coroutine."""

    def stream(self: Any, *args: Any, **kwargs: Any) -> Any:
        manager = original(self, *args, **kwargs)
        key = "_AsyncMessageStreamManager__api_request"
        request = getattr(manager, key, None)
        if request is not None and hasattr(request, "__await__"):
            body: Dict[str, Any] = {**kwargs, "stream": True}

            async def send(resource: Any, **_: Any) -> Any:
                return await request

            try:
                setattr(manager, key, trace_async_method(_ADAPTER, send)(self, **body))
            except Exception as error:
                warn("Cannot trace messages.stream()", error)
        return manager

    stream.__argus_original__ = original  # type: ignore[attr-defined]
    stream.__doc__ = original.__doc__
    return stream
