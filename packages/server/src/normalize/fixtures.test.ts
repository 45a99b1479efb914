/**
 * Real OTLP requests captured from real instrumentation libraries (packages/server/test/fixtures/otlp,
 * see its README for the scenario), through the real decoders and the normalizer.
 */
import { readFileSync } from 'node:fs';
import type { Span } from '@argus/shared';
import { describe, expect, it } from 'vitest';
import { DEFAULT_DECODE_LIMITS, decodeLogs, decodeTraces } from '../otlp/index.ts';
import { CTX, plain, text } from './builders.test-util.ts';
import { mergeSpanContent, normalizeLogs, normalizeTraces } from './index.ts';

const DIR = new URL('../../test/fixtures/otlp/', import.meta.url);

function spansOf(file: string): Span[] {
  const format = file.endsWith('.json') ? 'json' : 'protobuf';
  const result = normalizeTraces(
    decodeTraces(readFileSync(new URL(file, DIR)), format, DEFAULT_DECODE_LIMITS),
    CTX,
  );
  expect(result.rejected).toBe(0);
  return plain(result.spans);
}

const SYSTEM = text('system', 'You are Kimi');
const USER = text('user', 'Tell me a fairy tale');
const ANSWER = 'Once upon a time, a fox learned to count tokens.';

describe('openlit-ts (OTel GenAI >=1.37 shape, JSON)', () => {
  const [chat, streamed, embeddings] = spansOf('openlit-ts.traces.json');

  it('maps the chat call exactly', () => {
    expect(chat).toMatchObject({
      traceId: 'b368b630948ba6a79ee0057293896533',
      spanId: 'df58b2aa7454478e',
      kind: 'llm',
      convention: 'openlit',
      provider: 'openai',
      operation: 'chat',
      requestModel: 'gpt-4o-mini',
      responseModel: 'gpt-4o-mini-2024-08-06',
      params: { temperature: 0.3, topP: 0.9, maxTokens: 100, stream: false },
      inputTokens: 21,
      outputTokens: 11,
      totalTokens: 32,
      finishReasons: ['stop'],
      responseId: 'chatcmpl-1',
      input: [SYSTEM, USER],
      output: [text('assistant', ANSWER, 'stop')],
      systemInstructions: [{ type: 'text', content: 'You are Kimi' }],
      serviceName: 'kimi_openlit_node',
      environment: 'test',
      status: 'ok',
      startTime: '2026-11-21T04:52:26.042000000Z',
      endTime: '2026-11-21T04:52:26.065813438Z',
      startTimeUnixNano: '1795236746042000000',
      endTimeUnixNano: '1795236746065813438',
      durationMs: 23.813438,
    });
    expect(chat?.ttftMs).toBeUndefined();
  });

  it("treats OpenLIT's reported cost of 0 for a call with tokens as unknown", () => {
    // Why: OpenLIT sends 0 when its price list lacks the model; "reported 0" would block the enrich step.
    expect(chat).toMatchObject({ costUsd: 0, costSource: 'none' });
    expect(chat?.attributes['gen_ai.usage.cost']).toBe(0);
  });

  it('maps the streamed call with TTFT converted from seconds', () => {
    // OpenLIT recorded its own defaults (temperature/top_p 1) and the mock's streamed usage (2/12).
    expect(streamed).toMatchObject({
      params: { temperature: 1, topP: 1, stream: true },
      input: [text('user', 'stream please')],
      output: [text('assistant', ANSWER, 'stop')],
      inputTokens: 2,
      outputTokens: 12,
      responseModel: 'gpt-4o-mini',
      ttftMs: 1,
    });
    expect(streamed?.tokensPerSecond).toBeCloseTo(12 / ((1158.063949 - 1) / 1000), 6);
  });

  it('maps the embeddings call with a plain input', () => {
    expect(embeddings).toMatchObject({
      kind: 'embedding',
      operation: 'embeddings',
      requestModel: 'text-embedding-3-small',
      inputTokens: 5,
      totalTokens: 5,
      input: ['hello world'],
    });
  });

  it("the same run's log events carry the same content and merge into a span that lacks it", () => {
    const logs = normalizeLogs(
      decodeLogs(readFileSync(new URL('openlit-ts.logs.json', DIR)), 'json', DEFAULT_DECODE_LIMITS),
      CTX,
    );
    expect(logs.rejected).toBe(0);
    expect(logs.logs).toHaveLength(2);
    const first = plain(logs.logs[0]!);
    expect(first).toMatchObject({
      traceId: chat?.traceId,
      spanId: chat?.spanId,
      eventName: 'gen_ai.client.inference.operation.details',
      serviceName: 'kimi_openlit_node',
      content: {
        input: [SYSTEM, USER],
        output: [text('assistant', ANSWER, 'stop')],
        finishReasons: ['stop'],
      },
    });
    const { input: _i, output: _o, systemInstructions: _s, ...bare } = chat!;
    const merged = plain(mergeSpanContent({ ...bare, finishReasons: [] }, [logs.logs[0]!.content!]));
    expect(merged.input).toEqual(chat?.input);
    expect(merged.output).toEqual(chat?.output);
    expect(merged.systemInstructions).toEqual(chat?.systemInstructions);
    expect(merged.finishReasons).toEqual(['stop']);
  });
});

