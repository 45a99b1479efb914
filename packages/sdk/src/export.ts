/**
 * The export pipeline: OTLP/HTTP protobuf exporter (which retries retryable failures within
 * its timeout) behind a bounded BatchSpanProcessor. Export results are reported to the
 * diagnostic logger instead of ever reaching the application.
 */
import type { Context } from '@opentelemetry/api';
import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import {
  BatchSpanProcessor,
  type ReadableSpan,
  type Span,
  type SpanExporter,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { type InitOptions, resolveConfig, type SdkConfig } from './config.ts';
import { ContextSpanProcessor } from './context.ts';
import { debug, warn } from './diagnostics.ts';

/** Wraps an exporter so failures (and throws) are reported, never raised. */
class ReportingExporter implements SpanExporter {
  readonly #inner: SpanExporter;
  readonly #url: string;

  constructor(inner: SpanExporter, url: string) {
    this.#inner = inner;
    this.#url = url;
  }

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    const done = (result: ExportResult) => {
      if (result.code === ExportResultCode.SUCCESS) debug(`Exported ${spans.length} spans to ${this.#url}`);
      else warn(`Cannot export ${spans.length} spans to ${this.#url}`, result.error ?? 'export failed');
      resultCallback(result);
    };
    try {
      this.#inner.export(spans, done);
    } catch (error) {
      done({
        code: ExportResultCode.FAILED,
        error: error instanceof Error ? error : new Error(String(error)),
      });
    }
  }

  async shutdown(): Promise<void> {
    try {
      await this.#inner.shutdown();
    } catch (error) {
      warn('Cannot shut down the span exporter', error);
    }
  }

  async forceFlush(): Promise<void> {
    try {
      await this.#inner.forceFlush?.();
    } catch (error) {
      warn('Cannot flush the span exporter', error);
    }
  }
}

/** The batch processor that exports to Argus with the configured queue bound and timeout. */
export function createExportProcessor(config: SdkConfig): SpanProcessor {
  const exporter = new OTLPTraceExporter({
    url: config.tracesUrl,
    headers: { ...config.headers },
    timeoutMillis: config.exportTimeoutMs,
  });
  return new BatchSpanProcessor(new ReportingExporter(exporter, config.tracesUrl), {
    maxQueueSize: config.maxQueueSize,
    maxExportBatchSize: Math.min(512, config.maxQueueSize),
    scheduledDelayMillis: 1000,
    exportTimeoutMillis: config.exportTimeoutMs,
  });
}

/** Processors created by {@link argusSpanProcessor}, so `init()` can flush and shut them down. */
export const createdProcessors = new Set<SpanProcessor>();

/** Runs the context processor, then the exporting one. */
class ArgusSpanProcessor implements SpanProcessor {
  readonly #context = new ContextSpanProcessor();
  readonly #export: SpanProcessor;

  constructor(exporting: SpanProcessor) {
    this.#export = exporting;
  }
  onStart(span: Span, parentContext: Context): void {
    this.#context.onStart(span, parentContext);
    this.#export.onStart(span, parentContext);
  }
  onEnd(span: ReadableSpan): void {
    this.#export.onEnd(span);
  }
  forceFlush(): Promise<void> {
    return this.#export.forceFlush();
  }
  shutdown(): Promise<void> {
    createdProcessors.delete(this);
    return this.#export.shutdown();
  }
}

/**
 * A span processor for an OpenTelemetry SDK the application sets up itself (e.g. `NodeSDK`,
 * whose providers cannot gain processors later): it adds the Argus context attributes and
 * exports to Argus. Export options come from `options` and the environment as in `init()`;
 * call `init()` afterwards for the content options.
 * @example new NodeSDK({ spanProcessors: [argusSpanProcessor({ endpoint })] }).start(); init();
 */
export function argusSpanProcessor(options: InitOptions = {}): SpanProcessor {
  try {
    const processor = new ArgusSpanProcessor(createExportProcessor(resolveConfig(options)));
    createdProcessors.add(processor);
    return processor;
  } catch (error) {
    warn('Cannot create the Argus span processor; spans will not be exported to Argus', error);
    return new ContextSpanProcessor();
  }
}
