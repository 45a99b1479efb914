/**
 * A rule's filter is the query string of `GET /api/v1/spans` written as an object: it is turned
 * into URL parameters and parsed by the explorer's own parser, so a rule accepts exactly the
 * filters the explorer does, with the same messages. The window is the worker's, not the rule's.
 */
import type { RuleFilter } from '@argus/shared';
import { ArgusError, isArgusError } from '../errors.ts';
import { parseSpanFilters, type SpanFilters } from '../query/index.ts';

// The worker sets these; a rule may not.
const RESERVED = ['from', 'to', 'limit', 'cursor'];
const WIDEST_MS = 400 * 86_400_000;

/**
 * The span filters of a rule over the window [fromMs, toMs].
 * @throws ArgusError INVALID_PARAMETER `Invalid rule field 'filter': …` for an unknown or bad filter.
 */
export function ruleSpanFilters(filter: RuleFilter, window: { fromMs: number; toMs: number }): SpanFilters {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(filter)) {
    if (RESERVED.includes(name))
      throw new ArgusError('INVALID_PARAMETER', `Invalid rule field 'filter.${name}': the worker sets it`);
    for (const item of Array.isArray(value) ? value : [value]) query.append(name, String(item));
  }
  query.set('from', String(Math.max(0, Math.floor(window.fromMs))));
  query.set('to', String(Math.max(0, Math.floor(window.toMs))));
  try {
    return parseSpanFilters(query, { maxWindowMs: WIDEST_MS });
  } catch (error) {
    if (isArgusError(error) && error.code === 'INVALID_PARAMETER')
      throw new ArgusError('INVALID_PARAMETER', `Invalid rule field 'filter': ${error.message}`);
    throw error;
  }
}

/** Checks a filter without a window of interest. @throws as {@link ruleSpanFilters}. */
export function checkRuleFilter(filter: RuleFilter): void {
  const now = Date.now();
  ruleSpanFilters(filter, { fromMs: now - 3600_000, toMs: now });
}
