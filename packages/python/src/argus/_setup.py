"""``init()``: OpenTelemetry export to Argus without replacing what the application has. With no
SDK tracer provider registered, Argus registers its own (ratio sampling, context processor, batch
OTLP/protobuf export); with one registered, Argus adds its processors to it. Nothing here raises."""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Callable, Optional

from opentelemetry import trace
from opentelemetry.context import Context
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import ReadableSpan, Span, SpanProcessor, TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, SpanExporter
from opentelemetry.sdk.trace.sampling import ParentBased, TraceIdRatioBased

from ._config import SDK_NAME, SDK_VERSION, Config, resolve_config, set_config
from ._context import ContextSpanProcessor
from ._diagnostics import DiagnosticsOption, debug, safely, set_diagnostics, warn


@dataclass(frozen=True)
class Handle:
    """What ``init()`` returns. ``mode``: ``global`` (Argus registered its provider),
    ``attached`` (Argus processors added to the application's provider) or ``inert`` (failed)."""

    mode: str
    tracer: trace.Tracer


class _ArgusProcessor(SpanProcessor):
    """Context + export processors that can be switched off (SDK providers cannot drop processors)."""

    def __init__(self, export: Optional[SpanProcessor]) -> None:
        self._context = ContextSpanProcessor()
        self._export = export
        self.enabled = True

    def on_start(self, span: Span, parent_context: Optional[Context] = None) -> None:
        if self.enabled:
            self._context.on_start(span, parent_context)

    def on_end(self, span: ReadableSpan) -> None:
        if self.enabled and self._export is not None:
            try:
                self._export.on_end(span)
            except Exception as error:
                warn("Cannot queue a span for export", error)

    def shutdown(self) -> None:
        if self.enabled:
            self.enabled = False
            if self._export is not None:
                safely("shut the exporter down", self._export.shutdown, None)

    def force_flush(self, timeout_millis: int = 30000) -> bool:
        if not self.enabled or self._export is None:
            return True
        return bool(safely("flush spans", lambda: self._export.force_flush(timeout_millis), False))  # type: ignore[union-attr]


_lock = threading.Lock()
_handle: Optional[Handle] = None
_processor: Optional[_ArgusProcessor] = None
_own_provider: Optional[TracerProvider] = None
_tracer: Optional[trace.Tracer] = None


def get_tracer() -> trace.Tracer:
    """The Argus tracer (the global provider's before ``init()``)."""
    if _tracer is not None:
        return _tracer
    return trace.get_tracer(SDK_NAME, SDK_VERSION)


def _exporter(config: Config, span_exporter: Optional[SpanExporter]) -> SpanExporter:
    if span_exporter is not None:
        return span_exporter
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

    return OTLPSpanExporter(
        endpoint=config.traces_url,
        headers=dict(config.headers),
        timeout=config.export_timeout_s,  # type: ignore[arg-type]
    )


def _resource(config: Config) -> Resource:
    attrs = {"telemetry.distro.name": SDK_NAME, "telemetry.distro.version": SDK_VERSION}
    if config.service_name:
        attrs["service.name"] = config.service_name
    if config.service_version:
        attrs["service.version"] = config.service_version
    if config.environment:
        attrs["deployment.environment.name"] = config.environment
    # Resource.create merges OTEL_RESOURCE_ATTRIBUTES / OTEL_SERVICE_NAME; explicit values win.
    return Resource.create(attrs)


def init(
    endpoint: Optional[str] = None,
    api_key: Optional[str] = None,
    service_name: Optional[str] = None,
    *,
    service_version: Optional[str] = None,
    environment: Optional[str] = None,
    capture_content: Optional[bool] = None,
    sample_rate: Optional[float] = None,
    redact: Optional[Callable[[str], str]] = None,
    headers: Optional[Mapping[str, str]] = None,
    max_queue_size: Optional[int] = None,
    export_timeout_s: Optional[float] = None,
    max_content_chars: Optional[int] = None,
    instrument: bool = True,
    diagnostics: Optional[DiagnosticsOption] = None,
    span_exporter: Optional[SpanExporter] = None,
) -> Handle:
    """Sets up tracing to Argus and instruments the ``openai`` and ``anthropic`` clients.

    Call it once, early. A second call returns the active handle (call ``shutdown()`` first to
    change options). Never raises: a failure is reported and the application runs untraced.
    """
    global _handle, _processor, _own_provider, _tracer
    with _lock:
        if _handle is not None:
            return _handle
        if diagnostics is not None:
            safely("set diagnostics", lambda: set_diagnostics(diagnostics), None)
        try:
            config = resolve_config(
                endpoint=endpoint,
                api_key=api_key,
                headers=headers,
                service_name=service_name,
                service_version=service_version,
                environment=environment,
                capture_content=capture_content,
                sample_rate=sample_rate,
                redact=redact,
                max_queue_size=max_queue_size,
                export_timeout_s=export_timeout_s,
                max_content_chars=max_content_chars,
            )
            set_config(config)
            export = BatchSpanProcessor(
                _exporter(config, span_exporter),
                max_queue_size=config.max_queue_size,
                export_timeout_millis=int(config.export_timeout_s * 1000),
            )
            processor = _ArgusProcessor(export)
            current: Any = trace.get_tracer_provider()
            if current is _own_provider or hasattr(current, "add_span_processor"):
                provider = current
                mode = "global" if current is _own_provider else "attached"
            else:
                sampler = ParentBased(TraceIdRatioBased(config.sample_rate))
                provider = TracerProvider(resource=_resource(config), sampler=sampler)
                trace.set_tracer_provider(provider)
                if trace.get_tracer_provider() is not provider:
                    warn("Cannot register the Argus tracer provider: another one was set first")
                    provider = trace.get_tracer_provider()
                    mode = "attached"
                else:
                    _own_provider = provider
                    mode = "global"
            provider.add_span_processor(processor)
            _processor = processor
            _tracer = provider.get_tracer(SDK_NAME, SDK_VERSION)
            if instrument:
                from .instrument import instrument as instrument_clients

                instrument_clients()
            debug(f"init: mode {mode}, exporting to {config.traces_url}")
            _handle = Handle(mode=mode, tracer=_tracer)
        except Exception as error:
            warn("Cannot initialize Argus; the application runs untraced", error)
            _handle = Handle(mode="inert", tracer=trace.NoOpTracer())
        return _handle


def flush(timeout_s: float = 10.0) -> bool:
    """Exports every finished span; True when done within ``timeout_s``. Never raises."""
    processor = _processor
    if processor is None:
        return True
    return bool(safely("flush spans", lambda: processor.force_flush(int(timeout_s * 1000)), False))


def shutdown(timeout_s: float = 10.0) -> None:
    """Flushes, stops exporting and removes the client instrumentation; ``init()`` may be called again."""
    global _handle, _processor, _tracer
    with _lock:
        processor = _processor
        if processor is not None:
            safely("flush spans", lambda: processor.force_flush(int(timeout_s * 1000)), False)
            safely("shut down", processor.shutdown, None)
        from .instrument import uninstrument

        safely("remove the client instrumentation", uninstrument, None)
        _processor = None
        _handle = None
        _tracer = None
        set_config(None)
