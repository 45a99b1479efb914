"""The console's e2e fixture (packages/ui/e2e/fixtures/argus-explain-span.json) has the shape the
package sends today: the same events in the same order, the same attribute keys and value types.
When this fails, regenerate the fixture with tests/make_ui_fixture.py."""

from __future__ import annotations

import json
from typing import Any, List, Tuple

from conftest import REPO
from make_ui_fixture import fixture_span

FIXTURE = REPO / "packages/ui/e2e/fixtures/argus-explain-span.json"


def shape(value: Any) -> Any:
    """The OTLP value's type, and its elements' types for arrays."""
    (kind, inner), = value.items()
    if kind == "arrayValue":
        return (kind, sorted({k for v in inner.get("values", []) for k in v}))
    return kind


def shapes(span: dict) -> Tuple[List[Any], List[Any]]:
    attributes = [(a["key"], shape(a["value"])) for a in span["attributes"]]
    events = [(e["name"], [(a["key"], shape(a["value"])) for a in e["attributes"]]) for e in span["events"]]
    return attributes, events


def test_the_console_fixture_is_what_the_package_sends() -> None:
    committed = json.loads(FIXTURE.read_text())
    assert shapes(fixture_span()) == shapes(committed)
    assert committed["name"] == "text_completion tiny-gpt2" and committed["kind"] == 3
