"""The machinery of ``run_experiment()``: what evaluator functions see and answer, the state one
run shares across its workers (results queued and posted in batches, progress, warnings), and
one item's run in a root span, sync or async. Nothing here raises into the application: the
task's exception is the item's error, everything else a warning."""

from __future__ import annotations

import asyncio
import inspect
import json
import math
import sys
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Awaitable, Callable, Dict, List, Optional, Tuple, Union

from opentelemetry import context as otel_context

from ._api import ArgusApiError, api_request, quote
from ._context import metadata as metadata_context
from ._diagnostics import describe_error, warn
from ._observe import span
from ._score import score

#: Results posted per call.
RESULTS_PER_POST = 50

EvaluatorFunction = Callable[["EvaluatorContext"], Any]
#: A server evaluator (id or name), a named function, or ``(name, function)``.
Evaluator = Union[str, EvaluatorFunction, Tuple[str, EvaluatorFunction]]


@dataclass(frozen=True)
class EvaluatorContext:
    """What an evaluator function sees."""

    input: Any
    output: Any
    expected: Any
    metadata: Mapping[str, Any]
    item: Mapping[str, Any]
    #: The item run's trace (32 hex), when tracing is on.
    trace_id: Optional[str]


@dataclass
class ItemRun:
    """What one item's run did."""

    item_id: str
    output: Any
    latency_ms: float
    trace_id: Optional[str] = None
    #: The task's exception as text, when it raised.
    error: Optional[str] = None
    #: Scores of the evaluator functions (server evaluators score on the server).
    scores: Dict[str, float] = field(default_factory=dict)
    #: 0-based; items run ``repetitions`` times.
    repetition: int = 0


def _named(evaluator: Any) -> Optional[Tuple[str, EvaluatorFunction]]:
    if (
        isinstance(evaluator, tuple)
        and len(evaluator) == 2
        and isinstance(evaluator[0], str)
        and callable(evaluator[1])
    ):
        return evaluator[0], evaluator[1]
    name = getattr(evaluator, "__name__", None)
    if callable(evaluator) and isinstance(name, str) and name and name != "<lambda>":
        return name, evaluator
    return None


def _score_of(result: Any) -> Optional[float]:
    if isinstance(result, bool):
        return 1.0 if result else 0.0
    if isinstance(result, (int, float)):
        return float(result) if math.isfinite(result) else None
    if isinstance(result, Mapping):
        value = result.get("score")
        if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
            return float(value)
    return None


def _json_safe(value: Any) -> Any:
    try:
        return json.loads(json.dumps(value, default=str))
    except (TypeError, ValueError):
        return str(value)


