/**
 * Per-project redaction policies end to end: the settings API round trip, spans and logs sent
 * with a project's API key stored under that project's policy (checked in the ClickHouse tables
 * themselves), another project keeping the default, refused policies, the audit entry and the
 * dry run.
 */
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog } from '../src/audit/audit-log.ts';
import { runMain } from './support/cli.ts';
import { chatSpanJson, randomHex, tracesRequestJson } from './support/otlp-json.ts';
import { startTestServer, type TestServer } from './support/server.ts';

const PROJECT = 'team-a';
const EMAIL = 'ada.lovelace@example.org';
const PHONE = '+1 415 555 2671';
const EMPLOYEE = 'EMP-123456';
const CARD = '4111 1111 1111 1111';
const TEXT = `Call Ada at ${PHONE} or ${EMAIL} about ${EMPLOYEE}; card ${CARD}`;
const POLICY = {
  detectors: { email: 'hash', phone: 'mask' },
  custom: [{ name: 'employee_id', pattern: 'EMP-\\d{6}', action: 'mask' }],
};

let argus: TestServer;
let ingestKey = '';

/** The fields of the answers this file reads. */
interface Answer {
  policy?: unknown;
  source?: string;
  globallyOff?: boolean;
  effective?: { id: string; description: string; action: string; builtin: boolean }[];
  redacted?: string;
  counts?: Record<string, number>;
  secretKey?: string;
  error?: { code: string; message: string };
}

/** fetch() against the server, in `project` (x-argus-project) unless it is undefined. */
async function call(
  method: string,
  path: string,
  options: { body?: unknown; project?: string; key?: string; raw?: string } = {},
): Promise<{ status: number; json: Answer }> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (options.project) headers['x-argus-project'] = options.project;
  if (options.key) headers.authorization = `Bearer ${options.key}`;
  const response = await fetch(argus.url + path, {
    method,
    headers,
    body: options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
  });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : {} };
}

function spanBody(traceId: string): string {
  const span = chatSpanJson(traceId, randomHex(8));
  const input = [{ role: 'user', parts: [{ type: 'text', content: TEXT }] }];
  const attributes = span.attributes.filter((a) => a.key !== 'gen_ai.input.messages');
  attributes.push(
    { key: 'gen_ai.input.messages', value: { stringValue: JSON.stringify(input) } },
    { key: 'app.note', value: { stringValue: TEXT } },
  );
  return tracesRequestJson([{ ...span, attributes }], 'redaction-policy-test');
}

function logBody(traceId: string): string {
  return JSON.stringify({
    resourceLogs: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'redaction-policy-test' } }] },
        scopeLogs: [
          {
            scope: { name: 'argus-test' },
            logRecords: [
              {
                timeUnixNano: (BigInt(Date.now()) * 1_000_000n).toString(),
                traceId,
                body: { stringValue: TEXT },
              },
            ],
          },
        ],
      },
    ],
  });
}

/** What is stored for a trace: the content and attributes of its spans, or its logs' bodies. */
async function stored(
  table: 'spans' | 'logs',
  traceId: string,
): Promise<{ projectId: string; text: string }> {
  const sql =
    table === 'spans'
      ? 'SELECT project_id, concat(input, attributes) AS text FROM spans WHERE trace_id = {t:String}'
      : 'SELECT project_id, concat(body, attributes) AS text FROM logs WHERE trace_id = {t:String}';
  const rows = await argus.server.store.driver.query<{ project_id: string; text: string }>(sql, {
    t: traceId,
  });
  expect(rows).toHaveLength(1);
  return { projectId: rows[0]!.project_id, text: rows[0]!.text };
}

beforeAll(async () => {
  argus = await startTestServer();
  expect((await call('POST', '/api/v1/projects', { body: { id: PROJECT, name: 'Team A' } })).status).toBe(
    201,
  );
  const key = await call('POST', '/api/v1/keys', {
    body: { name: 'ingest', role: 'ingest' },
    project: PROJECT,
  });
  expect(key.status).toBe(201);
  ingestKey = key.json.secretKey!;
}, 60_000);
afterAll(async () => {
  await argus?.stop();
});

