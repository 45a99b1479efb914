import type { Span } from '@argus/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArgusError } from '../errors.ts';
import { openStore, type Store } from '../store/index.ts';
import type { CursorList } from './cursor.ts';
import { getSession, listSessions, listUsers } from './entities.ts';
import { parseSpanFilters, textTokens } from './filters.ts';
import { listModels } from './models.ts';
import { metricSeries, parseSeriesParams } from './series.ts';
import { hourStart, makeSpan, makeStepSpan, tempConfig } from './test-helpers.ts';

// Traces of three users in three sessions (plus one without a session), all in the last
// 24 hours; the same session and user in another project and a day and a half ago must not count.
const temp = tempConfig('entities');
let store: Store;
const E = hourStart(4);
const MIN = 60_000;
const ids: Record<string, string> = {};

function trace(name: string, at: number, fields: Partial<Span>, llm: Partial<Span> = {}): Span[] {
  const root = makeStepSpan({ at, durationMs: 2000, ...fields });
  const child = makeSpan({
    at: at + 100,
    traceId: root.traceId,
    parentSpanId: root.spanId,
    ...fields,
    ...llm,
  });
  ids[name] = root.traceId;
  return [root, child];
}

beforeAll(async () => {
  store = await openStore(temp.config);
  const text = (role: string, content: string) => [{ role, parts: [{ type: 'text', content }] }];
  await store.insertSpans([
    ...trace('t1', E, { sessionId: 's1', userId: 'u1' }),
    ...trace('t5', E + 5 * MIN, { sessionId: 's3', userId: 'u1' }),
    ...trace(
      't2',
      E + 10 * MIN,
      { sessionId: 's1', userId: 'u1' },
      { input: text('user', 'second question'), output: text('assistant', 'second answer') },
    ),
    ...trace('t3', E + 20 * MIN, { sessionId: 's2', userId: 'u2' }, { status: 'error' }),
    makeSpan({ at: E + 30 * MIN, userId: 'u3', requestModel: 'gpt-4o', responseModel: 'gpt-4o-2024-08-06' }),
    ...trace('other', E, { sessionId: 's1', userId: 'u1', projectId: 'other' }),
    ...trace('old', Date.now() - 36 * 3600_000, { sessionId: 's1', userId: 'u1' }),
  ]);
});
afterAll(async () => {
  await store?.close();
  temp.cleanup();
});

const filters = (query: string, list?: CursorList) =>
  parseSpanFilters(new URLSearchParams(query), list ? { cursorList: list } : { limitOnly: true });

describe('sessions', () => {
  it('lists sessions with totals, most recently active first', async () => {
    const page = await listSessions(store.driver, 'default', filters('', 'sessions'));
    expect(page.nextCursor).toBeUndefined();
    expect(page.data.map((s) => s.sessionId)).toEqual(['s2', 's1', 's3']);
    const s1 = page.data[1]!;
    expect(s1).toMatchObject({
      sessionId: 's1',
      userIds: ['u1'],
      traceCount: 2,
      spanCount: 4,
      errorCount: 0,
      inputTokens: 20,
      outputTokens: 40,
      totalTokens: 60,
      firstSeen: `${new Date(E).toISOString().slice(0, -1)}000000Z`,
      lastSeen: `${new Date(E + 10 * MIN + 2000).toISOString().slice(0, -1)}000000Z`,
    });
    expect(s1.costUsd).toBeCloseTo(0.002, 12);
    expect(page.data[0]).toMatchObject({ sessionId: 's2', errorCount: 1 });
  });

  it('pages sessions one at a time without gaps or repeats', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await listSessions(
        store.driver,
        'default',
        filters(`limit=1${cursor ? `&cursor=${cursor}` : ''}`, 'sessions'),
      );
      seen.push(...page.data.map((s) => s.sessionId));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['s2', 's1', 's3']);
  });

  it.each([
    ['userId=u2', ['s2']],
    ['status=error', ['s2']],
    ['q=second', ['s1']],
    ['userId=u1', ['s1', 's3']],
    ["sessionId=' OR 1=1 --", []],
  ])('filters sessions by ?%s', async (query, expected) => {
    const page = await listSessions(store.driver, 'default', filters(query, 'sessions'));
    expect(page.data.map((s) => s.sessionId)).toEqual(expected);
  });

  it('gets a session with its turns oldest first and their previews', async () => {
    const detail = await getSession(store.driver, 'default', 's1', filters('', 'traces'));
    expect(detail.session).toMatchObject({ sessionId: 's1', traceCount: 2 });
    expect(detail.traces.map((t) => [t.traceId, t.inputPreview, t.outputPreview])).toEqual([
      [ids.t1, 'Hello there', 'Hi, how can I help?'],
      [ids.t2, 'second question', 'second answer'],
    ]);
    const first = await getSession(store.driver, 'default', 's1', filters('limit=1', 'traces'));
    expect(first.traces.map((t) => t.traceId)).toEqual([ids.t1]);
    const second = await getSession(
      store.driver,
      'default',
      's1',
      filters(`limit=1&cursor=${first.nextCursor}`, 'traces'),
    );
    expect(second.traces.map((t) => t.traceId)).toEqual([ids.t2]);
    expect(second.nextCursor).toBeUndefined();
  });

  it.each(['nope', "' OR 1=1 --", 's1\u0000'])('answers NOT_FOUND for session %j', async (id) => {
    const error = await getSession(store.driver, 'default', id, filters('', 'traces')).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ArgusError);
    expect((error as ArgusError).code).toBe('NOT_FOUND');
  });
});

