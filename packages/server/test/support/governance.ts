/**
 * OTLP/JSON spans and logs at chosen times with chosen users, scores, counts of ClickHouse rows and
 * API calls, for the retention and erasure tests.
 */
import { expect } from 'vitest';
import { scoreToRow } from '../../src/store/signal-rows.ts';
import { chatSpanJson, randomHex, tracesRequestJson } from './otlp-json.ts';
import type { TestServer } from './server.ts';

const ns = (ms: number) => (BigInt(Math.round(ms)) * 1_000_000n).toString();
const str = (key: string, value: string) => ({ key, value: { stringValue: value } });

/** Options of {@link chatSpanAt}. */
export interface SpanAtOptions {
  /** Start time, epoch ms. */
  atMs: number;
  /** A word that appears only in this span's prompt, completion, unmapped attribute and event. */
  word: string;
  userId?: string;
  sessionId?: string;
  parentSpanId?: string;
}

/**
 * A chat span (320 + 180 tokens, priced gpt-4o-mini) whose prompt, completion, an unmapped
 * application attribute and an exception event all carry `word`.
 */
export function chatSpanAt(traceId: string, options: SpanAtOptions) {
  const span = chatSpanJson(traceId, randomHex(8), { parentSpanId: options.parentSpanId });
  const attributes = span.attributes.filter((a) => !a.key.endsWith('.messages'));
  attributes.push(
    str(
      'gen_ai.input.messages',
      JSON.stringify([{ role: 'user', parts: [{ type: 'text', content: `tell me about ${options.word}` }] }]),
    ),
    str(
      'gen_ai.output.messages',
      JSON.stringify([
        {
          role: 'assistant',
          parts: [{ type: 'text', content: `${options.word} is a word` }],
          finish_reason: 'stop',
        },
      ]),
    ),
    str('app.prompt_template', `template mentioning ${options.word}`),
  );
  if (options.userId !== undefined) attributes.push(str('user.id', options.userId));
  if (options.sessionId !== undefined) attributes.push(str('session.id', options.sessionId));
  return {
    ...span,
    startTimeUnixNano: ns(options.atMs),
    endTimeUnixNano: ns(options.atMs + 850),
    attributes,
    events: [
      {
        name: 'exception',
        timeUnixNano: ns(options.atMs + 800),
        attributes: [str('exception.type', 'ValueError'), str('exception.message', `bad ${options.word}`)],
      },
    ],
  };
}

/** An ExportTraceServiceRequest of spans. */
export const tracesBody = (spans: unknown[]) => tracesRequestJson(spans, 'governance-test');

/** An ExportLogsServiceRequest with one record of a trace whose body carries `word`. */
export function logBody(traceId: string, atMs: number, word: string): string {
  return JSON.stringify({
    resourceLogs: [
      {
        resource: { attributes: [str('service.name', 'governance-test')] },
        scopeLogs: [
          {
            scope: { name: 'argus-test' },
            logRecords: [
              {
                timeUnixNano: ns(atMs),
                traceId,
                body: { stringValue: `user asked about ${word}` },
                attributes: [str('app.note', `note on ${word}`)],
              },
            ],
          },
        ],
      },
    ],
  });
}

/** An API answer. */
export interface Answer<T = Record<string, unknown>> {
  status: number;
  body: T;
}

/** Calls the API with an optional JSON body; returns status and parsed body whatever the status. */
export async function callApi<T = Record<string, unknown>>(
  base: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<Answer<T>> {
  const response = await fetch(base + path, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : {}) as T };
}

/** POSTs an OTLP/JSON body; throws unless 200. */
export async function postOtlp(base: string, path: string, body: string): Promise<void> {
  const response = await fetch(base + path, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json' },
  });
  if (response.status !== 200) throw new Error(`POST ${path} → ${response.status} ${await response.text()}`);
}

/** Writes a score of a trace at `atMs` to the `default` project, past the API. */
export async function insertScore(argus: TestServer, traceId: string, atMs: number): Promise<void> {
  const line = scoreToRow({
    projectId: 'default',
    scoreId: randomHex(8),
    traceId,
    spanId: '',
    name: 'helpfulness',
    value: 1,
    stringValue: '',
    comment: 'fine',
    source: 'api',
    author: '',
    timeUnixNano: BigInt(atMs) * 1_000_000n,
    metadata: {},
  });
  await argus.server.store.writer.write('scores', [line]);
}

/** The `n` of a `SELECT count() AS n …` on the test server's ClickHouse. */
export async function countRows(
  argus: TestServer,
  sql: string,
  params: Record<string, string | string[]> = {},
): Promise<number> {
  return Number((await argus.server.store.driver.query<{ n: string }>(sql, params))[0]!.n);
}

/**
 * Asserts that deleted rows are gone from disk, not only hidden from queries: no active part of
 * the tables still masks rows (lightweight deletes), and each stores as many rows as it answers.
 */
export async function expectPurgedFromDisk(argus: TestServer, tables: readonly string[]): Promise<void> {
  for (const table of tables) {
    const [parts] = await argus.server.store.driver.query<{ stored: string; masked: string }>(
      'SELECT sum(rows) AS stored, sum(has_lightweight_delete) AS masked FROM system.parts WHERE database = currentDatabase() AND table = {t:String} AND active',
      { t: table },
    );
    expect(parts!.masked, table).toBe('0');
    expect(Number(parts!.stored), table).toBe(await countRows(argus, `SELECT count() AS n FROM ${table}`));
  }
}
