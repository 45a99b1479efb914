/**
 * Quality routes with authentication on: who may change connections (project admins), the SSRF
 * guard on connection hosts (private, loopback and link-local refused, by literal and by DNS,
 * unless --llm-allowed-hosts names them), sealed keys in the metadata store, and audit entries.
 */
import { type MockLlm, startMockLlm } from '@argus/mock-llm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Caller, createKey, keyCaller, signIn } from './support/auth.ts';
import { startTestServer, type TestServer } from './support/server.ts';

const ADMIN_PASSWORD = 'quality-admin-password-1';
let mock: MockLlm;
let guarded: TestServer;
let admin: Caller;
let member: Caller;
let viewer: Caller;
beforeAll(async () => {
  mock = await startMockLlm();
  guarded = await startTestServer({ auth: 'on', adminPassword: ADMIN_PASSWORD, rateLimitApi: 0 });
  const session = await signIn(guarded.url, 'admin', ADMIN_PASSWORD);
  admin = keyCaller(guarded.url, (await createKey(session, 'default', 'admin')).secretKey);
  member = keyCaller(guarded.url, (await createKey(session, 'default', 'member')).secretKey);
  viewer = keyCaller(guarded.url, (await createKey(session, 'default', 'viewer')).secretKey);
});
afterAll(async () => {
  await guarded?.stop();
  await mock?.close();
});

const errorOf = async (response: Response) =>
  ((await response.json()) as { error: { code: string; message: string } }).error;

describe('connection access', () => {
  it('lets project admins change connections, members and viewers only list them', async () => {
    const body = { name: 'public', provider: 'openai', apiKey: 'sk-admin-only-secret' };
    const refused = await member.call('POST', '/api/v1/llm-connections', body);
    expect(refused.status).toBe(403);
    expect((await errorOf(refused)).code).toBe('FORBIDDEN');
    const created = await admin.json<{ data: { id: string } }>('POST', '/api/v1/llm-connections', body);
    expect((await viewer.call('GET', '/api/v1/llm-connections')).status).toBe(200);
    expect((await member.call('POST', `/api/v1/llm-connections/${created.data.id}/test`, {})).status).toBe(
      403,
    );
    expect((await member.call('DELETE', `/api/v1/llm-connections/${created.data.id}`)).status).toBe(403);
    // Members may still build evaluators and datasets.
    expect((await member.call('POST', '/api/v1/datasets', { name: 'members-may' })).status).toBe(201);
    expect((await viewer.call('POST', '/api/v1/datasets', { name: 'viewers-may-not' })).status).toBe(403);
  });

  it('keeps the key sealed in the metadata store and audits changes without it', async () => {
    const stored = await guarded.server.store.metadata.sql.all(
      'SELECT api_key, headers FROM llm_connections',
    );
    expect(stored.length).toBeGreaterThan(0);
    expect(JSON.stringify(stored)).not.toContain('sk-admin-only-secret');
    expect(JSON.stringify(stored)).toContain('enc:v1:');
    const audit = await admin.json<{ data: { action: string; details: unknown }[] }>(
      'GET',
      '/api/v1/audit?limit=1000',
    );
    const entry = audit.data.find((e) => e.action === 'llm_connection.create');
    expect(entry).toBeDefined();
    expect(JSON.stringify(audit)).not.toContain('sk-admin-only-secret');
    expect(audit.data.map((e) => e.action)).toContain('dataset.create');
  });
});

describe('SSRF guard', () => {
  it.each([
    // Why: each non-public range, as a literal, and a name that resolves to loopback (DNS checked).
    ['http://127.0.0.1:11434/v1'],
    ['http://10.1.2.3/v1'],
    ['http://169.254.169.254/latest'],
    ['http://[::1]:8000/v1'],
    ['http://[::ffff:127.0.0.1]:8000/v1'],
    ['http://localhost:11434/v1'],
  ])('refuses a connection to %s while authentication is on', async (baseUrl) => {
    const response = await admin.call('POST', '/api/v1/llm-connections', {
      name: `internal-${baseUrl.length}-${Math.random()}`,
      provider: 'openai-compatible',
      baseUrl,
    });
    expect(response.status).toBe(403);
    const error = await errorOf(response);
    expect(error.code).toBe('HOST_NOT_ALLOWED');
    expect(error.message).toContain('--llm-allowed-hosts');
  });
});
