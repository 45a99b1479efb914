/**
 * Bad input harms nothing (principle 5): a bad span is rejected alone with a clear message,
 * milder problems are repaired and flagged, and nothing throws.
 */
import { describe, expect, it } from 'vitest';
import { CTX, event, plain, START_NS, spanInput, tracesRequest } from './builders.test-util.ts';
import { normalizeSpan, normalizeTraces } from './index.ts';

describe('spans that cannot be stored are rejected alone', () => {
  it.each([
    // Why: the message format is part of the OTLP partial-success contract.
    {
      patch: { traceId: 'abc' },
      message: "Cannot accept span: 'traceId' is 'abc' (3 hex chars), expected 32 hex chars",
    },
    // Why: base64 or garbage ids must not reach the hex columns.
    {
      patch: { spanId: 'zzzzzzzzzzzzzzzz' },
      message: "Cannot accept span: 'spanId' is 'zzzzzzzzzzzzzzzz' (not hex), expected 16 hex chars",
    },
    // Why: logs posted to /v1/traces decode as spans without ids (conventions.md 4).
    { patch: { spanId: '' }, message: "Cannot accept span: 'spanId' is empty, expected 16 hex chars" },
    // Why: the W3C spec forbids all-zero ids; they would collide across traces.
    {
      patch: { traceId: '0'.repeat(32) },
      message: "Cannot accept span: 'traceId' is all zeros, expected a non-zero id",
    },
    {
      patch: { spanId: '0'.repeat(16) },
      message: "Cannot accept span: 'spanId' is all zeros, expected a non-zero id",
    },
    // Why: a malformed parent would silently orphan the span in the waterfall.
    {
      patch: { parentSpanId: 'abcd' },
      message: "Cannot accept span: 'parentSpanId' is 'abcd' (4 hex chars), expected 16 hex chars",
    },
    // Why: a span at 1970 would land in a partition that retention drops at once.
    {
      patch: { startTimeUnixNano: 0n },
      message: "Cannot accept span: 'startTimeUnixNano' is 0, expected unix nanoseconds after 1970",
    },
  ])('$message', ({ patch, message }) => {
    const good = spanInput({ 'gen_ai.request.model': 'gpt-4o' });
    const bad = spanInput({}, patch);
    const result = normalizeTraces(tracesRequest(good, bad, good), CTX);
    expect(result.rejected).toBe(1);
    expect(result.spans).toHaveLength(2);
    expect(result.errors).toEqual([message]);
  });

  it('reports at most 10 distinct messages however many spans fail', () => {
    // Why: partialSuccess.errorMessage must stay short under a flood of bad spans.
    const bad = Array.from({ length: 25 }, (_, i) => spanInput({}, { traceId: 'a'.repeat(i % 12) + 'x' }));
    const repeated = Array.from({ length: 5 }, () => spanInput({}, { spanId: 'abc' }));
    const result = normalizeTraces(tracesRequest(...bad, ...repeated), CTX);
    expect(result.rejected).toBe(30);
    expect(result.errors).toHaveLength(10);
    expect(new Set(result.errors).size).toBe(10);
  });

  it('accepts an all-zero or upper-case parent id as root / lower-cased', () => {
    // Why: some SDKs send 0000000000000000 for "no parent"; hex ids are case-insensitive.
    expect(normalizeSpan(spanInput({}, { parentSpanId: '0'.repeat(16) }), CTX).parentSpanId).toBe('');
    const span = normalizeSpan(
      spanInput({}, { traceId: 'ABCDEF0123456789ABCDEF0123456789', parentSpanId: 'B7AD6B7169203331' }),
      CTX,
    );
    expect(span).toMatchObject({
      traceId: 'abcdef0123456789abcdef0123456789',
      parentSpanId: 'b7ad6b7169203331',
    });
  });
});

