/** Synthetic traffic of the explainability tests: chat spans with a planted latency effect. */
import { randomHex } from './otlp-json.ts';

/** A chat span whose latency is planted: 100 ms + 2 ms per max token + up to 50 ms noise. */
export function plantedSpan(i: number, startMs: number) {
  const maxTokens = [64, 128, 256, 512, 1024][i % 5]!;
  const temperature = [0, 0.7][(i * 7) % 2]!;
  const durationMs = 100 + 2 * maxTokens + ((i * 37) % 50);
  const attr = (key: string, value: Record<string, unknown>) => ({ key, value });
  return {
    traceId: randomHex(16),
    spanId: randomHex(8),
    name: 'chat gpt-4o-mini',
    kind: 3,
    startTimeUnixNano: `${BigInt(startMs) * 1_000_000n}`,
    endTimeUnixNano: `${BigInt(startMs + durationMs) * 1_000_000n}`,
    attributes: [
      attr('gen_ai.operation.name', { stringValue: 'chat' }),
      attr('gen_ai.provider.name', { stringValue: 'openai' }),
      attr('gen_ai.request.model', { stringValue: i % 3 === 0 ? 'gpt-4o' : 'gpt-4o-mini' }),
      attr('gen_ai.request.max_tokens', { intValue: String(maxTokens) }),
      attr('gen_ai.request.temperature', { doubleValue: temperature }),
      attr('gen_ai.usage.input_tokens', { intValue: String(50 + (i % 11)) }),
      attr('gen_ai.usage.output_tokens', { intValue: '40' }),
    ],
    status: { code: 1 },
  };
}
