import { describe, expect, it } from 'vitest';
import { createStringRedactor, DETECTOR_IDS, type RedactionPolicy } from './index.ts';

const ALL: RedactionPolicy = Object.fromEntries(DETECTOR_IDS.map((id) => [id, 'mask']));
const redactor = createStringRedactor({ policy: ALL, hashKey: 'test-key-0123456789' });
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const JWT = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ sub: '42', name: 'Ada' })}.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c`;

/** Which detectors fire on `text` under the all-on policy. */
function fired(text: string): string[] {
  const counts: Record<string, number> = {};
  redactor.redact(text, counts);
  return Object.keys(counts).sort();
}

// [text, detectors expected to fire (empty = must not match), why]
const CASES: [string, string[], string][] = [
  ['write to jane.doe+news@example.co.uk', ['email'], 'plus-tag and multi-label domain'],
  ['ping @jane on slack', [], 'a mention has no domain'],
  ['npm i react@18.2.0', [], 'package@version: the "TLD" is numeric'],
  ['root@localhost', [], 'no TLD, not a routable address'],
  ['card 4111 1111 1111 1111', ['card'], 'Visa test number, Luhn-valid, spaced'],
  ['card 5500-0000-0000-0004', ['card'], 'Mastercard, Luhn-valid, dashed'],
  ['amex 378282246310005', ['card'], '15-digit Amex, no separators'],
  ['ref 4111 1111 1111 1112', [], 'Luhn-invalid 16-digit number'],
  ['ts 1700000000000123', [], 'starts with 1: no card network'],
  ['order 4444444444444444', [], 'one repeated digit is a placeholder'],
  ['IBAN DE89 3704 0044 0532 0130 00', ['iban'], 'German IBAN, grouped, mod-97 = 1'],
  ['GB82WEST12345698765432', ['iban'], 'UK IBAN, compact'],
  ['GB82WEST12345698765433', [], 'IBAN with a bad checksum'],
  ['SSN 078-12-3456', ['ssn'], 'well-formed SSN'],
  ['SSN 666-12-3456', [], 'area 666 is never issued'],
  ['SSN 900-12-3456', [], 'area 9xx is never issued'],
  ['SSN 123-00-4567', [], 'group 00 is never issued'],
  ['id 11010519491231002X', ['cn_id'], 'Chinese resident id with X check character'],
  ['id 110105194912310021', [], 'Chinese id with a wrong check character'],
  ['call +1 415 555 2671', ['phone'], 'international with spaces'],
  ['call +14155552671', ['phone'], 'E.164'],
  ['call (415) 555-2671', ['phone'], 'US national with parentheses'],
  ['ruf 030 12345678 an', ['phone'], 'German trunk-0 area code'],
  ['appelez 06 12 34 56 78', ['phone'], 'French pairs'],
  ['used 128000 tokens', [], 'a token count'],
  ['born 1987, shipped 2024-01-15', [], 'a year and an ISO date'],
  ['uuid 550e8400-e29b-41d4-a716-446655440000', [], 'UUID: hex groups, not a number'],
  ['version 1.2.3 and build 20240115', [], 'version string and a date stamp'],
  ['server 10.0.12.7 up', ['ipv4'], 'private IPv4'],
  ['host 2001:db8::8a2e:370:7334', ['ipv6'], 'compressed IPv6'],
  ['at 12:30:45 on v1.2.3.4', [], 'a clock time and a four-part version'],
  ['bad ip 999.1.1.1', [], 'octet out of range'],
  ['key sk-proj-abcDEF1234567890ghiJKL', ['api_key'], 'OpenAI project key'],
  ['key sk-ant-api03-abcdefghijklmnop_QRSTUV', ['api_key'], 'Anthropic key'],
  ['aws AKIAIOSFODNN7EXAMPLE', ['api_key'], 'AWS access key id'],
  [`gh ${'ghp_'}${'a1B2'.repeat(9)}`, ['api_key'], 'GitHub personal token'],
  ['pip install scikit-learn; task-queue', [], 'sk- inside words is not a key'],
  ['Authorization: Bearer abcdefghijklmnop1234', ['bearer'], 'bearer token in a header'],
  [`token ${JWT}`, ['jwt'], 'JWT with a JSON header carrying alg'],
  ['eyJub3QiOiJqd3QifQ.eyJhIjoxfQ.abc', [], 'header decodes to JSON without alg'],
  ['-----BEGIN PRIVATE KEY-----\nMIIEvQIBADAN\n-----END PRIVATE KEY-----', ['private_key'], 'PEM block'],
  ['-----BEGIN PUBLIC KEY-----\nMIIBIjAN\n-----END PUBLIC KEY-----', [], 'public keys are not secret'],
  // Bugs the hard corpus (corpus-hard.test-data.ts) found.
  [
    `stripe ${'sk_live_'}${'4eC39HqLyjWDarjt'.repeat(2)}`,
    ['api_key'],
    'Stripe keys use sk_live_, not sk-live-',
  ],
  [`restricted ${'rk_test_'}${'T1zdp7dc4eC39Hq'.repeat(2)}`, ['api_key'], 'Stripe restricted test key'],
  ['IMEI 490154203237518', [], 'IMEIs are Luhn-valid; Visa is never 15 digits'],
  ['IMEI 356938035643809', [], 'an IMEI with TAC 35 is in JCB range, but JCB is 16–19 digits'],
  ['dd.span_id=5578615535636952543', [], 'a Luhn-valid trace id in Mastercard range; Mastercard is 16'],
  ['JCB 3566 0020 2036 0505, Visa 4222222222222', ['card'], 'the lengths those networks do issue'],
  ['toll free 1-800-555-0199', ['phone'], 'NANP with the leading 1 and no +'],
  [
    '-----BEGIN PGP PRIVATE KEY BLOCK-----\n\nlQOYBGZ\n=Xb1K\n-----END PGP PRIVATE KEY BLOCK-----',
    ['private_key'],
    'armored PGP private keys end in BLOCK',
  ],
  ['-----BEGIN PGP PUBLIC KEY BLOCK-----\nmQINBGZ\n-----END PGP PUBLIC KEY BLOCK-----', [], 'PGP public key'],
];

describe('detectors', () => {
  it.each(CASES)('%s → %j (%s)', (text, expected) => {
    expect(fired(text)).toEqual(expected);
  });

  it('masks with the detector name and keeps the rest of the text', () => {
    expect(redactor.redact('mail a@b.io, card 4111-1111-1111-1111.', {})).toBe(
      'mail [REDACTED:email], card [REDACTED:card].',
    );
  });

  it("masks an apostrophe inside the local part whole, and keeps the quotes around 'a@b.io'", () => {
    // The local part used to stop at the apostrophe, leaving "o'" and hashing only "brien@…".
    expect(redactor.redact("to o'brien@example.ie", {})).toBe('to [REDACTED:email]');
    expect(redactor.redact("to = 'a@b.io'", {})).toBe("to = '[REDACTED:email]'");
  });

  it('hashes equal values to equal keyed tokens', () => {
    const hashing = createStringRedactor({ policy: { email: 'hash' }, hashKey: 'k1-0123456789abcdef' });
    const other = createStringRedactor({ policy: { email: 'hash' }, hashKey: 'k2-0123456789abcdef' });
    const a = hashing.redact('a@b.io', {});
    expect(a).toMatch(/^\[email:[0-9a-f]{8}\]$/);
    expect(hashing.redact('x a@b.io', {})).toBe(`x ${a}`);
    expect(other.redact('a@b.io', {})).not.toBe(a);
  });

  it('drops the whole string', () => {
    const dropping = createStringRedactor({ policy: { card: 'drop' } });
    expect(dropping.redact('pay with 4111 1111 1111 1111 please', {})).toBe('[REDACTED]');
  });

  it('runs custom detectors and counts them', async () => {
    const { customDetector } = await import('./index.ts');
    const custom = createStringRedactor({ policy: {}, custom: [customDetector('ticket', 'TCK-\\d{6}')] });
    const counts = {};
    expect(custom.redact('see TCK-123456', counts)).toBe('see [REDACTED:ticket]');
    expect(counts).toEqual({ ticket: 1 });
  });
});
