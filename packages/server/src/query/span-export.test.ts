/**
 * The span export on embedded chDB: batches page through every matching span exactly once,
 * newest first (ties broken by span id, also across batch boundaries), stop at the limit, stay in
 * the project, and carry content that arrived as log records.
 */

import type { Span } from '@argus/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../store/index.ts';
import { parseSpanFilters } from './filters.ts';
import { exportSpans } from './span-export.ts';
import { hourStart, makeContentLog, makeSpan, makeStepSpan, tempConfig } from './test-helpers.ts';

const temp = tempConfig('span-export');
let store: Store;
const base = hourStart(3);
let step: Span;

beforeAll(async () => {
  store = await openStore(temp.config);
  // Six spans share one start time, so batch boundaries fall inside a tie.
  const spans = Array.from({ length: 30 }, (_, i) => makeSpan({ at: base + (i < 6 ? 0 : i * 1000) }));
  step = makeStepSpan({ at: base + 500 });
  const other = Array.from({ length: 5 }, (_, i) => makeSpan({ at: base + i * 1000, projectId: 'other' }));
  await store.insertSpans([...spans, step, ...other]);
  await store.insertLogs([
    makeContentLog({
      traceId: step.traceId,
      spanId: step.spanId,
      at: base + 600,
      content: { input: [{ role: 'user', parts: [{ type: 'text', content: 'Logged prompt' }] }] },
    }),
  ]);
});
afterAll(async () => {
  await store?.close();
  temp.cleanup();
});

const window = (extra: Record<string, string> = {}) =>
  parseSpanFilters(
    new URLSearchParams({ from: String(base - 1000), to: String(base + 3_600_000), ...extra }),
  );

async function collect(batches: AsyncGenerator<Span[]>): Promise<Span[][]> {
  const out: Span[][] = [];
  for await (const batch of batches) out.push(batch);
  return out;
}

const byNewest = (a: Span, b: Span) => {
  const at = BigInt(a.startTimeUnixNano);
  const bt = BigInt(b.startTimeUnixNano);
  return at === bt ? (a.spanId < b.spanId ? 1 : -1) : at < bt ? 1 : -1;
};

describe('exportSpans', () => {
  it('pages through every span of the project once, newest first, in bounded batches', async () => {
    const batches = await collect(
      exportSpans(store.driver, 'default', window(), { limit: 1000, batchSize: 7 }),
    );
    expect(batches.every((b) => b.length <= 7)).toBe(true);
    const spans = batches.flat();
    expect(spans).toHaveLength(31);
    expect(new Set(spans.map((s) => s.spanId)).size).toBe(31);
    expect(spans.every((s) => s.projectId === 'default')).toBe(true);
    expect(spans.map((s) => s.spanId)).toEqual([...spans].sort(byNewest).map((s) => s.spanId));
  });

  it('stops at the limit with the newest spans', async () => {
    const all = (await collect(exportSpans(store.driver, 'default', window(), { limit: 1000 }))).flat();
    const first = (
      await collect(exportSpans(store.driver, 'default', window(), { limit: 10, batchSize: 4 }))
    ).flat();
    expect(first.map((s) => s.spanId)).toEqual(all.slice(0, 10).map((s) => s.spanId));
  });

  it('applies span filters and merges content logged as log records', async () => {
    const spans = (
      await collect(exportSpans(store.driver, 'default', window({ kind: 'agent' }), { limit: 100 }))
    ).flat();
    expect(spans.map((s) => s.spanId)).toEqual([step.spanId]);
    expect(spans[0]!.input).toEqual([{ role: 'user', parts: [{ type: 'text', content: 'Logged prompt' }] }]);
    expect(spans[0]!.attributes).toEqual({});
  });

  it('answers nothing for a project without spans', async () => {
    expect((await collect(exportSpans(store.driver, 'nobody', window(), { limit: 100 }))).flat()).toEqual([]);
  });
});
