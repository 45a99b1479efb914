import { mkdtempSync, rmSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorReply } from '../http/respond.ts';
import { type Reply, Router } from '../http/router.ts';
import { createLogger } from '../logger.ts';
import type { ClickhouseDriver } from '../store/clickhouse/driver.ts';
import { MetadataStore } from '../store/metadata/metadata-store.ts';
import { openSqliteClient } from '../store/metadata/sqlite-client.ts';
import { AlertRepository } from './alert-repository.ts';
import { NotificationDispatcher } from './notify/dispatcher.ts';
import { registerAlertRoutes } from './routes.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'argus-alert-api-'));
const store = new MetadataStore(openSqliteClient(path.join(dir, 'metadata.db')));
const router = new Router();
const logger = createLogger('silent');
beforeAll(async () => {
  await store.migrate();
  const repo = new AlertRepository(store.sql);
  registerAlertRoutes(router, {
    repo,
    // Only the band route reads telemetry; these tests never reach it with an anomaly rule.
    driver: {} as ClickhouseDriver,
    dispatcher: new NotificationDispatcher({ repo, logger }),
    projectOf: () => 'default',
    baseUrl: () => 'http://argus.test',
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

const rule = {
  name: 'Errors',
  type: 'threshold',
  source: { kind: 'series', metric: 'errors', filters: { service: 'api' } },
  threshold: 3,
};

describe('alert API', () => {
  it('creates, reads, replaces and deletes a rule with defaults applied', async () => {
    const created = await call('POST', '/api/v1/alerts/rules', rule);
    expect(created.status).toBe(201);
    const id = created.body.data.id;
    expect(created.body.data).toMatchObject({ window: '5m', for: '0s', severity: 'warning', enabled: true });
    expect((await call('GET', `/api/v1/alerts/rules/${id}`)).body).toMatchObject({
      data: { id },
      state: null,
    });
    const replaced = await call('PUT', `/api/v1/alerts/rules/${id}`, { ...rule, threshold: 9 });
    expect(replaced.body.data.threshold).toBe(9);
    expect((await call('GET', '/api/v1/alerts/rules')).body.data).toHaveLength(1);
    expect((await call('DELETE', `/api/v1/alerts/rules/${id}`)).status).toBe(204);
    expect((await call('GET', `/api/v1/alerts/rules/${id}`)).status).toBe(404);
  });

  it.each([
    // Each names the field a user must fix.
    [{ ...rule, threshold: undefined }, "'threshold'"],
    [{ ...rule, source: { kind: 'series', metric: 'latency' } }, "'source.metric'"],
    [{ ...rule, source: { kind: 'series', metric: 'errors', filters: { modle: 'x' } } }, "'source.filters'"],
    [{ ...rule, window: '5 minutes' }, "'window'"],
    [{ ...rule, channels: ['ch_nope'] }, "'channels'"],
    [{ ...rule, type: 'anomaly', window: '90s' }, "'window'"],
    [{ ...rule, type: 'anomaly', source: { kind: 'score', name: 'q' } }, "'source'"],
    [{ name: 'b', type: 'budget' }, "'budget'"],
    [{ ...rule, extra: 1 }, "'body'"],
  ])('refuses %j naming %s', async (body, field) => {
    const reply = await call('POST', '/api/v1/alerts/rules', body);
    expect(reply.status).toBe(400);
    expect(reply.body.error.code).toBe('INVALID_PARAMETER');
    expect(reply.body.error.message).toContain(field);
  });

  it('answers 415 for a non-JSON body and 400 for broken JSON', async () => {
    expect((await call('POST', '/api/v1/alerts/rules', 'name=x', 'text/plain')).status).toBe(415);
    expect((await call('POST', '/api/v1/alerts/rules', '{"name":')).body.error.code).toBe('BAD_REQUEST');
  });

  it('never answers channel secrets, and keeps them when ******** is sent back', async () => {
    const created = await call('POST', '/api/v1/alerts/channels', {
      name: 'hook',
      type: 'webhook',
      config: { url: 'http://127.0.0.1:9/hook', secret: 'top-secret' },
    });
    const id = created.body.data.id;
    expect(created.body.data.config.secret).toBe('********');
    await call('PUT', `/api/v1/alerts/channels/${id}`, {
      ...created.body.data,
      id: undefined,
      projectId: undefined,
      createdAt: undefined,
      updatedAt: undefined,
    });
    const stored = await new AlertRepository(store.sql).getChannel('default', id);
    expect(stored?.type === 'webhook' && stored.config.secret).toBe('top-secret');
    expect(JSON.stringify((await call('GET', '/api/v1/alerts/channels')).body)).not.toContain('top-secret');
  });

  it('validates silences, events and band parameters', async () => {
    expect(
      (await call('POST', '/api/v1/alerts/silences', { matcher: {}, endsAt: '2099-01-01T00:00:00Z' })).status,
    ).toBe(400);
    const past = await call('POST', '/api/v1/alerts/silences', {
      matcher: { ruleId: 'r' },
      startsAt: '2030-01-02T00:00:00Z',
      endsAt: '2030-01-01T00:00:00Z',
    });
    expect(past.body.error.message).toContain("'endsAt'");
    expect((await call('GET', '/api/v1/alerts/events?limit=5000')).body.error.message).toContain("'limit'");
    expect((await call('GET', '/api/v1/alerts/events?rule=x')).body.error.message).toContain("'rule'");
    const threshold = (await call('POST', '/api/v1/alerts/rules', rule)).body.data.id;
    const band = await call('GET', `/api/v1/alerts/rules/${threshold}/band`);
    expect(band.status).toBe(400);
    expect(band.body.error.message).toContain('only anomaly rules have a band');
    expect((await call('DELETE', '/api/v1/alerts/silences/nope')).status).toBe(404);
  });
});
