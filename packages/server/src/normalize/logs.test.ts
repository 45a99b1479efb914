/**
 * OTLP logs: rows for the logs table, GenAI content extracted from content events, and the
 * merge of that content into spans (conventions.md 1.4 b/c, rule 3.4.7).
 */
import { describe, expect, it } from 'vitest';
import type { AttrValue } from '../otlp/types.ts';
import { CTX, logRecord, logsRequest, plain, spanInput, text } from './builders.test-util.ts';
import { mergeSpanContent, normalizeLogs, normalizeSpan, type SpanContent } from './index.ts';

const contentOf = (name: string, body: AttrValue, attributes: Record<string, AttrValue> = {}) =>
  plain(normalizeLogs(logsRequest(logRecord(name, body, attributes)), CTX).logs[0]?.content);

describe('content events', () => {
  it.each([
    {
      name: 'gen_ai.system.message',
      body: { content: 'be brief' },
      content: { input: [text('system', 'be brief')] },
    },
    // Why: the event name decides the role, whatever the body says.
    {
      name: 'gen_ai.user.message',
      body: { content: 'Hi', role: 'user' },
      content: { input: [text('user', 'Hi')] },
    },
    {
      name: 'gen_ai.assistant.message',
      body: { tool_calls: [{ id: 'c1', type: 'function', function: { name: 'get', arguments: '{"x":1}' } }] },
      content: {
        input: [
          { role: 'assistant', parts: [{ type: 'tool_call', id: 'c1', name: 'get', arguments: { x: 1 } }] },
        ],
      },
    },
    {
      name: 'gen_ai.tool.message',
      body: { content: 'sunny', id: 'c1' },
      content: {
        input: [{ role: 'tool', parts: [{ type: 'tool_call_response', id: 'c1', response: 'sunny' }] }],
      },
    },
    {
      name: 'gen_ai.choice',
      body: {
        index: 0,
        finish_reason: 'tool_calls',
        message: { tool_calls: [{ id: 'c2', type: 'function', function: { name: 'f' } }] },
      },
      content: {
        output: [
          {
            role: 'assistant',
            parts: [{ type: 'tool_call', id: 'c2', name: 'f' }],
            finishReason: 'tool_calls',
          },
        ],
        finishReasons: ['tool_calls'],
      },
    },
    // Why: with capture off only metadata arrives; the finish reason is still worth keeping.
    {
      name: 'gen_ai.choice',
      body: { index: 0, finish_reason: 'stop' },
      content: { finishReasons: ['stop'] },
    },
    { name: 'gen_ai.user.message', body: {}, content: undefined },
    {
      name: 'gen_ai.content.prompt',
      body: null,
      attributes: { 'gen_ai.prompt': 'user: Hi' },
      content: { input: [text('user', 'Hi')] },
    },
    { name: 'some.other.event', body: { content: 'x' }, content: undefined },
  ])('$name $body', ({ name, body, attributes, content }) => {
    expect(contentOf(name, body as AttrValue, attributes as Record<string, AttrValue>)).toEqual(content);
  });

  it('reads the event name from the event.name attribute when event_name is empty', () => {
    // Why: older SDKs put the name only in an attribute.
    const record = logRecord('', { content: 'Hi' }, { 'event.name': 'gen_ai.user.message' });
    const [row] = normalizeLogs(logsRequest(record), CTX).logs;
    expect(plain(row)).toMatchObject({
      eventName: 'gen_ai.user.message',
      content: { input: [text('user', 'Hi')] },
    });
  });
});

describe('log rows', () => {
  it('keeps string bodies as they are and structured bodies as JSON', () => {
    const { logs } = normalizeLogs(
      logsRequest(logRecord('', 'plain text'), logRecord('', { a: [1, 2] })),
      CTX,
    );
    expect(logs.map((l) => l.body)).toEqual(['plain text', '{"a":[1,2]}']);
    expect(logs[0]).toMatchObject({
      serviceName: 'svc',
      scope: 'test-scope',
      severityNumber: 9,
      projectId: 'proj-1',
    });
  });

  it.each([
    // Why: logs need not belong to a trace.
    { patch: { traceId: '', spanId: '' }, rejected: 0, ids: ['', ''] },
    { patch: { traceId: '0'.repeat(32), spanId: '0'.repeat(16) }, rejected: 0, ids: ['', ''] },
    {
      patch: { traceId: 'ABC' },
      rejected: 1,
      error: "Cannot accept log record: 'traceId' is 'ABC' (3 hex chars), expected 32 hex chars",
    },
    // Why: OTLP says the observed time stands in for an unknown event time.
    {
      patch: { timeUnixNano: 0n },
      rejected: 0,
      ids: ['0af7651916cd43dd8448eb211c80319c', 'b7ad6b7169203331'],
    },
    {
      patch: { timeUnixNano: 0n, observedTimeUnixNano: 0n },
      rejected: 1,
      error: "Cannot accept log record: 'timeUnixNano' is 0, expected unix nanoseconds after 1970",
    },
  ])('$patch', ({ patch, rejected, ids, error }) => {
    const good = logRecord('', 'ok');
    const result = normalizeLogs(logsRequest(good, { ...logRecord('', 'x'), ...patch }), CTX);
    expect(result.rejected).toBe(rejected);
    expect(result.logs).toHaveLength(2 - rejected);
    if (ids) expect([result.logs[1]?.traceId, result.logs[1]?.spanId]).toEqual(ids);
    if (error) expect(result.errors).toEqual([error]);
  });

  it('caps attributes like spans do', () => {
    const many = Object.fromEntries(
      Array.from({ length: 600 }, (_, i) => [`k${i}`, 'v'.repeat(i === 0 ? 20_000 : 1)]),
    );
    const [row] = normalizeLogs(logsRequest(logRecord('', 'x', many)), CTX).logs;
    expect(row?.attributes['argus.dropped_attributes']).toBe(88);
    expect(row?.attributes['argus.truncated']).toBe(1);
  });
});

describe('mergeSpanContent', () => {
  const bare = normalizeSpan(
    spanInput({ 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'm' }),
    CTX,
  );
  const contents: SpanContent[] = [
    { input: [text('system', 'sys')] },
    { input: [text('user', 'Hi')] },
    { output: [text('assistant', 'Hello!', 'stop')], finishReasons: ['stop'] },
  ];

  it('concatenates events in the given (time) order and derives system instructions', () => {
    const merged = plain(mergeSpanContent(bare, contents));
    expect(merged).toMatchObject({
      input: [text('system', 'sys'), text('user', 'Hi')],
      output: [text('assistant', 'Hello!', 'stop')],
      systemInstructions: [{ type: 'text', content: 'sys' }],
      finishReasons: ['stop'],
    });
    expect(bare.input).toBeUndefined(); // the argument is not changed
  });

  it('never overrides content the span already has', () => {
    // Why: the span's own attributes are the newer generation and win over log events.
    const own = normalizeSpan(
      spanInput({
        'gen_ai.request.model': 'm',
        'gen_ai.input.messages': '[{"role":"user","content":"own"}]',
      }),
      CTX,
    );
    expect(plain(mergeSpanContent(own, contents).input)).toEqual([text('user', 'own')]);
  });

  it('returns the span itself when there is nothing to merge', () => {
    expect(mergeSpanContent(bare, [])).toBe(bare);
  });
});