describe('openinference-openai (protobuf, one span per request)', () => {
  it('maps the chat call: request model from the invocation parameters, response id from output.value', () => {
    const [chat] = spansOf('openinference-openai.1.traces.pb');
    expect(chat).toMatchObject({
      kind: 'llm',
      convention: 'openinference',
      provider: 'openai',
      requestModel: 'gpt-4o-mini',
      responseModel: 'gpt-4o-mini-2024-08-06',
      params: { temperature: 0.3 },
      input: [SYSTEM, USER],
      output: [text('assistant', ANSWER, 'stop')],
      systemInstructions: [{ type: 'text', content: 'You are Kimi' }],
      inputTokens: 21,
      outputTokens: 11,
      totalTokens: 32,
      finishReasons: ['stop'],
      responseId: 'chatcmpl-1',
      serviceName: 'oi-app',
      status: 'ok',
    });
  });

  it('maps the streamed call (no usage reported by this library)', () => {
    const [streamed] = spansOf('openinference-openai.2.traces.pb');
    expect(streamed).toMatchObject({
      kind: 'llm',
      requestModel: 'gpt-4o-mini',
      params: { stream: true },
      input: [text('user', 'stream please')],
      output: [text('assistant', ANSWER, 'stop')],
      inputTokens: 0,
      status: 'unset',
    });
  });

  it('maps the embeddings call and drops the vector', () => {
    const [embedding] = spansOf('openinference-openai.3.traces.pb');
    expect(embedding).toMatchObject({
      kind: 'embedding',
      requestModel: 'text-embedding-3-small',
      input: ['hello world'],
    });
    expect(Object.keys(embedding!.attributes).some((k) => k.startsWith('embedding.embeddings.'))).toBe(false);
  });
});

describe('otel-instrumentation-openai (protobuf, content exported as logs only)', () => {
  const [chat, streamed, embeddings] = spansOf('otel-instrumentation-openai.traces.pb');

  it.each([
    // Why: the plain OTel 1.28–1.36 span: request/response/usage attributes, no content.
    {
      span: chat,
      responseModel: 'gpt-4o-mini-2024-08-06',
      tokens: [21, 11],
      params: { temperature: 0.3, topP: 0.9 },
    },
    // Why: the streamed call reports the same usage thanks to stream_options.include_usage.
    { span: streamed, responseModel: 'gpt-4o-mini', tokens: [21, 11], params: {} },
    // Why: embeddings report input tokens only.
    { span: embeddings, responseModel: 'text-embedding-3-small', tokens: [5, 0], params: {} },
  ])('span $#', ({ span, responseModel, tokens, params }) => {
    expect(span).toMatchObject({
      convention: 'otel_genai',
      provider: 'openai',
      responseModel,
      inputTokens: tokens[0],
      outputTokens: tokens[1],
      params,
      serviceName: 'otel-openai-app',
      status: 'unset',
    });
    expect(span?.input).toBeUndefined();
  });

  it("keeps the chat call's identity and finish reason", () => {
    expect(chat).toMatchObject({
      kind: 'llm',
      requestModel: 'gpt-4o-mini',
      finishReasons: ['stop'],
      responseId: 'chatcmpl-1',
    });
    expect(embeddings).toMatchObject({ kind: 'embedding', operation: 'embeddings' });
  });
});
