import { describe, expect, it } from 'vitest';
import { parseSpanFilters } from './filters.ts';
import { ALL_SPAN_FILTERS, afterCursor, matchingTraces, spanWhere } from './sql.ts';

const SENTINEL = "zz'sentinel";

describe('spanWhere', () => {
  // Every user value must travel as a bound parameter, never as SQL text.
  it('binds every filter value as a parameter and keeps project and window first', () => {
    const query = ['service', 'environment', 'model', 'provider', 'userId', 'sessionId', 'tag', 'q']
      .map((name) => `${name}=${encodeURIComponent(SENTINEL)}`)
      .join('&');
    const filters = parseSpanFilters(
      new URLSearchParams(`${query}&minDurationMs=1&maxDurationMs=2&minCostUsd=3`),
    );
    const where = spanWhere('p1', filters);
    expect(where.sql).not.toContain('sentinel');
    expect(where.sql.startsWith('project_id = {projectId:String}\n  AND start_time BETWEEN')).toBe(true);
    expect(where.params).toMatchObject({
      projectId: 'p1',
      services: [SENTINEL],
      environments: [SENTINEL],
      models: [SENTINEL],
      providers: [SENTINEL],
      userIds: [SENTINEL],
      sessionIds: [SENTINEL],
      tags: [SENTINEL],
      qTokens: ['zz', 'sentinel'],
      minDurationMs: 1,
      maxDurationMs: 2,
      minCostUsd: 3,
    });
    for (const placeholder of where.sql.match(/\{(\w+):/g) ?? []) {
      expect(where.params, placeholder).toHaveProperty(placeholder.slice(1, -1));
    }
  });

  it('adds nothing for unset filters', () => {
    const filters = parseSpanFilters(new URLSearchParams(''));
    expect(spanWhere('p', filters).sql.split('\n')).toHaveLength(2);
    expect(matchingTraces('p', filters, ALL_SPAN_FILTERS)).toEqual({ sql: '', params: {} });
  });

  it('binds the cursor too', () => {
    const predicate = afterCursor('start_time', 'trace_id', 'String', { timeNs: '5', id: SENTINEL });
    expect(predicate.sql).not.toContain('sentinel');
    expect(predicate.params).toEqual({ cursorNs: '5', cursorId: SENTINEL });
  });
});
