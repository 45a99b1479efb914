import type { RedactionSettings } from '@argus/shared';
import { describe, expect, it } from 'vitest';
import { deletedSummary, erasureScope } from '../erasure/erasure-text.ts';
import { builtinAction, customProblems, draftOf, isChanged, policyOf } from './redaction-draft.ts';
import { retentionProblem } from './retention-form.ts';
import { absoluteLink, keySnippets, parseRate } from './snippets.ts';

const settings: RedactionSettings = {
  policy: {
    detectors: { phone: 'mask' },
    custom: [{ name: 'ticket', pattern: 'TCK-\\d{6}', action: 'hash' }],
  },
  source: 'project',
  effective: [
    { id: 'email', description: 'e-mail addresses', action: 'mask', builtin: true },
    { id: 'phone', description: 'phone numbers', action: 'mask', builtin: true },
    { id: 'ticket', description: 'custom', action: 'hash', builtin: false },
  ],
  globallyOff: false,
};

describe('redaction draft', () => {
  it('starts from the stored policy and sends back only what it holds', () => {
    const draft = draftOf(settings);
    expect(builtinAction(draft, settings, 'email')).toBe('mask');
    expect(policyOf(draft)).toEqual(settings.policy);
    expect(isChanged(draft, settings)).toBe(false);
    const edited = { ...draft, detectors: { ...draft.detectors, email: 'hash' as const } };
    expect(builtinAction(edited, settings, 'email')).toBe('hash');
    expect(isChanged(edited, settings)).toBe(true);
  });

  it('keeps non-empty flags only', () => {
    const draft = draftOf(settings);
    draft.custom[0] = { ...draft.custom[0]!, flags: 'i' };
    expect(policyOf(draft).custom[0]).toEqual({
      name: 'ticket',
      pattern: 'TCK-\\d{6}',
      flags: 'i',
      action: 'hash',
    });
  });

  it.each([
    // Each case is a mistake the server would refuse; the form says so before sending.
    [{ name: 'Ticket', pattern: 'x', flags: '', action: 'mask' }, 'name', 'starting with a letter'],
    [{ name: 'email', pattern: 'x', flags: '', action: 'mask' }, 'name', 'built-in'],
    [{ name: 'ticket', pattern: '(', flags: '', action: 'mask' }, 'pattern', 'does not compile'],
    [{ name: 'ticket', pattern: '', flags: '', action: 'mask' }, 'pattern', 'is empty'],
    [{ name: 'ticket', pattern: 'x', flags: 'gg', action: 'mask' }, 'flags', 'i, m, s and u'],
  ] as const)('flags the custom detector %o', (custom, field, message) => {
    const problems = customProblems([{ ...custom }], ['email']);
    expect(problems).toEqual([{ row: 0, field, message: expect.stringContaining(message) }]);
  });

  it('flags a name used twice', () => {
    const row = { name: 'ticket', pattern: 'x', flags: '', action: 'mask' as const };
    expect(customProblems([row, row], [])).toEqual([
      { row: 1, field: 'name', message: "'ticket' is used twice" },
    ]);
  });
});

describe('retention form', () => {
  it.each([
    [30, 7, 30, undefined],
    [31, 7, 30, "cannot exceed 30, this server's --retention-days"],
    [30, 31, 30, 'Content cannot be kept longer'],
    [0, 0, 30, 'at least 1'],
    [1.5, 1, 30, 'whole number'],
  ])('telemetry %s, content %s, max %s', (telemetry, content, max, problem) => {
    const found = retentionProblem(telemetry, content, max);
    if (problem === undefined) expect(found).toBeUndefined();
    else expect(found).toContain(problem);
  });
});

describe('key snippets', () => {
  const snippets = keySnippets('http://argus:4318', 'pk-argus-1', 'sk-argus-secret');

  it('percent-encodes the space of the OTLP header, as the OpenTelemetry spec asks', () => {
    expect(snippets[0]?.text).toBe(
      'OTEL_EXPORTER_OTLP_ENDPOINT=http://argus:4318\nOTEL_EXPORTER_OTLP_HEADERS=Authorization=Bearer%20sk-argus-secret',
    );
  });

  it('gives the Langfuse pair and the LangSmith key', () => {
    expect(snippets[1]?.text).toContain(
      'LANGFUSE_PUBLIC_KEY=pk-argus-1\nLANGFUSE_SECRET_KEY=sk-argus-secret',
    );
    expect(snippets[2]?.text).toContain(
      'LANGSMITH_API_KEY=sk-argus-secret\nLANGSMITH_ENDPOINT=http://argus:4318',
    );
  });

  it.each([
    ['', {}],
    [' 25 ', { value: 25 }],
    ['0', { value: 0 }],
    ['-1', { error: "'-1' is not a whole number from 0 to 1000000" }],
    ['2.5', { error: "'2.5' is not a whole number from 0 to 1000000" }],
  ])('reads the rate %j', (text, expected) => {
    expect(parseRate(text)).toEqual(expected);
  });

  it('makes accept links absolute', () => {
    expect(absoluteLink('/accept-invite#token=t', 'http://a:1')).toBe('http://a:1/accept-invite#token=t');
    expect(absoluteLink('https://argus.example/accept-invite#token=t', 'http://a:1')).toBe(
      'https://argus.example/accept-invite#token=t',
    );
  });
});

describe('erasure text', () => {
  it('names what goes', () => {
    expect(erasureScope({ traceId: 'abc' })).toBe('every span, log record and score of trace abc');
    expect(erasureScope({ userId: 'u1' })).toContain("every trace that carries user id 'u1'");
    expect(deletedSummary({ traces: 2, spans: 1, logs: 0, scores: 3, traceIndex: 2 })).toBe(
      '1 span, 0 log records, 3 scores in 2 traces',
    );
  });
});
