/**
 * Query-string parameters → typed, validated {@link SpanFilters}. Every failure is an
 * INVALID_PARAMETER error naming the parameter; unknown parameters are rejected so a typo
 * never silently widens a query.
 */

import { OUTPUT_HEALTH_FLAGS, SPAN_KINDS, type SpanKind, type SpanStatus } from '@argus/shared';
import { z } from 'zod';
import { type Cursor, type CursorList, decodeCursor, quote } from './cursor.ts';
import { check, invalidParameter, rejectUnknown, single } from './params.ts';
import type { SpanFilterKey } from './sql.ts';

/** The filters every list and series query understands. Multi-valued fields match any value. */
export interface SpanFilters {
  /** Window start, epoch milliseconds, inclusive. */
  fromMs: number;
  /** Window end, epoch milliseconds, inclusive. */
  toMs: number;
  services: string[];
  environments: string[];
  /** Matches the request model or the response model. */
  models: string[];
  providers: string[];
  kinds: SpanKind[];
  statuses: SpanStatus[];
  userIds: string[];
  sessionIds: string[];
  tags: string[];
  /** Output-health flags (online/health): spans the checks flagged with any of them. */
  outputFlags: string[];
  minDurationMs?: number;
  maxDurationMs?: number;
  minCostUsd?: number;
  /** Perplexity bounds (spans without logprobs never match either). */
  minPerplexity?: number;
  maxPerplexity?: number;
  /** Full-text query as given. */
  q?: string;
  /** `q` split the way the text indexes split text (lowercase ASCII, non-alphanumerics separate). */
  qTokens: string[];
  limit: number;
  cursor?: Cursor;
}

/** Options of {@link parseSpanFilters}. */
export interface ParseFiltersOptions {
  /** Largest allowed `to − from`; default {@link DEFAULT_MAX_WINDOW_MS}. */
  maxWindowMs?: number;
  /** Current time in epoch ms (tests); default `Date.now()`. */
  nowMs?: number;
  /** The list a `cursor` must come from; absent = the endpoint takes no `limit`/`cursor`. */
  cursorList?: CursorList;
  /** Accept `limit` without `cursor` (lists that are not paged). */
  limitOnly?: boolean;
  /** Accept only `from`/`to` (plus paging and `extra`), no span filters. */
  windowOnly?: boolean;
  /** Further parameter names the endpoint accepts (parsed by the caller). */
  extra?: readonly string[];
}

/** Default window when `from` is absent: 24 hours before `to`. */
export const DEFAULT_WINDOW_MS = 24 * 3600_000;
/** Default largest window: 31 days. */
export const DEFAULT_MAX_WINDOW_MS = 31 * 24 * 3600_000;
/** Default and largest page size. */
export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 1000;

/**
 * The largest window the API allows under a retention of `retentionDays`: 31 days, or the
 * retention plus a day when that is longer, so everything still stored can be asked for.
 */
export function maxWindowMsFor(retentionDays: number): number {
  return Math.max(DEFAULT_MAX_WINDOW_MS, (retentionDays + 1) * 24 * 3600_000);
}

/** Longest full-text query. */
export const MAX_Q_CHARS = 200;
const MAX_VALUES = 100;
// DateTime64(9) ends in 2262; anything later cannot be stored.
const MAX_TIME_MS = Date.UTC(2262, 0, 1);

const name = z.string().min(1).max(256);
const NAME_EXPECT = 'is not a non-empty value of at most 256 characters';
const nonNegative = z
  .string()
  .regex(/^(\d{1,15}(\.\d{0,9})?|\.\d{1,9})$/)
  .transform(Number);
// Perplexities are read off the API with all their digits; accept a pasted one as it is.
const preciseNonNegative = z
  .string()
  .regex(/^(\d{1,15}(\.\d{0,17})?|\.\d{1,17})$/)
  .transform(Number);

interface MultiSpec {
  /** The list filters: every span filter but the ranges and the text search. */
  key: Exclude<SpanFilterKey, 'duration' | 'cost' | 'perplexity' | 'text'>;
  schema: z.ZodType<string>;
  expect: string;
}

