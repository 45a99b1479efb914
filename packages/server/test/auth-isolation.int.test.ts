/**
 * Governance through the real doors with authentication on: API keys choose the project and
 * nothing crosses between projects (write, read, search, series, metric points, sessions,
 * users, Prometheus metrics, exports, gRPC); revoked and rotated keys stop at once; roles
 * limit what keys can do; CSRF and per-key rate limits; the audit log records it all.
 */

import { Metadata } from '@grpc/grpc-js';
import { OTLPTraceExporter as OTLPTraceExporterGrpc } from '@opentelemetry/exporter-trace-otlp-grpc';
import { OTLPTraceExporter as OTLPTraceExporterProto } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Caller, createKey, keyCaller, signIn, type UserSession } from './support/auth.ts';
import { randomHex, tracesRequestJson } from './support/otlp-json.ts';
import { freePort } from './support/process.ts';
import { startTestServer, type TestServer } from './support/server.ts';

const ADMIN_PASSWORD = 'correct horse battery staple';
let argus: TestServer;
let admin: UserSession;
let keyA: { id: string; secretKey: string };
let keyB: { id: string; secretKey: string };
let a: Caller;
let b: Caller;
let grpcPort: number;

/** One chat span whose prompt holds `word`, for user and session ids of the project. */
function chatSpan(traceId: string, word: string, who: string) {
  const now = BigInt(Date.now()) * 1_000_000n;
  return {
    traceId,
    spanId: randomHex(8),
    parentSpanId: '',
    name: 'chat gpt-4o-mini',
    kind: 3,
    startTimeUnixNano: (now - 500_000_000n).toString(),
    endTimeUnixNano: now.toString(),
    attributes: [
      { key: 'gen_ai.operation.name', value: { stringValue: 'chat' } },
      { key: 'gen_ai.provider.name', value: { stringValue: 'openai' } },
      { key: 'gen_ai.request.model', value: { stringValue: `model-${who}` } },
      { key: 'gen_ai.usage.input_tokens', value: { intValue: '10' } },
      { key: 'gen_ai.usage.output_tokens', value: { intValue: '5' } },
      { key: 'user.id', value: { stringValue: `user-${who}` } },
      { key: 'session.id', value: { stringValue: `session-${who}` } },
      {
        key: 'gen_ai.input.messages',
        value: {
          stringValue: JSON.stringify([
            { role: 'user', parts: [{ type: 'text', content: `tell me about ${word}` }] },
          ]),
        },
      },
    ],
  };
}

async function send(
  caller: Caller,
  traceId: string,
  word: string,
  who: string,
  headers: Record<string, string> = {},
) {
  return caller.call(
    'POST',
    '/v1/traces',
    tracesRequestJson([chatSpan(traceId, word, who)], `svc-${who}`),
    headers,
  );
}

const traceA = randomHex(16);
const traceB = randomHex(16);

beforeAll(async () => {
  grpcPort = await freePort();
  argus = await startTestServer({ auth: 'on', adminPassword: ADMIN_PASSWORD, grpcPort });
  admin = await signIn(argus.url, 'admin', ADMIN_PASSWORD);
  await admin.json('POST', '/api/v1/projects', { id: 'beta', name: 'Beta' });
  keyA = await createKey(admin, 'default', 'member');
  keyB = await createKey(admin, 'beta', 'member');
  a = keyCaller(argus.url, keyA.secretKey);
  b = keyCaller(argus.url, keyB.secretKey);
  expect((await send(a, traceA, 'aardvarks', 'a')).status).toBe(200);
  expect((await send(b, traceB, 'bumblebees', 'b')).status).toBe(200);
}, 60_000);
afterAll(() => argus?.stop());

