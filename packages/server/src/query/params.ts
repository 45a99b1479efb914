/**
 * Helpers shared by every endpoint's query-string parsing: errors in the catalogue's grammar,
 * single-valued parameters, zod checks naming the parameter, and unknown-parameter rejection.
 */
import type { z } from 'zod';
import { ArgusError } from '../errors.ts';
import { quote } from './cursor.ts';

/** An INVALID_PARAMETER error in the catalogue's grammar. */
export function invalidParameter(param: string, message: string): ArgusError {
  return new ArgusError('INVALID_PARAMETER', `Invalid parameter '${param}': ${message}`);
}

/** Rejects any parameter not in `allowed`, suggesting the closest name. */
export function rejectUnknown(params: URLSearchParams, allowed: readonly string[]): void {
  for (const key of new Set(params.keys())) {
    if (allowed.includes(key)) continue;
    const hint = closest(key, allowed);
    throw new ArgusError(
      'INVALID_PARAMETER',
      `Unknown parameter ${quote(key)}${hint ? `; did you mean '${hint}'?` : ''}; this endpoint accepts ${allowed.join(', ')}`,
    );
  }
}

/** The value of a parameter given at most once. */
export function single(params: URLSearchParams, param: string): string | undefined {
  const values = params.getAll(param);
  if (values.length > 1) throw invalidParameter(param, `is given ${values.length} times; give it once`);
  return values[0];
}

/** The value of a parameter given at most once, when it is one of `values`; undefined when absent. */
export function optionalOneOf<T extends string>(
  params: URLSearchParams,
  param: string,
  values: readonly T[],
): T | undefined {
  const raw = single(params, param);
  if (raw === undefined || (values as readonly string[]).includes(raw)) return raw as T | undefined;
  throw invalidParameter(param, `${quote(raw)} is not one of ${values.join(', ')}`);
}

/** Validates one raw value against a zod schema, naming the parameter on failure. */
export function check<T>(param: string, schema: z.ZodType<T>, raw: string, expect: string): T {
  const result = schema.safeParse(raw);
  if (!result.success) throw invalidParameter(param, `${quote(raw)} ${expect}`);
  return result.data;
}

function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of candidates) {
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 3) return 99;
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
    }
    previous = current;
  }
  return previous[b.length]!;
}
