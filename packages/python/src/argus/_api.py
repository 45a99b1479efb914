"""The SDK's small client of the Argus REST API (``{endpoint}/api/v1/...``), used by the dataset
helpers and ``run_experiment()``: the endpoint and headers of the SDK configuration, JSON in and
out, and one error type whose message names the call and the server's answer."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from typing import Any, Dict, List, Optional

from ._config import get_config

#: Default time limit of one API call, in seconds.
API_TIMEOUT_S = 30.0
#: Most rows :func:`api_list` reads (it stops after the page that reaches it).
_MAX_LIST_ROWS = 1_000_000


class ArgusApiError(Exception):
    """A failed API call: ``status`` (0 when Argus could not be reached) and the server's ``code``."""

    def __init__(self, message: str, status: int, code: Optional[str] = None, detail: Optional[str] = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        #: What went wrong without the call: ``the server answered 409 CONFLICT: ...``.
        self.detail = detail if detail is not None else message


def _call(method: str, path: str, body: Any = None) -> Dict[str, Any]:
    config = get_config()
    what = f"Cannot {method} {path.split('?')[0]}"
    headers = dict(config.headers)
    data = None
    if body is not None:
        headers["content-type"] = "application/json"
        data = json.dumps(body).encode("utf-8")
    request = urllib.request.Request(f"{config.endpoint}{path}", data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=max(config.export_timeout_s, API_TIMEOUT_S)) as response:
            status, text = response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        status, text = error.code, error.read().decode("utf-8", "replace")
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        detail = f"cannot reach Argus at {config.endpoint} ({reason})"
        raise ArgusApiError(f"{what}: {detail}", 0, None, detail) from None
    try:
        reply = json.loads(text) if text else {}
    except ValueError:
        reply = None
    if not 200 <= status < 300:
        err = reply.get("error", {}) if isinstance(reply, dict) else {}
        code = err.get("code") if isinstance(err.get("code"), str) else None
        message = err.get("message") if isinstance(err.get("message"), str) else "no message"
        detail = f"the server answered {status}{' ' + code if code else ''}: {message}"
        raise ArgusApiError(f"{what}: {detail}", status, code, detail)
    if not isinstance(reply, dict):
        raise ArgusApiError(f"{what}: the answer of {config.endpoint} is not JSON; is it an Argus server?", status)
    return reply


def api_request(method: str, path: str, body: Any = None) -> Any:
    """Calls the API and answers the ``data`` of its JSON answer. Raises :class:`ArgusApiError`."""
    return _call(method, path, body).get("data")


def api_list(path: str) -> List[Any]:
    """Every page of a cursor-paged list (``{data, nextCursor}``), up to about 1,000,000 rows."""
    rows: List[Any] = []
    sep = "&" if "?" in path else "?"
    cursor: Optional[str] = None
    while True:
        url = path if cursor is None else f"{path}{sep}cursor={urllib.parse.quote(cursor, safe='')}"
        reply = _call("GET", url)
        data = reply.get("data")
        if not isinstance(data, list):
            raise ArgusApiError(f"Cannot GET {path.split('?')[0]}: the answer has no list", 200)
        rows.extend(data)
        cursor = reply.get("nextCursor") if isinstance(reply.get("nextCursor"), str) else None
        if cursor is None or len(rows) >= _MAX_LIST_ROWS:
            return rows


def quote(value: str) -> str:
    """A path segment."""
    return urllib.parse.quote(value, safe="")
