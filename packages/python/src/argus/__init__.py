"""Argus SDK for Python: OpenTelemetry traces of LLM applications sent to Argus.

    import argus
    argus.init(service_name="support-bot")          # Argus at http://127.0.0.1:4318 by default

    @argus.observe(kind="tool")
    def get_weather(city: str) -> str: ...

    with argus.session("chat-42"), argus.user("u-7"):
        answer(question)                              # openai / anthropic calls are traced

It never breaks the application: instrumentation failures go to the ``argus`` logger, and errors of
the application (and of the providers) are recorded and re-raised unchanged. Datasets and
experiments: ``argus.create_dataset``, ``argus.add_items``, ``argus.run_experiment(dataset, task,
evaluators)``. See docs/sdk-python.md.
"""

from __future__ import annotations

from ._api import ArgusApiError
from ._config import SDK_VERSION as __version__
from ._context import context, get_context, metadata, session, tags, user
from ._datasets import add_items, create_dataset, get_dataset, get_items
from ._experiment import EvaluatorContext, ExperimentRun, ItemRun, arun_experiment, run_experiment
from ._observe import ObservedSpan, agent, chain, observe, retriever, span, tool
from ._propagation import (
    ArgusASGIMiddleware,
    ArgusWSGIMiddleware,
    extract_context,
    inject_headers,
    instrument_flask,
    set_route,
)
from ._score import ScoreResult, ascore, current_span_id, current_trace_id, score
from ._setup import Handle, flush, init, shutdown
from .instrument import instrument, uninstrument

__all__ = [
    "ArgusASGIMiddleware",
    "ArgusApiError",
    "ArgusWSGIMiddleware",
    "EvaluatorContext",
    "ExperimentRun",
    "Handle",
    "ItemRun",
    "ObservedSpan",
    "ScoreResult",
    "__version__",
    "add_items",
    "agent",
    "arun_experiment",
    "ascore",
    "chain",
    "context",
    "create_dataset",
    "current_span_id",
    "current_trace_id",
    "extract_context",
    "flush",
    "get_context",
    "get_dataset",
    "get_items",
    "init",
    "inject_headers",
    "instrument",
    "instrument_flask",
    "metadata",
    "observe",
    "retriever",
    "run_experiment",
    "score",
    "session",
    "set_route",
    "shutdown",
    "span",
    "tags",
    "tool",
    "uninstrument",
    "user",
]
