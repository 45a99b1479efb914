/**
 * Overload: with a small write queue, a burst gets 503 + Retry-After instead of growing memory,
 * and every acknowledged span is stored.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chatSpanJson, randomHex, tracesRequestJson } from './support/otlp-json.ts';
import { startTestServer, type TestServer } from './support/server.ts';

let argus: TestServer;
beforeAll(async () => {
  argus = await startTestServer({ writerMaxQueueBytes: 1024 * 1024, writerFlushIntervalMs: 400 });
});
afterAll(async () => {
  await argus?.stop();
});

describe('ingest under overload', () => {
  it('sheds load with 503 + Retry-After and stores everything it acknowledged', async () => {
    const requests = Array.from({ length: 24 }, () => {
      const traceId = randomHex(16);
      const spanIds = Array.from({ length: 40 }, () => randomHex(8));
      return {
        traceId,
        spanIds,
        body: tracesRequestJson(spanIds.map((id) => chatSpanJson(traceId, id, { contentChars: 4000 }))),
      };
    });
    const answers = await Promise.all(
      requests.map(async (r) => {
        const response = await fetch(`${argus.url}/v1/traces`, {
          method: 'POST',
          body: r.body,
          headers: { 'content-type': 'application/json' },
        });
        return {
          ...r,
          status: response.status,
          retryAfter: response.headers.get('retry-after'),
          body: await response.text(),
        };
      }),
    );
    const accepted = answers.filter((a) => a.status === 200);
    const shed = answers.filter((a) => a.status === 503);
    expect(accepted.length + shed.length).toBe(answers.length);
    expect(accepted.length).toBeGreaterThan(0);
    expect(shed.length).toBeGreaterThan(0);
    for (const a of shed) {
      expect(a.retryAfter).toBe('2');
      expect(JSON.parse(a.body).error.code).toBe('OVERLOADED');
    }
    const ids = accepted.flatMap((a) => a.spanIds);
    const rows = await argus.server.store.driver.query<{ n: string }>(
      'SELECT count() AS n FROM spans WHERE span_id IN {ids:Array(String)}',
      { ids },
    );
    expect(Number(rows[0]!.n)).toBe(ids.length);
    expect(argus.server.store.writer.stats.queuedBytes).toBe(0);
  });
});
