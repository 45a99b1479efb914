/**
 * The transport-independent part of ingest, shared by OTLP/HTTP, OTLP/gRPC and the LangSmith
 * run API: the overload check, decode → normalize → enrich → group-commit write, and counting.
 */

import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Span } from '@argus/shared';
import type { Config } from '../config.ts';
import { USAGE_SCOPE_ATTRIBUTE } from '../enrich/index.ts';
import { ArgusError } from '../errors.ts';
import type { ByteBudget } from '../http/body-budget.ts';
import { type SpanMetricFacts, type SpanObserver, spanMetricFacts } from '../metrics/genai.ts';
import { normalizeLogs, normalizeMetrics, normalizeTraces } from '../normalize/index.ts';
import type { LogRow, NormalizeContext, NormalizeLimits } from '../normalize/types.ts';
import { decodeLogs, decodeMetrics, decodeTraces } from '../otlp/index.ts';
import type { DecodeLimits } from '../otlp/types.ts';
import type { InsertResult, Store } from '../store/index.ts';
import type { Signal } from './otlp-response.ts';

/** What every ingest path needs to write. */
export interface WriteDeps {
  config: Config;
  store: Store;
  /** Enriches a span in place (pricing, token estimates). */
  enrichSpan: (span: Span) => Span;
  /** Redacts a log record in place before it is written (PII redaction); absent = as is. */
  redactLog?: (row: LogRow) => LogRow;
  /** Request-body bytes all ingest requests may hold at once while reading (absent = no shared cap). */
  bodyBudget?: ByteBudget;
  /** Sees the spans the store accepted (Prometheus GenAI metrics); duplicates' indexes are skipped. */
  observeSpans?: SpanObserver;
}

/** Ingest counters, per signal. */
export interface IngestCounters {
  requests: Record<Signal, number>;
  accepted: Record<Signal, number>;
  rejected: Record<Signal, number>;
  duplicates: Record<Signal, number>;
  failedRequests: Record<string, number>;
}

/** Fresh zeroed counters. */
export function newIngestCounters(): IngestCounters {
  const zero = () => ({ traces: 0, logs: 0, metrics: 0 });
  return { requests: zero(), accepted: zero(), rejected: zero(), duplicates: zero(), failedRequests: {} };
}

/** What one ingest request wrote and rejected. */
export interface IngestOutcome {
  accepted: number;
  rejected: number;
  duplicates: number;
  /** Up to 10 distinct rejection messages, for a partial-success answer. */
  errors: string[];
}

/** Adds an outcome to the signal's counters. */
export function countOutcome(counters: IngestCounters, signal: Signal, outcome: IngestOutcome): void {
  counters.accepted[signal] += outcome.accepted;
  counters.rejected[signal] += outcome.rejected;
  counters.duplicates[signal] += outcome.duplicates;
}

/**
 * Refuses work while the write queue is full, before the body is read; `onRefuse` runs first
 * (to drain the unread body).
 * @throws ArgusError OVERLOADED (503, retry after 2 s).
 */
export function assertWriteCapacity(deps: WriteDeps, what: string, onRefuse?: () => void): void {
  const { writer } = deps.store;
  if (writer.stats.queuedBytes < deps.config.writerMaxQueueBytes) return;
  onRefuse?.();
  writer.stats.rejectedWrites++;
  throw new ArgusError('OVERLOADED', `Cannot accept ${what} now: the write queue is full; retry later`, {
    retryAfterSeconds: 2,
  });
}

const NANOS_PER_DAY = 86_400_000_000_000n;

/** The normalize context of a request: its project, the limits and the store's retention now. */
export function normalizeContextOf(config: Config, projectId: string): NormalizeContext {
  const days = config.retentionDays;
  const oldestUnixNano = BigInt(Date.now()) * 1_000_000n - BigInt(days) * NANOS_PER_DAY;
  return { projectId, limits: normalizeLimitsOf(config), retention: { days, oldestUnixNano } };
}

/** The normalizer limits of a configuration. */
export function normalizeLimitsOf(config: Config): NormalizeLimits {
  return {
    maxAttributeValueChars: config.maxAttributeValueChars,
    maxContentChars: config.maxContentChars,
    maxAttributes: config.maxAttributes,
  };
}

/**
 * Marks model spans that wrap another model span of the same batch (LangChain's `ChatOpenAI`
 * around an instrumented OpenAI client: two `llm` spans for one call) as aggregates, so trace
 * totals, rollups and /metrics count the call's tokens and cost once — at the innermost span,
 * the one that saw the provider's answer. A parent and child exported in different batches are
 * not seen together and both still count (docs/architecture.md).
 */
