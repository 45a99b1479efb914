import type { Span } from '@argus/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomHex } from './support/otlp-json.ts';
import {
  LOGS_CONTAINING,
  PII,
  piiLogsBody,
  piiTracesBody,
  postJson,
  SPANS_CONTAINING,
} from './support/pii.ts';
import { startTestServer, type TestServer } from './support/server.ts';

let argus: TestServer;
beforeAll(async () => {
  argus = await startTestServer();
}, 60_000);
afterAll(async () => {
  await argus?.stop();
});

async function countWith(sql: string, value: string): Promise<number> {
  const rows = await argus.server.store.driver.query<{ n: string }>(sql, { v: value });
  return Number(rows[0]!.n);
}

describe('PII redaction before storage (default policy)', () => {
  it('stores no raw e-mail, card, key or JWT, and the API shows masks and counts', async () => {
    const traceId = randomHex(16);
    await postJson(argus.url, '/v1/traces', piiTracesBody(traceId));
    expect(await countWith('SELECT count() AS n FROM spans WHERE trace_id = {v:String}', traceId)).toBe(1);
    for (const raw of Object.values(PII)) expect(await countWith(SPANS_CONTAINING, raw), raw).toBe(0);
    // The card also in its compact spelling, in case a stage re-spaced it.
    expect(await countWith(SPANS_CONTAINING, '4111111111111111')).toBe(0);

    const { spans } = await argus.get<{ spans: Span[] }>(`/api/v1/traces/${traceId}`);
    const json = JSON.stringify(spans[0]);
    for (const mask of ['[REDACTED:email]', '[REDACTED:card]', '[REDACTED:api_key]', '[REDACTED:jwt]'])
      expect(json).toContain(mask);
    expect(spans[0]!.attributes['argus.redactions']).toEqual({ email: 3, card: 2, api_key: 1, jwt: 2 });
    expect(spans[0]!.attributes['app.contact']).toBe('[REDACTED:email]');
  });

  it('redacts log record bodies', async () => {
    const traceId = randomHex(16);
    await postJson(argus.url, '/v1/logs', piiLogsBody(traceId));
    expect(await countWith('SELECT count() AS n FROM logs WHERE trace_id = {v:String}', traceId)).toBe(1);
    expect(await countWith(LOGS_CONTAINING, PII.email)).toBe(0);
    expect(await countWith(LOGS_CONTAINING, PII.apiKey)).toBe(0);
    expect(await countWith(LOGS_CONTAINING, '[REDACTED:email]')).toBe(1);
  });

  it('stores the generated hash key in the metadata settings', async () => {
    const key = await argus.server.store.metadata.getSetting<string>('default', 'redactionHashKey');
    expect(key).toMatch(/^[0-9a-f]{64}$/);
  });
});
