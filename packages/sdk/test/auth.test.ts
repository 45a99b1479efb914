/**
 * The SDK against a server with authentication on: `apiKey` (or ARGUS_API_KEY) sends spans and
 * scores into the key's project, and a wrong or revoked key never throws into the application —
 * its spans are refused at the server and score() reports why.
 */
import { context, propagation, trace } from '@opentelemetry/api';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createKey, keyCaller, signIn, type UserSession } from '../../server/test/support/auth.ts';
import { startTestServer, type TestServer } from '../../server/test/support/server.ts';
import { flush, init, observe, score, shutdown } from '../src/index.ts';

let argus: TestServer;
let admin: UserSession;
beforeAll(async () => {
  argus = await startTestServer({ auth: 'on', adminPassword: 'sdk test admin password' });
  admin = await signIn(argus.url, 'admin', 'sdk test admin password');
  await admin.json('POST', '/api/v1/projects', { id: 'shop', name: 'Shop' });
});
afterEach(async () => {
  await shutdown();
  trace.disable();
  context.disable();
  propagation.disable();
});
afterAll(() => argus?.stop());

describe('the SDK with an API key', () => {
  it("sends spans and scores into the key's project", async () => {
    const key = await createKey(admin, 'shop', 'ingest');
    init({ endpoint: argus.url, apiKey: key.secretKey, serviceName: 'checkout' });
    let traceId = '';
    await observe('checkout-answer', async (span) => {
      traceId = span.spanContext().traceId;
      return 'ok';
    });
    await flush();
    const result = await score({ traceId, name: 'helpful', value: 1 });
    expect(result).toMatchObject({ ok: true });
    const reader = keyCaller(argus.url, (await createKey(admin, 'shop', 'viewer')).secretKey);
    const detail = await reader.json<{ spans: { name: string }[]; scores?: { name: string }[] }>(
      'GET',
      `/api/v1/traces/${traceId}`,
    );
    expect(detail.spans.map((s) => s.name)).toContain('checkout-answer');
    // Not in the default project.
    expect((await admin.call('GET', `/api/v1/traces/${traceId}`)).status).toBe(404);
  });

  it('never throws with a wrong key; score() says why', async () => {
    init({ endpoint: argus.url, apiKey: 'sk-argus-not-a-key', serviceName: 'checkout' });
    let traceId = '';
    const answer = await observe('refused-answer', async (span) => {
      traceId = span.spanContext().traceId;
      return 42;
    });
    expect(answer).toBe(42);
    await flush();
    const result = await score({ traceId, name: 'helpful', value: 1 });
    expect(result.ok).toBe(false);
    expect(result.error).toMatch(/401/);
    const spans = await admin.json<{ data: { name: string }[] }>(
      'GET',
      '/api/v1/spans?project=shop&limit=500',
    );
    expect(spans.data.map((s) => s.name)).not.toContain('refused-answer');
  });
});
