/**
 * Validates a request's query string with a zod object schema: the first problem becomes
 * `Invalid parameter 'limit': …`, a parameter the schema does not know `… 'x': unknown parameter`.
 */
import type { z } from 'zod';
import { ArgusError } from '../errors.ts';

/** The validated query. @throws ArgusError INVALID_PARAMETER naming the parameter. */
export function parseQuery<S extends z.ZodType>(url: URL, schema: S): z.output<S> {
  const parsed = schema.safeParse(Object.fromEntries(url.searchParams));
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const name = issue.code === 'unrecognized_keys' ? issue.keys[0] : issue.path.join('.');
  const message = issue.code === 'unrecognized_keys' ? 'unknown parameter' : issue.message;
  throw new ArgusError('INVALID_PARAMETER', `Invalid parameter '${name ?? 'query'}': ${message}`);
}
