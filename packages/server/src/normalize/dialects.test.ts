/**
 * One chat call, every convention: normalization must produce the SAME canonical fields from
 * each dialect (conventions.md Appendix A), not pass attributes through.
 */

import type { Span } from '@argus/shared';
import { describe, expect, it } from 'vitest';
import { DIALECT_CASES, type DialectCase } from './appendix-a.test-util.ts';
import { CTX, logRecord, logsRequest, plain, spanInput, text } from './builders.test-util.ts';
import { mergeSpanContent, normalizeLogs, normalizeSpan } from './index.ts';

/** The canonical call every dialect describes. */
const EXPECTED = {
  kind: 'llm',
  provider: 'openai',
  operation: 'chat',
  requestModel: 'gpt-4o',
  responseModel: 'gpt-4o-2024-08-06',
  temperature: 0.2,
  maxTokens: 100,
  input: [text('user', 'Hi')],
  output: [text('assistant', 'Hello!')],
  inputTokens: 120,
  cacheReadTokens: 100,
  outputTokens: 12,
  totalTokens: 132,
  finishReasons: ['stop'],
  ttftMs: 410.2,
};

function normalizeCase(c: DialectCase): Span {
  let span = normalizeSpan(spanInput(c.attributes, c.options), CTX);
  if (c.logs) {
    const { logs } = normalizeLogs(
      logsRequest(...c.logs.map(([name, body], i) => logRecord(name, body, {}, i))),
      CTX,
    );
    span = mergeSpanContent(
      span,
      logs.flatMap((l) => (l.content ? [l.content] : [])),
    );
  }
  return span;
}

/** The canonical view compared across dialects; output finish reasons are compared via `finishReasons`. */
function view(span: Span, c: DialectCase) {
  const lacks = new Set<string>(c.lacks ?? []);
  const out = plain({
    kind: span.kind,
    provider: span.provider,
    operation: span.operation,
    requestModel: span.requestModel,
    responseModel: span.responseModel,
    temperature: span.params.temperature,
    maxTokens: span.params.maxTokens,
    input: span.input,
    output: (span.output as { finishReason?: string }[] | undefined)?.map(({ finishReason: _f, ...m }) => m),
    inputTokens: span.inputTokens,
    cacheReadTokens: span.cacheReadTokens,
    outputTokens: span.outputTokens,
    totalTokens: span.totalTokens,
    finishReasons: span.finishReasons,
    ttftMs: span.ttftMs === undefined ? undefined : Math.round(span.ttftMs * 1000) / 1000,
  }) as Record<string, unknown>;
  const expected: Record<string, unknown> = { ...EXPECTED };
  for (const field of lacks) {
    delete out[field];
    delete expected[field];
  }
  if (lacks.has('cacheReadTokens')) expected.cacheReadTokens = undefined;
  return { out, expected };
}

describe('the same chat call in every convention', () => {
  it.each(DIALECT_CASES)('$name', (c) => {
    const span = normalizeCase(c);
    const { out, expected } = view(span, c);
    for (const key of Object.keys(expected)) if (expected[key] === undefined) delete expected[key];
    expect(out).toEqual(expected);
    expect(span.convention).toBe(c.convention);
    // Mapped attributes leave `attributes`: the mapping is normalization, not pass-through.
    for (const key of [
      'gen_ai.request.temperature',
      'gen_ai.input.messages',
      'llm.input_messages.0.message.content',
    ]) {
      expect(span.attributes).not.toHaveProperty([key]);
    }
  });

  it('output messages carry the finish reason wherever the dialect reports one', () => {
    // Why: the chat view reads finish reasons from messages; dialects put them on the span, the message or both.
    for (const c of DIALECT_CASES.filter((d) => !d.lacks?.includes('finishReasons'))) {
      const output = plain(normalizeCase(c).output) as { finishReason?: string }[];
      expect(output[0]?.finishReason, c.name).toBe('stop');
    }
  });
});

describe('dialect-specific extras of the same call', () => {
  it.each([
    // Why: reported cost must be kept as reported (OpenLIT), never recomputed.
    { name: 'OpenLIT current', field: 'costUsd', value: 0.0003 },
    { name: 'OpenLIT current', field: 'costSource', value: 'reported' },
    // Why: OpenLIT puts service.name/deployment.environment on the span itself.
    { name: 'OpenLIT current', field: 'environment', value: 'prod' },
    // Why: legacy OpenLIT named the app gen_ai.application_name; resource says "svc" here so it loses.
    { name: 'OpenLIT legacy', field: 'environment', value: 'default' },
    // Why: OpenLLMetry's association properties carry the session.
    { name: 'OpenLLMetry legacy', field: 'sessionId', value: 's1' },
    // Why: Langfuse user/session/tags come from their own keys.
    { name: 'Langfuse', field: 'userId', value: 'u1' },
    { name: 'Langfuse', field: 'sessionId', value: 's1' },
    { name: 'Langfuse', field: 'tags', value: ['a'] },
    // Why: the response id is in the OTel attribute.
    { name: 'OTel GenAI >=1.37', field: 'responseId', value: 'chatcmpl-1' },
  ])('$name → $field', ({ name, field, value }) => {
    const c = DIALECT_CASES.find((d) => d.name.startsWith(name))!;
    expect(plain(normalizeCase(c))[field as keyof Span]).toEqual(value);
  });

  it('Vercel legacy outer span is a chain whose usage is flagged as aggregate', () => {
    // Why: ai.streamText repeats the usage of its doStream child; the store must not count it twice.
    const outer = normalizeSpan(
      spanInput(
        {
          'operation.name': 'ai.streamText my-fn',
          'ai.operationId': 'ai.streamText',
          'ai.telemetry.functionId': 'my-fn',
          'ai.telemetry.metadata.userId': 'u1',
          'ai.prompt': '{"prompt":"Hi"}',
          'ai.response.text': 'Hello!',
          'ai.usage.promptTokens': 120,
          'ai.usage.completionTokens': 12,
        },
        { name: 'ai.streamText', scope: 'ai' },
      ),
      CTX,
    );
    expect(plain(outer)).toMatchObject({
      kind: 'chain',
      convention: 'vercel_ai',
      userId: 'u1',
      metadata: { userId: 'u1' },
      input: [text('user', 'Hi')],
      output: [text('assistant', 'Hello!')],
      inputTokens: 120,
      outputTokens: 12,
      params: { stream: true },
      attributes: { 'argus.usage_scope': 'aggregate', 'ai.telemetry.functionId': 'my-fn' },
    });
  });

  it('a leaf llm span is never flagged aggregate', () => {
    // Why: the flag must only mark parents, or trace totals would lose real usage.
    const span = normalizeCase(DIALECT_CASES[0]!);
    expect(span.attributes['argus.usage_scope']).toBeUndefined();
  });
});
