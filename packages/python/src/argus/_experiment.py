"""``run_experiment()``: runs the application's own code (``task``) over every item of a dataset as
an external Argus experiment, mirroring the TS SDK's ``runExperiment``. Each item runs in a root
span of its own (kind chain, linked to the item and the experiment through metadata), its output
is posted as the item's result with the trace id and latency, server evaluators score it, and
evaluator functions given here are posted as scores too. A task's exception is recorded on its
item; failures of tracing or posting go to the ``argus`` logger and the answer's ``warnings``,
never into the application.

Sync tasks run in a thread pool of ``concurrency`` threads; ``async def`` tasks run on an event
loop (``await argus.arun_experiment(...)`` inside one, or ``run_experiment`` outside any)."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Callable, Dict, List, Optional, Tuple

from ._api import ArgusApiError, api_list, api_request, quote
from ._datasets import get_dataset, get_items
from ._experiment_run import (
    Evaluator,
    EvaluatorContext,
    EvaluatorFunction,
    ItemRun,
    _named,
    _Run,
    _run_async_item,
    _run_sync_item,
)
from ._setup import flush

__all__ = ["EvaluatorContext", "ExperimentRun", "ItemRun", "arun_experiment", "run_experiment"]

#: The server's bound of an experiment's concurrency (scoring of posted results).
SERVER_MAX_CONCURRENCY = 32


@dataclass
class ExperimentRun:
    """What :func:`run_experiment` answers: the server's view of the experiment and the item runs."""

    id: str
    name: str
    dataset_id: str
    dataset_version: str
    #: ``completed`` once every result was stored; ``running`` when some could not be posted.
    status: str
    progress: Dict[str, int]
    #: ``{"scores": {name: {"mean", "ci95", "n"}}, "latencyMs", "tokens", "costUsd", "errors"}``.
    summary: Dict[str, Any]
    items: List[ItemRun]
    #: Tracing, posting or evaluator-function failures (also sent to the ``argus`` logger).
    warnings: List[str]


def _check(task: Any, dataset: Any, concurrency: Any, repetitions: Any) -> None:
    if not callable(task):
        raise TypeError("run_experiment: 'task' must be a function of an item")
    if not isinstance(dataset, str) or not dataset:
        raise TypeError("run_experiment: 'dataset' must be a dataset id or name")
    if isinstance(concurrency, bool) or not isinstance(concurrency, int) or not 1 <= concurrency <= 1000:
        raise TypeError(f"run_experiment: 'concurrency' must be an integer from 1 to 1000, not {concurrency!r}")
    if isinstance(repetitions, bool) or not isinstance(repetitions, int) or not 1 <= repetitions <= 20:
        raise TypeError(f"run_experiment: 'repetitions' must be an integer from 1 to 20, not {repetitions!r}")


def _prepare(
    dataset: str,
    evaluators: Sequence[Evaluator],
    name: Optional[str],
    concurrency: int,
    repetitions: int,
    metadata: Optional[Mapping[str, Any]],
    dataset_version: Optional[str],
) -> Tuple[Dict[str, Any], Dict[str, Any], List[Tuple[str, EvaluatorFunction]], List[Dict[str, Any]]]:
    """Finds the dataset and server evaluators, creates the experiment, reads its items."""
    names = [e for e in evaluators if isinstance(e, str)]
    functions: List[Tuple[str, EvaluatorFunction]] = []
    for e in evaluators:
        if isinstance(e, str):
            continue
        named = _named(e)
        if named is None:
            raise TypeError(
                f"run_experiment: evaluator {e!r} needs a name: pass a named function or ('name', function)"
            )
        functions.append(named)
    found = get_dataset(dataset)
    ids: List[str] = []
    if names:
        known = api_list("/api/v1/evaluators")
        for wanted in names:
            match = next((e for e in known if e.get("id") == wanted), None) or next(
                (e for e in known if e.get("name") == wanted), None
            )
            if match is None:
                raise ArgusApiError(
                    f"Cannot find evaluator '{wanted}': no evaluator has this id or name", 404, "NOT_FOUND"
                )
            ids.append(match["id"])
    body: Dict[str, Any] = {
        "name": name or f"{found['name']} {datetime.now(timezone.utc).isoformat(timespec='seconds')}",
        "datasetId": found["id"],
        "target": {"type": "external"},
        "evaluators": ids,
        "repetitions": repetitions,
        "concurrency": min(concurrency, SERVER_MAX_CONCURRENCY),
        "metadata": {**dict(metadata or {}), "runner": "argus-sdk (python)"},
    }
    if dataset_version is not None:
        body["datasetVersion"] = dataset_version
    experiment = api_request("POST", "/api/v1/experiments", body)
    items = get_items(found["id"], version=experiment["datasetVersion"])
    return found, experiment, functions, items


