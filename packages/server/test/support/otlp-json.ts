/** Builds OTLP/JSON trace requests with realistic LLM spans, for tests and the load generator. */
import { randomBytes } from 'node:crypto';

/** A random lowercase hex id of `bytes` bytes. */
export const randomHex = (bytes: number): string => randomBytes(bytes).toString('hex');

const WORDS =
  'the model answered with a careful summary of quarterly revenue tokens latency budget retrieval agent tool'.split(
    ' ',
  );

/** Roughly `chars` characters of word salad. */
export function text(chars: number, seed = 0): string {
  const out: string[] = [];
  let length = 0;
  for (let i = seed; length < chars; i++) {
    const word = WORDS[(i * 7 + seed) % WORDS.length]!;
    out.push(word);
    length += word.length + 1;
  }
  return out.join(' ');
}

/** One chat span in OTel GenAI ≥ 1.37 shape (OTLP/JSON), ~`contentChars` of prompt + completion. */
export function chatSpanJson(
  traceId: string,
  spanId: string,
  options: { parentSpanId?: string; contentChars?: number; model?: string } = {},
) {
  const now = BigInt(Date.now()) * 1_000_000n;
  const half = Math.floor((options.contentChars ?? 1500) / 2);
  return {
    traceId,
    spanId,
    parentSpanId: options.parentSpanId ?? '',
    name: `chat ${options.model ?? 'gpt-4o-mini'}`,
    kind: 3,
    startTimeUnixNano: (now - 850_000_000n).toString(),
    endTimeUnixNano: now.toString(),
    attributes: [
      { key: 'gen_ai.operation.name', value: { stringValue: 'chat' } },
      { key: 'gen_ai.provider.name', value: { stringValue: 'openai' } },
      { key: 'gen_ai.request.model', value: { stringValue: options.model ?? 'gpt-4o-mini' } },
      { key: 'gen_ai.request.temperature', value: { doubleValue: 0.2 } },
      { key: 'gen_ai.usage.input_tokens', value: { intValue: '320' } },
      { key: 'gen_ai.usage.output_tokens', value: { intValue: '180' } },
      {
        key: 'gen_ai.input.messages',
        value: {
          stringValue: JSON.stringify([
            { role: 'user', parts: [{ type: 'text', content: text(half, spanId.charCodeAt(0)) }] },
          ]),
        },
      },
      {
        key: 'gen_ai.output.messages',
        value: {
          stringValue: JSON.stringify([
            {
              role: 'assistant',
              parts: [{ type: 'text', content: text(half, spanId.charCodeAt(1)) }],
              finish_reason: 'stop',
            },
          ]),
        },
      },
    ],
  };
}

/** An ExportTraceServiceRequest (JSON text) holding `spans`. */
export function tracesRequestJson(spans: unknown[], serviceName = 'load-test'): string {
  return JSON.stringify({
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: serviceName } }] },
        scopeSpans: [{ scope: { name: 'argus-test' }, spans }],
      },
    ],
  });
}
