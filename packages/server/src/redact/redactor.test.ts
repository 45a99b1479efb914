import type { Span } from '@argus/shared';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LogRow } from '../normalize/types.ts';
import {
  createStringRedactor,
  DEFAULT_POLICY,
  DETECTOR_IDS,
  REDACTIONS_ATTRIBUTE,
  type RedactionPolicy,
  redactLog,
  redactSpan,
} from './index.ts';

const ALL: RedactionPolicy = Object.fromEntries(DETECTOR_IDS.map((id) => [id, 'mask']));
const HASHED: RedactionPolicy = Object.fromEntries(DETECTOR_IDS.map((id) => [id, 'hash']));
const FRAGMENTS = [
  'a@b.io',
  '4111 1111 1111 1111',
  '+1 415 555 2671',
  '10.0.0.1',
  '::1',
  'sk-proj-abcdefghijklmnopqrstu',
  'DE89370400440532013000',
  '123-45-6789',
  'Bearer abcdefghijklmnopq',
  '2024-01-15',
  '[REDACTED:email]',
  '-',
  '.',
  ' ',
  '@',
];
/** Strings mixing PII-like fragments with arbitrary text, so detector edges are exercised. */
const texty = fc
  .array(fc.oneof(fc.string(), fc.constantFrom(...FRAGMENTS), fc.stringMatching(/^[\d .+()-]{0,24}$/)), {
    maxLength: 8,
  })
  .map((parts) => parts.join(''));

describe('redaction properties', () => {
  for (const [name, policy] of [
    ['mask', ALL],
    ['hash', HASHED],
    ['default', DEFAULT_POLICY],
  ] as const) {
    it(`never throws and is idempotent (${name})`, () => {
      const redactor = createStringRedactor({ policy, hashKey: 'property-key-0123' });
      fc.assert(
        fc.property(texty, (text) => {
          const once = redactor.redact(text, {});
          const counts = {};
          expect(redactor.redact(once, counts)).toBe(once);
          expect(counts).toEqual({});
        }),
        { numRuns: 2000 },
      );
    });
  }

  it('leaves a string without any match unchanged (and counts nothing)', () => {
    const redactor = createStringRedactor({ policy: ALL });
    fc.assert(
      fc.property(fc.string(), (text) => {
        const counts: Record<string, number> = {};
        const out = redactor.redact(text, counts);
        if (Object.keys(counts).length === 0) expect(out).toBe(text);
        else expect(out).not.toBe(text);
      }),
      { numRuns: 2000 },
    );
  });

  it('skips letters-only text on the fast path', () => {
    const redactor = createStringRedactor();
    const text = 'The quick brown fox jumps over the lazy dog. '.repeat(50);
    expect(redactor.redact(text, {})).toBe(text);
  });
});

function span(): Span {
  return {
    input: [
      { role: 'user', parts: [{ type: 'text', content: 'I am ada@example.com' }] },
      {
        role: 'assistant',
        parts: [{ type: 'tool_call', id: 'call_1', name: 'pay', arguments: { card: '4111 1111 1111 1111' } }],
      },
      {
        role: 'tool',
        parts: [{ type: 'tool_call_response', id: 'call_1', response: 'ok, 4111-1111-1111-1111' }],
      },
    ],
    output: [{ role: 'assistant', parts: [{ type: 'text', content: 'Key: sk-ant-abcdefghijklmnopqrstuv' }] }],
    systemInstructions: [{ type: 'text', content: 'Escalate to ops@example.com' }],
    toolDefinitions: [{ name: 'pay', description: 'Charges; support: pay@example.com' }],
    retrievalDocuments: [{ id: 'd1', content: 'SSN 078-12-3456' }],
    statusMessage: 'failed for bob@example.com',
    metadata: { owner: 'carol@example.com' },
    attributes: { 'app.user': { email: 'dan@example.com' }, 'app.count': 3 },
    events: [{ name: 'exception', time: '', timeUnixNano: '0', attributes: { msg: 'eve@example.com' } }],
  } as unknown as Span;
}

describe('redactSpan / redactLog', () => {
  const redactor = createStringRedactor();

  it('redacts every content field and records counts', () => {
    const s = redactSpan(span(), redactor);
    const json = JSON.stringify(s);
    for (const raw of ['@example.com', '4111', 'sk-ant', '078-12']) expect(json).not.toContain(raw);
    expect(s.attributes[REDACTIONS_ATTRIBUTE]).toEqual({ email: 7, card: 2, api_key: 1, ssn: 1 });
    expect((s.input as { parts: { id?: string; type: string }[] }[])[1]!.parts[0]).toMatchObject({
      type: 'tool_call',
      id: 'call_1',
      arguments: { card: '[REDACTED:card]' },
    });
    expect(s.attributes['app.count']).toBe(3);
  });

  it('does not record counts when nothing fired', () => {
    const s = redactSpan(
      {
        ...span(),
        input: 'hi',
        output: 'ok',
        systemInstructions: undefined,
        toolDefinitions: undefined,
        retrievalDocuments: [],
        statusMessage: '',
        metadata: {},
        attributes: {},
        events: [],
      } as Span,
      redactor,
    );
    expect(s.attributes[REDACTIONS_ATTRIBUTE]).toBeUndefined();
  });

  it('redacts log bodies and GenAI content', () => {
    const row = {
      body: 'login by ada@example.com',
      attributes: {},
      content: { input: [{ role: 'user', parts: [{ type: 'text', content: 'card 4111 1111 1111 1111' }] }] },
    } as unknown as LogRow;
    redactLog(row, redactor);
    expect(row.body).toBe('login by [REDACTED:email]');
    expect(JSON.stringify(row.content)).not.toContain('4111');
    expect(row.attributes[REDACTIONS_ATTRIBUTE]).toEqual({ email: 1, card: 1 });
  });
});