export function markNestedUsage(spans: readonly Span[]): void {
  const isModel = (span: Span) => span.kind === 'llm' || span.kind === 'embedding';
  // Parent span ids of model spans, per trace (no key string built per span).
  const parents = new Map<string, Set<string>>();
  for (const span of spans) {
    if (!isModel(span) || !span.parentSpanId) continue;
    let ofTrace = parents.get(span.traceId);
    if (ofTrace === undefined) {
      ofTrace = new Set();
      parents.set(span.traceId, ofTrace);
    }
    ofTrace.add(span.parentSpanId);
  }
  if (parents.size === 0) return;
  for (const span of spans) {
    if (isModel(span) && parents.get(span.traceId)?.has(span.spanId) === true) {
      span.attributes[USAGE_SCOPE_ATTRIBUTE] = 'aggregate';
    }
  }
}

/** Longest stretch of enrichment between two turns of the event loop. */
const ENRICH_SLICE_MS = 10;

/**
 * Enriches spans in place, giving the event loop a turn every {@link ENRICH_SLICE_MS}: a request
 * of many large spans that need token estimates must not hold up `/health` and other requests.
 */
async function enrichInSlices(spans: readonly Span[], enrich: (span: Span) => Span): Promise<void> {
  let sliceStart = performance.now();
  for (const span of spans) {
    enrich(span);
    if (performance.now() - sliceStart > ENRICH_SLICE_MS) {
      await nextTurn();
      sliceStart = performance.now();
    }
  }
}

/**
 * Enriches canonical spans and writes them through the group-commit writer (with dedupe). While
 * the write is under way only the spans' metric facts are held, not the spans: held until the
 * acknowledgement (hundreds of milliseconds under load), every request's spans outlived the young
 * generation and were copied into the old one (docs/benchmarks.md).
 */
export async function writeSpans(spans: Span[], deps: WriteDeps): Promise<InsertResult> {
  markNestedUsage(spans);
  await enrichInSlices(spans, deps.enrichSpan);
  if (spans.length === 0) return { inserted: 0, duplicates: 0 };
  const observe = deps.observeSpans;
  // Returned, not awaited: this frame (and the spans it holds) ends here.
  return observed(deps.store.insertSpans(spans), observe && spans.map(spanMetricFacts), observe);
}

async function observed(
  pending: Promise<InsertResult>,
  facts: SpanMetricFacts[] | undefined,
  observe: SpanObserver | undefined,
): Promise<InsertResult> {
  const written = await pending;
  if (facts && observe) observe(facts, skippedIndexes(written));
  return written;
}

/**
 * Decodes, normalizes and writes one OTLP export request (the protobuf or JSON body of any
 * transport); resolves once the rows are acknowledged by the store.
 * @throws ArgusError OTLP_DECODE for undecodable bodies, OVERLOADED/STORE_UNAVAILABLE from the writer.
 */
export async function ingestSignal(
  signal: Signal,
  body: Buffer,
  format: 'protobuf' | 'json',
  projectId: string,
  deps: WriteDeps,
): Promise<IngestOutcome> {
  const limits: DecodeLimits = { maxAttributeDepth: deps.config.maxAttributeDepth };
  const ctx = normalizeContextOf(deps.config, projectId);
  // Each branch returns the write's promise without awaiting it, so what was decoded is not held
  // by this frame until the acknowledgement.
  if (signal === 'traces') {
    const result = normalizeTraces(decodeTraces(body, format, limits), ctx);
    return outcomeOf(writeSpans(result.spans, deps), result.rejected, result.errors);
  }
  if (signal === 'logs') {
    const result = normalizeLogs(decodeLogs(body, format, limits), ctx);
    if (deps.redactLog) for (const row of result.logs) deps.redactLog(row);
    return outcomeOf(deps.store.insertLogs(result.logs), result.rejected, result.errors);
  }
  const result = normalizeMetrics(decodeMetrics(body, format, limits), ctx);
  return outcomeOf(deps.store.insertMetricPoints(result.points), result.rejected, result.errors);
}

async function outcomeOf(
  pending: Promise<InsertResult>,
  rejected: number,
  errors: string[],
): Promise<IngestOutcome> {
  return outcome(await pending, rejected, errors);
}

/** Ascending indexes of the items not stored by this insert (duplicates and unreadable ones). */
function skippedIndexes(written: InsertResult): number[] | undefined {
  if (!written.rejected) return written.duplicateIndexes;
  return [...(written.duplicateIndexes ?? []), ...written.rejected.indexes].sort((a, b) => a - b);
}

function outcome(written: InsertResult, rejected: number, errors: string[]): IngestOutcome {
  if (!written.rejected)
    return { accepted: written.inserted, rejected, duplicates: written.duplicates, errors };
  return {
    accepted: written.inserted,
    rejected: rejected + written.rejected.indexes.length,
    duplicates: written.duplicates,
    errors: errors.length < 10 ? [...errors, written.rejected.message] : errors,
  };
}
