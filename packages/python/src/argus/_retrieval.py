"""Retrieval documents: a retriever's result recognised as documents (dicts with ``content`` /
``page_content`` / ``text``, LangChain ``Document`` objects, LlamaIndex ``NodeWithScore``) and
recorded as ``gen_ai.retrieval.documents`` JSON, which Argus shows as ``retrievalDocuments``."""

from __future__ import annotations

import json
from typing import Any, Dict, List, Optional

from ._config import get_config
from ._serialize import redact_cut, to_plain

_MAX_DOCUMENTS = 100
_CONTENT_KEYS = ("content", "page_content", "pageContent", "text")


def _field(item: Any, key: str) -> Any:
    return item.get(key) if isinstance(item, dict) else getattr(item, key, None)


def _document(item: Any) -> Optional[Dict[str, Any]]:
    node = _field(item, "node")
    score = _field(item, "score")
    raw = node if node is not None and not isinstance(item, str) else item
    if raw is None or isinstance(raw, (str, bytes, int, float, list)):
        return None
    content = next((c for c in (_field(raw, k) for k in _CONTENT_KEYS) if isinstance(c, str)), None)
    if content is None:
        return None
    doc: Dict[str, Any] = {"content": content}
    doc_id = _field(raw, "id") or _field(raw, "id_") or _field(raw, "node_id")
    if isinstance(doc_id, (str, int)) and not isinstance(doc_id, bool):
        doc["id"] = str(doc_id)
    if score is None:
        score = _field(raw, "score")
    if isinstance(score, (int, float)) and not isinstance(score, bool):
        doc["score"] = float(score)
    meta = _field(raw, "metadata")
    if isinstance(meta, dict):
        doc["metadata"] = meta
    return doc


def documents_of(value: Any) -> Optional[List[Dict[str, Any]]]:
    """The documents in a retriever's result, or None when it is not a non-empty list of documents."""
    if not isinstance(value, (list, tuple)) or not value:
        return None
    docs = []
    for item in value[:_MAX_DOCUMENTS]:
        doc = _document(item)
        if doc is None:
            return None
        docs.append(doc)
    return docs


def documents_attribute(docs: List[Dict[str, Any]], with_content: bool) -> str:
    """The ``gen_ai.retrieval.documents`` value; each document gets a share of the content budget."""
    share = max(200, get_config().max_content_chars // max(1, len(docs)))
    shown = []
    for doc in docs:
        out: Dict[str, Any] = {}
        if "id" in doc:
            out["id"] = doc["id"]
        if with_content:
            out["content"] = redact_cut(doc["content"], share)
        if "score" in doc:
            out["score"] = doc["score"]
        if "metadata" in doc:
            out["metadata"] = to_plain(doc["metadata"], min(share, 4000))
        shown.append(out)
    return json.dumps(shown, ensure_ascii=False, default=str)