describe('users', () => {
  it('lists users with totals, most recently active first', async () => {
    const page = await listUsers(store.driver, 'default', filters('', 'users'));
    expect(page.data.map((u) => u.userId)).toEqual(['u3', 'u2', 'u1']);
    expect(page.data[2]).toMatchObject({
      userId: 'u1',
      traceCount: 3,
      sessionCount: 2,
      spanCount: 6,
      totalTokens: 90,
    });
    expect(page.data[1]).toMatchObject({ userId: 'u2', errorCount: 1, sessionCount: 1 });
    expect(page.data[0]).toMatchObject({ userId: 'u3', traceCount: 1, sessionCount: 0 });
  });

  it('pages users', async () => {
    const first = await listUsers(store.driver, 'default', filters('limit=2', 'users'));
    const rest = await listUsers(
      store.driver,
      'default',
      filters(`limit=2&cursor=${first.nextCursor}`, 'users'),
    );
    expect([...first.data, ...rest.data].map((u) => u.userId)).toEqual(['u3', 'u2', 'u1']);
    expect(rest.nextCursor).toBeUndefined();
  });
});

describe('models', () => {
  it('aggregates per provider, request model and response model, busiest first', async () => {
    const page = await listModels(store.driver, 'default', filters(''));
    expect(page.data.map((m) => [m.provider, m.requestModel, m.responseModel, m.requests, m.errors])).toEqual(
      [
        ['openai', 'gpt-4o-mini', 'gpt-4o-mini-2024-07-18', 4, 1],
        ['openai', 'gpt-4o', 'gpt-4o-2024-08-06', 1, 0],
      ],
    );
    expect(page.data[0]).toMatchObject({
      errorRate: 0.25,
      inputTokens: 40,
      outputTokens: 80,
      latencyP50: 1000,
    });
    expect(page.data[0]!.costUsd).toBeCloseTo(0.004, 12);
    expect(page.data[0]!.firstSeen).toBe(`${new Date(E).toISOString().slice(0, -1)}000000Z`);
  });

  it('gives the same figures from raw spans as from the rollup', async () => {
    const rollup = await listModels(store.driver, 'default', filters(''));
    const raw = await listModels(store.driver, 'default', filters('status=ok&status=error&status=unset'));
    const pick = (m: (typeof raw.data)[number]) => [
      m.requestModel,
      m.requests,
      m.errors,
      m.inputTokens,
      m.costUsd.toFixed(9),
    ];
    expect(raw.data.map(pick)).toEqual(rollup.data.map(pick));
    expect(raw.data[0]!.firstSeen).toBe(`${new Date(E + 100).toISOString().slice(0, -1)}000000Z`);
  });

  it('limits the list', async () => {
    expect((await listModels(store.driver, 'default', filters('limit=1'))).data).toHaveLength(1);
  });
});