const MULTI: Readonly<Record<string, MultiSpec>> = {
  service: { key: 'services', schema: name, expect: NAME_EXPECT },
  environment: { key: 'environments', schema: name, expect: NAME_EXPECT },
  model: { key: 'models', schema: name, expect: NAME_EXPECT },
  provider: { key: 'providers', schema: name, expect: NAME_EXPECT },
  kind: {
    key: 'kinds',
    schema: z.enum(SPAN_KINDS as [SpanKind, ...SpanKind[]]),
    expect: `is not a span kind (${SPAN_KINDS.join(', ')})`,
  },
  status: {
    key: 'statuses',
    schema: z.enum(['ok', 'error', 'unset']),
    expect: 'is not one of ok, error, unset',
  },
  userId: { key: 'userIds', schema: name, expect: NAME_EXPECT },
  sessionId: { key: 'sessionIds', schema: name, expect: NAME_EXPECT },
  tag: { key: 'tags', schema: name, expect: NAME_EXPECT },
  outputFlag: {
    key: 'outputFlags',
    schema: z.enum(OUTPUT_HEALTH_FLAGS),
    expect: `is not an output-health flag (${OUTPUT_HEALTH_FLAGS.join(', ')})`,
  },
};

const NUMBERS = {
  minDurationMs: 'is not a non-negative number of milliseconds',
  maxDurationMs: 'is not a non-negative number of milliseconds',
  minCostUsd: 'is not a non-negative number of US dollars',
  minPerplexity: 'is not a non-negative number (perplexity is 1 or more)',
  maxPerplexity: 'is not a non-negative number (perplexity is 1 or more)',
} as const;

/** Parameter names every filtered endpoint accepts. */
export const FILTER_PARAMS: readonly string[] = [
  'from',
  'to',
  'q',
  ...Object.keys(MULTI),
  ...Object.keys(NUMBERS),
];

/**
 * Parses the query string of a filtered endpoint.
 * @throws ArgusError INVALID_PARAMETER naming the first bad or unknown parameter.
 */
export function parseSpanFilters(params: URLSearchParams, options: ParseFiltersOptions = {}): SpanFilters {
  const paging = options.cursorList ? ['limit', 'cursor'] : options.limitOnly ? ['limit'] : [];
  const accepted = options.windowOnly ? ['from', 'to'] : FILTER_PARAMS;
  rejectUnknown(params, [...accepted, ...paging, ...(options.extra ?? [])]);
  const filters: SpanFilters = {
    ...parseWindow(params, options),
    services: [],
    environments: [],
    models: [],
    providers: [],
    kinds: [],
    statuses: [],
    userIds: [],
    sessionIds: [],
    tags: [],
    outputFlags: [],
    qTokens: [],
    limit: DEFAULT_LIMIT,
  };
  parseValues(params, filters);
  parseText(params, filters);
  if (paging.length > 0) {
    const limit = single(params, 'limit');
    if (limit !== undefined) filters.limit = parseLimit(limit);
    const cursor = single(params, 'cursor');
    if (cursor !== undefined && options.cursorList) filters.cursor = decodeCursor(options.cursorList, cursor);
  }
  return filters;
}

/** The multi-valued and numeric filters, into `filters`. */
function parseValues(params: URLSearchParams, filters: SpanFilters): void {
  for (const [param, spec] of Object.entries(MULTI)) {
    const values = params.getAll(param);
    if (values.length > MAX_VALUES) {
      throw invalidParameter(param, `is given ${values.length} times; the most is ${MAX_VALUES}`);
    }
    (filters[spec.key] as string[]) = values.map((value) => check(param, spec.schema, value, spec.expect));
  }
  for (const [param, expect] of Object.entries(NUMBERS)) {
    const raw = single(params, param);
    const schema = param.endsWith('Perplexity') ? preciseNonNegative : nonNegative;
    if (raw !== undefined) filters[param as keyof typeof NUMBERS] = check(param, schema, raw, expect);
  }
  checkRange(filters, 'minDurationMs', 'maxDurationMs');
  checkRange(filters, 'minPerplexity', 'maxPerplexity');
}