describe('redaction settings API', () => {
  it('shows the default policy of a project that saved none', async () => {
    const { status, json } = await call('GET', '/api/v1/settings/redaction', { project: PROJECT });
    expect(status).toBe(200);
    expect(json).toMatchObject({
      policy: { detectors: {}, custom: [] },
      source: 'default',
      globallyOff: false,
    });
    expect(json.effective!.find((d) => d.id === 'email')).toMatchObject({
      action: 'mask',
      builtin: true,
      description: expect.stringContaining('e-mail'),
    });
    expect(json.effective!.find((d) => d.id === 'phone')!.action).toBe('off');
  });

  it('saves a policy, answers it, and audits which detectors changed', async () => {
    const saved = await call('PUT', '/api/v1/settings/redaction', { body: POLICY, project: PROJECT });
    expect(saved.status).toBe(200);
    expect(saved.json.source).toBe('project');
    const { json } = await call('GET', '/api/v1/settings/redaction', { project: PROJECT });
    expect(json.policy).toEqual(POLICY);
    const byId = Object.fromEntries(json.effective!.map((d) => [d.id, d.action]));
    expect(byId).toMatchObject({
      email: 'hash',
      phone: 'mask',
      card: 'mask',
      ipv4: 'off',
      employee_id: 'mask',
    });

    const audit = new AuditLog(argus.server.store.metadata.sql);
    const { data } = await audit.list({ projects: [PROJECT], action: 'settings.update', limit: 10 });
    expect(data).toHaveLength(1);
    expect(data[0]).toMatchObject({
      projectId: PROJECT,
      target: 'redaction',
      actor: { type: 'anonymous' },
      details: {
        detectors: { email: { from: 'mask', to: 'hash' }, phone: { from: 'off', to: 'mask' } },
        custom: { added: ['employee_id'], removed: [], changed: [] },
      },
    });
    expect(JSON.stringify(data[0])).not.toContain('EMP');
  });

  it('accepts the GET answer back as a PUT body', async () => {
    const { json } = await call('GET', '/api/v1/settings/redaction', { project: PROJECT });
    const again = await call('PUT', '/api/v1/settings/redaction', { body: json, project: PROJECT });
    expect(again.status).toBe(200);
    expect(again.json.policy).toEqual(POLICY);
  });

  // Each case is a policy an operator could send by mistake; the answer must say which field and why.
  it.each([
    [
      'an unknown detector',
      { detectors: { emial: 'hash' } },
      /'detectors.emial': unknown detector 'emial'; valid ids: .*email/,
    ],
    [
      'a regex that does not compile',
      { custom: [{ name: 'ticket', pattern: 'TCK-(\\d', action: 'mask' }] },
      /'custom.0.pattern': the pattern does not compile/,
    ],
    [
      'a regex matching the empty string',
      { custom: [{ name: 'ticket', pattern: '\\d*', action: 'mask' }] },
      /'custom.0.pattern': the pattern matches the empty string/,
    ],
    [
      'a regex that backtracks catastrophically',
      { custom: [{ name: 'ticket', pattern: 'TCK-(\\d+)+x', action: 'mask' }] },
      /'custom.0.pattern': the pattern of 'ticket' backtracks catastrophically/,
    ],
  ])(
    'refuses %s with 400 and keeps the saved policy',
    async (_what, body, message) => {
      const { status, json } = await call('PUT', '/api/v1/settings/redaction', { body, project: PROJECT });
      expect(status).toBe(400);
      expect(json.error!.code).toBe('INVALID_PARAMETER');
      expect(json.error!.message).toMatch(message);
      expect((await call('GET', '/api/v1/settings/redaction', { project: PROJECT })).json.policy).toEqual(
        POLICY,
      );
    },
    20_000,
  );

  it('refuses a body that is not JSON', async () => {
    const { status, json } = await call('PUT', '/api/v1/settings/redaction', { raw: '{', project: PROJECT });
    expect(status).toBe(400);
    expect(json.error!.message).toMatch(/not JSON/);
  });
});

describe('ingest under per-project policies', () => {
  const hashKey = async () =>
    (await argus.server.store.metadata.getSetting<string>('default', 'redactionHashKey'))!;

  it('stores a span sent with the project’s key under the project’s policy', async () => {
    const traceId = randomHex(16);
    const sent = await call('POST', '/v1/traces', { raw: spanBody(traceId), key: ingestKey });
    expect(sent.status).toBe(200);
    const { projectId, text } = await stored('spans', traceId);
    expect(projectId).toBe(PROJECT);
    for (const raw of [EMAIL, PHONE, EMPLOYEE, CARD, '4111111111111111']) expect(text).not.toContain(raw);
    const hash = createHmac('sha256', await hashKey())
      .update(EMAIL)
      .digest('hex')
      .slice(0, 8);
    expect(text).toContain(`[email:${hash}]`);
    for (const mask of ['[REDACTED:phone]', '[REDACTED:employee_id]', '[REDACTED:card]'])
      expect(text).toContain(mask);
    const [row] = await argus.server.store.driver.query<{ counts: string }>(
      "SELECT JSONExtractRaw(attributes, 'argus.redactions') AS counts FROM spans WHERE trace_id = {t:String}",
      { t: traceId },
    );
    // Each value appears twice: in the prompt and in the app.note attribute.
    expect(JSON.parse(row!.counts)).toEqual({ email: 2, phone: 2, employee_id: 2, card: 2 });
  });

  it('stores a log record sent with the project’s key under the project’s policy', async () => {
    const traceId = randomHex(16);
    expect((await call('POST', '/v1/logs', { raw: logBody(traceId), key: ingestKey })).status).toBe(200);
    const { projectId, text } = await stored('logs', traceId);
    expect(projectId).toBe(PROJECT);
    for (const raw of [EMAIL, PHONE, EMPLOYEE, CARD]) expect(text).not.toContain(raw);
    expect(text).toContain('[REDACTED:employee_id]');
  });

  it('keeps the default policy in another project', async () => {
    const traceId = randomHex(16);
    expect((await call('POST', '/v1/traces', { raw: spanBody(traceId) })).status).toBe(200);
    const { projectId, text } = await stored('spans', traceId);
    expect(projectId).toBe('default');
    expect(text).not.toContain(EMAIL);
    expect(text).not.toContain(CARD);
    expect(text).toContain('[REDACTED:email]');
    // Phone numbers are off by default and the custom detector belongs to team-a only.
    expect(text).toContain(PHONE);
    expect(text).toContain(EMPLOYEE);
  });
});

