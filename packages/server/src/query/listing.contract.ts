/**
 * The listing and trace-by-id contract: one case list run against every ClickHouse driver
 * (`*.chdb.test.ts` embedded, `*.client.test.ts` through `@clickhouse/client`). A driver is
 * correct when every case passes on it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArgusError } from '../errors.ts';
import type { Store } from '../store/index.ts';
import type { CursorList } from './cursor.ts';
import { parseSpanFilters, type SpanFilters } from './filters.ts';
import { type ListingFixture, seedListingFixture } from './listing-fixture.ts';
import { listSpans } from './spans.ts';
import { makeSpan } from './test-helpers.ts';
import { getTrace } from './trace-detail.ts';
import { listTraces } from './traces.ts';

type Name = 'weather' | 'failing' | 'logged' | 'bulk';

/** Defines the suite; `open` opens a store on a fresh data directory (called once). */
export function describeListingContract(label: string, open: () => Promise<Store>): void {
  describe(`listing contract (${label})`, () => {
    let store: Store;
    let fx: ListingFixture;
    const filtersOf = (query: string, list: CursorList): SpanFilters =>
      parseSpanFilters(new URLSearchParams(query), { cursorList: list });
    const traces = (query: string) => listTraces(store.driver, 'default', filtersOf(query, 'traces'));
    const nameOf = (traceId: string): string =>
      traceId === fx.weather.traceId
        ? 'weather'
        : traceId === fx.failing.traceId
          ? 'failing'
          : traceId === fx.logged.traceId
            ? 'logged'
            : fx.bulkIds.has(traceId)
              ? 'bulk'
              : `unexpected ${traceId}`;
    const namesOf = async (query: string) => {
      const page = await traces(`limit=1000&${query}`);
      return [...new Set(page.data.map((t) => nameOf(t.traceId)))].sort();
    };

    beforeAll(async () => {
      store = await open();
      fx = await seedListingFixture(store);
    });
    afterAll(async () => {
      await store?.close();
    });

    it.each<[string, Name[], string]>([
      [
        '',
        ['bulk', 'failing', 'logged', 'weather'],
        'no filter: the window only (old trace and other project excluded)',
      ],
      ['service=agent-svc', ['weather'], 'service'],
      ['service=agent-svc&service=rag-svc', ['failing', 'weather'], 'repeated parameter means any of'],
      ['environment=staging', ['failing'], 'environment'],
      ['model=gpt-4o', ['weather'], 'request model'],
      ['model=claude-3-5-sonnet-20241022', ['failing'], 'response model'],
      ['provider=ollama', ['logged'], 'provider'],
      ['kind=tool', ['weather'], 'kind of a child span'],
      ['status=error', ['failing'], 'an error in a child makes the trace an error'],
      ['status=ok', ['bulk', 'logged', 'weather'], 'ok = no span failed'],
      ['userId=alice', ['weather'], 'user'],
      ['sessionId=sess-2', ['failing'], 'session'],
      ['tag=beta', ['weather'], 'tag'],
      ['minDurationMs=4000', ['weather'], 'root duration'],
      ['maxDurationMs=500', ['bulk'], 'root duration upper bound'],
      ['minCostUsd=0.005', ['weather'], 'trace total cost'],
      ['q=reykjavik', ['weather'], 'a word of a prompt'],
      ['q=XYLOPHONE', ['failing'], 'a word of a completion, any case'],
      ['q=quasars', ['logged'], 'a word only in GenAI content logged as a log record'],
      ['q=aurora%20borealis', ['logged'], 'several words of logged content'],
      ['q=reykjavik%20xylophone', [], 'all words must be in one field'],
      ['q=content', [], 'a JSON key of every message is not text'],
      ['q=role', [], 'nor is another key'],
      ['q=stop', [], 'nor a finish reason'],
      ['q=user%20parts', ['failing'], 'words that are also keys or roles, written by someone'],
      ['q=assistant', [], 'a role is not text'],
      ['service=agent-svc&userId=alice&model=gpt-4o', ['weather'], 'combined filters'],
      ['service=agent-svc&userId=bob', [], 'combined filters that exclude each other'],
      ['status=error&provider=anthropic', ['failing'], 'trace status with a span filter'],
      ['kind=tool&status=error', [], 'trace status excludes'],
    ])('traces ?%s → %j (%s)', async (query, expected) => {
      expect(await namesOf(query)).toEqual(expected);
    });

    it('summarizes a trace from trace_index and previews', async () => {
      const page = await traces('service=agent-svc');
      expect(page.nextCursor).toBeUndefined();
      expect(page.data).toEqual([
        {
          traceId: fx.weather.traceId,
          rootName: 'weather-agent',
          serviceName: 'agent-svc',
          startTime: new Date(fx.base + 3600_000).toISOString().replace('Z', '000000Z'),
          durationMs: 5000,
          spanCount: 3,
          errorCount: 0,
          llmCount: 1,
          inputTokens: 100,
          outputTokens: 50,
          totalTokens: 150,
          costUsd: 0.01,
          models: ['gpt-4o-2024-08-06'],
          userId: 'alice',
          sessionId: 'sess-1',
          status: 'ok',
          inputPreview: 'What is the weather in Reykjavik today?',
          outputPreview: 'It is chilly and windy.',
        },
      ]);
      const [failing] = (await traces('environment=staging')).data;
      expect(failing).toMatchObject({ status: 'error', errorCount: 1, spanCount: 2, rootName: 'rag-chain' });
    });

    it('walks 137 traces (one stored twice) in pages of 50 without gaps or repeats, newest first', async () => {
      const seen: string[] = [];
      const sizes: number[] = [];
      let cursor: string | undefined;
      do {
        const page = await traces(`service=bulk-svc&limit=50${cursor ? `&cursor=${cursor}` : ''}`);
        sizes.push(page.data.length);
        seen.push(...page.data.map((t) => `${t.startTime} ${t.traceId}`));
        cursor = page.nextCursor;
      } while (cursor);
      // The stored-twice newest trace is shown once, so the first page holds 49.
      expect(sizes).toEqual([49, 50, 38]);
      expect(seen).toHaveLength(137);
      expect(new Set(seen.map((s) => s.split(' ')[1]))).toEqual(fx.bulkIds);
      expect(seen).toEqual([...seen].sort().reverse());
    });

    it('walks every span of the bulk traces in pages of 100', async () => {
      const seen = new Set<string>();
      let pages = 0;
      let cursor: string | undefined;
      do {
        const query = `service=bulk-svc&limit=100${cursor ? `&cursor=${cursor}` : ''}`;
        const page = await listSpans(store.driver, 'default', filtersOf(query, 'spans'));
        for (const span of page.data) {
          expect(seen.has(span.spanId)).toBe(false);
          seen.add(span.spanId);
        }
        pages++;
        cursor = page.nextCursor;
      } while (cursor);
      expect(pages).toBe(3);
      expect(seen).toEqual(fx.bulkSpanIds);
    });

    it.each<[string, (fx: ListingFixture) => string[]]>([
      ['kind=tool', (f) => [f.weather.toolId]],
      ['model=gpt-4o', (f) => [f.weather.llmId]],
      ['status=error', (f) => [f.failing.llmId]],
      ['q=quasars', (f) => [f.logged.spanId]],
      ['minCostUsd=0.005', (f) => [f.weather.llmId]],
      ['service=agent-svc&kind=agent', (f) => [f.weather.rootId]],
      ['userId=alice&minDurationMs=1000&maxDurationMs=3000', (f) => [f.weather.llmId]],
    ])('spans ?%s match exactly', async (query, expected) => {
      const page = await listSpans(store.driver, 'default', filtersOf(`limit=1000&${query}`, 'spans'));
      expect(page.data.map((s) => s.spanId).sort()).toEqual(expected(fx).sort());
    });

    it('reads the same rows when they are parsed a few at a time (background reads)', async () => {
      const sql =
        'SELECT trace_id, span_id, input, total_tokens FROM spans ORDER BY trace_id, span_id LIMIT 300';
      const whole = await store.driver.query(sql);
      expect(whole.length).toBeGreaterThan(100);
      expect(await store.driver.query(sql, {}, { yieldEveryRows: 7 })).toEqual(whole);
    });

    it('lists spans without heavy fields but with previews', async () => {
      const [span] = (await listSpans(store.driver, 'default', filtersOf('model=gpt-4o', 'spans'))).data;
      expect(span).toMatchObject({
        spanId: fx.weather.llmId,
        inputPreview: 'What is the weather in Reykjavik today?',
      });
      for (const heavy of [
        'input',
        'output',
        'attributes',
        'events',
        'resourceAttributes',
        'systemInstructions',
      ]) {
        expect(span).not.toHaveProperty(heavy);
      }
    });

    it('bounds lists by the time window', async () => {
      expect(await namesOf('userId=alice')).toEqual(['weather']);
      const from = new Date(Date.now() - 48 * 3600_000).toISOString();
      const wide = await traces(`userId=alice&from=${from}`);
      expect(wide.data.map((t) => t.traceId)).toEqual([fx.weather.traceId, fx.old.traceId]);
      const at = fx.base + 3600_000;
      expect(await namesOf(`from=${at}&to=${at}`)).toEqual(['weather']);
      expect(await namesOf(`from=${at - 1000}&to=${at - 1}`)).toEqual([]);
    });

    it('assembles a trace: tree in start order, duplicates hidden, scores attached', async () => {
      const trace = await getTrace(store.driver, 'default', fx.weather.traceId.toUpperCase());
      expect(trace.traceId).toBe(fx.weather.traceId);
      expect(trace.spans.map((s) => s.spanId)).toEqual([
        fx.weather.rootId,
        fx.weather.llmId,
        fx.weather.toolId,
      ]);
      expect(trace.spans.slice(1).every((s) => s.parentSpanId === fx.weather.rootId)).toBe(true);
      expect(trace.spans[1]!.input).toEqual([
        { role: 'user', parts: [{ type: 'text', content: 'What is the weather in Reykjavik today?' }] },
      ]);
      expect(trace.scores.map((s) => [s.name, s.value, s.spanId])).toEqual([
        ['helpfulness', 0.9, ''],
        ['toxicity', 0, fx.weather.llmId],
      ]);
      expect(trace.truncated).toBe(false);
      expect((await getTrace(store.driver, 'default', fx.duplicated.traceId)).spans).toHaveLength(2);
    });

    it('reads a trace whose spans arrived in separate writes, the earliest last', async () => {
      // Two partial trace_index rows; the trace's window spans both.
      const at = Date.now() - 2 * 3600_000;
      const root = makeSpan({ projectId: 'split', at, durationMs: 1000, name: 'root' });
      const late = makeSpan({
        projectId: 'split',
        traceId: root.traceId,
        parentSpanId: root.spanId,
        at: at + 5000,
        name: 'late',
      });
      const early = makeSpan({
        projectId: 'split',
        traceId: root.traceId,
        parentSpanId: root.spanId,
        at: at - 5000,
        name: 'early',
      });
      await store.insertSpans([root]);
      await store.insertSpans([late]);
      await store.insertSpans([early]);
      const trace = await getTrace(store.driver, 'split', root.traceId);
      expect(trace.spans.map((s) => s.name)).toEqual(['early', 'root', 'late']);
    });

    it('merges GenAI content logged as log records into the span', async () => {
      const trace = await getTrace(store.driver, 'default', fx.logged.traceId);
      const [span] = trace.spans;
      expect(span!.input).toEqual([
        { role: 'user', parts: [{ type: 'text', content: 'Tell me about the aurora borealis' }] },
      ]);
      expect(JSON.stringify(span!.output)).toContain('Quasars are brighter.');
    });

    it.each([
      ['an unknown id', () => '0123456789abcdef0123456789abcdef', 'NOT_FOUND'],
      ['an id of another project', (f: ListingFixture) => f.other.traceId, 'NOT_FOUND'],
      ['a malformed id', () => 'xyz', 'INVALID_PARAMETER'],
      ['an injection attempt', () => "' OR 1=1 --", 'INVALID_PARAMETER'],
    ])('answers %s with %s', async (_what, id, code) => {
      const error = await getTrace(store.driver, 'default', id(fx)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ArgusError);
      expect((error as ArgusError).code).toBe(code);
    });
  });
}
