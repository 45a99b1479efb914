/** OTLP/JSON spans and logs at chosen times with chosen users, and API calls, for the retention and erasure tests. */
import { chatSpanJson, randomHex, tracesRequestJson } from './otlp-json.ts';

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
