/**
 * The OTLP/HTTP protobuf span exporter. It retries what may succeed later (connection failures,
 * 429, 502, 503, 504, honouring `Retry-After`) with backoff until `timeoutMs` has passed. Once
 * closing begins (shutdown, or the flush when the process is about to exit) it stops waiting:
 * pending backoffs end at once, each export gets one last attempt, and requests still open after
 * `closeTimeoutMs` are aborted — so an application exits promptly when Argus is down, and loses
 * nothing when Argus is up. Its timers never keep the process alive.
 */
import http from 'node:http';
import https from 'node:https';
import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import { SDK_NAME, SDK_VERSION } from './config.ts';
import { warn } from './diagnostics.ts';

/** Settings of {@link OtlpHttpExporter}. */
export interface OtlpHttpExporterOptions {
  /** The traces endpoint, e.g. `http://127.0.0.1:4318/v1/traces`. */
  url: string;
  headers: Readonly<Record<string, string>>;
  /** Time one export may take, retries included, ms. */
  timeoutMs: number;
  /** Time an export may still take once closing begins, ms. */
  closeTimeoutMs: number;
}

const USER_AGENT = `${SDK_NAME}/${SDK_VERSION} (OTLP/HTTP protobuf)`;
/** Statuses worth retrying (OTLP/HTTP specification). */
const RETRYABLE_STATUSES = new Set([429, 502, 503, 504]);
const FIRST_BACKOFF_MS = 500;
const MAX_BACKOFF_MS = 5000;
/** Most of an answer body read (an OTLP answer is a few bytes; a proxy page is not needed whole). */
const MAX_ANSWER_BYTES = 64 * 1024;

/** One attempt's outcome. */
type Attempt = { ok: true } | { ok: false; retryable: boolean; error: Error; retryAfterMs?: number };

/** Exports spans as OTLP protobuf over HTTP with bounded retries and a prompt close. */
export class OtlpHttpExporter implements SpanExporter {
  readonly #options: OtlpHttpExporterOptions;
  #closing = false;
  /** Wakes the backoff sleeps, so closing does not wait them out. */
  readonly #wakers = new Set<() => void>();
  /** Requests in flight, aborted `closeTimeoutMs` after closing begins. */
  readonly #requests = new Set<AbortController>();
  readonly #exports = new Set<Promise<void>>();

  constructor(options: OtlpHttpExporterOptions) {
    this.#options = options;
  }

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    const body = ProtobufTraceSerializer.serializeRequest(spans);
    if (body === undefined) {
      resultCallback({ code: ExportResultCode.FAILED, error: new Error('Cannot serialize the spans') });
      return;
    }
    const work = this.#send(body).then(resultCallback);
    this.#exports.add(work);
    void work.finally(() => this.#exports.delete(work));
  }

  /**
   * Begins closing (see the file comment); `false` ends it, for a flush before exit after which
   * the application went on after all (its own `beforeExit` listener scheduled more work).
   */
  setClosing(closing: boolean): void {
    this.#closing = closing;
    if (!closing) return;
    for (const wake of this.#wakers) wake();
    for (const request of this.#requests) {
      const limitMs = this.#options.closeTimeoutMs;
      const reason = new Error(`no answer within ${limitMs} ms of closing (shutdownTimeoutMs)`);
      setTimeout(() => request.abort(reason), limitMs).unref();
    }
  }

  async shutdown(): Promise<void> {
    this.setClosing(true);
    await this.forceFlush();
  }

  async forceFlush(): Promise<void> {
    await Promise.allSettled([...this.#exports]);
  }

  async #send(body: Uint8Array): Promise<ExportResult> {
    const started = Date.now();
    let backoffMs = FIRST_BACKOFF_MS;
    for (;;) {
      const budget = this.#closing ? this.#options.closeTimeoutMs : this.#options.timeoutMs;
      const attempt = await this.#post(body, Math.max(1, started + budget - Date.now()));
      if (attempt.ok) return { code: ExportResultCode.SUCCESS };
      const waitMs = attempt.retryAfterMs ?? backoffMs * (0.8 + Math.random() * 0.4);
      backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF_MS);
      const late = Date.now() + waitMs >= started + this.#options.timeoutMs;
      if (!attempt.retryable || this.#closing || late)
        return { code: ExportResultCode.FAILED, error: attempt.error };
      await this.#sleep(waitMs);
    }
  }

  /** One POST over `node:http(s)` (not `fetch`, which refuses some ports an Argus may listen on). */
  #post(body: Uint8Array, timeoutMs: number): Promise<Attempt> {
    return new Promise((resolve) => {
      const request = new AbortController();
      this.#requests.add(request);
      const limit = this.#closing ? 'of closing (shutdownTimeoutMs)' : '(exportTimeoutMs)';
      const reason = new Error(`no answer within ${timeoutMs} ms ${limit}`);
      const timer = setTimeout(() => request.abort(reason), timeoutMs);
      timer.unref();
      let done = false;
      const finish = (attempt: Attempt) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        this.#requests.delete(request);
        resolve(attempt);
      };
      const fail = (error: unknown) =>
        finish({
          ok: false,
          retryable: true,
          error: toError(request.signal.aborted ? request.signal.reason : error),
        });
      try {
        const url = new URL(this.#options.url);
        const headers = {
          'user-agent': USER_AGENT,
          ...this.#options.headers,
          'content-type': 'application/x-protobuf',
          'content-length': String(body.byteLength),
        };
        const client = url.protocol === 'https:' ? https : http;
        const req = client.request(url, { method: 'POST', headers, signal: request.signal }, (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size <= MAX_ANSWER_BYTES) chunks.push(chunk);
          });
          res.on('error', fail);
          res.on('end', () => {
            const status = res.statusCode ?? 0;
            if (status >= 200 && status < 300) {
              reportPartialSuccess(Buffer.concat(chunks));
              finish({ ok: true });
              return;
            }
            const retryAfter = retryAfterMs(res.headers['retry-after']);
            finish({
              ok: false,
              retryable: RETRYABLE_STATUSES.has(status),
              error: new Error(`Argus answered HTTP ${status}`),
              ...(retryAfter === undefined ? {} : { retryAfterMs: retryAfter }),
            });
          });
        });
        req.on('error', fail);
        req.end(body);
      } catch (error) {
        fail(error);
      }
    });
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.#wakers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      timer.unref();
      this.#wakers.add(wake);
    });
  }
}

/** `Retry-After` in seconds or as a date → ms to wait (capped), or undefined. */
function retryAfterMs(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const seconds = Number(value);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(value) - Date.now();
  return Number.isFinite(ms) ? Math.min(Math.max(ms, 0), MAX_BACKOFF_MS) : undefined;
}

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/** Reports spans the server refused in a 2xx answer (OTLP partial success). */
function reportPartialSuccess(answer: Uint8Array): void {
  if (answer.length === 0) return;
  try {
    const partial = ProtobufTraceSerializer.deserializeResponse(answer).partialSuccess;
    const rejected = Number(partial?.rejectedSpans ?? 0);
    if (rejected > 0) warn(`Argus rejected ${rejected} spans: ${partial?.errorMessage ?? 'no reason given'}`);
  } catch {
    // Not an OTLP answer (a proxy's page); the spans were accepted as far as HTTP says.
  }
}