describe('without credentials', () => {
  it('answers 401 with WWW-Authenticate for the API, ingest and /metrics, and serves public routes', async () => {
    for (const [method, path] of [
      ['GET', '/api/v1/traces'],
      ['POST', '/v1/traces'],
      ['GET', '/metrics'],
      ['GET', '/api/v1/keys'],
    ] as const) {
      const response = await fetch(argus.url + path, { method });
      expect(response.status, path).toBe(401);
      expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('UNAUTHORIZED');
    }
    const health = await fetch(`${argus.url}/health`);
    expect(health.status).toBe(200);
    // Status only for anonymous callers; where data lives is for callers with credentials.
    const anonymous = (await health.json()) as Record<string, unknown>;
    expect(Object.keys(anonymous).sort()).toEqual(['status', 'version']);
    expect(await a.json('GET', '/health')).toHaveProperty('storage.description');
    // Who am I, signed out: an answer, not an error (the console's first visit).
    const me = await fetch(`${argus.url}/api/v1/auth/me`);
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ authMode: 'on', principal: null, projects: [] });
    // An ended session is an error the console reports as expired.
    const ended = await fetch(`${argus.url}/api/v1/auth/me`, { headers: { cookie: 'argus_session=ended' } });
    expect(ended.status).toBe(401);
    expect((await fetch(`${argus.url}/api/v1/openapi.json`)).status).toBe(200);
    const config = (await (await fetch(`${argus.url}/api/v1/auth/config`)).json()) as { authMode: string };
    expect(config.authMode).toBe('on');
  });

  it('refuses unknown keys and malformed Authorization headers, and stores nothing', async () => {
    const before = await admin.json<{ data: unknown[] }>('GET', '/api/v1/traces');
    for (const authorization of [
      'Bearer sk-argus-nope',
      'Basic !!!',
      'Token abc',
      `Basic ${Buffer.from(`pk-argus-wrong:${keyA.secretKey}`).toString('base64')}`,
    ]) {
      const response = await fetch(`${argus.url}/v1/traces`, {
        method: 'POST',
        headers: { authorization, 'content-type': 'application/json' },
        body: tracesRequestJson([chatSpan(randomHex(16), 'intruders', 'x')]),
      });
      expect(response.status, authorization).toBe(401);
    }
    const after = await admin.json<{ data: unknown[] }>('GET', '/api/v1/traces');
    expect(after.data.length).toBe(before.data.length);
  });
});

