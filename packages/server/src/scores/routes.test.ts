import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorReply } from '../http/respond.ts';
import { type Reply, Router } from '../http/router.ts';
import { createLogger } from '../logger.ts';
import { getTrace } from '../query/index.ts';
import { makeSpan, tempConfig } from '../query/test-helpers.ts';
import { openStore, type Store } from '../store/index.ts';
import { registerScoreRoutes } from './routes.ts';
import { parseScoreBody } from './schemas.ts';

const temp = tempConfig('scores');
let store: Store;
const router = new Router();
const span = makeSpan();
const silent = createLogger('silent');

beforeAll(async () => {
  store = await openStore(temp.config);
  registerScoreRoutes(router, { store, projectOf: () => 'default' });
  await store.insertSpans([span]);
});
afterAll(async () => {
  await store?.close();
  temp.cleanup();
});

/** POSTs a body through the router the way the server does, errors mapped to replies. */
async function post(
  body: string,
  contentType = 'application/json',
): Promise<Reply & { body: Record<string, unknown> }> {
  const url = new URL('/api/v1/scores', 'http://localhost');
  const match = router.match('POST', url.pathname);
  if (!match || match === 'method') throw new Error('no score route');
  const request = Object.assign(Readable.from([Buffer.from(body)]), {
    headers: { 'content-type': contentType },
  }) as unknown as IncomingMessage;
  try {
    return (await match.handler({ request, url, params: {} })) as Reply & { body: Record<string, unknown> };
  } catch (error) {
    return errorReply(error, silent) as Reply & { body: Record<string, unknown> };
  }
}

describe('POST /api/v1/scores', () => {
  it('stores numeric and categorical scores that the trace API returns', async () => {
    const numeric = await post(
      JSON.stringify({
        traceId: span.traceId.toUpperCase(),
        spanId: span.spanId,
        name: 'helpfulness',
        value: 0.8,
        comment: 'Good answer',
        source: 'user',
        metadata: { reviewer: 'ann', round: 2, final: true },
      }),
    );
    expect(numeric.status).toBe(201);
    const scoreId = (numeric.body.data as { scoreId: string }).scoreId;
    expect(scoreId).toMatch(/^[0-9a-f-]{36}$/);
    const categorical = await post(
      JSON.stringify({ traceId: span.traceId, name: 'verdict', value: 'correct' }),
    );
    expect(categorical.status).toBe(201);

    const trace = await getTrace(store.driver, 'default', span.traceId);
    const byName = Object.fromEntries(trace.scores.map((s) => [s.name, s]));
    expect(byName.helpfulness).toMatchObject({
      scoreId,
      traceId: span.traceId,
      spanId: span.spanId,
      value: 0.8,
      stringValue: '',
      comment: 'Good answer',
      source: 'user',
      metadata: { reviewer: 'ann', round: '2', final: 'true' },
    });
    // A categorical score keeps its category; source defaults to `api`; no span = whole trace.
    expect(byName.verdict).toMatchObject({ value: 0, stringValue: 'correct', source: 'api', spanId: '' });
  });

  it.each([
    // Each case names the field the message must point at.
    [{ traceId: 'abc', name: 'x', value: 1 }, 'traceId'],
    [{ traceId: 'a'.repeat(32), spanId: 'z'.repeat(16), name: 'x', value: 1 }, 'spanId'],
    [{ traceId: 'a'.repeat(32), name: '', value: 1 }, 'name'],
    [{ traceId: 'a'.repeat(32), name: 'n'.repeat(201), value: 1 }, 'name'],
    [{ traceId: 'a'.repeat(32), name: 'x', value: true }, 'value'],
    [{ traceId: 'a'.repeat(32), name: 'x' }, 'value'],
    [{ traceId: 'a'.repeat(32), name: 'x', value: 1, comment: 'c'.repeat(10_001) }, 'comment'],
    [{ traceId: 'a'.repeat(32), name: 'x', value: 1, source: 'robot' }, 'source'],
    [{ traceId: 'a'.repeat(32), name: 'x', value: 1, extra: 1 }, 'body'],
  ])('rejects %j naming %s', async (body, field) => {
    const reply = await post(JSON.stringify(body));
    expect(reply.status).toBe(400);
    expect(reply.body).toMatchObject({ error: { code: 'INVALID_PARAMETER' } });
    expect((reply.body.error as { message: string }).message).toContain(`'${field}'`);
  });

  it('rejects a body that is not JSON, and other content types', async () => {
    expect((await post('{nope')).body).toMatchObject({ error: { code: 'BAD_REQUEST' } });
    const reply = await post('name=x', 'application/x-www-form-urlencoded');
    expect(reply.status).toBe(415);
  });

  it('defaults the source to api and accepts a NaN-free number only', () => {
    expect(parseScoreBody({ traceId: 'a'.repeat(32), name: 'x', value: 3 }).source).toBe('api');
    expect(() => parseScoreBody({ traceId: 'a'.repeat(32), name: 'x', value: Number.NaN })).toThrow(
      /'value'/,
    );
  });
});
