"""Instrumentation of the ``openai`` and ``anthropic`` packages: their resource classes' ``create``
methods are replaced by traced ones (every client, sync and async, existing or future), reversibly:
:func:`uninstrument` puts the originals back. A package that is not installed is skipped."""

from __future__ import annotations

import importlib
from typing import Any, Callable, List, Tuple

from .._diagnostics import debug, warn
from ._anthropic import MessagesAdapter
from ._call import Adapter, trace_async_method, trace_method
from ._openai import ChatAdapter, EmbeddingsAdapter

# (module, class, adapter, is_async)
_TARGETS: Tuple[Tuple[str, str, Adapter, bool], ...] = (
    ("openai.resources.chat.completions", "Completions", ChatAdapter(), False),
    ("openai.resources.chat.completions", "AsyncCompletions", ChatAdapter(), True),
    ("openai.resources.embeddings", "Embeddings", EmbeddingsAdapter(), False),
    ("openai.resources.embeddings", "AsyncEmbeddings", EmbeddingsAdapter(), True),
    ("anthropic.resources.messages", "Messages", MessagesAdapter(), False),
    ("anthropic.resources.messages", "AsyncMessages", MessagesAdapter(), True),
)

_patched: List[Tuple[Any, Callable[..., Any]]] = []


def instrument() -> List[str]:
    """Instruments the installed clients; returns what was instrumented (``Completions.create`` …).
    Calling it again is a no-op."""
    done = []
    for module_name, class_name, adapter, is_async in _TARGETS:
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            continue
        except Exception as error:
            warn(f"Cannot import {module_name}", error)
            continue
        cls = getattr(module, class_name, None)
        original = getattr(cls, "create", None) if cls is not None else None
        if original is None or hasattr(original, "__argus_original__"):
            continue
        try:
            wrap = trace_async_method if is_async else trace_method
            setattr(cls, "create", wrap(adapter, original))
            _patched.append((cls, original))
            done.append(f"{module_name}.{class_name}.create")
        except Exception as error:
            warn(f"Cannot instrument {module_name}.{class_name}.create", error)
    if done:
        debug(f"instrumented {', '.join(done)}")
    return done


def uninstrument() -> None:
    """Restores every method :func:`instrument` replaced."""
    while _patched:
        cls, original = _patched.pop()
        try:
            setattr(cls, "create", original)
        except Exception as error:
            warn(f"Cannot restore {cls.__name__}.create", error)
