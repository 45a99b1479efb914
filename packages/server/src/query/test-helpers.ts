/**
 * Test data builders for the query and API tests: complete canonical spans with sensible
 * defaults, GenAI content log records and score rows.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Span } from '@argus/shared';
import { type Config, loadConfig } from '../config.ts';
import { noModelCall } from '../normalize/no-model-call.ts';
import type { LogRow, SpanContent } from '../normalize/types.ts';
import type { Store } from '../store/index.ts';
import { scoreToRow } from '../store/signal-rows.ts';

/** Random lowercase hex of `bytes` bytes (32 hex = trace id, 16 hex = span id). */
export function randomHex(bytes: 16 | 8): string {
  return randomBytes(bytes).toString('hex');
}

/** Epoch ms → nanosecond decimal string. */
export function msToNs(ms: number): string {
  return (BigInt(Math.round(ms)) * 1_000_000n).toString();
}

/** Overrides of {@link makeSpan}: any span field, plus `at` (start, epoch ms). */
export type SpanOverrides = Partial<Span> & { at?: number };

/**
 * A complete canonical span: an OpenAI chat call in `chat-api`/`production` of project
 * `default`, 1 s long, 10 + 20 tokens, $0.001. Times follow `at` and `durationMs`.
 */
export function makeSpan(overrides: SpanOverrides = {}): Span {
  const { at, ...fields } = overrides;
  const startMs = at ?? Date.now() - 60_000;
  const durationMs = fields.durationMs ?? 1000;
  const startNs = msToNs(startMs);
  const endNs = (BigInt(startNs) + BigInt(Math.round(durationMs * 1e6))).toString();
  return {
    projectId: 'default',
    traceId: randomHex(16),
    spanId: randomHex(8),
    parentSpanId: '',
    name: 'chat gpt-4o-mini',
    kind: 'llm',
    serviceName: 'chat-api',
    serviceVersion: '1.0.0',
    environment: 'production',
    scope: 'argus-test',
    startTime: new Date(startMs).toISOString(),
    endTime: new Date(startMs + durationMs).toISOString(),
    startTimeUnixNano: startNs,
    endTimeUnixNano: endNs,
    durationMs,
    status: 'ok',
    statusMessage: '',
    errorType: '',
    provider: 'openai',
    operation: 'chat',
    requestModel: 'gpt-4o-mini',
    responseModel: 'gpt-4o-mini-2024-07-18',
    params: { temperature: 0.2 },
    inputTokens: 10,
    outputTokens: 20,
    totalTokens: 30,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    reasoningTokens: 0,
    tokensEstimated: false,
    costUsd: 0.001,
    inputCostUsd: 0.0004,
    outputCostUsd: 0.0006,
    costSource: 'computed',
    finishReasons: ['stop'],
    responseId: 'chatcmpl-test',
    input: [{ role: 'user', parts: [{ type: 'text', content: 'Hello there' }] }],
    output: [
      { role: 'assistant', parts: [{ type: 'text', content: 'Hi, how can I help?' }], finishReason: 'stop' },
    ],
    toolName: '',
    toolCallId: '',
    sessionId: '',
    userId: '',
    conversationId: '',
    tags: [],
    metadata: {},
    attributes: {},
    resourceAttributes: { 'service.name': fields.serviceName ?? 'chat-api' },
    events: [],
    convention: 'otel_genai',
    ...fields,
  };
}

/** A non-LLM span (agent, tool, chain …): no model, tokens, cost or messages. */
export function makeStepSpan(overrides: SpanOverrides = {}): Span {
  return makeSpan({
    name: 'agent run',
    kind: 'agent',
    ...noModelCall(),
    input: undefined,
    output: undefined,
    ...overrides,
  });
}

/** A GenAI content log record tied to a span. */
export function makeContentLog(options: {
  traceId: string;
  spanId: string;
  at: number;
  content: SpanContent;
}): LogRow {
  return {
    projectId: 'default',
    traceId: options.traceId,
    spanId: options.spanId,
    timeUnixNano: BigInt(msToNs(options.at)),
    observedTimeUnixNano: BigInt(msToNs(options.at)),
    severityNumber: 9,
    severityText: 'INFO',
    eventName: 'gen_ai.choice',
    body: '',
    attributes: {},
    resourceAttributes: {},
    serviceName: 'chat-api',
    scope: 'argus-test',
    content: options.content,
  };
}

/** Inserts score rows straight into the `scores` table (the scores API is not built yet). */
export async function insertScores(
  store: Store,
  scores: { traceId: string; spanId?: string; name: string; value: number; at: number; comment?: string }[],
): Promise<void> {
  const lines = scores.map((s) =>
    scoreToRow({
      projectId: 'default',
      scoreId: randomHex(8),
      traceId: s.traceId,
      spanId: s.spanId ?? '',
      name: s.name,
      value: s.value,
      stringValue: '',
      comment: s.comment ?? '',
      source: 'api',
      author: 'tester',
      timeUnixNano: BigInt(msToNs(s.at)),
      metadata: {},
    }),
  );
  await store.writer.write('scores', lines);
}

/** A fresh temporary data directory and a config pointing at it. */
export function tempConfig(prefix: string): { config: Config; dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), `argus-${prefix}-`));
  return {
    config: loadConfig({ dataDir: dir, writerFlushIntervalMs: 0 }, {}),
    dir,
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** The start of the hour `hoursAgo` hours before now, epoch ms: a stable base for test data. */
export function hourStart(hoursAgo: number): number {
  return Math.floor(Date.now() / 3600_000) * 3600_000 - hoursAgo * 3600_000;
}
