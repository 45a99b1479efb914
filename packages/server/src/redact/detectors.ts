/**
 * The built-in PII and secret detectors: a candidate regex (global, bounded, no nested
 * unbounded quantifiers) plus a validator that rejects look-alikes (checksums, ranges). Pure.
 */
import {
  cardValid,
  cnIdValid,
  ibanValid,
  ipv4Valid,
  ipv6Valid,
  jwtValid,
  phoneValid,
  ssnValid,
} from './checks.ts';

/** Identifier of a built-in detector (custom detectors use their own names). */
export type DetectorId =
  | 'private_key'
  | 'jwt'
  | 'bearer'
  | 'api_key'
  | 'email'
  | 'iban'
  | 'cn_id'
  | 'card'
  | 'ssn'
  | 'ipv6'
  | 'ipv4'
  | 'phone';

/** What a string must contain for a detector to be worth running. */
export type DetectorHint = 'digit' | 'at' | 'key' | 'any';

/** One detector. */
export interface Detector {
  /** Name in counts, masks and policies: `[a-z0-9_]+`. */
  id: string;
  /** What it finds, in a few words (shown by the redaction settings API and console). */
  description?: string;
  /** Global regex finding candidates. */
  pattern: RegExp;
  /** Rejects candidates that only look like the thing (checksum, range). */
  validate?: (match: string) => boolean;
  hint: DetectorHint;
}

const IPV4_OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';

/** Built-in detectors in the order they run (longest, most specific first). */
export const BUILTIN_DETECTORS: readonly Detector[] = [
  {
    id: 'private_key',
    description: 'PEM and PGP private key blocks (-----BEGIN … PRIVATE KEY [BLOCK]-----)',
    pattern:
      /-----BEGIN (?:[A-Z0-9]+ ){0,3}PRIVATE KEY(?: BLOCK)?-----[\s\S]{0,16384}?-----END (?:[A-Z0-9]+ ){0,3}PRIVATE KEY(?: BLOCK)?-----/g,
    hint: 'key',
  },
  {
    id: 'jwt',
    description: 'JSON Web Tokens (three base64url segments whose header has an alg)',
    pattern: /(?<![\w-])eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*(?![\w-])/g,
    validate: jwtValid,
    hint: 'key',
  },
  {
    id: 'bearer',
    description: 'the token after "Bearer " in authorization values (the scheme is kept)',
    pattern: /(?<=\b[Bb]earer\s{1,4})[A-Za-z0-9._~+/-]{16,}=*/g,
    hint: 'key',
  },
  {
    id: 'api_key',
    description:
      'vendor API keys: OpenAI/Anthropic sk-…, Stripe sk_live_/rk_live_…, AWS AKIA/ASIA…, GitHub ghp_/github_pat_…, Slack xox?-…, Google AIza…',
    pattern:
      /(?<![\w-])(?:sk-(?:ant-|proj-)?[A-Za-z0-9_-]{20,}|[sr]k_(?:live|test)_[A-Za-z0-9]{20,247}|(?:AKIA|ASIA)[0-9A-Z]{16}|gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255}|xox[abprs]-[A-Za-z0-9-]{10,}|AIza[0-9A-Za-z_-]{35})(?![\w-])/g,
    hint: 'key',
  },
  {
    id: 'email',
    description: 'e-mail addresses (local@domain.tld)',
    // An apostrophe may sit inside the local part (o'brien@…), never first: 'a@b.io' in code keeps its quote.
    pattern:
      /(?<![\w.%+-])[A-Za-z0-9._%+-](?:[A-Za-z0-9._%+'-]{0,62}[A-Za-z0-9._%+-])?@(?:[A-Za-z0-9-]{1,63}\.){1,8}[A-Za-z]{2,24}(?![\w-])/g,
    hint: 'at',
  },
  {
    id: 'iban',
    description: 'IBANs, compact or in groups of 4 (mod-97 checksum)',
    pattern: /(?<![\w])[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?(?![\w])/g,
    validate: ibanValid,
    hint: 'digit',
  },
  {
    id: 'cn_id',
    description: 'Chinese resident identity numbers (18 characters, GB 11643 check character)',
    pattern:
      /(?<![\w])[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![\w])/g,
    validate: cnIdValid,
    hint: 'digit',
  },
  {
    id: 'card',
    description: 'payment card numbers, 13–19 digits (Luhn check, known IIN ranges)',
    pattern: /(?<![\w.-])\d(?:[ -]?\d){12,18}(?![\w]|[.-]\d)/g,
    validate: cardValid,
    hint: 'digit',
  },
  {
    id: 'ssn',
    description: 'US Social Security numbers AAA-GG-SSSS',
    pattern: /(?<![\w.-])\d{3}-\d{2}-\d{4}(?![\w]|[.-]\d)/g,
    validate: ssnValid,
    hint: 'digit',
  },
  {
    id: 'ipv6',
    description: 'IPv6 addresses, full and compressed',
    pattern: /(?<![\w:.])(?=[0-9A-Fa-f]{0,4}:)[0-9A-Fa-f:]{2,39}(?:\.\d{1,3}){0,3}(?![\w:]|\.\d)/g,
    validate: ipv6Valid,
    hint: 'digit',
  },
  {
    id: 'ipv4',
    description: 'IPv4 addresses (dotted quads)',
    pattern: new RegExp(`(?<![\\w.])(?:${IPV4_OCTET}\\.){3}${IPV4_OCTET}(?![\\w]|\\.\\d)`, 'g'),
    validate: ipv4Valid,
    hint: 'digit',
  },
  {
    id: 'phone',
    description: 'phone numbers: +international/E.164, NANP (also 1-800-…), trunk-0 national',
    pattern:
      /(?<![\w.+/-])(?:\+[1-9][\d ().-]{6,20}\d|(?:1[ .-])?\(?[2-9]\d{2}\)?[ .-]?[2-9]\d{2}[ .-]\d{4}|0\d{1,4}(?:[ ./-]\d{2,8}){1,4})(?![\w]|[.-]\d)/g,
    validate: phoneValid,
    hint: 'digit',
  },
];

/** Every built-in detector id. */
export const DETECTOR_IDS: readonly DetectorId[] = BUILTIN_DETECTORS.map((d) => d.id as DetectorId);

/**
 * A custom detector from a regex source (flags `g` added). Its hint is `any`: strings are
 * always scanned, so the fast path only helps the built-ins.
 */
export function customDetector(id: string, source: string, flags = ''): Detector {
  if (!/^[a-z0-9_]{1,40}$/.test(id)) throw new Error(`Invalid detector name '${id}': use [a-z0-9_]`);
  return { id, pattern: new RegExp(source, flags.includes('g') ? flags : `${flags}g`), hint: 'any' };
}