describe('a key of project A and a key of project B', () => {
  it('each see only their own traces, spans, sessions, users and models', async () => {
    const tracesA = await a.json<{ data: { traceId: string }[] }>('GET', '/api/v1/traces');
    const tracesB = await b.json<{ data: { traceId: string }[] }>('GET', '/api/v1/traces');
    expect(tracesA.data.map((t) => t.traceId)).toEqual([traceA]);
    expect(tracesB.data.map((t) => t.traceId)).toEqual([traceB]);
    const spansA = await a.json<{ data: { traceId: string }[] }>('GET', '/api/v1/spans');
    expect(spansA.data.every((s) => s.traceId === traceA)).toBe(true);
    const users = await a.json<{ data: { userId: string }[] }>('GET', '/api/v1/users');
    expect(users.data.map((u) => u.userId)).toEqual(['user-a']);
    const sessions = await b.json<{ data: { sessionId: string }[] }>('GET', '/api/v1/sessions');
    expect(sessions.data.map((s) => s.sessionId)).toEqual(['session-b']);
    const models = await a.json<{ data: { model?: string; requestModel?: string }[] }>(
      'GET',
      '/api/v1/models',
    );
    expect(JSON.stringify(models)).toContain('model-a');
    expect(JSON.stringify(models)).not.toContain('model-b');
  });

  it("cannot read the other project's trace by id, session or search", async () => {
    expect((await a.call('GET', `/api/v1/traces/${traceB}`)).status).toBe(404);
    expect((await b.call('GET', `/api/v1/traces/${traceA}`)).status).toBe(404);
    const search = await a.json<{ data: unknown[] }>('GET', '/api/v1/traces?q=bumblebees');
    expect(search.data).toEqual([]);
    const own = await b.json<{ data: unknown[] }>('GET', '/api/v1/traces?q=bumblebees');
    expect(own.data).toHaveLength(1);
    const session = await a.call('GET', '/api/v1/sessions/session-b');
    expect(session.status).toBe(404);
    expect((await b.call('GET', '/api/v1/sessions/session-b')).status).toBe(200);
  });

  it('cannot name the other project, for reads or writes', async () => {
    const read = await a.call('GET', '/api/v1/traces', undefined, { 'x-argus-project': 'beta' });
    expect(read.status).toBe(403);
    expect(((await read.json()) as { error: { message: string } }).error.message).toContain(
      "belongs to project 'default'",
    );
    expect((await a.call('GET', '/api/v1/traces?project=beta')).status).toBe(403);
    const write = await send(a, randomHex(16), 'smuggled', 'a', { 'x-argus-project': 'beta' });
    expect(write.status).toBe(403);
    const beta = await b.json<{ data: unknown[] }>('GET', '/api/v1/traces?q=smuggled');
    expect(beta.data).toEqual([]);
  });

  it('get series and metric totals of their own project only', async () => {
    const seriesA = await a.json<{ totals: { requests: number } }>(
      'GET',
      '/api/v1/metrics/series?metrics=requests',
    );
    const all = await admin.json<{ totals: { requests: number } }>(
      'GET',
      '/api/v1/metrics/series?metrics=requests',
    );
    expect(seriesA.totals.requests).toBe(1);
    expect(all.totals.requests).toBe(1); // the admin acts on `default` unless they pick a project
    const beta = await admin.json<{ totals: { requests: number } }>(
      'GET',
      '/api/v1/metrics/series?metrics=requests',
      undefined,
      {
        'x-argus-project': 'beta',
      },
    );
    expect(beta.totals.requests).toBe(1);
  });

  it('scrape /metrics with only their own project in it; an instance admin sees both', async () => {
    const scrapeA = await (await a.call('GET', '/metrics')).text();
    const scrapeAdmin = await (await admin.call('GET', '/metrics')).text();
    expect(scrapeA).toContain('model-a');
    expect(scrapeA).not.toContain('model-b');
    expect(scrapeAdmin).toContain('model-a');
    expect(scrapeAdmin).toContain('model-b');
  });

  it('export only their own spans', async () => {
    const response = await a.call('GET', '/api/v1/export/spans');
    expect(response.status).toBe(200);
    const lines = (await response.text()).trim().split('\n').filter(Boolean);
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      const span = JSON.parse(line) as { projectId: string; traceId: string };
      expect(span.projectId).toBe('default');
      expect(span.traceId).not.toBe(traceB);
    }
  });

  it('send over OTLP/HTTP protobuf with the real exporter (Bearer) and over gRPC (metadata), into their own project', async () => {
    const viaHttp = new BasicTracerProvider({
      resource: resourceFromAttributes({ 'service.name': 'exporter-b' }),
      spanProcessors: [
        new SimpleSpanProcessor(
          new OTLPTraceExporterProto({
            url: `${argus.url}/v1/traces`,
            headers: { Authorization: `Bearer ${keyB.secretKey}` },
          }),
        ),
      ],
    });
    viaHttp.getTracer('t').startSpan('http-exported').end();
    await viaHttp.forceFlush();
    await viaHttp.shutdown();
    const metadata = new Metadata();
    metadata.set('x-api-key', keyB.secretKey);
    const viaGrpc = new BasicTracerProvider({
      resource: resourceFromAttributes({ 'service.name': 'exporter-b-grpc' }),
      spanProcessors: [
        new SimpleSpanProcessor(new OTLPTraceExporterGrpc({ url: argus.server.grpcUrl!, metadata })),
      ],
    });
    viaGrpc.getTracer('t').startSpan('grpc-exported').end();
    await viaGrpc.forceFlush();
    await viaGrpc.shutdown();
    const names = (await b.json<{ data: { name: string }[] }>('GET', '/api/v1/spans')).data.map(
      (s) => s.name,
    );
    expect(names).toEqual(expect.arrayContaining(['http-exported', 'grpc-exported']));
    const inA = (await a.json<{ data: { name: string }[] }>('GET', '/api/v1/spans')).data.map((s) => s.name);
    expect(inA).not.toContain('http-exported');
    expect(inA).not.toContain('grpc-exported');
  });

  it('gRPC without a key is refused as UNAUTHENTICATED', async () => {
    const provider = new BasicTracerProvider({
      spanProcessors: [new SimpleSpanProcessor(new OTLPTraceExporterGrpc({ url: argus.server.grpcUrl! }))],
    });
    provider.getTracer('t').startSpan('anonymous-grpc').end();
    await provider.forceFlush().catch(() => {});
    await provider.shutdown().catch(() => {});
    const all = await admin.json<{ data: { name: string }[] }>('GET', '/api/v1/spans?limit=500');
    expect(all.data.map((s) => s.name)).not.toContain('anonymous-grpc');
  });

  it('Langfuse-style Basic public:secret selects the project too', async () => {
    const basic = Buffer.from(`${keyB.id}:${keyB.secretKey}`).toString('base64');
    const response = await fetch(`${argus.url}/api/v1/traces`, {
      headers: { authorization: `Basic ${basic}` },
    });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { data: { traceId: string }[] }).data.map((t) => t.traceId)).toContain(
      traceB,
    );
  });
});

