import { describe, expect, it } from 'vitest';
import { BUILTIN_DETECTORS, DETECTOR_IDS } from './detectors.ts';
import {
  compilePolicy,
  EMPTY_POLICY,
  effectiveDetectors,
  MAX_CUSTOM_DETECTORS,
  type ProjectRedactionPolicy,
  parsePolicy,
  policyChanges,
} from './policy.ts';
import { probeInputs, sampleAtoms, topLevelAlternatives } from './regex-probe-inputs.ts';

const custom = (name: string, pattern: string, extra: Record<string, unknown> = {}) => ({
  name,
  pattern,
  action: 'mask',
  ...extra,
});

describe('parsePolicy', () => {
  it('accepts a policy, filling in what is missing', async () => {
    expect(await parsePolicy({})).toEqual({ detectors: {}, custom: [] });
    const policy = await parsePolicy({
      detectors: { email: 'hash', phone: 'mask' },
      custom: [custom('employee_id', 'EMP-\\d{6}', { flags: 'i' })],
    });
    expect(policy.detectors).toEqual({ email: 'hash', phone: 'mask' });
    expect(policy.custom).toEqual([
      { name: 'employee_id', pattern: 'EMP-\\d{6}', flags: 'i', action: 'mask' },
    ]);
  });

  // Each case is a mistake an operator makes; the message must name the field and say what is wrong.
  it.each([
    [
      { detectors: { emial: 'hash' } },
      /field 'detectors.emial': unknown detector 'emial'; valid ids: private_key, jwt/,
    ],
    [{ detectors: { email: 'blur' } }, /field 'detectors.email': Invalid option/],
    [
      { custom: [custom('ticket', 'TCK-(\\d+')] },
      /field 'custom.0.pattern': the pattern does not compile: .*Unterminated group/,
    ],
    [{ custom: [custom('ticket', 'x*')] }, /field 'custom.0.pattern': the pattern matches the empty string/],
    [{ custom: [custom('ticket', '\\b')] }, /field 'custom.0.pattern': the pattern matches the empty string/],
    [{ custom: [custom('Ticket', 'TCK')] }, /field 'custom.0.name': use 1–32 characters a-z/],
    [{ custom: [custom(`t${'x'.repeat(32)}`, 'TCK')] }, /field 'custom.0.name'/],
    [{ custom: [custom('email', 'TCK')] }, /field 'custom.0.name': 'email' is a built-in detector/],
    [
      { custom: [custom('ticket', 'TCK'), custom('ticket', 'TKT')] },
      /field 'custom.1.name': 'ticket' is used twice/,
    ],
    [{ custom: [custom('ticket', 'TCK', { flags: 'g' })] }, /field 'custom.0.flags'/],
    [{ custom: [custom('ticket', 'a'.repeat(501))] }, /field 'custom.0.pattern': Too big/],
    [
      { custom: Array.from({ length: MAX_CUSTOM_DETECTORS + 1 }, (_, i) => custom(`c${i}`, `C${i}`)) },
      /field 'custom': at most 50 custom detectors/,
    ],
    [{ detectors: {}, extra: true }, /field 'body': Unrecognized key/],
  ])('refuses %j', async (value, message) => {
    await expect(parsePolicy(value)).rejects.toThrow(message);
  });

  // Each is a classic catastrophic-backtracking shape: nested, adjacent or overlapping repetition,
  // behind a literal prefix, or in an alternative other than the first.
  it.each([
    ['(a+)+$'],
    ['EMP-(\\d+)+x'],
    ['[A-Z]{3}-(\\d+)+x'],
    ['\\w+@\\w+\\.com'],
    ['ok|x(b+)+$'],
    ['(?:ok|(b+)+c)'],
  ])(
    'refuses the slow pattern %s, naming it and the input',
    async (pattern) => {
      const value = { custom: [custom('ok_one', 'OK-\\d{4}'), custom('slow', pattern)] };
      await expect(parsePolicy(value, { probe: { watchdogMs: 1_000 } })).rejects.toThrow(
        /field 'custom.1.pattern': the pattern of 'slow' backtracks catastrophically \(it (took \d+ ms|did not finish in time) on the input .+\); avoid nested/,
      );
    },
    20_000,
  );

  it('accepts the built-in detectors’ own patterns, which are bounded', async () => {
    const value = {
      custom: BUILTIN_DETECTORS.map((d) => custom(`x_${d.id}`, d.pattern.source)),
    };
    expect((await parsePolicy(value)).custom).toHaveLength(BUILTIN_DETECTORS.length);
  }, 20_000);

  it('does not probe patterns already known to be fast', async () => {
    const policy = await parsePolicy(
      { custom: [custom('slow', '(a+)+$')] },
      { isKnownFast: (key) => key === '/(a+)+$' },
    );
    expect(policy.custom).toHaveLength(1);
  });
});

