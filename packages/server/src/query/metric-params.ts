/**
 * Query-string parsing of the OTLP metric endpoints (`/api/v1/metrics/points` and
 * `/api/v1/metrics/names`). The window and step are parsed by the span-series parser, so both
 * endpoint families read time the same way; attribute filters are `attr.<key>=<value>`.
 */
import { z } from 'zod';
import { quote } from './cursor.ts';
import { type ParseFiltersOptions, parseSpanFilters } from './filters.ts';
import { check, invalidParameter, optionalOneOf, rejectUnknown, single } from './params.ts';
import { parseSeriesParams } from './series.ts';

/** Aggregations of `/metrics/points`. */
export const AGGREGATIONS = ['avg', 'min', 'max', 'sum', 'last', 'rate', 'p50', 'p95', 'p99'] as const;
/** One of {@link AGGREGATIONS}. */
export type Aggregation = (typeof AGGREGATIONS)[number];

/** One attribute filter: the key and the values it may have (any of them). */
export interface AttributeFilter {
  key: string;
  values: string[];
}

/** Validated parameters of a metric-points request. */
export interface MetricPointParams {
  name: string;
  /** Window, epoch ms (to inclusive, as given). */
  fromMs: number;
  toMs: number;
  stepSeconds: number;
  /** Absent = the default for the metric's type. */
  aggregation?: Aggregation;
  attributes: AttributeFilter[];
  groupBy: string[];
}

/** Most `groupBy` keys. */
export const MAX_GROUP_KEYS = 3;
/** Most distinct `attr.*` keys, and values per key. */
export const MAX_ATTRIBUTE_FILTERS = 10;
const MAX_ATTRIBUTE_VALUES = 100;
const MAX_KEY_CHARS = 256;
const ATTR_PREFIX = 'attr.';
const POINT_PARAMS = ['name', 'from', 'to', 'step', 'aggregation', 'groupBy'];

const text = z.string().min(1).max(MAX_KEY_CHARS);
const TEXT_EXPECT = `is not a non-empty value of at most ${MAX_KEY_CHARS} characters`;

/**
 * Parses a `/metrics/points` query string.
 * @throws ArgusError INVALID_PARAMETER naming the first bad, missing or unknown parameter.
 */
export function parseMetricPointParams(
  params: URLSearchParams,
  options: ParseFiltersOptions = {},
): MetricPointParams {
  const rest = new URLSearchParams();
  const attributes: AttributeFilter[] = [];
  for (const [key, value] of params) {
    if (!key.startsWith(ATTR_PREFIX)) rest.append(key, value);
  }
  for (const key of new Set(params.keys())) {
    if (key.startsWith(ATTR_PREFIX)) attributes.push(parseAttributeFilter(key, params.getAll(key)));
  }
  if (attributes.length > MAX_ATTRIBUTE_FILTERS) {
    throw invalidParameter(
      'attr.*',
      `${attributes.length} attribute keys are given; the most is ${MAX_ATTRIBUTE_FILTERS}`,
    );
  }
  rejectUnknown(rest, [...POINT_PARAMS, 'attr.<key>']);
  const name = single(rest, 'name');
  if (name === undefined) {
    throw invalidParameter('name', 'is missing; give the exact metric name (see /api/v1/metrics/names)');
  }
  check('name', text, name, TEXT_EXPECT);
  // Only the window and the step go through the series parser (its groupBy means span fields).
  const window = new URLSearchParams();
  for (const key of ['from', 'to', 'step']) for (const value of rest.getAll(key)) window.append(key, value);
  const { filters, stepSeconds } = parseSeriesParams(window, options);
  const aggregation = optionalOneOf(rest, 'aggregation', AGGREGATIONS);
  return {
    name,
    fromMs: filters.fromMs,
    toMs: filters.toMs,
    stepSeconds,
    aggregation,
    attributes,
    groupBy: parseGroupBy(single(rest, 'groupBy')),
  };
}

function parseAttributeFilter(param: string, values: string[]): AttributeFilter {
  const key = param.slice(ATTR_PREFIX.length);
  if (key.length === 0 || key.length > MAX_KEY_CHARS) {
    throw invalidParameter(
      param,
      `names no attribute key; use attr.<key>=<value>, keys of 1 to ${MAX_KEY_CHARS} characters`,
    );
  }
  if (values.length > MAX_ATTRIBUTE_VALUES) {
    throw invalidParameter(param, `is given ${values.length} times; the most is ${MAX_ATTRIBUTE_VALUES}`);
  }
  return { key, values: [...new Set(values.map((value) => check(param, text, value, TEXT_EXPECT)))] };
}

function parseGroupBy(raw: string | undefined): string[] {
  if (raw === undefined) return [];
  const keys = [...new Set(raw.split(',').map((key) => key.trim()))];
  for (const key of keys) {
    if (key.length === 0 || key.length > MAX_KEY_CHARS) {
      throw invalidParameter(
        'groupBy',
        `${quote(raw.slice(0, 300))} has an empty or over-long attribute key`,
      );
    }
  }
  if (keys.length > MAX_GROUP_KEYS) {
    throw invalidParameter('groupBy', `names ${keys.length} attribute keys; the most is ${MAX_GROUP_KEYS}`);
  }
  return keys;
}

/** Validated parameters of a metric-names request. */
export interface MetricNameParams {
  fromMs: number;
  toMs: number;
  /** Case-insensitive substring of the name. */
  q?: string;
  limit: number;
}

/** Default and largest number of names returned. */
export const MAX_METRIC_NAMES = 1000;

/**
 * Parses a `/metrics/names` query string: `from`, `to`, `q`, `limit`.
 * @throws ArgusError INVALID_PARAMETER naming the first bad or unknown parameter.
 */
export function parseMetricNameParams(
  params: URLSearchParams,
  options: ParseFiltersOptions = {},
): MetricNameParams {
  rejectUnknown(params, ['from', 'to', 'q', 'limit']);
  const q = single(params, 'q');
  const window = new URLSearchParams();
  for (const key of ['from', 'to', 'limit'])
    for (const value of params.getAll(key)) window.append(key, value);
  const filters = parseSpanFilters(window, { ...options, windowOnly: true, limitOnly: true });
  if (q !== undefined) check('q', text, q, TEXT_EXPECT);
  return {
    fromMs: filters.fromMs,
    toMs: filters.toMs,
    ...(q === undefined ? {} : { q }),
    limit: params.has('limit') ? filters.limit : MAX_METRIC_NAMES,
  };
}
