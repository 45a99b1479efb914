/**
 * Real request bodies captured from public instrumentation libraries (see
 * packages/server/test/fixtures/README.md for the scenario each one ran).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES_DIR } from '../../test/support/fixtures.ts';
import { DEFAULT_DECODE_LIMITS, decodeLogs, decodeTraces } from './index.ts';
import type { OtlpSpan, TracesRequest } from './types.ts';

const FIXTURES = FIXTURES_DIR;

function fixture(name: string): Uint8Array {
  return readFileSync(join(FIXTURES, name));
}

function spansOf(request: TracesRequest): OtlpSpan[] {
  return request.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans));
}

function expectWellFormed(spans: OtlpSpan[]): void {
  for (const span of spans) {
    expect(span.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(span.spanId).toMatch(/^[0-9a-f]{16}$/);
    expect(span.endTimeUnixNano).toBeGreaterThan(span.startTimeUnixNano);
    expect(span.startTimeUnixNano).toBeGreaterThan(1_700_000_000_000_000_000n);
  }
}

describe('@opentelemetry/instrumentation-openai (protobuf)', () => {
  const request = decodeTraces(
    fixture('otel-instrumentation-openai.traces.pb'),
    'protobuf',
    DEFAULT_DECODE_LIMITS,
  );
  const spans = spansOf(request);

  it('has the chat, streamed chat and embeddings spans', () => {
    expectWellFormed(spans);
    expect(spans.map((span) => span.name)).toEqual([
      'chat gpt-4o-mini',
      'chat gpt-4o-mini',
      'embeddings text-embedding-3-small',
    ]);
    expect(spans.every((span) => span.kind === 3)).toBe(true);
    expect(request.resourceSpans[0]!.resource.attributes['service.name']).toBe('otel-openai-app');
    expect(request.resourceSpans[0]!.scopeSpans[0]!.scope).toMatchObject({
      name: '@opentelemetry/instrumentation-openai',
      version: '0.21.0',
    });
  });

  it('carries the GenAI attributes with their types', () => {
    expect(spans[0]!.attributes).toMatchObject({
      'gen_ai.request.model': 'gpt-4o-mini',
      'gen_ai.response.model': 'gpt-4o-mini-2024-08-06',
      'gen_ai.request.temperature': 0.3,
      'gen_ai.request.top_p': 0.9,
      'gen_ai.usage.input_tokens': 21,
      'gen_ai.usage.output_tokens': 11,
      'gen_ai.response.finish_reasons': ['stop'],
    });
    expect(spans[2]!.attributes['gen_ai.usage.input_tokens']).toBe(5);
  });
});

describe('@arizeai/openinference-instrumentation-openai (protobuf, one span per request)', () => {
  it.each([
    ['openinference-openai.1.traces.pb', 'OpenAI Chat Completions', 'LLM'],
    ['openinference-openai.2.traces.pb', 'OpenAI Chat Completions', 'LLM'],
    ['openinference-openai.3.traces.pb', 'OpenAI Embeddings', 'EMBEDDING'],
  ])('%s has one %s span', (file, name, kind) => {
    const request = decodeTraces(fixture(file), 'protobuf', DEFAULT_DECODE_LIMITS);
    const spans = spansOf(request);
    expectWellFormed(spans);
    expect(spans).toHaveLength(1);
    expect(spans[0]!.name).toBe(name);
    expect(spans[0]!.attributes['openinference.span.kind']).toBe(kind);
    expect(request.resourceSpans[0]!.resource.attributes['openinference.project.name']).toBe('oi-proj');
  });

  it('keeps flattened message attributes and token counts', () => {
    const [span] = spansOf(
      decodeTraces(fixture('openinference-openai.1.traces.pb'), 'protobuf', DEFAULT_DECODE_LIMITS),
    );
    expect(span!.attributes).toMatchObject({
      'llm.model_name': 'gpt-4o-mini-2024-08-06',
      'llm.input_messages.0.message.content': 'You are Kimi',
      'llm.output_messages.0.message.content': 'Once upon a time, a fox learned to count tokens.',
      'llm.token_count.prompt': 21,
      'llm.token_count.completion': 11,
    });
    expect(JSON.parse(span!.attributes['input.value'] as string).model).toBe('gpt-4o-mini');
  });
});

describe('openlit (JSON)', () => {
  const spans = spansOf(decodeTraces(fixture('openlit-ts.traces.json'), 'json', DEFAULT_DECODE_LIMITS));

  it('has three spans with GenAI ≥1.37 attributes', () => {
    expectWellFormed(spans);
    expect(spans).toHaveLength(3);
    expect(spans[0]!.attributes['gen_ai.request.model']).toBe('gpt-4o-mini');
    expect(spans[0]!.attributes['gen_ai.request.max_tokens']).toBe(100);
    expect(spans[1]!.attributes['gen_ai.request.is_stream']).toBe(true);
    expect(spans[1]!.attributes['gen_ai.server.time_to_first_token']).toBe(0.001);
    const output = JSON.parse(spans[0]!.attributes['gen_ai.output.messages'] as string);
    expect(output[0].parts[0].content).toBe('Once upon a time, a fox learned to count tokens.');
  });

  it('has log records that join their spans by trace and span id', () => {
    const logs = decodeLogs(fixture('openlit-ts.logs.json'), 'json', DEFAULT_DECODE_LIMITS);
    const records = logs.resourceLogs.flatMap((rl) => rl.scopeLogs.flatMap((sl) => sl.logRecords));
    expect(records).toHaveLength(2);
    for (const record of records) {
      expect(record.eventName).toBe('gen_ai.client.inference.operation.details');
      expect(record.severityNumber).toBe(9);
      const span = spans.find((s) => s.spanId === record.spanId);
      expect(span?.traceId).toBe(record.traceId);
    }
    expect(records[0]!.attributes['gen_ai.usage.input_tokens']).toBe(21);
  });
});