// Issue 13: a session of two turns whose first turn hit two 429s before failing showed 6 errors,
// and the Models page put the 429s in a "not reported" row while the model's row showed 0 %.
describe('failed calls (issue 13)', () => {
  const P = 'retries';
  const at = E + 40 * MIN;
  const failed = { status: 'error' as const, responseModel: '', inputTokens: 0, outputTokens: 0, costUsd: 0 };

  beforeAll(async () => {
    const context = { projectId: P, sessionId: 'chat', userId: 'ann' };
    const turn = (offset: number, status: 'ok' | 'error') =>
      makeStepSpan({ at: at + offset, ...context, status });
    const first = turn(0, 'error');
    const second = turn(MIN, 'ok');
    const child = (root: Span, offset: number, fields: Partial<Span> = {}) =>
      makeSpan({ at: at + offset, ...context, traceId: root.traceId, parentSpanId: root.spanId, ...fields });
    await store.insertSpans([
      first,
      child(first, 100, failed),
      child(first, 200, failed),
      second,
      child(second, MIN + 100),
      // gpt-4o answered by two versions: an unversioned failure cannot be placed in either.
      makeSpan({ at, projectId: P, requestModel: 'gpt-4o', responseModel: 'gpt-4o-2024-08-06' }),
      makeSpan({ at, projectId: P, requestModel: 'gpt-4o', responseModel: 'gpt-4o-2024-11-20' }),
      makeSpan({ at, projectId: P, requestModel: 'gpt-4o', ...failed }),
    ]);
  });

  it('counts failed traces, not failed spans, for sessions and users', async () => {
    const [session] = (await listSessions(store.driver, P, filters('', 'sessions'))).data;
    expect(session).toMatchObject({ sessionId: 'chat', traceCount: 2, errorCount: 3, failedTraceCount: 1 });
    const [user] = (await listUsers(store.driver, P, filters('', 'users'))).data;
    expect(user).toMatchObject({ userId: 'ann', traceCount: 2, failedTraceCount: 1 });
    expect(user!.failedTraceCount).toBeLessThanOrEqual(user!.traceCount);
  });

  it.each([
    ['rollup', ''],
    ['raw spans', 'status=ok&status=error&status=unset'],
  ])(
    'counts calls without a response model against the only version of their request model (%s)',
    async (_source, query) => {
      const page = await listModels(store.driver, P, filters(query));
      const rows = page.data.map((m) => [m.requestModel, m.responseModel, m.requests, m.errors]);
      expect(rows).toEqual([
        ['gpt-4o-mini', 'gpt-4o-mini-2024-07-18', 3, 2],
        ['gpt-4o', '', 1, 1],
        ['gpt-4o', 'gpt-4o-2024-08-06', 1, 0],
        ['gpt-4o', 'gpt-4o-2024-11-20', 1, 0],
      ]);
      expect(page.data[0]!.errorRate).toBeCloseTo(2 / 3, 12);
    },
  );

  it.each([
    ['hourly rollup', 'step=1h'],
    ['raw spans', 'step=1h&status=ok&status=error&status=unset'],
  ])('puts them in the same model series as the Models page does (%s)', async (_source, step) => {
    const params = parseSeriesParams(new URLSearchParams(`${step}&groupBy=model&metrics=requests,errors`));
    const result = await metricSeries(store.driver, P, params);
    const totals = Object.fromEntries(
      result.series.map((s) => [
        s.group.model,
        s.points.reduce((sum, p) => [sum[0]! + p.requests!, sum[1]! + p.errors!], [0, 0]),
      ]),
    );
    expect(totals).toEqual({
      'gpt-4o-mini-2024-07-18': [3, 2],
      // Two versions answered gpt-4o: the unversioned failure stays under the request model.
      'gpt-4o': [1, 1],
      'gpt-4o-2024-08-06': [1, 0],
      'gpt-4o-2024-11-20': [1, 0],
    });
  });
});

describe('text tokens', () => {
  it.each([
    'Hello, World!',
    'foo_bar x1y2 FOO',
    'ÄBC café naïve',
    "' OR 1=1; DROP TABLE spans --",
    'tab\tnew\nline',
  ])('splits %j exactly like the text index tokenizer', async (text) => {
    const [row] = await store.driver.query<{ t: string[] }>(
      "SELECT arrayDistinct(tokens(lower({text:String}), 'splitByNonAlpha')) AS t",
      { text },
    );
    expect(textTokens(text).sort()).toEqual([...row!.t].sort());
  });
});
