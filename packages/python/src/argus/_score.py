"""``score()``: feedback or an evaluation for a trace (or one span) sent to the Argus score API,
``POST {endpoint}/api/v1/scores``. Never raises: the result says whether it was stored."""

from __future__ import annotations

import asyncio
import json
import math
import re
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Optional, Union

from opentelemetry import trace

from ._config import get_config
from ._diagnostics import describe_error, warn

_TRACE_ID = re.compile(r"^[0-9a-fA-F]{32}$")
_SPAN_ID = re.compile(r"^[0-9a-fA-F]{16}$")
SOURCES = ("api", "sdk", "user", "eval")


@dataclass(frozen=True)
class ScoreResult:
    """``ok`` once Argus stored the score (``score_id``), else ``error`` says why."""

    ok: bool
    score_id: Optional[str] = None
    error: Optional[str] = None


def current_trace_id() -> Optional[str]:
    """The trace id (32 hex) of the active span, or None outside any span."""
    ctx = trace.get_current_span().get_span_context()
    return format(ctx.trace_id, "032x") if ctx.is_valid else None


def current_span_id() -> Optional[str]:
    """The span id (16 hex) of the active span, or None outside any span."""
    ctx = trace.get_current_span().get_span_context()
    return format(ctx.span_id, "016x") if ctx.is_valid else None


def _check(trace_id: Any, span_id: Any, name: Any, value: Any, source: Any) -> Optional[str]:
    if not isinstance(trace_id, str) or not _TRACE_ID.match(trace_id):
        return f"trace_id '{trace_id}' is not 32 hexadecimal characters"
    if span_id is not None and (not isinstance(span_id, str) or not _SPAN_ID.match(span_id)):
        return f"span_id '{span_id}' is not 16 hexadecimal characters"
    if not isinstance(name, str) or not 1 <= len(name) <= 200:
        return "name must have 1 to 200 characters"
    is_number = isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
    if not (isinstance(value, str) or is_number):
        return "value must be a finite number or a string"
    if source not in SOURCES:
        return f"source '{source}' is not one of {', '.join(SOURCES)}"
    return None


def _fail(error: str) -> ScoreResult:
    warn(f"Cannot send score: {error}")
    return ScoreResult(ok=False, error=error)


def score(
    name: str,
    value: Union[float, int, str],
    *,
    trace_id: Optional[str] = None,
    span_id: Optional[str] = None,
    comment: Optional[str] = None,
    source: str = "sdk",
    metadata: Optional[Mapping[str, Union[str, int, float, bool]]] = None,
) -> ScoreResult:
    """Records a score for a trace (default: the active span's trace); blocks until Argus answers
    (at most ``export_timeout_s``). Never raises.

    Example: ``argus.score("thumbs", 1, trace_id=tid, source="user", comment="Spot on")``
    """
    try:
        if trace_id is None:
            trace_id = current_trace_id()
            if trace_id is None:
                return _fail("no trace_id given and no active span")
        invalid = _check(trace_id, span_id, name, value, source)
        if invalid is not None:
            return _fail(invalid)
        body: dict = {"traceId": trace_id.lower(), "name": name, "value": value, "source": source}
        if span_id is not None:
            body["spanId"] = span_id.lower()
        if comment is not None:
            body["comment"] = comment
        if metadata is not None:
            body["metadata"] = dict(metadata)
        config = get_config()
        request = urllib.request.Request(
            f"{config.endpoint}/api/v1/scores",
            data=json.dumps(body).encode("utf-8"),
            headers={**config.headers, "content-type": "application/json"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=config.export_timeout_s) as response:
                status, text = response.status, response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as error:
            status, text = error.code, error.read().decode("utf-8", "replace")
        try:
            reply = json.loads(text)
        except ValueError:
            reply = {}  # not JSON (a proxy's error page): the status says enough
        if not 200 <= status < 300:
            message = reply.get("error", {}).get("message") if isinstance(reply, dict) else None
            return _fail(f"the server answered {status}" + (f": {message}" if isinstance(message, str) else ""))
        score_id = reply.get("data", {}).get("scoreId") if isinstance(reply, dict) else None
        if not isinstance(score_id, str):
            return _fail(f"the answer of {config.endpoint} has no scoreId; is it an Argus server?")
        return ScoreResult(ok=True, score_id=score_id)
    except Exception as error:
        return _fail(describe_error(error))


async def ascore(name: str, value: Union[float, int, str], **options: Any) -> ScoreResult:
    """:func:`score` for ``async`` code: runs in a worker thread. The active span's trace is read here."""
    if options.get("trace_id") is None:
        options["trace_id"] = current_trace_id()
        if options["trace_id"] is None:
            return _fail("no trace_id given and no active span")
    return await asyncio.get_running_loop().run_in_executor(None, lambda: score(name, value, **options))
