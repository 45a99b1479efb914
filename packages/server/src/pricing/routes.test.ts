import { mkdtempSync, rmSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorReply } from '../http/respond.ts';
import { type Reply, Router } from '../http/router.ts';
import { createLogger } from '../logger.ts';
import { MetadataStore } from '../store/metadata/metadata-store.ts';
import { openSqliteClient } from '../store/metadata/sqlite-client.ts';
import { registerPricingRoutes } from './routes.ts';
import { createPricingService } from './service.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'argus-pricing-api-'));
const store = new MetadataStore(openSqliteClient(path.join(dir, 'metadata.db')));
const router = new Router();
const logger = createLogger('silent');
const audited: { action: string; target: string; details?: Record<string, unknown> }[] = [];
beforeAll(async () => {
  await store.migrate();
  const pricing = await createPricingService(store);
  registerPricingRoutes(router, {
    pricing,
    projectOf: () => 'default',
    audit: async (_request, entry) => audited.push(entry),
  });
});
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Sends a request through the router the way the server does. */
async function call(method: string, pathAndQuery: string, body?: unknown, type = 'application/json') {
  const url = new URL(pathAndQuery, 'http://localhost');
  const match = router.match(method, url.pathname);
  if (!match || match === 'method') throw new Error(`no route for ${method} ${url.pathname}`);
  const text = body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body);
  const request = Object.assign(Readable.from(text ? [Buffer.from(text)] : []), {
    headers: { 'content-type': type },
  }) as unknown as IncomingMessage;
  let reply: Reply;
  try {
    reply = await match.handler({ request, url, params: match.params });
  } catch (error) {
    reply = errorReply(error, logger);
  }
  return { status: reply.status, body: JSON.parse(JSON.stringify(reply.body ?? {})) };
}

describe('pricing API', () => {
  it('answers the catalog, and one model’s price with the project’s override winning', async () => {
    const catalog = await call('GET', '/api/v1/pricing');
    expect(catalog.status).toBe(200);
    expect(catalog.body.data.length).toBeGreaterThan(10);
    expect((await call('GET', '/api/v1/pricing?model=no-such-model-xyz')).status).toBe(404);

    const override = { model: 'acme-tuned-7b', inputPerMTok: 2, outputPerMTok: 8 };
    const put = await call('PUT', '/api/v1/pricing/overrides', { data: [override] });
    expect(put).toMatchObject({ status: 200, body: { data: [override] } });
    expect(audited.at(-1)).toMatchObject({
      action: 'settings.update',
      target: 'pricing',
      details: { overridesAfter: 1, models: ['acme-tuned-7b'] },
    });
    expect((await call('GET', '/api/v1/pricing/overrides')).body).toEqual({ data: [override] });
    expect((await call('GET', '/api/v1/pricing?model=acme-tuned-7b')).body).toMatchObject({
      inputPerMTok: 2,
      outputPerMTok: 8,
    });
  });

  // Each case: a body the PUT refuses, the status and code it gets, and what the message names.
  it.each([
    [
      'a form body',
      'data=x',
      'application/x-www-form-urlencoded',
      415,
      'UNSUPPORTED_MEDIA_TYPE',
      'Content-Type',
    ],
    ['text that is not JSON', '{"data":', 'application/json', 400, 'BAD_REQUEST', 'not JSON'],
    ['no data list', { models: [] }, 'application/json', 400, 'INVALID_PARAMETER', "''"],
    [
      'a negative price',
      { data: [{ model: 'm', inputPerMTok: -1, outputPerMTok: 1 }] },
      'application/json',
      400,
      'INVALID_PARAMETER',
      "'0.inputPerMTok'",
    ],
  ])('refuses %s and keeps the overrides', async (_why, body, type, status, code, names) => {
    const before = (await call('GET', '/api/v1/pricing/overrides')).body;
    const reply = await call('PUT', '/api/v1/pricing/overrides', body, type);
    expect(reply.status).toBe(status);
    expect(reply.body.error.code).toBe(code);
    expect(reply.body.error.message).toContain(names);
    expect((await call('GET', '/api/v1/pricing/overrides')).body).toEqual(before);
  });
});