/** Refuses a range whose lower bound `min` is above its upper bound `max`. */
function checkRange(filters: SpanFilters, min: keyof typeof NUMBERS, max: keyof typeof NUMBERS): void {
  const low = filters[min];
  const high = filters[max];
  if (low !== undefined && high !== undefined && low > high)
    throw invalidParameter(min, `${low} is greater than ${max} ${high}`);
}

/** The full-text query `q`, into `filters`. */
function parseText(params: URLSearchParams, filters: SpanFilters): void {
  const q = single(params, 'q');
  if (q !== undefined) {
    if (q.length > MAX_Q_CHARS)
      throw invalidParameter('q', `is ${q.length} characters long; the most is ${MAX_Q_CHARS}`);
    filters.qTokens = textTokens(q);
    if (filters.qTokens.length === 0)
      throw invalidParameter('q', `${quote(q)} contains no letters or digits to search for`);
    filters.q = q;
  }
}

/**
 * Splits text like the `splitByNonAlpha` text index does on `lower(…)`: ASCII letters are
 * lowercased (ClickHouse `lower` is ASCII-only), ASCII non-alphanumerics separate tokens and
 * other characters belong to tokens. Duplicates are dropped.
 */
export function textTokens(text: string): string[] {
  const lowered = text.replace(/[A-Z]/g, (c) => c.toLowerCase());
  const tokens = lowered.split(/[\u0000-\u002f\u003a-\u0040\u005b-\u0060\u007b-\u007f]+/).filter(Boolean);
  return [...new Set(tokens)];
}

function parseLimit(raw: string): number {
  const schema = z
    .string()
    .regex(/^\d{1,4}$/)
    .transform(Number)
    .pipe(z.number().int().min(1).max(MAX_LIMIT));
  return check('limit', schema, raw, `is not an integer from 1 to ${MAX_LIMIT}`);
}

function parseWindow(
  params: URLSearchParams,
  options: ParseFiltersOptions,
): { fromMs: number; toMs: number } {
  const rawTo = single(params, 'to');
  const rawFrom = single(params, 'from');
  const toMs = rawTo === undefined ? (options.nowMs ?? Date.now()) : parseTime('to', rawTo);
  const fromMs = rawFrom === undefined ? toMs - DEFAULT_WINDOW_MS : parseTime('from', rawFrom);
  if (fromMs > toMs) {
    throw invalidParameter(
      'from',
      `${new Date(fromMs).toISOString()} is after 'to' ${new Date(toMs).toISOString()}`,
    );
  }
  const maxWindowMs = options.maxWindowMs ?? DEFAULT_MAX_WINDOW_MS;
  if (toMs - fromMs > maxWindowMs) {
    throw invalidParameter(
      'from',
      `the window ${new Date(fromMs).toISOString()} to ${new Date(toMs).toISOString()} is ${formatDays(toMs - fromMs)}; the most is ${formatDays(maxWindowMs)}`,
    );
  }
  return { fromMs, toMs };
}

const ISO_TIME = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2})?)(\.\d{1,9})?(Z|[+-]\d{2}:?\d{2})?)?$/i;

/**
 * ISO 8601 (zone-less times are UTC) or epoch milliseconds → epoch milliseconds.
 * @throws ArgusError INVALID_PARAMETER naming `param`.
 */
export function parseTime(param: string, raw: string): number {
  let ms = Number.NaN;
  if (/^\d{1,15}$/.test(raw)) {
    ms = Number(raw);
  } else {
    const m = ISO_TIME.exec(raw);
    if (m) {
      const fraction = m[3] ? m[3].slice(0, 4).padEnd(4, '0') : '';
      const zone = m[4] ? m[4].toUpperCase().replace(/^([+-]\d{2})(\d{2})$/, '$1:$2') : 'Z';
      ms = Date.parse(`${m[1]}T${m[2] ?? '00:00:00'}${fraction}${zone}`);
    }
  }
  if (!Number.isFinite(ms) || ms < 0 || ms > MAX_TIME_MS) {
    throw invalidParameter(param, `${quote(raw)} is not an ISO 8601 time or epoch milliseconds`);
  }
  return ms;
}

function formatDays(ms: number): string {
  const round = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(1));
  const hours = ms / 3600_000;
  if (hours < 48) return `${round(hours)} hour${hours === 1 ? '' : 's'}`;
  return `${round(hours / 24)} days`;
}