describe('repairable problems are repaired and flagged', () => {
  it('clamps an end before the start and records argus.warning', () => {
    const span = normalizeSpan(spanInput({}, { endTimeUnixNano: START_NS - 5_000_000n }), CTX);
    expect(span.endTimeUnixNano).toBe(span.startTimeUnixNano);
    expect(span.durationMs).toBe(0);
    expect(span.attributes['argus.warning']).toMatch(/before startTimeUnixNano.*end set to start/);
  });

  it('keeps full nanosecond precision in ISO and decimal times', () => {
    const span = normalizeSpan(spanInput({}, { durationMs: 1.5 }), CTX);
    expect(span).toMatchObject({
      startTime: '2026-11-21T05:03:54.123456789Z',
      endTime: '2026-11-21T05:03:54.124956789Z',
      startTimeUnixNano: '1795237434123456789',
      durationMs: 1.5,
    });
  });

  it.each([
    // Why: JSON doubles may be "NaN"/"Infinity"; they would poison sums and JSON output.
    {
      key: 'gen_ai.request.temperature',
      value: Number.NaN,
      field: (s: ReturnType<typeof normalizeSpan>) => s.params.temperature,
    },
    {
      key: 'gen_ai.usage.input_tokens',
      value: Number.POSITIVE_INFINITY,
      field: (s: ReturnType<typeof normalizeSpan>) => s.inputTokens || undefined,
    },
    {
      key: 'gen_ai.usage.cost',
      value: Number.NEGATIVE_INFINITY,
      field: (s: ReturnType<typeof normalizeSpan>) => s.costUsd || undefined,
    },
  ])('drops $key = $value', ({ key, value, field }) => {
    const span = normalizeSpan(spanInput({ [key]: value, 'gen_ai.request.model': 'm' }), CTX);
    expect(field(span)).toBeUndefined();
    expect(span.attributes).not.toHaveProperty([key]);
  });

  it('replaces non-finite numbers nested in raw values and event attributes', () => {
    const span = normalizeSpan(
      spanInput(
        { list: [1, Number.NaN, 3], obj: { a: Number.POSITIVE_INFINITY } },
        { events: [event('e', { x: Number.NaN, y: 1 })] },
      ),
      CTX,
    );
    expect(span.attributes).toMatchObject({ list: [1, null, 3], obj: { a: null } });
    expect(plain(span.events[0]?.attributes)).toEqual({ y: 1 });
  });

  it('truncates a huge attribute with the marker and counts it', () => {
    const span = normalizeSpan(spanInput({ big: 'x'.repeat(100_000) }), CTX);
    const big = span.attributes.big as string;
    expect(big).toBe(`${'x'.repeat(16_384)}…[argus: truncated ${100_000 - 16_384} chars]`);
    expect(span.attributes['argus.truncated']).toBe(1);
  });

  it('fits huge message content into maxContentChars and keeps its shape', () => {
    const huge = 'y'.repeat(3_000_000);
    const messages = JSON.stringify([{ role: 'user', parts: [{ type: 'text', content: huge }] }]);
    const span = normalizeSpan(
      spanInput({ 'gen_ai.input.messages': messages, 'gen_ai.request.model': 'm' }),
      CTX,
    );
    const input = span.input as { parts: { content: string }[] }[];
    expect(JSON.stringify(input).length).toBeLessThanOrEqual(CTX.limits.maxContentChars);
    expect(input[0]?.parts[0]?.content).toMatch(/…\[argus: truncated \d+ chars]$/);
    expect(span.attributes['argus.truncated']).toBe(1);
  });

  it('keeps maxAttributes raw attributes out of 10k and counts the rest', () => {
    const many = Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`k${i}`, i]));
    const span = normalizeSpan(spanInput({ ...many, 'gen_ai.request.model': 'm' }), CTX);
    const raw = Object.keys(span.attributes).filter((k) => !k.startsWith('argus.'));
    expect(raw).toHaveLength(512);
    expect(span.attributes['argus.dropped_attributes']).toBe(10_000 - 512);
    expect(span.requestModel).toBe('m');
  });

  it('un-flattens 10k indexed messages in numeric order', () => {
    // Why: string order puts 10 before 2 (rule 3.4.2); a huge index must not allocate a huge array.
    const flat: Record<string, string> = {};
    for (let i = 0; i < 10_000; i++) {
      flat[`llm.input_messages.${i}.message.role`] = 'user';
      flat[`llm.input_messages.${i}.message.content`] = `m${i}`;
    }
    flat['llm.input_messages.4294967295.message.content'] = 'last';
    const span = normalizeSpan(spanInput({ 'openinference.span.kind': 'LLM', ...flat }), CTX);
    const input = span.input as { parts: { content: string }[] }[];
    expect(input).toHaveLength(10_001);
    expect(input.slice(0, 3).map((m) => m.parts[0]?.content)).toEqual(['m0', 'm1', 'm2']);
    expect(input[10]?.parts[0]?.content).toBe('m10');
    expect(input[10_000]?.parts[0]?.content).toBe('last');
  });
});

