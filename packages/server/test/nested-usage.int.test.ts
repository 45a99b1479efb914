/**
 * One model call seen twice — LangChain's ChatOpenAI span around an instrumented OpenAI client's
 * span, both `llm` with the same usage — counts once in trace totals and rollups: the outer span
 * is stored as an aggregate, the inner one (which saw the provider's answer) carries the usage.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomHex, tracesRequestJson } from './support/otlp-json.ts';
import { startTestServer, type TestServer } from './support/server.ts';

let argus: TestServer;
beforeAll(async () => {
  argus = await startTestServer();
});
afterAll(() => argus?.stop());

function llmSpan(traceId: string, spanId: string, parentSpanId: string, name: string) {
  const now = BigInt(Date.now()) * 1_000_000n;
  return {
    traceId,
    spanId,
    parentSpanId,
    name,
    kind: parentSpanId ? 3 : 1,
    startTimeUnixNano: (now - 900_000_000n).toString(),
    endTimeUnixNano: now.toString(),
    attributes: [
      { key: 'gen_ai.operation.name', value: { stringValue: 'chat' } },
      { key: 'gen_ai.provider.name', value: { stringValue: 'openai' } },
      { key: 'gen_ai.request.model', value: { stringValue: 'gpt-4o-mini' } },
      { key: 'gen_ai.usage.input_tokens', value: { intValue: '1000' } },
      { key: 'gen_ai.usage.output_tokens', value: { intValue: '500' } },
    ],
  };
}

describe('an llm span wrapping another llm span', () => {
  it('counts the call once in the trace totals and the series', async () => {
    const traceId = randomHex(16);
    const outer = randomHex(8);
    const body = tracesRequestJson([
      llmSpan(traceId, outer, '', 'ChatOpenAI'),
      llmSpan(traceId, randomHex(8), outer, 'chat gpt-4o-mini'),
    ]);
    const sent = await fetch(`${argus.url}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    expect(sent.status).toBe(200);
    const list = await argus.get<{
      data: { traceId: string; inputTokens: number; outputTokens: number; costUsd: number }[];
    }>('/api/v1/traces');
    const trace = list.data.find((t) => t.traceId === traceId)!;
    expect(trace).toMatchObject({ inputTokens: 1000, outputTokens: 500 });
    const detail = await argus.get<{
      spans: { name: string; attributes: Record<string, unknown>; costUsd: number }[];
    }>(`/api/v1/traces/${traceId}`);
    const wrapper = detail.spans.find((s) => s.name === 'ChatOpenAI')!;
    const inner = detail.spans.find((s) => s.name === 'chat gpt-4o-mini')!;
    expect(wrapper.attributes['argus.usage_scope']).toBe('aggregate');
    expect(inner.costUsd).toBeGreaterThan(0);
    expect(trace.costUsd).toBeCloseTo(inner.costUsd, 10);
    const series = await argus.get<{ totals: { inputTokens: number } }>(
      '/api/v1/metrics/series?metrics=inputTokens',
    );
    expect(series.totals.inputTokens).toBe(1000);
  });
});
