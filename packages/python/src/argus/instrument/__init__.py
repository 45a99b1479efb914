"""Instrumentation of the ``openai`` and ``anthropic`` packages: their resource classes' ``create``
methods (and Anthropic's ``messages.stream()`` helper) are replaced by traced ones (every client,
sync and async, existing or future), reversibly: :func:`uninstrument` puts the originals back.
A package that is not installed is skipped."""

from __future__ import annotations

import importlib
from typing import Any, Callable, List, Tuple

from .._diagnostics import debug, warn
from ._anthropic import MessagesAdapter
from ._anthropic_helpers import trace_async_stream_helper, trace_stream_helper
from ._call import trace_async_method, trace_method
from ._openai import ChatAdapter, EmbeddingsAdapter
from ._openai_responses import ResponsesAdapter

Wrap = Callable[[Callable[..., Any]], Callable[..., Any]]


def _create(adapter: Any, is_async: bool) -> Wrap:
    wrap = trace_async_method if is_async else trace_method
    return lambda original: wrap(adapter, original)


# (module, class, method, wrapper)
_TARGETS: Tuple[Tuple[str, str, str, Wrap], ...] = (
    ("openai.resources.chat.completions", "Completions", "create", _create(ChatAdapter(), False)),
    ("openai.resources.chat.completions", "AsyncCompletions", "create", _create(ChatAdapter(), True)),
    ("openai.resources.responses", "Responses", "create", _create(ResponsesAdapter(), False)),
    ("openai.resources.responses", "AsyncResponses", "create", _create(ResponsesAdapter(), True)),
    ("openai.resources.embeddings", "Embeddings", "create", _create(EmbeddingsAdapter(), False)),
    ("openai.resources.embeddings", "AsyncEmbeddings", "create", _create(EmbeddingsAdapter(), True)),
    ("anthropic.resources.messages", "Messages", "create", _create(MessagesAdapter(), False)),
    ("anthropic.resources.messages", "AsyncMessages", "create", _create(MessagesAdapter(), True)),
    ("anthropic.resources.messages", "Messages", "stream", trace_stream_helper),
    ("anthropic.resources.messages", "AsyncMessages", "stream", trace_async_stream_helper),
)

_patched: List[Tuple[Any, str, Callable[..., Any]]] = []


def instrument() -> List[str]:
    """Instruments the installed clients; returns what was instrumented (``Completions.create`` …).
    Calling it again is a no-op."""
    done = []
    for module_name, class_name, method, wrap in _TARGETS:
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            continue
        except Exception as error:
            warn(f"Cannot import {module_name}", error)
            continue
        cls = getattr(module, class_name, None)
        original = cls.__dict__.get(method) if cls is not None else None
        if original is None or hasattr(original, "__argus_original__"):
            continue
        try:
            setattr(cls, method, wrap(original))
            _patched.append((cls, method, original))
            done.append(f"{module_name}.{class_name}.{method}")
        except Exception as error:
            warn(f"Cannot instrument {module_name}.{class_name}.{method}", error)
    if done:
        debug(f"instrumented {', '.join(done)}")
    return done


def uninstrument() -> None:
    """Restores every method :func:`instrument` replaced."""
    while _patched:
        cls, method, original = _patched.pop()
        try:
            setattr(cls, method, original)
        except Exception as error:
            warn(f"Cannot restore {cls.__name__}.{method}", error)