describe('hostile values never throw', () => {
  it.each([
    // Why: deeply nested JSON would overflow recursive walkers.
    { name: 'deeply nested JSON', value: `${'['.repeat(100_000)}${']'.repeat(100_000)}` },
    { name: 'deeply nested objects', value: `${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}` },
    // Why: garbage JSON must stay raw, not become a fake message.
    { name: 'garbage JSON', value: '[{"role": "user", "content": ' },
    { name: 'Python repr gone wrong', value: "[{'role': 'user', 'content': 'unterminated}]" },
    { name: 'empty string', value: '' },
  ])('$name in gen_ai.input.messages', ({ value }) => {
    const span = normalizeSpan(
      spanInput({ 'gen_ai.input.messages': value, 'gen_ai.request.model': 'm' }),
      CTX,
    );
    expect(span.kind).toBe('llm');
    expect(JSON.stringify(span)).toBeTypeOf('string');
  });

  it('keeps garbage JSON raw in attributes', () => {
    const garbage = '[{"role": "user", "content": ';
    const span = normalizeSpan(
      spanInput({
        'gen_ai.input.messages': garbage,
        'llm.invocation_parameters': '{temperature: 0.2',
        'gen_ai.request.model': 'm',
      }),
      CTX,
    );
    expect(span.input).toBeUndefined();
    expect(span.attributes).toMatchObject({
      'gen_ai.input.messages': garbage,
      'llm.invocation_parameters': '{temperature: 0.2',
    });
  });

  it('parses Python-repr message strings', () => {
    // Why: old gen_ai.prompt values and OpenInference examples are Python repr, not JSON.
    const repr = "[{'role': 'user', 'content': \"it's\", 'name': None, 'extra': (1, True)}]";
    const span = normalizeSpan(spanInput({ 'gen_ai.prompt': repr, 'gen_ai.request.model': 'm' }), CTX);
    expect(plain(span.input)).toEqual([{ role: 'user', parts: [{ type: 'text', content: "it's" }] }]);
  });

  it('treats __proto__ and constructor keys as data', () => {
    // Why: prototype pollution through attribute keys or JSON metadata would corrupt the process.
    const span = normalizeSpan(
      spanInput({
        ['__proto__']: 'raw',
        constructor: 'c',
        metadata: '{"__proto__":{"polluted":true},"constructor":"x","toString":1}',
        'llm.input_messages.0.message.__proto__.polluted': 'yes',
        'llm.input_messages.0.message.content': 'Hi',
        'traceloop.association.properties.__proto__': 'p',
        'gen_ai.request.model': 'm',
      }),
      CTX,
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.keys(span.attributes)).toEqual(expect.arrayContaining(['__proto__', 'constructor']));
    expect(Object.entries(span.metadata)).toEqual(
      expect.arrayContaining([
        ['__proto__', '{"polluted":true}'],
        ['constructor', 'x'],
        ['toString', '1'],
      ]),
    );
    expect(plain(span.input)).toEqual([{ role: 'user', parts: [{ type: 'text', content: 'Hi' }] }]);
  });
});