def _finish(run: _Run, items: List[Dict[str, Any]]) -> ExperimentRun:
    with run.lock:
        batch, run.pending = run.pending, []
    run.post(batch)
    flush()
    final = run.experiment
    try:
        final = api_request("GET", f"/api/v1/experiments/{quote(run.experiment['id'])}")
    except Exception as error:  # noqa: BLE001
        run.note(f"Cannot read the summary of experiment '{run.experiment['id']}'", error)
    order = {item["id"]: i for i, item in enumerate(items)}
    runs = sorted(run.runs, key=lambda r: (order.get(r.item_id, 0), r.repetition))
    return ExperimentRun(
        id=final["id"],
        name=final["name"],
        dataset_id=final["datasetId"],
        dataset_version=final["datasetVersion"],
        status=final["status"],
        progress=dict(final.get("progress") or {}),
        summary=dict(final.get("summary") or {}),
        items=runs,
        warnings=list(run.warnings),
    )


def run_experiment(
    dataset: str,
    task: Callable[[Dict[str, Any]], Any],
    evaluators: Sequence[Evaluator] = (),
    *,
    name: Optional[str] = None,
    concurrency: int = 4,
    repetitions: int = 1,
    metadata: Optional[Mapping[str, Any]] = None,
    dataset_version: Optional[str] = None,
    on_progress: Optional[Callable[[Dict[str, int]], Any]] = None,
    print_progress: bool = False,
) -> ExperimentRun:
    """Runs ``task(item)`` on every item of a dataset (id or name) as an Argus experiment and answers
    its summary and item runs. ``item`` is the API's item: ``item["input"]``,
    ``item["expectedOutput"]``, ``item["metadata"]``, ``item["id"]``; ``repetitions`` (1-20) runs
    each item that many times. ``evaluators`` are server evaluators (ids or names) and functions of
    an :class:`EvaluatorContext` answering a number, a bool or ``{"score", "label"?,
    "explanation"?}``. Call :func:`argus.init` first so each run is a trace. Raises
    (``ArgusApiError``, ``TypeError``) only when the experiment cannot start; an ``async def`` task
    inside a running event loop needs :func:`arun_experiment`.

    Example::

        run = argus.run_experiment("arithmetic", lambda item: answer(item["input"]),
                                   ["exact", is_number], concurrency=8)
        print(run.summary["scores"])
    """
    _check(task, dataset, concurrency, repetitions)
    if inspect.iscoroutinefunction(task):
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return asyncio.run(
                arun_experiment(
                    dataset,
                    task,
                    evaluators,
                    name=name,
                    concurrency=concurrency,
                    repetitions=repetitions,
                    metadata=metadata,
                    dataset_version=dataset_version,
                    on_progress=on_progress,
                    print_progress=print_progress,
                )
            )
        raise TypeError(
            "run_experiment: an async task inside a running event loop needs 'await argus.arun_experiment(...)'"
        )
    found, experiment, functions, items = _prepare(
        dataset, evaluators, name, concurrency, repetitions, metadata, dataset_version
    )
    runs = [(item, r) for item in items for r in range(repetitions)]
    run = _Run(experiment, found["id"], functions, len(runs), on_progress, print_progress)
    with ThreadPoolExecutor(
        max_workers=min(concurrency, max(1, len(runs))), thread_name_prefix="argus-experiment"
    ) as pool:
        for future in [pool.submit(_run_sync_item, run, task, item, r) for item, r in runs]:
            try:
                future.result()
            except Exception as error:  # noqa: BLE001 - an SDK fault on one item, not the application's
                run.note("An experiment item failed inside the SDK", error)
    return _finish(run, items)


async def arun_experiment(
    dataset: str,
    task: Callable[[Dict[str, Any]], Any],
    evaluators: Sequence[Evaluator] = (),
    *,
    name: Optional[str] = None,
    concurrency: int = 4,
    repetitions: int = 1,
    metadata: Optional[Mapping[str, Any]] = None,
    dataset_version: Optional[str] = None,
    on_progress: Optional[Callable[[Dict[str, int]], Any]] = None,
    print_progress: bool = False,
) -> ExperimentRun:
    """:func:`run_experiment` on the running event loop: ``async def`` tasks (and evaluator
    functions) are awaited, at most ``concurrency`` at once; API calls run in worker threads."""
    _check(task, dataset, concurrency, repetitions)
    loop = asyncio.get_running_loop()
    found, experiment, functions, items = await loop.run_in_executor(
        None, lambda: _prepare(dataset, evaluators, name, concurrency, repetitions, metadata, dataset_version)
    )
    runs = [(item, r) for item in items for r in range(repetitions)]
    run = _Run(experiment, found["id"], functions, len(runs), on_progress, print_progress)
    gate = asyncio.Semaphore(concurrency)

    async def one(item: Dict[str, Any], repetition: int) -> None:
        async with gate:
            try:
                await _run_async_item(run, task, item, repetition)
            except Exception as error:  # noqa: BLE001
                run.note("An experiment item failed inside the SDK", error)

    await asyncio.gather(*(one(item, r) for item, r in runs))
    return await loop.run_in_executor(None, lambda: _finish(run, items))
