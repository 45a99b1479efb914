/**
 * Applies a redaction policy to strings: each enabled detector's validated matches are masked
 * (`[REDACTED:email]`), hashed with a keyed HMAC (`[email:3f2a9c1b]`, equal values stay joinable)
 * or make the whole string `[REDACTED]` (drop). Counts per detector, never values. Pure.
 */
import { createHmac } from 'node:crypto';
import { BUILTIN_DETECTORS, type Detector, type DetectorId } from './detectors.ts';

/** What happens to a match. */
export type RedactionAction = 'mask' | 'hash' | 'drop';

/** Per-detector action; a detector absent or `off` does not run. */
export type RedactionPolicy = Partial<Record<string, RedactionAction | 'off'>>;

/** The policy used when nothing is configured: e-mail, cards, national ids and secrets masked; phone and IP off. */
export const DEFAULT_POLICY: Readonly<Record<DetectorId, RedactionAction | 'off'>> = Object.freeze({
  private_key: 'mask',
  jwt: 'mask',
  bearer: 'mask',
  api_key: 'mask',
  email: 'mask',
  iban: 'mask',
  cn_id: 'mask',
  card: 'mask',
  ssn: 'mask',
  ipv6: 'off',
  ipv4: 'off',
  phone: 'off',
});

/** Detector id → how many matches were redacted. */
export type RedactionCounts = Record<string, number>;

/** Options of {@link createStringRedactor}. */
export interface StringRedactorOptions {
  policy?: RedactionPolicy;
  /** HMAC key of the `hash` action. */
  hashKey?: string;
  /** Extra detectors (see `customDetector`), run after the built-ins. */
  custom?: readonly Detector[];
}

/** Redacts strings under one policy. */
export interface StringRedactor {
  /** The redacted string (the same string when nothing matched); adds to `counts`. */
  redact(value: string, counts: RedactionCounts): string;
}

/** Existing redaction tokens: never scanned again, so redaction is idempotent. */
const TOKEN = /\[(?:REDACTED(?::[a-z0-9_]+)?|[a-z0-9_]+:[0-9a-f]{8})\]/;
const TOKEN_SPLIT = new RegExp(`(${TOKEN.source})`);
/** A string with none of these cannot match a built-in detector. */
const KEY_HINT =
  /sk-|[sr]k_(?:live|test)_|AKIA|ASIA|gh[pousr]_|github_pat_|xox[abprs]-|AIza|eyJ|earer|-----BEGIN/;
/** The alternatives of {@link KEY_HINT} without a `-` or `_`: all a text with neither can match. */
const KEY_HINT_PLAIN = /AKIA|ASIA|AIza|eyJ|earer/;

/**
 * `KEY_HINT.test(value)`, about 5× cheaper on prose: every other alternative holds a `-` or `_`,
 * so a text without either is tested against the five plain ones only (one regex alternation
 * over a kilobyte costs ~2 µs).
 */
export function hasKeyHint(value: string): boolean {
  return value.includes('-') || value.includes('_') ? KEY_HINT.test(value) : KEY_HINT_PLAIN.test(value);
}
const DROPPED = '[REDACTED]';
const MAX_PASSES = 3;

/** Builds a redactor; throws when a detector name repeats. */
export function createStringRedactor(options: StringRedactorOptions = {}): StringRedactor {
  const policy: RedactionPolicy = options.policy ?? DEFAULT_POLICY;
  const hashKey = options.hashKey ?? '';
  const active = [...BUILTIN_DETECTORS, ...(options.custom ?? [])]
    .map((detector) => ({
      detector,
      action: policy[detector.id] ?? (detector.hint === 'any' ? 'mask' : 'off'),
    }))
    .filter((a): a is { detector: Detector; action: RedactionAction } => a.action !== 'off');
  const hasCustom = active.some((a) => a.detector.hint === 'any');

  function replacement(id: string, action: RedactionAction, match: string): string {
    if (action === 'hash') {
      return `[${id}:${createHmac('sha256', hashKey).update(match).digest('hex').slice(0, 8)}]`;
    }
    return `[REDACTED:${id}]`;
  }

  /** One pass of every active detector; `dropped` is set when a drop action fired. */
  function pass(value: string, counts: RedactionCounts, state: { dropped: boolean }): string {
    const hasDigit = /\d/.test(value);
    const hasAt = value.includes('@');
    const hasKey = hasKeyHint(value);
    let out = value;
    for (const { detector, action } of active) {
      const { hint } = detector;
      if ((hint === 'digit' && !hasDigit) || (hint === 'at' && !hasAt) || (hint === 'key' && !hasKey))
        continue;
      const segments = out.split(TOKEN_SPLIT);
      let changed = false;
      for (let i = 0; i < segments.length; i += 2) {
        const segment = segments[i]!;
        if (segment === '') continue;
        const next = segment.replace(detector.pattern, (match) => {
          if (detector.validate && !detector.validate(match)) return match;
          counts[detector.id] = (counts[detector.id] ?? 0) + 1;
          if (action === 'drop') state.dropped = true;
          return replacement(detector.id, action, match);
        });
        if (next !== segment) {
          segments[i] = next;
          changed = true;
        }
      }
      if (changed) out = segments.join('');
    }
    return out;
  }

  return {
    redact(value, counts) {
      if (value.length === 0 || value === DROPPED) return value;
      if (!hasCustom && !/[\d@]/.test(value) && !hasKeyHint(value)) return value;
      const state = { dropped: false };
      let out = value;
      for (let i = 0; i < MAX_PASSES; i++) {
        const next = pass(out, counts, state);
        if (next === out) break;
        out = next;
      }
      return state.dropped ? DROPPED : out;
    },
  };
}