describe('key lifecycle', () => {
  it('a revoked key stops working at once; listing shows only the prefix', async () => {
    const key = await createKey(admin, 'default', 'viewer');
    const caller = keyCaller(argus.url, key.secretKey);
    expect((await caller.call('GET', '/api/v1/traces')).status).toBe(200);
    await admin.json('DELETE', `/api/v1/keys/${key.id}`);
    expect((await caller.call('GET', '/api/v1/traces')).status).toBe(401);
    const list = await admin.json<{ data: { id: string; secretPrefix: string; revokedAt: string | null }[] }>(
      'GET',
      '/api/v1/keys',
    );
    const listed = list.data.find((k) => k.id === key.id)!;
    expect(listed.revokedAt).not.toBeNull();
    expect(JSON.stringify(list)).not.toContain(key.secretKey);
    expect(key.secretKey.startsWith(listed.secretPrefix.replace('…', ''))).toBe(true);
  });

  it('rotation gives a new secret and the old one stops at once', async () => {
    const key = await createKey(admin, 'default', 'viewer');
    const rotated = await admin.json<{ id: string; secretKey: string }>(
      'POST',
      `/api/v1/keys/${key.id}/rotate`,
    );
    expect(rotated.id).toBe(key.id);
    expect((await keyCaller(argus.url, key.secretKey).call('GET', '/api/v1/traces')).status).toBe(401);
    expect((await keyCaller(argus.url, rotated.secretKey).call('GET', '/api/v1/traces')).status).toBe(200);
  });

  it('a key of one project cannot revoke, rotate or list keys of another', async () => {
    const adminKeyB = keyCaller(argus.url, (await createKey(admin, 'beta', 'admin')).secretKey);
    expect((await adminKeyB.call('DELETE', `/api/v1/keys/${keyA.id}`)).status).toBe(404);
    expect((await adminKeyB.call('POST', `/api/v1/keys/${keyA.id}/rotate`)).status).toBe(404);
    const listed = await adminKeyB.json<{ data: { projectId: string }[] }>('GET', '/api/v1/keys');
    expect(listed.data.every((k) => k.projectId === 'beta')).toBe(true);
    expect((await a.call('GET', '/api/v1/traces')).status).toBe(200);
  });
});

describe('roles', () => {
  it('a viewer key reads but cannot change anything', async () => {
    const viewer = keyCaller(argus.url, (await createKey(admin, 'default', 'viewer')).secretKey);
    expect((await viewer.call('GET', '/api/v1/traces')).status).toBe(200);
    const writes: [string, string, unknown][] = [
      ['POST', '/v1/traces', tracesRequestJson([chatSpan(randomHex(16), 'viewerwrite', 'v')])],
      ['POST', '/api/v1/scores', { traceId: traceA, name: 'quality', value: 1 }],
      ['POST', '/api/v1/alerts/rules', { name: 'x' }],
      ['PUT', '/api/v1/pricing/overrides', []],
      ['PUT', '/api/v1/settings/redaction', { detectors: {} }],
      ['PUT', '/api/v1/settings/retention', { telemetryDays: 1, contentDays: 1 }],
      ['POST', '/api/v1/erasures', { traceId: traceA }],
      ['POST', '/api/v1/keys', { name: 'escalate', role: 'admin' }],
      ['DELETE', `/api/v1/keys/${keyA.id}`, undefined],
      ['POST', '/api/v1/projects', { id: 'gamma', name: 'G' }],
      ['GET', '/api/v1/audit', undefined],
    ];
    for (const [method, path, body] of writes) {
      const response = await viewer.call(method, path, body);
      expect(response.status, `${method} ${path}`).toBe(403);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('FORBIDDEN');
    }
    expect((await a.json<{ data: unknown[] }>('GET', '/api/v1/traces?q=viewerwrite')).data).toEqual([]);
    expect((await a.call('GET', '/api/v1/traces')).status).toBe(200);
  });

  it('an ingest key sends telemetry but cannot read it', async () => {
    const ingest = keyCaller(argus.url, (await createKey(admin, 'default', 'ingest')).secretKey);
    expect((await send(ingest, randomHex(16), 'ingestonly', 'a')).status).toBe(200);
    for (const path of ['/api/v1/traces', '/api/v1/spans', '/api/v1/export/spans', '/metrics']) {
      expect((await ingest.call('GET', path)).status, path).toBe(403);
    }
  });
});

