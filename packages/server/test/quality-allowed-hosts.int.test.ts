/**
 * `--llm-allowed-hosts`: with authentication on, a private host the option names may be a
 * connection's baseUrl (a local Ollama or vLLM next to Argus), and the server calls it; other
 * private hosts stay refused. (Its own file: chDB allows one data directory per process.)
 */
import { type MockLlm, startMockLlm } from '@argus/mock-llm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKey, keyCaller, signIn } from './support/auth.ts';
import { startTestServer, type TestServer } from './support/server.ts';

const ADMIN_PASSWORD = 'quality-admin-password-1';
let mock: MockLlm;
let allowing: TestServer;
beforeAll(async () => {
  mock = await startMockLlm();
  allowing = await startTestServer({
    auth: 'on',
    adminPassword: ADMIN_PASSWORD,
    rateLimitApi: 0,
    llmAllowedHosts: '127.0.0.1,*.internal.example',
  });
});
afterAll(async () => {
  await allowing?.stop();
  await mock?.close();
});

describe('SSRF guard allow-list', () => {
  it('allows hosts named by --llm-allowed-hosts and calls them', async () => {
    const session = await signIn(allowing.url, 'admin', ADMIN_PASSWORD);
    const adminHere = keyCaller(allowing.url, (await createKey(session, 'default', 'admin')).secretKey);
    const connection = await adminHere.json<{ data: { id: string } }>('POST', '/api/v1/llm-connections', {
      name: 'local-mock',
      provider: 'openai-compatible',
      baseUrl: `${mock.url}/v1`,
      models: ['gpt-4o-mini'],
    });
    const test = await adminHere.json<{ data: { ok: boolean } }>(
      'POST',
      `/api/v1/llm-connections/${connection.data.id}/test`,
      {},
    );
    expect(test.data.ok).toBe(true);
    // Other private hosts stay refused on the same server.
    const other = await adminHere.call('POST', '/api/v1/llm-connections', {
      name: 'metadata-service',
      provider: 'openai-compatible',
      baseUrl: 'http://169.254.169.254/v1',
    });
    expect(other.status).toBe(403);
  });
});
