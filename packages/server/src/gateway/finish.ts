/**
 * The end of a gateway call: its span (recorder.ts) handed to the ingest write path off the
 * caller's path, its metrics, its tokens and cost counted against the key's limits, and — once
 * the span is written — its shadow pairs handed to the shadow queue (shadow-queue.ts).
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { GatewayShadow, Span } from '@argus/shared';
import type { AnswerFacts } from './answer-reader.ts';
import type { CallContext } from './call-context.ts';
import type { ProxyDeps } from './proxy-deps.ts';
import { type Attempt, type CallRecord, callSpan } from './recorder.ts';
import type { Operation, RequestFacts } from './request-facts.ts';
import type { Dialect } from './routing.ts';
import type { UpstreamPath } from './upstream.ts';

/** A gateway endpoint. */
export interface Endpoint {
  operation: Operation;
  dialect: Dialect;
  path: UpstreamPath;
}

/** A call being served. */
export interface Call {
  endpoint: Endpoint;
  projectId: string;
  keyId: string;
  /** performance.now() when the handler started. */
  t0: number;
  context: CallContext;
  facts: RequestFacts;
  raw: Buffer;
  /** The shadows this call was picked for, with the caller's headers (shadow-queue.ts). */
  shadow?: { shadows: GatewayShadow[]; headers: IncomingHttpHeaders };
}

/** How a call ended. */
export interface Ending {
  status: number;
  provider: string;
  answer: AnswerFacts | undefined;
  error: string | undefined;
  attempts: Attempt[];
  overheadMs: number;
  tokenTimes: readonly number[];
  cached: boolean;
  logprobsSampled: boolean;
}

/** Records a finished call: its span (written off the caller's path), metrics, spend. */
export function finishCall(call: Call, deps: ProxyDeps, e: Ending): void {
  const end = performance.now();
  const times = e.tokenTimes;
  const record: CallRecord = {
    projectId: call.projectId,
    context: call.context,
    operation: call.endpoint.operation,
    request: call.facts,
    answer: e.answer,
    provider: e.provider,
    status: e.status,
    startMs: performance.timeOrigin + call.t0,
    endMs: performance.timeOrigin + end,
    ttftMs: call.facts.stream && times.length > 0 ? times[0]! - call.t0 : undefined,
    gapsMs: times.slice(1).map((t, i) => t - times[i]!),
    error: e.error,
    attempts: e.attempts,
    overheadMs: e.overheadMs,
    cached: e.cached,
    keyId: call.keyId,
    logprobsSampled: e.logprobsSampled,
  };
  deps.metrics.observeCall({
    projectId: call.projectId,
    endpoint: call.endpoint.path,
    status: e.status,
    cached: e.cached,
    fallback: e.attempts.length > 1,
    overheadMs: e.overheadMs,
  });
  // The span is built and handed to the writer on a later turn of the event loop: never on the
  // caller's path.
  setImmediate(() => {
    let span: Span;
    try {
      span = callSpan(record);
    } catch (error) {
      deps.logger.warn('gateway: cannot build the span of a call', { error: String(error) });
      return;
    }
    deps
      .writeSpans([span])
      .then(() => {
        // Only an answered call, not a cached one, is shadowed: the pair compares two answers.
        if (call.shadow && e.status < 400 && !e.cached)
          deps.shadows?.submit(call, call.shadow.headers, call.shadow.shadows, span);
      })
      .catch((error: unknown) => deps.logger.warn('gateway: cannot record a call', { error: String(error) }))
      .finally(() => deps.limiter.record(call.projectId, call.keyId, span.totalTokens, span.costUsd));
  });
}
