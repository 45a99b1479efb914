import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomHex } from './support/otlp-json.ts';
import { PII, piiTracesBody, postJson, SPANS_CONTAINING } from './support/pii.ts';
import { startTestServer, type TestServer } from './support/server.ts';

let argus: TestServer;
beforeAll(async () => {
  argus = await startTestServer({ redaction: 'off' });
}, 60_000);
afterAll(async () => {
  await argus?.stop();
});

describe('PII redaction off', () => {
  it('stores the values as sent', async () => {
    const traceId = randomHex(16);
    await postJson(argus.url, '/v1/traces', piiTracesBody(traceId));
    for (const raw of Object.values(PII)) {
      const rows = await argus.server.store.driver.query<{ n: string }>(SPANS_CONTAINING, { v: raw });
      expect(Number(rows[0]!.n), raw).toBe(1);
    }
    const key = await argus.server.store.metadata.getSetting('default', 'redactionHashKey');
    expect(key).toBeUndefined();
  });

  it('is a kill switch: a project policy is kept and shown, but nothing is redacted', async () => {
    const put = await fetch(`${argus.url}/api/v1/settings/redaction`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ detectors: { email: 'hash' } }),
    });
    expect(put.status).toBe(200);
    const settings = await argus.get<{ globallyOff: boolean; source: string }>('/api/v1/settings/redaction');
    expect(settings).toMatchObject({ globallyOff: true, source: 'project' });
    const traceId = randomHex(16);
    await postJson(argus.url, '/v1/traces', piiTracesBody(traceId));
    const rows = await argus.server.store.driver.query<{ n: string }>(SPANS_CONTAINING, { v: PII.email });
    expect(Number(rows[0]!.n)).toBe(2);
    expect(await argus.server.store.metadata.getSetting('default', 'redactionHashKey')).toBeUndefined();
  });
});
