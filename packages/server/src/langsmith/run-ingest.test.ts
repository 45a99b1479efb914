import { randomUUID } from 'node:crypto';
import type { Span } from '@argus/shared';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config.ts';
import { createLogger } from '../logger.ts';
import type { Store } from '../store/index.ts';
import { spanIdOf } from './run.ts';
import { RunIngestor } from './run-ingest.ts';

const config = loadConfig({ logLevel: 'silent' }, {});
const at = (ms: number) => new Date(Date.now() - 60_000 + ms).toISOString();

/** A store whose inserts wait for `open()`, so a test can send a request while another writes. */
function gatedStore() {
  let open!: () => void;
  const gate = new Promise<void>((resolve) => {
    open = resolve;
  });
  const written: Span[] = [];
  let failNext = false;
  const store = {
    async insertSpans(spans: Span[]) {
      await gate;
      if (failNext) {
        failNext = false;
        throw new Error('store down');
      }
      written.push(...spans);
      return { inserted: spans.length, duplicates: 0 };
    },
  } as unknown as Store;
  return { store, written, open, failOnce: () => (failNext = true) };
}

function run(id: string, traceId: string, over: Record<string, unknown> = {}) {
  return { id, trace_id: traceId, name: 'chat', run_type: 'llm', start_time: at(0), ...over };
}

describe('RunIngestor', () => {
  it('joins an update to its create while the create’s request is still being written', async () => {
    // Regression (compat/langsmith flaked ~1 in 10): the pending map was changed only after the
    // write was awaited, so an update arriving meanwhile became a span of its own without the
    // create's inputs, and the held create was later dropped as its duplicate.
    const { store, written, open } = gatedStore();
    const ingestor = new RunIngestor({ config, store, enrichSpan: (s) => s, logger: createLogger('silent') });
    const traceId = randomUUID();
    const finished = run(randomUUID(), traceId, { name: 'lookup', run_type: 'tool', end_time: at(10) });
    const failing = randomUUID();
    const first = ingestor.ingest('default', {
      posts: [finished, run(failing, traceId, { inputs: { messages: [{ role: 'user', content: 'hi' }] } })],
      patches: [],
    });
    await new Promise((resolve) => setImmediate(resolve));
    const second = ingestor.ingest('default', {
      posts: [],
      patches: [run(failing, traceId, { end_time: at(20), error: 'RateLimitError: 429' })],
    });
    open();
    await Promise.all([first, second]);
    const spans = written.filter((s) => s.spanId === spanIdOf(failing));
    expect(spans).toHaveLength(1);
    expect(spans[0]).toMatchObject({ status: 'error' });
    expect(JSON.stringify(spans[0]!.input)).toContain('hi');
    expect(ingestor.heldRuns).toBe(0);
  });

  it('gives taken runs back when the write fails, so the retried update still finds its create', async () => {
    const { store, written, open, failOnce } = gatedStore();
    const ingestor = new RunIngestor({ config, store, enrichSpan: (s) => s, logger: createLogger('silent') });
    const traceId = randomUUID();
    const id = randomUUID();
    open();
    await ingestor.ingest('default', { posts: [run(id, traceId, { inputs: { q: 'kept' } })], patches: [] });
    expect(ingestor.heldRuns).toBe(1);
    const update = { posts: [], patches: [run(id, traceId, { end_time: at(30), outputs: { a: 'yes' } })] };
    failOnce();
    await expect(ingestor.ingest('default', update)).rejects.toThrow('store down');
    expect(ingestor.heldRuns).toBe(1);
    await ingestor.ingest('default', update);
    expect(written).toHaveLength(1);
    expect(JSON.stringify(written[0]!.input)).toContain('kept');
  });
});