describe('compilePolicy', () => {
  const policy: ProjectRedactionPolicy = {
    detectors: { email: 'hash', phone: 'mask' },
    custom: [{ name: 'employee_id', pattern: 'EMP-\\d{6}', action: 'mask' }],
  };

  it('applies changed actions, keeps the others at their default, and runs custom detectors', () => {
    const redactor = compilePolicy(policy, 'test-key-0123456789')!;
    const counts = {};
    const out = redactor.redact(
      'ada@example.com called +1 415 555 2671 about EMP-123456, card 4111 1111 1111 1111',
      counts,
    );
    expect(out).toMatch(
      /^\[email:[0-9a-f]{8}\] called \[REDACTED:phone\] about \[REDACTED:employee_id\], card \[REDACTED:card\]$/,
    );
    expect(counts).toEqual({ email: 1, phone: 1, employee_id: 1, card: 1 });
  });

  it('answers no redactor when every detector is off', () => {
    const off = Object.fromEntries(DETECTOR_IDS.map((id) => [id, 'off']));
    expect(compilePolicy({ detectors: off, custom: [] }, 'k')).toBeUndefined();
    expect(
      compilePolicy({ detectors: off, custom: [{ name: 'x1', pattern: 'X', action: 'drop' }] }, 'k'),
    ).toBeDefined();
  });

  it('lists the effective action of every detector', () => {
    const effective = effectiveDetectors(policy);
    expect(effective.map((d) => d.id)).toEqual([...DETECTOR_IDS, 'employee_id']);
    expect(effective.find((d) => d.id === 'email')).toMatchObject({ action: 'hash', builtin: true });
    expect(effective.find((d) => d.id === 'ipv4')).toMatchObject({ action: 'off', builtin: true });
    expect(effective.find((d) => d.id === 'employee_id')).toMatchObject({ action: 'mask', builtin: false });
    for (const d of effective) expect(d.description.length, d.id).toBeGreaterThan(5);
  });

  it('describes changes by action and name, never by pattern', () => {
    const after: ProjectRedactionPolicy = {
      detectors: { email: 'hash', ssn: 'mask' },
      custom: [{ name: 'ticket', pattern: 'TCK-\\d{6}', action: 'drop' }],
    };
    const changes = policyChanges({ ...policy }, after);
    expect(changes).toEqual({
      detectors: { phone: { from: 'mask', to: 'off' } },
      custom: { added: ['ticket'], removed: ['employee_id'], changed: [] },
    });
    expect(JSON.stringify(policyChanges(EMPTY_POLICY, after))).not.toContain('TCK');
  });
});

describe('adversarial inputs', () => {
  // Each pattern shows one tokenizer rule: escapes, classes with counts, lookarounds, alternatives.
  it.each([
    ['EMP-\\d{6}', 'EMP-111111'],
    ['[A-Z]{3}-\\d+', 'AAA-1'],
    ['(?<![\\w-])key_[a-f0-9]{4}(?![\\w])', 'key_aaaa'],
    ['(?<=id=)\\d{2}', 'id=11'],
    ['(?:foo|bar)_x', 'foo_x'],
    ['a|b', 'a'],
  ])('samples %s as %s', (pattern, sample) => {
    expect(sampleAtoms(pattern).join('')).toBe(sample);
  });

  it('splits top-level alternatives only', () => {
    expect(topLevelAlternatives('a|b(c|d)|[|]')).toEqual(['a', 'b(c|d)', '[|]']);
  });

  it('pumps each atom after the sample prefix that leads to it', () => {
    const labels = probeInputs('EMP-\\d+x', '', 100).map((p) => p.label);
    expect(labels).toContain('"EMP-" + "1" × 100 + "\\u0000"');
    expect(labels).toContain('"a" × 100 + "\\n"');
  });
});
