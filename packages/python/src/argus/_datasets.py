"""Dataset helpers: create a dataset, add items, find one by id or name, read its items. They call
the Argus API (docs/api.md) and raise :class:`ArgusApiError` saying what the server answered; they
are explicit calls, not instrumentation."""

from __future__ import annotations

import urllib.parse
from collections.abc import Iterable, Mapping
from typing import Any, Dict, List, Optional

from ._api import ArgusApiError, api_list, api_request, quote

#: Most items one API call carries (the server's limit).
ITEMS_PER_CALL = 10_000

_ITEM_KEYS = {
    "id": "id",
    "input": "input",
    "expected_output": "expectedOutput",
    "expectedOutput": "expectedOutput",
    "expected": "expectedOutput",
    "metadata": "metadata",
    "source_trace_id": "sourceTraceId",
    "sourceTraceId": "sourceTraceId",
    "source_span_id": "sourceSpanId",
    "sourceSpanId": "sourceSpanId",
}


def create_dataset(
    name: str, *, description: Optional[str] = None, metadata: Optional[Mapping[str, Any]] = None
) -> Dict[str, Any]:
    """Creates a dataset; answers it as the API does (``id``, ``name``, ``itemCount``, ``versionAt`` ...).

    Example: ``ds = argus.create_dataset("arithmetic", description="sums")``
    """
    body: Dict[str, Any] = {"name": name}
    if description is not None:
        body["description"] = description
    if metadata is not None:
        body["metadata"] = dict(metadata)
    return api_request("POST", "/api/v1/datasets", body)


def get_dataset(id_or_name: str) -> Dict[str, Any]:
    """The dataset with this id, else this name. Raises :class:`ArgusApiError` (404 ``NOT_FOUND``)."""
    if not isinstance(id_or_name, str) or id_or_name == "":
        raise ArgusApiError(f"Cannot find dataset '{id_or_name}': expected an id or a name", 0, "INVALID_PARAMETER")
    try:
        return api_request("GET", f"/api/v1/datasets/{quote(id_or_name)}")
    except ArgusApiError as error:
        if error.status != 404:
            raise
    for dataset in api_list("/api/v1/datasets"):
        if dataset.get("name") == id_or_name:
            return dataset
    raise ArgusApiError(f"Cannot find dataset '{id_or_name}': no dataset has this id or name", 404, "NOT_FOUND")


def _item(item: Mapping[str, Any], index: int) -> Dict[str, Any]:
    if not isinstance(item, Mapping):
        raise TypeError(f"add_items: item {index} is not a mapping with an 'input'")
    out: Dict[str, Any] = {}
    for key, value in item.items():
        if key not in _ITEM_KEYS:
            raise TypeError(
                f"add_items: item {index} has an unknown key '{key}' (expected {', '.join(sorted(set(_ITEM_KEYS)))})"
            )
        out[_ITEM_KEYS[key]] = value
    return out


def add_items(dataset: str, items: Iterable[Mapping[str, Any]]) -> Dict[str, Any]:
    """Adds (or replaces, by ``id``) items of a dataset given by id or name, 10,000 per call.
    Keys: ``input``, ``expected_output``, ``id``, ``metadata``, ``source_trace_id``, ``source_span_id``.
    Answers ``{created, updated, unchanged, version}`` summed over the calls.

    Example: ``argus.add_items("arithmetic", [{"input": "What is 2+2?", "expected_output": "4"}])``
    """
    rows = [_item(item, i) for i, item in enumerate(items)]
    dataset_id = get_dataset(dataset)["id"]
    total: Dict[str, Any] = {"created": 0, "updated": 0, "unchanged": 0, "version": ""}
    for start in range(0, len(rows), ITEMS_PER_CALL):
        done = api_request(
            "POST", f"/api/v1/datasets/{quote(dataset_id)}/items", {"items": rows[start : start + ITEMS_PER_CALL]}
        )
        for key in ("created", "updated", "unchanged"):
            total[key] += int(done.get(key, 0))
        total["version"] = done.get("version", "")
    return total


def get_items(dataset: str, *, version: Optional[str] = None) -> List[Dict[str, Any]]:
    """Every item of a dataset (by id or name) as of ``version`` (an ISO time; default the latest)."""
    dataset_id = get_dataset(dataset)["id"]
    query = "?limit=1000" + (f"&version={urllib.parse.quote(version, safe='')}" if version else "")
    return api_list(f"/api/v1/datasets/{quote(dataset_id)}/items{query}")