describe('console sessions', () => {
  it('reject a change without the CSRF token or from another origin', async () => {
    const noToken = await fetch(`${argus.url}/api/v1/keys`, {
      method: 'POST',
      headers: { cookie: admin.cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'csrf', role: 'viewer' }),
    });
    expect(noToken.status).toBe(403);
    expect(((await noToken.json()) as { error: { message: string } }).error.message).toContain('CSRF');
    const wrongToken = await admin.call(
      'POST',
      '/api/v1/keys',
      { name: 'csrf', role: 'viewer' },
      { 'x-argus-csrf': 'forged' },
    );
    expect(wrongToken.status).toBe(403);
    const crossSite = await admin.call(
      'POST',
      '/api/v1/keys',
      { name: 'csrf', role: 'viewer' },
      { origin: 'https://evil.example' },
    );
    expect(crossSite.status).toBe(403);
    const keys = await admin.json<{ data: { name: string }[] }>('GET', '/api/v1/keys');
    expect(keys.data.map((k) => k.name)).not.toContain('csrf');
    expect((await admin.call('POST', '/api/v1/keys', { name: 'csrf-ok', role: 'viewer' })).status).toBe(201);
  });

  it('set an HttpOnly, SameSite=Strict cookie and end at sign-out', async () => {
    const response = await fetch(`${argus.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
    });
    const cookie = response.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const session = await signIn(argus.url, 'admin', ADMIN_PASSWORD);
    expect((await session.call('GET', '/api/v1/auth/me')).status).toBe(200);
    expect((await session.call('POST', '/api/v1/auth/logout')).status).toBe(200);
    expect((await session.call('GET', '/api/v1/auth/me')).status).toBe(401);
  });

  it('limit sign-in attempts per user name with 429 and Retry-After', async () => {
    let last: Response | undefined;
    for (let i = 0; i < 6; i++) {
      last = await fetch(`${argus.url}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'mallory', password: `guess-${i}` }),
      });
      if (i < 5) expect(last.status).toBe(401);
    }
    expect(last!.status).toBe(429);
    expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});

describe('rate limits per key', () => {
  it('answer 429 with Retry-After past the burst, for that key only', async () => {
    const limited = keyCaller(
      argus.url,
      (await createKey(admin, 'default', 'viewer', { rateLimits: { api: 1 } })).secretKey,
    );
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const response = await limited.call('GET', '/api/v1/traces');
      statuses.push(response.status);
      if (response.status === 429) {
        expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
        expect(((await response.json()) as { error: { code: string } }).error.code).toBe('RATE_LIMITED');
      } else await response.body?.cancel();
    }
    expect(statuses.slice(0, 2)).toEqual([200, 200]);
    expect(statuses).toContain(429);
    expect((await a.call('GET', '/api/v1/traces')).status).toBe(200);
  });
});

describe('audit log', () => {
  it('records key changes and sign-ins with who and when, never secrets, and verifies its chain', async () => {
    const channel = await admin.json<{ data: { id: string } }>('POST', '/api/v1/alerts/channels', {
      name: 'ops hook',
      type: 'webhook',
      config: { url: 'http://127.0.0.1:9/hook', secret: 'webhook-signing-secret' },
    });
    await admin.json('PUT', '/api/v1/pricing/overrides', {
      data: [{ model: 'model-a', inputPerMTok: 1, outputPerMTok: 2 }],
    });
    const page = await admin.json<{
      data: { action: string; target: string; actor: { name: string }; details: unknown }[];
    }>('GET', '/api/v1/audit?scope=all&limit=1000');
    const actions = page.data.map((e) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        'auth.login',
        'key.create',
        'key.revoke',
        'key.rotate',
        'project.create',
        'alert.channel.create',
        'settings.update',
      ]),
    );
    expect(page.data.find((e) => e.action === 'alert.channel.create')?.target).toBe(channel.data.id);
    // The channel's secret is sealed in the metadata store, not stored as written.
    const stored = await argus.server.store.metadata.sql.all('SELECT config FROM notification_channels');
    expect(JSON.stringify(stored)).not.toContain('webhook-signing-secret');
    const failed = page.data.find((e) => e.action === 'auth.login' && e.target === 'mallory');
    expect(failed).toBeDefined();
    const text = JSON.stringify(page);
    expect(text).not.toContain(keyA.secretKey);
    expect(text).not.toContain(ADMIN_PASSWORD);
    expect(text).not.toContain('webhook-signing-secret');
    expect(await admin.json('GET', '/api/v1/audit/verify')).toMatchObject({ ok: true });
    const projectOnly = await keyCaller(argus.url, (await createKey(admin, 'beta', 'admin')).secretKey).json<{
      data: { projectId: string }[];
    }>('GET', '/api/v1/audit');
    expect(projectOnly.data.length).toBeGreaterThan(0);
    expect(projectOnly.data.every((e) => e.projectId === 'beta')).toBe(true);
  });

  it('refuses updates and deletes in the database itself', async () => {
    const sql = argus.server.store.metadata.sql;
    await expect(sql.run("UPDATE audit_log SET action = 'nothing'")).rejects.toThrow(/append-only/);
    await expect(sql.run('DELETE FROM audit_log')).rejects.toThrow(/append-only/);
  });
});
