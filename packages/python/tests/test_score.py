"""argus.score(): feedback stored by the real score API and returned with the trace."""

from __future__ import annotations

import asyncio

import argus
from conftest import Traces, get_json


def test_scores_for_the_active_trace_and_a_span_come_back_with_the_trace(sdk: argus.Handle, traces: Traces) -> None:
    with argus.chain("scored") as root:
        implicit = argus.score("helpfulness", 0.8, comment="good", metadata={"grader": "human", "pass": True})
    explicit = argus.score("label", "correct", trace_id=root.trace_id, span_id=root.span_id, source="user")
    asynced = asyncio.run(argus.ascore("thumbs", 1, trace_id=root.trace_id.upper(), source="user"))
    assert implicit.ok and explicit.ok and asynced.ok, (implicit, explicit, asynced)
    traces.spans(root.trace_id, 1)
    scores = {s["name"]: s for s in traces.trace(root.trace_id)["scores"]}
    assert scores["helpfulness"]["value"] == 0.8 and scores["helpfulness"]["source"] == "sdk"
    assert scores["helpfulness"]["comment"] == "good"
    assert scores["helpfulness"]["metadata"] == {"grader": "human", "pass": "true"}
    assert scores["label"]["stringValue"] == "correct" and scores["label"]["spanId"] == root.span_id
    assert scores["thumbs"]["value"] == 1 and scores["thumbs"]["scoreId"] == asynced.score_id


def test_bad_input_gives_a_clear_error_and_sends_nothing(sdk: argus.Handle, traces: Traces) -> None:
    cases = [
        (dict(name="x", value=1, trace_id="nothex"), "trace_id 'nothex' is not 32 hexadecimal characters"),
        (dict(name="x", value=1, trace_id="a" * 32, span_id="b"), "span_id 'b' is not 16 hexadecimal characters"),
        (dict(name="", value=1, trace_id="a" * 32), "name must have 1 to 200 characters"),
        (dict(name="x", value=float("nan"), trace_id="a" * 32), "value must be a finite number or a string"),
        (
            dict(name="x", value=1, trace_id="a" * 32, source="robot"),
            "source 'robot' is not one of api, sdk, user, eval",
        ),
        (dict(name="x", value=1), "no trace_id given and no active span"),
    ]
    for kwargs, message in cases:
        result = argus.score(**kwargs)  # type: ignore[arg-type]
        assert not result.ok and result.error == message


def test_server_refusals_and_an_unreachable_server_are_results_not_exceptions(argus_url: str, traces: Traces) -> None:
    too_long = argus.score("x", "v" * 1001, trace_id="a" * 32)
    assert not too_long.ok and too_long.error.startswith("the server answered 400: Invalid score field 'value'")
    argus.shutdown()
    try:
        argus.init(endpoint="http://127.0.0.1:9", service_name="argus-sdk-pytest", export_timeout_s=2)
        down = argus.score("x", 1, trace_id="a" * 32)
        assert not down.ok and "URLError" in (down.error or "")
    finally:
        argus.shutdown()
        argus.init(endpoint=argus_url, service_name="argus-sdk-pytest", environment="test")
    assert get_json(f"{argus_url}/health")["status"] == "ok"
