/**
 * The export pipeline: the OTLP/HTTP protobuf exporter (which retries retryable failures within
 * its timeout, and stops waiting once closing begins) behind a bounded BatchSpanProcessor.
 * Export results are reported to the diagnostic logger instead of ever reaching the application.
 */
import type { Context } from '@opentelemetry/api';
import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
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
import { OtlpHttpExporter } from './otlp-exporter.ts';

/** Wraps an exporter so failures (and throws) are reported, never raised. */
class ReportingExporter implements SpanExporter {
  readonly #inner: OtlpHttpExporter;
  readonly #url: string;

  constructor(inner: OtlpHttpExporter, url: string) {
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

  /** See {@link OtlpHttpExporter.setClosing}. */
  setClosing(closing: boolean): void {
    this.#inner.setClosing(closing);
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

/**
 * The batch processor that exports to Argus with the configured queue bound and timeouts; it closes
 * its exporter before flushing at shutdown.
 */
export class ExportProcessor extends BatchSpanProcessor {
  readonly #exporter: ReportingExporter;

  constructor(config: SdkConfig) {
    const exporter = new ReportingExporter(
      new OtlpHttpExporter({
        url: config.tracesUrl,
        headers: config.headers,
        timeoutMs: config.exportTimeoutMs,
        closeTimeoutMs: config.shutdownTimeoutMs,
      }),
      config.tracesUrl,
    );
    super(exporter, {
      maxQueueSize: config.maxQueueSize,
      maxExportBatchSize: Math.min(512, config.maxQueueSize),
      scheduledDelayMillis: 1000,
      exportTimeoutMillis: config.exportTimeoutMs,
    });
    this.#exporter = exporter;
  }

  override shutdown(): Promise<void> {
    this.#exporter.setClosing(true);
    return super.shutdown();
  }

  /**
   * Exports what is pending as the process is about to exit: one prompt attempt per batch, no
   * retry backoff, bounded by `shutdownTimeoutMs`.
   */
  async flushBeforeExit(): Promise<void> {
    this.#exporter.setClosing(true);
    try {
      await this.forceFlush();
    } finally {
      this.#exporter.setClosing(false);
    }
  }
}

/** Processors created by {@link argusSpanProcessor}, so `init()` can flush and shut them down. */
export const createdProcessors = new Set<ArgusSpanProcessor>();

/** Runs the context processor, then the exporting one. */
class ArgusSpanProcessor implements SpanProcessor {
  readonly #context = new ContextSpanProcessor();
  readonly #export: ExportProcessor;

  constructor(exporting: ExportProcessor) {
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
  /** See {@link ExportProcessor.flushBeforeExit}. */
  flushBeforeExit(): Promise<void> {
    return this.#export.flushBeforeExit();
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
    const processor = new ArgusSpanProcessor(new ExportProcessor(resolveConfig(options)));
    createdProcessors.add(processor);
    return processor;
  } catch (error) {
    warn('Cannot create the Argus span processor; spans will not be exported to Argus', error);
    return new ContextSpanProcessor();
  }
}
