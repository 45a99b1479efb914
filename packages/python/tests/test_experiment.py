"""run_experiment() and the dataset helpers against a real Argus and the mock LLM: the task (an
OpenAI call through the instrumented client) runs on every item in a root span linked to the item;
the server's exact_match evaluator and evaluator functions score it; the summary is the server's.
A task that raises is recorded on its item; an evaluator function that raises leaves its score out;
neither reaches the application. Async tasks run through arun_experiment. Setup mistakes raise."""

from __future__ import annotations

import json
import urllib.request
from typing import Any, Dict, List

import openai
import pytest

import argus

QUESTIONS = [f"What is {n}+1?" for n in range(1, 13)]


@pytest.fixture(scope="module")
def exact(argus_url: str, sdk: argus.Handle) -> str:
    request = urllib.request.Request(
        f"{argus_url}/api/v1/evaluators",
        data=json.dumps({"name": "py-exact", "type": "exact_match"}).encode(),
        headers={"content-type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())["data"]["id"]


@pytest.fixture(scope="module")
def arithmetic(sdk: argus.Handle) -> str:
    argus.create_dataset("py-arithmetic", description="sums")
    added = argus.add_items(
        "py-arithmetic",
        [{"id": f"q{i + 1}", "input": q, "expected_output": str(i + 2)} for i, q in enumerate(QUESTIONS)]
        + [{"id": "boom", "input": "explode", "expected_output": "0"}],
    )
    assert added["created"] == 13
    return "py-arithmetic"


def test_dataset_helpers_find_by_name_and_read_items(sdk: argus.Handle) -> None:
    created = argus.create_dataset("py-helpers", metadata={"owner": "qa"})
    argus.add_items("py-helpers", [{"id": "a", "input": {"q": "1+1"}, "expected": "2", "metadata": {"level": 1}}])
    assert argus.get_dataset("py-helpers")["id"] == created["id"]
    items = argus.get_items(created["id"])
    assert [(i["id"], i["input"], i["expectedOutput"], i["metadata"]) for i in items] == [
        ("a", {"q": "1+1"}, "2", {"level": 1})
    ]
    with pytest.raises(argus.ArgusApiError) as raised:
        argus.get_dataset("no-such-dataset")
    assert raised.value.status == 404 and raised.value.code == "NOT_FOUND"
    assert "'no-such-dataset'" in str(raised.value)
    with pytest.raises(TypeError, match="unknown key 'expectd'"):
        argus.add_items("py-helpers", [{"input": "x", "expectd": "y"}])


def test_run_experiment_traces_posts_and_answers_the_server_summary(
    mock_url: str, exact: str, arithmetic: str, traces: Any
) -> None:
    client = openai.OpenAI(api_key="test", base_url=f"{mock_url}/v1", max_retries=0)

    def task(item: Dict[str, Any]) -> str:
        if item["input"] == "explode":
            raise RuntimeError("the app failed on purpose")
        reply = client.chat.completions.create(
            model="mock-math-wrong-40", messages=[{"role": "user", "content": item["input"]}]
        )
        return reply.choices[0].message.content or ""

    def is_number(ctx: argus.EvaluatorContext) -> bool:
        return str(ctx.output).lstrip("-").isdigit()

    def broken(ctx: argus.EvaluatorContext) -> float:
        raise ValueError("evaluator bug")

    progress: List[int] = []
    run = argus.run_experiment(
        arithmetic,
        task,
        ["py-exact", is_number, ("length", lambda ctx: {"score": len(str(ctx.output)), "label": "chars"}), broken],
        name="py run",
        concurrency=3,
        metadata={"commit": "abc123"},
        on_progress=lambda p: progress.append(p["done"]),
    )
    assert run.status == "completed"
    assert run.progress == {"done": 13, "total": 13}
    assert sorted(progress) == list(range(1, 14))
    # The server's exact_match agrees with comparing each answer with its expected output here.
    right = sum(1 for r in run.items if r.error is None and r.output == str(int(r.item_id[1:]) + 1))
    scores = run.summary["scores"]
    assert scores["py-exact"]["n"] == 12
    assert scores["py-exact"]["mean"] == pytest.approx(right / 12)
    assert 0 < right < 12  # the mock is wrong on some: the comparison is not trivially 0 or 1
    assert scores["is_number"] == {**scores["is_number"], "mean": 1, "n": 12}
    assert scores["length"]["n"] == 12
    assert "broken" not in scores
    assert run.summary["errors"] == 1
    assert any("Evaluator 'broken' raised" in w and "evaluator bug" in w for w in run.warnings)

    failed = next(r for r in run.items if r.item_id == "boom")
    assert failed.error is not None and "the app failed on purpose" in failed.error and failed.scores == {}
    first = next(r for r in run.items if r.item_id == "q1")
    assert first.trace_id is not None and len(first.trace_id) == 32
    assert len({r.trace_id for r in run.items}) == 13

    # Each item is its own trace: a root chain span linked to the item, the model call under it.
    spans = traces.spans(first.trace_id, 2)
    root = next(s for s in spans if s["parentSpanId"] == "")
    assert root["name"] == "experiment item" and root["kind"] == "chain"
    assert root["metadata"]["experimentId"] == run.id and root["metadata"]["datasetItemId"] == "q1"
    assert next(s for s in spans if s["kind"] == "llm")["parentSpanId"] == root["spanId"]


def test_arun_experiment_awaits_async_tasks_and_evaluators(mock_url: str, exact: str, arithmetic: str) -> None:
    import asyncio

    client = openai.AsyncOpenAI(api_key="test", base_url=f"{mock_url}/v1", max_retries=0)

    async def task(item: Dict[str, Any]) -> str:
        if item["input"] == "explode":
            return "0"
        reply = await client.chat.completions.create(
            model="mock-math-right", messages=[{"role": "user", "content": item["input"]}]
        )
        return reply.choices[0].message.content or ""

    async def short(ctx: argus.EvaluatorContext) -> float:
        return 1.0 if len(str(ctx.output)) <= 2 else 0.0

    run = asyncio.run(argus.arun_experiment(arithmetic, task, [exact, short], name="py async", concurrency=4))
    assert run.status == "completed"
    assert run.summary["scores"]["py-exact"] == {**run.summary["scores"]["py-exact"], "mean": 1, "n": 13}
    assert run.summary["scores"]["short"]["mean"] == 1
    # run_experiment takes an async task too, outside an event loop.
    again = argus.run_experiment(arithmetic, task, [exact], name="py async via sync", concurrency=2)
    assert again.summary["scores"]["py-exact"]["mean"] == 1


def test_repetitions_run_each_item_several_times(argus_url: str, exact: str, sdk: argus.Handle) -> None:
    argus.create_dataset("py-repeated")
    argus.add_items("py-repeated", [{"id": "a", "input": "1", "expected_output": "1"}, {"id": "b", "input": "2"}])
    run = argus.run_experiment("py-repeated", lambda item: item["input"], ["py-exact"], repetitions=3, concurrency=2)
    assert run.progress == {"done": 6, "total": 6}
    assert [(r.item_id, r.repetition) for r in run.items] == [
        ("a", 0),
        ("a", 1),
        ("a", 2),
        ("b", 0),
        ("b", 1),
        ("b", 2),
    ]
    assert len({r.trace_id for r in run.items}) == 6
    with urllib.request.urlopen(f"{argus_url}/api/v1/experiments/{run.id}/items", timeout=10) as r:
        stored = json.loads(r.read())["data"]
    assert [(i["itemId"], i["repetition"]) for i in stored] == [(r.item_id, r.repetition) for r in run.items]
    # Item a answers its expected output every time; b has none, so exact_match cannot score it.
    assert run.summary["scores"]["py-exact"] == {**run.summary["scores"]["py-exact"], "mean": 1, "n": 3}
    with pytest.raises(TypeError, match="'repetitions' must be an integer from 1 to 20"):
        argus.run_experiment("py-repeated", lambda item: "1", repetitions=0)


def test_at_most_concurrency_items_run_at_once(arithmetic: str) -> None:
    import threading
    import time

    lock = threading.Lock()
    state = {"running": 0, "most": 0}

    def task(item: Dict[str, Any]) -> str:
        with lock:
            state["running"] += 1
            state["most"] = max(state["most"], state["running"])
        time.sleep(0.05)
        with lock:
            state["running"] -= 1
        return "0"

    run = argus.run_experiment(arithmetic, task, name="py bounded", concurrency=3)
    assert run.progress == {"done": 13, "total": 13}
    assert 2 <= state["most"] <= 3  # parallel, never above the bound


def test_refused_results_become_warnings_never_exceptions(argus_url: str, sdk: argus.Handle) -> None:
    argus.create_dataset("py-cancelled")
    argus.add_items("py-cancelled", [{"id": f"c{n}", "input": f"What is {n}+1?"} for n in range(1, 6)])
    cancelled: List[bool] = []

    def task(item: Dict[str, Any]) -> str:
        if not cancelled:  # someone cancels the experiment while it runs (the newest one is this one)
            with urllib.request.urlopen(f"{argus_url}/api/v1/experiments?limit=1", timeout=10) as r:
                newest = json.loads(r.read())["data"][0]["id"]
            request = urllib.request.Request(f"{argus_url}/api/v1/experiments/{newest}/cancel", method="POST")
            urllib.request.urlopen(request, timeout=10).close()
            cancelled.append(True)
        return "2"

    run = argus.run_experiment("py-cancelled", task, name="py cancelled mid-run", concurrency=1)
    assert run.status == "cancelled"
    assert len(run.items) == 5 and all(r.error is None for r in run.items)
    assert len(run.warnings) == 1
    assert run.warnings[0].startswith("Cannot post 5 results of experiment ")
    assert "the server answered 409 CONFLICT" in run.warnings[0] and "cancelled" in run.warnings[0]


def test_setup_mistakes_raise_before_anything_is_created(argus_url: str, arithmetic: str) -> None:
    def count() -> int:
        with urllib.request.urlopen(f"{argus_url}/api/v1/experiments", timeout=10) as r:
            return len(json.loads(r.read())["data"])

    before = count()
    with pytest.raises(argus.ArgusApiError, match="Cannot find evaluator 'nope'"):
        argus.run_experiment(arithmetic, lambda item: "1", ["nope"])
    with pytest.raises(argus.ArgusApiError, match="Cannot find dataset 'missing'"):
        argus.run_experiment("missing", lambda item: "1")
    with pytest.raises(TypeError, match="concurrency"):
        argus.run_experiment(arithmetic, lambda item: "1", concurrency=0)
    with pytest.raises(TypeError, match="needs a name"):
        argus.run_experiment(arithmetic, lambda item: "1", [lambda ctx: 1])
    assert count() == before
