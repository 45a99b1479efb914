"""Session, user, metadata and tags in a context variable: every span started inside
``with session(...)`` & co. gets them as the attributes the Argus normalizer maps (``session.id``,
``user.id``, ``tag.tags``, ``metadata`` as JSON), like the TypeScript SDK. Context variables follow
``async`` code and ``contextvars.copy_context()``; a new thread starts without them."""

from __future__ import annotations

import contextvars
import json
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any, Dict, Optional, Tuple

from opentelemetry.context import Context
from opentelemetry.sdk.trace import ReadableSpan, Span, SpanProcessor

from ._diagnostics import safely, warn

SESSION_ATTRIBUTE = "session.id"
USER_ATTRIBUTE = "user.id"
TAGS_ATTRIBUTE = "tag.tags"
METADATA_ATTRIBUTE = "metadata"


class _Values:
    __slots__ = ("session_id", "user_id", "metadata", "tags")

    def __init__(
        self,
        session_id: Optional[str] = None,
        user_id: Optional[str] = None,
        metadata: Optional[Mapping[str, Any]] = None,
        tags: Tuple[str, ...] = (),
    ) -> None:
        self.session_id = session_id
        self.user_id = user_id
        self.metadata = metadata
        self.tags = tags


_EMPTY = _Values()
_current: contextvars.ContextVar[_Values] = contextvars.ContextVar("argus_context", default=_EMPTY)


def _extend(outer: _Values, session_id: Any, user_id: Any, metadata: Any, tags: Any) -> _Values:
    values = _Values(outer.session_id, outer.user_id, outer.metadata, outer.tags)
    if session_id is not None:
        if isinstance(session_id, str):
            values.session_id = session_id
        else:
            warn(f"Ignoring session id {session_id!r}: expected a string")
    if user_id is not None:
        if isinstance(user_id, str):
            values.user_id = user_id
        else:
            warn(f"Ignoring user id {user_id!r}: expected a string")
    if metadata is not None:
        if isinstance(metadata, Mapping):
            values.metadata = {**(outer.metadata or {}), **{str(k): v for k, v in metadata.items()}}
        else:
            warn(f"Ignoring metadata {metadata!r}: expected a mapping")
    if tags is not None:
        new = [tags] if isinstance(tags, str) else [t for t in tags if isinstance(t, str)]
        values.tags = tuple(dict.fromkeys([*outer.tags, *new]))
    return values


@contextmanager
def context(
    *,
    session_id: Optional[str] = None,
    user_id: Optional[str] = None,
    metadata: Optional[Mapping[str, Any]] = None,
    tags: Optional[Sequence[str]] = None,
) -> Iterator[None]:
    """Sets session, user, metadata (merged, inner keys win) and tags (added) for every span
    started inside the block.

    Example: ``with argus.context(session_id="chat-42", user_id="u-7", tags=["beta"]): ...``
    """
    outer = _current.get()
    values = safely("set the Argus context", lambda: _extend(outer, session_id, user_id, metadata, tags), outer)
    token = _current.set(values)
    try:
        yield
    finally:
        _current.reset(token)


def session(session_id: str):  # type: ignore[no-untyped-def]
    """``with argus.session("chat-42"):`` — ``session.id`` on every span started inside."""
    return context(session_id=session_id)


def user(user_id: str):  # type: ignore[no-untyped-def]
    """``with argus.user("u-7"):`` — ``user.id`` on every span started inside."""
    return context(user_id=user_id)


def tags(*values: Any):  # type: ignore[no-untyped-def]
    """``with argus.tags("beta", "web"):`` (or a list) — tags added for every span started inside."""
    flat = []
    for v in values:
        flat.extend([v] if isinstance(v, str) else list(v))
    return context(tags=flat)


def metadata(values: Mapping[str, Any]):  # type: ignore[no-untyped-def]
    """``with argus.metadata({"plan": "pro"}):`` — merged into the metadata of every span inside."""
    return context(metadata=values)


def get_context() -> Dict[str, Any]:
    """The values set here: ``session_id``, ``user_id``, ``metadata``, ``tags`` (when set)."""
    v = _current.get()
    out: Dict[str, Any] = {}
    if v.session_id is not None:
        out["session_id"] = v.session_id
    if v.user_id is not None:
        out["user_id"] = v.user_id
    if v.metadata:
        out["metadata"] = dict(v.metadata)
    if v.tags:
        out["tags"] = list(v.tags)
    return out


def context_attributes() -> Dict[str, Any]:
    """The span attributes of the current context values; empty when none are set."""
    v = _current.get()
    if v is _EMPTY:
        return {}
    attrs: Dict[str, Any] = {}
    if v.session_id is not None:
        attrs[SESSION_ATTRIBUTE] = v.session_id
    if v.user_id is not None:
        attrs[USER_ATTRIBUTE] = v.user_id
    if v.tags:
        attrs[TAGS_ATTRIBUTE] = list(v.tags)
    if v.metadata:
        attrs[METADATA_ATTRIBUTE] = json.dumps(v.metadata, default=str, ensure_ascii=False)
    return attrs


class ContextSpanProcessor(SpanProcessor):
    """Copies the context values onto every span when it starts (attributes set explicitly win)."""

    def on_start(self, span: Span, parent_context: Optional[Context] = None) -> None:
        try:
            attrs = context_attributes()
            if not attrs:
                return
            existing = span.attributes or {}
            for key, value in attrs.items():
                if key not in existing:
                    span.set_attribute(key, value)
        except Exception as error:
            warn("Cannot copy the Argus context onto a span", error)

    def on_end(self, span: ReadableSpan) -> None:
        pass

    def shutdown(self) -> None:
        pass

    def force_flush(self, timeout_millis: int = 30000) -> bool:
        return True
