"""Sending spans to Argus: a private tracer provider (the application's global one is left alone)
with a batch processor and the OTLP/HTTP exporter, wrapped so that a failed export is logged with
the endpoint and the reason and never raised into the application."""

from __future__ import annotations

from typing import Any, Optional, Sequence

from opentelemetry.exporter.otlp.proto.http import Compression
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import ReadableSpan, SpanLimits, TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, SpanExporter, SpanExportResult

from ._config import ExplainConfig
from ._errors import logger

PACKAGE_NAME = "argus-explain"
PACKAGE_VERSION = "0.1.0"


class LoggingExporter(SpanExporter):
    """Delegates to ``inner``; a failure (refused, unreachable, timed out) becomes one warning on
    the ``argus_explain`` logger and a FAILURE result, never an exception."""

    def __init__(self, inner: SpanExporter, url: str) -> None:
        self._inner = inner
        self._url = url
        #: Spans whose export failed since the explainer started.
        self.failed_spans = 0

    def export(self, spans: Sequence[ReadableSpan]) -> SpanExportResult:
        try:
            result = self._inner.export(spans)
        except Exception as error:  # noqa: BLE001 — the exporter's errors must not reach the app
            logger.warning("Cannot export %d span(s) to %s: %s", len(spans), self._url, error)
            self.failed_spans += len(spans)
            return SpanExportResult.FAILURE
        if result is not SpanExportResult.SUCCESS:
            logger.warning("Cannot export %d span(s) to %s: the server refused them or did not answer",
                           len(spans), self._url)
            self.failed_spans += len(spans)
        return result

    def shutdown(self) -> None:
        self._inner.shutdown()

    def force_flush(self, timeout_millis: int = 30_000) -> bool:
        return True


def build_provider(config: ExplainConfig) -> tuple[TracerProvider, LoggingExporter]:
    """A tracer provider of its own that sends to ``config.traces_url``."""
    attributes: dict[str, Any] = {
        "service.name": config.service_name,
        "telemetry.sdk.name": PACKAGE_NAME,
        "telemetry.sdk.version": PACKAGE_VERSION,
    }
    if config.environment:
        attributes["deployment.environment.name"] = config.environment
    exporter = LoggingExporter(
        # gzip: attention weights compress ~8× (a tiny model's span: 264 KB → 31 KB).
        OTLPSpanExporter(
            endpoint=config.traces_url,
            headers=dict(config.headers),
            timeout=config.export_timeout_s,
            compression=Compression.Gzip,
        ),
        config.traces_url,
    )
    # OpenTelemetry keeps 128 events per span by default (dropping the oldest): allow what the
    # server keeps, so the event budget is the only limit.
    limits = SpanLimits(max_events=config.max_events, max_event_attributes=32, max_attribute_length=None)
    provider = TracerProvider(resource=Resource.create(attributes), span_limits=limits)
    # One span per request and a short queue: a span with every head of a large model is megabytes
    # (up to ~23 MB before gzip at 512 events × 64 tokens), so batching several could pass the
    # server's body limits (16 MiB sent, 64 MiB decompressed), and a long queue would hold gigabytes.
    processor = BatchSpanProcessor(
        exporter,
        max_queue_size=16,
        max_export_batch_size=1,
        export_timeout_millis=int(config.export_timeout_s * 1000),
    )
    provider.add_span_processor(processor)
    return provider, exporter


def provider_or_default(config: ExplainConfig, given: Optional[Any]) -> tuple[Any, Optional[LoggingExporter]]:
    """The caller's tracer provider when one is given (its exporters decide), else our own."""
    if given is not None:
        return given, None
    return build_provider(config)


def event_limit(provider: Any, configured: int) -> int:
    """Events a span of ``provider`` keeps: the configured budget, or less when the provider's span
    limits (OTEL_SPAN_EVENT_COUNT_LIMIT, default 128) allow fewer."""
    limits = getattr(provider, "_span_limits", None)
    kept = getattr(limits, "max_events", None)
    return min(configured, kept) if isinstance(kept, int) and kept > 0 else configured