class _Run:
    """The state of one experiment run shared by its workers."""

    def __init__(
        self,
        experiment: Dict[str, Any],
        dataset_id: str,
        functions: List[Tuple[str, EvaluatorFunction]],
        total: int,
        on_progress: Optional[Callable[[Dict[str, int]], Any]],
        print_progress: bool,
    ) -> None:
        self.experiment = experiment
        self.dataset_id = dataset_id
        self.functions = functions
        self.runs: List[ItemRun] = []
        self.warnings: List[str] = []
        self.pending: List[Dict[str, Any]] = []
        self.progress = {"done": 0, "total": total, "errors": 0}
        self.on_progress = on_progress
        self.print_progress = print_progress
        self.lock = threading.Lock()
        self.post_lock = threading.Lock()

    def note(self, message: str, error: Optional[BaseException] = None) -> None:
        why = error.detail if isinstance(error, ArgusApiError) else describe_error(error) if error else ""
        text = message if error is None else f"{message}: {why}"
        with self.lock:
            if len(self.warnings) < 100:
                self.warnings.append(text)
        warn(text)

    def post(self, batch: List[Dict[str, Any]]) -> None:
        if not batch:
            return
        with self.post_lock:  # one POST at a time, in order
            try:
                api_request("POST", f"/api/v1/experiments/{quote(self.experiment['id'])}/results", batch)
            except Exception as error:  # noqa: BLE001 - posting never reaches the application
                self.note(f"Cannot post {len(batch)} results of experiment '{self.experiment['id']}'", error)

    def begin(self, item: Dict[str, Any], repetition: int) -> Tuple[Any, Any, Any]:
        """Enters a root span for the item with the experiment metadata; (span cm, observed, tokens)."""
        root = otel_context.attach(otel_context.Context())
        meta = metadata_context(
            {
                "experimentId": self.experiment["id"],
                "datasetId": self.dataset_id,
                "datasetItemId": item["id"],
                "repetition": repetition,
            }
        )
        meta.__enter__()
        cm = span("experiment item", kind="chain", input=item.get("input"))
        observed = cm.__enter__()
        return cm, observed, (meta, root)

    def end(self, cm: Any, observed: Any, tokens: Any, output: Any, error: Optional[BaseException]) -> Optional[str]:
        """Ends the item's span (its output when the task answered) and context; the trace id."""
        trace_id = _trace_id_of(observed)
        if error is None:
            observed.set_output(output)
        meta, root = tokens
        cm.__exit__(type(error) if error else None, error, None)
        meta.__exit__(None, None, None)
        otel_context.detach(root)
        return trace_id

    def evaluate_sync(self, item: Dict[str, Any], output: Any, trace_id: Optional[str]) -> Dict[str, float]:
        scores: Dict[str, float] = {}
        for name, fn in self.functions:
            try:
                result = fn(self._ctx(item, output, trace_id))
                if inspect.isawaitable(result):
                    result = asyncio.run(_awaited(result))
                self._keep(scores, name, result, item)
            except Exception as error:  # noqa: BLE001
                self.note(f"Evaluator '{name}' raised on item '{item['id']}'", error)
        return scores

    async def evaluate_async(self, item: Dict[str, Any], output: Any, trace_id: Optional[str]) -> Dict[str, float]:
        scores: Dict[str, float] = {}
        for name, fn in self.functions:
            try:
                result = fn(self._ctx(item, output, trace_id))
                if inspect.isawaitable(result):
                    result = await result
                self._keep(scores, name, result, item)
            except Exception as error:  # noqa: BLE001
                self.note(f"Evaluator '{name}' raised on item '{item['id']}'", error)
        return scores

    def _ctx(self, item: Dict[str, Any], output: Any, trace_id: Optional[str]) -> EvaluatorContext:
        return EvaluatorContext(
            input=item.get("input"),
            output=output,
            expected=item.get("expectedOutput"),
            metadata=item.get("metadata") or {},
            item=item,
            trace_id=trace_id,
        )

    def _keep(self, scores: Dict[str, float], name: str, result: Any, item: Dict[str, Any]) -> None:
        value = _score_of(result)
        if value is None:
            self.note(f"Evaluator '{name}' answered {result!r} for item '{item['id']}', not a finite score")
        else:
            scores[name] = value

    def record(
        self,
        item: Dict[str, Any],
        repetition: int,
        output: Any,
        trace_id: Optional[str],
        latency_ms: float,
        error: Optional[str],
        scores: Dict[str, float],
    ) -> None:
        result: Dict[str, Any] = {
            "itemId": item["id"],
            "repetition": repetition,
            "output": _json_safe(output),
            "latencyMs": round(latency_ms, 3),
        }
        if trace_id is not None:
            result["traceId"] = trace_id
        if error is not None:
            result["error"] = error[:10_000]
        if scores:
            result["scores"] = scores
        batch: List[Dict[str, Any]] = []
        with self.lock:
            self.runs.append(ItemRun(item["id"], output, latency_ms, trace_id, error, scores, repetition))
            self.pending.append(result)
            if len(self.pending) >= RESULTS_PER_POST:
                batch, self.pending = self.pending, []
            self.progress["done"] += 1
            if error is not None:
                self.progress["errors"] += 1
            progress = dict(self.progress)
        self.post(batch)
        if trace_id is not None:
            for name, value in scores.items():
                score(
                    name,
                    value,
                    trace_id=trace_id,
                    source="eval",
                    metadata={
                        "experimentId": self.experiment["id"],
                        "datasetItemId": item["id"],
                        "repetition": repetition,
                    },
                )
        self.report(progress)

    def report(self, progress: Dict[str, int]) -> None:
        if self.on_progress is not None:
            try:
                self.on_progress(progress)
            except Exception as error:  # noqa: BLE001
                self.note("on_progress raised", error)
        if self.print_progress:
            step = max(1, math.ceil(progress["total"] / 10))
            if progress["done"] % step == 0 or progress["done"] == progress["total"]:
                failed = f" ({progress['errors']} failed)" if progress["errors"] else ""
                sys.stderr.write(
                    f"experiment {self.experiment['name']}: {progress['done']}/{progress['total']} items{failed}\n"
                )


async def _awaited(awaitable: Awaitable[Any]) -> Any:
    return await awaitable


def _trace_id_of(observed: Any) -> Optional[str]:
    try:
        trace_id = observed.trace_id
    except Exception:  # noqa: BLE001
        return None
    return trace_id if isinstance(trace_id, str) and trace_id.strip("0") else None


class _Attempt:
    """One run of the task on one item, timed and traced from its creation to :meth:`end`."""

    def __init__(self, run: _Run, item: Dict[str, Any], repetition: int) -> None:
        self.run, self.item, self.repetition = run, item, repetition
        self.started = time.perf_counter()
        self.output: Any = None
        self.error: Optional[BaseException] = None
        self.trace_id: Optional[str] = None
        self.latency_ms = 0.0
        self._begun = run.begin(item, repetition)

    def end(self) -> Optional[str]:
        """Ends the item's span and the clock; answers the trace id."""
        cm, observed, tokens = self._begun
        self.trace_id = self.run.end(cm, observed, tokens, self.output, self.error)
        self.latency_ms = (time.perf_counter() - self.started) * 1000
        return self.trace_id

    def record(self, scores: Dict[str, float]) -> None:
        error = None if self.error is None else describe_error(self.error)
        self.run.record(self.item, self.repetition, self.output, self.trace_id, self.latency_ms, error, scores)


def _run_sync_item(run: _Run, task: Callable[[Dict[str, Any]], Any], item: Dict[str, Any], repetition: int) -> None:
    attempt = _Attempt(run, item, repetition)
    try:
        attempt.output = task(item)
    except Exception as raised:  # noqa: BLE001 - recorded on the item
        attempt.error = raised
    trace_id = attempt.end()
    attempt.record(run.evaluate_sync(item, attempt.output, trace_id) if attempt.error is None else {})


async def _run_async_item(
    run: _Run, task: Callable[[Dict[str, Any]], Any], item: Dict[str, Any], repetition: int
) -> None:
    attempt = _Attempt(run, item, repetition)
    try:
        attempt.output = task(item)
        if inspect.isawaitable(attempt.output):
            attempt.output = await attempt.output
    except Exception as raised:  # noqa: BLE001 - recorded on the item
        attempt.error = raised
    trace_id = attempt.end()
    scores = await run.evaluate_async(item, attempt.output, trace_id) if attempt.error is None else {}
    await asyncio.get_running_loop().run_in_executor(None, lambda: attempt.record(scores))