describe('dry run', () => {
  it('redacts sample text with the saved policy, or with a policy given, storing and auditing nothing', async () => {
    const audit = new AuditLog(argus.server.store.metadata.sql);
    const entries = async () =>
      (await audit.list({ projects: [PROJECT], action: 'settings.update', limit: 100 })).data.length;
    const before = await entries();
    const saved = await call('POST', '/api/v1/settings/redaction/test', {
      body: { text: TEXT },
      project: PROJECT,
    });
    expect(saved.status).toBe(200);
    expect(saved.json.redacted).toMatch(
      /^Call Ada at \[REDACTED:phone\] or \[email:[0-9a-f]{8}\] about \[REDACTED:employee_id\]; card \[REDACTED:card\]$/,
    );
    expect(saved.json.counts).toEqual({ email: 1, phone: 1, employee_id: 1, card: 1 });

    const tried = await call('POST', '/api/v1/settings/redaction/test', {
      body: {
        text: TEXT,
        policy: {
          detectors: { card: 'off' },
          custom: [{ name: 'ada', pattern: 'ada', flags: 'i', action: 'drop' }],
        },
      },
      project: PROJECT,
    });
    // A tried policy replaces the saved one (phone back to off); built-ins run first, so the
    // e-mail's `ada` is already masked when the custom detector runs.
    expect(tried.json).toEqual({ redacted: '[REDACTED]', counts: { email: 1, ada: 1 } });
    expect(await entries()).toBe(before);
    expect((await call('GET', '/api/v1/settings/redaction', { project: PROJECT })).json.policy).toEqual(
      POLICY,
    );
  });

  it('refuses a slow pattern in a tried policy too', async () => {
    const { status, json } = await call('POST', '/api/v1/settings/redaction/test', {
      body: { text: 'x', policy: { custom: [{ name: 'slow', pattern: '(a|aa)+$', action: 'mask' }] } },
      project: PROJECT,
    });
    expect(status).toBe(400);
    expect(json.error!.message).toMatch(/backtracks catastrophically/);
  }, 20_000);

  it('is in the OpenAPI document', async () => {
    const doc = await argus.get<{ paths: Record<string, Record<string, unknown>> }>('/api/v1/openapi.json');
    expect(Object.keys(doc.paths['/api/v1/settings/redaction']!)).toEqual(['get', 'put']);
    expect(Object.keys(doc.paths['/api/v1/settings/redaction/test']!)).toEqual(['post']);
  });
});

describe('argus redaction', () => {
  // Runs last: it changes the saved policy.
  async function cli(...args: string[]): Promise<{ code: number; out: string }> {
    const { code, out, err } = await runMain([
      'redaction',
      ...args,
      '--url',
      argus.url,
      '--project',
      PROJECT,
    ]);
    return { code, out: out + err };
  }

  it('shows, sets, adds, removes and tests through the API', async () => {
    expect((await cli('--help')).out).toContain('add-custom');
    const shown = await cli('show');
    expect(shown.code).toBe(0);
    expect(shown.out).toMatch(/email\s+hash\s+built-in/);
    expect(shown.out).toMatch(/employee_id\s+mask\s+custom/);

    expect((await cli('set', '--detector', 'ipv4=mask', '--detector', 'email=default')).code).toBe(0);
    expect(
      (await cli('add-custom', '--name', 'ticket', '--pattern', 'TCK-\\d{6}', '--action', 'hash')).code,
    ).toBe(0);
    expect((await cli('remove-custom', '--name', 'employee_id')).code).toBe(0);
    const { json } = await call('GET', '/api/v1/settings/redaction', { project: PROJECT });
    expect(json.policy).toEqual({
      detectors: { phone: 'mask', ipv4: 'mask' },
      custom: [{ name: 'ticket', pattern: 'TCK-\\d{6}', action: 'hash' }],
    });

    const tried = await cli('test', 'mail ada@example.com from 10.0.0.1', '--json');
    expect(JSON.parse(tried.out)).toEqual({
      redacted: 'mail [REDACTED:email] from [REDACTED:ipv4]',
      counts: { email: 1, ipv4: 1 },
    });
    const refused = await cli('set', '--detector', 'emial=mask');
    expect(refused.code).toBe(1);
    expect(refused.out).toMatch(/unknown detector 'emial'/);
    expect((await cli('set')).code).toBe(2);
    expect((await cli('remove-custom', '--name', 'nope')).code).toBe(1);
  });
});
