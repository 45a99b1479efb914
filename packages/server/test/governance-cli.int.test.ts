/**
 * The access-control commands as an operator runs them, against a real `argus start --auth on`
 * child process: API keys (create, list, rotate, revoke), projects, users, members, invitations,
 * the audit log, the NDJSON export, and offline password recovery on a stopped server's data dir.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runArgus } from './support/cli.ts';
import { chatSpanJson, randomHex, tracesRequestJson } from './support/otlp-json.ts';
import { type ChildServer, spawnServer } from './support/process.ts';

const ADMIN_PASSWORD = 'cli-admin-password-1';
const root = mkdtempSync(path.join(os.tmpdir(), 'argus-governance-cli-'));
let server: ChildServer;

/** Environment of a command signed in as the first administrator. */
const asAdmin = { ARGUS_USER: 'admin', ARGUS_PASSWORD: ADMIN_PASSWORD };

/** Runs `argus …` against the test server (unless `env` names another). */
const argus = (args: string[], env: NodeJS.ProcessEnv = {}) =>
  runArgus(args, { ARGUS_URL: server?.url, ...env });

/** Runs a command that must succeed; answers its stdout. */
async function ok(args: string[], env: NodeJS.ProcessEnv = {}): Promise<string> {
  const result = await argus(args, env);
  expect(result.code, `argus ${args.join(' ')}\n${result.stdout}\n${result.stderr}`).toBe(0);
  return result.stdout;
}

async function sendSpans(secret: string, count: number, service: string): Promise<number> {
  const traceId = randomHex(16);
  const spans = Array.from({ length: count }, () =>
    chatSpanJson(traceId, randomHex(8), { contentChars: 200 }),
  );
  const response = await fetch(`${server.url}/v1/traces`, {
    method: 'POST',
    body: tracesRequestJson(spans, service),
    headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}` },
  });
  await response.arrayBuffer();
  return response.status;
}

async function signIn(url: string, username: string, password: string): Promise<number> {
  const response = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  await response.arrayBuffer();
  return response.status;
}

const secretOf = (stdout: string) => /Secret key {2}(sk-argus-\S+)/.exec(stdout)?.[1] ?? '';
const passwordOf = (stdout: string) => /Password {2}(\S+)/.exec(stdout)?.[1] ?? '';

beforeAll(async () => {
  server = await spawnServer(['--data-dir', path.join(root, 'main'), '--auth', 'on'], {
    ARGUS_ADMIN_PASSWORD: ADMIN_PASSWORD,
  });
});
afterAll(async () => {
  server?.child.kill('SIGTERM');
  await server?.exited;
  rmSync(root, { recursive: true, force: true });
});

describe('argus access-control commands', () => {
  const COMMANDS = ['keys', 'projects', 'users', 'members', 'invite', 'audit', 'export', 'admin'];

  it('lists every access-control command in argus --help', async () => {
    const { stdout } = await argus(['--help']);
    for (const command of COMMANDS) expect(stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
    expect(stdout).toContain('--password-stdin');
  });

  it.each(COMMANDS)('documents `argus %s --help`', async (command) => {
    const { code, stdout } = await argus([command, '--help']);
    expect(code).toBe(0);
    expect(stdout).toContain(`Usage: argus ${command}`);
  });

  it('creates, lists, rotates and revokes API keys, printing each secret once with how to send it', async () => {
    const created = await ok(['keys', 'create', '--name', 'ci-admin', '--role', 'admin'], asAdmin);
    const adminKey = secretOf(created);
    expect(adminKey).toMatch(/^sk-argus-/);
    expect(created).toContain('shown only this once');
    expect(created).toContain(`Authorization: Bearer ${adminKey}`);
    expect(created).toContain(`x-api-key: ${adminKey}`);
    expect(created).toContain('Authorization: Basic ');
    expect(created).toContain(`OTEL_EXPORTER_OTLP_HEADERS="Authorization=Bearer%20${adminKey}"`);
    const withKey = { ARGUS_API_KEY: adminKey };

    const ingest = JSON.parse(await ok(['keys', 'create', '--name', 'ingest-only', '--json'], withKey));
    expect(ingest).toMatchObject({ name: 'ingest-only', role: 'ingest', projectId: 'default' });
    expect(await sendSpans(ingest.secretKey, 1, 'keys-test')).toBe(200);

    const listed = JSON.parse(await ok(['keys', 'list', '--json'], withKey)) as Record<string, unknown>[];
    expect(listed.map((k) => k.name)).toEqual(expect.arrayContaining(['ci-admin', 'ingest-only']));
    expect(JSON.stringify(listed)).not.toContain(adminKey);

    const rotated = await ok(['keys', 'rotate', ingest.id], withKey);
    const newSecret = secretOf(rotated);
    expect(newSecret).not.toBe(ingest.secretKey);
    expect(await sendSpans(ingest.secretKey, 1, 'keys-test')).toBe(401);
    expect(await sendSpans(newSecret, 1, 'keys-test')).toBe(200);

    expect(await ok(['keys', 'revoke', ingest.id], withKey)).toContain('Revoked API key');
    expect(await sendSpans(newSecret, 1, 'keys-test')).toBe(401);
    const table = await ok(['keys', 'list'], withKey);
    expect(table).toMatch(/ingest-only\s+ingest\s+revoked/);
    // Why: an ingest-role key sends telemetry but cannot manage keys.
    const refused = await argus(['keys', 'list'], { ARGUS_API_KEY: newSecret });
    expect(refused.code).toBe(1);
  });

  it('manages projects, users, members and invitations as an instance administrator', async () => {
    expect(await ok(['projects', 'create', 'proj-b', '--name', 'Project B'], asAdmin)).toContain(
      "Created project 'proj-b'",
    );
    const created = await ok(
      ['users', 'create', 'carla', '--project', 'proj-b', '--role', 'viewer'],
      asAdmin,
    );
    const first = passwordOf(created);
    expect(first).toMatch(/^[A-Za-z0-9]{20}$/);
    expect(created).toContain('shown only this once');
    expect(await signIn(server.url, 'carla', first)).toBe(200);

    const users = JSON.parse(await ok(['users', 'list', '--json'], asAdmin)) as Record<string, unknown>[];
    expect(users.find((u) => u.username === 'carla')).toMatchObject({
      memberships: [{ projectId: 'proj-b', role: 'viewer' }],
    });
    const onB = { ...asAdmin, ARGUS_PROJECT: 'proj-b' };
    expect(await ok(['members', 'list'], onB)).toMatch(/carla\s+carla\s+viewer/);
    expect(await ok(['members', 'set', 'carla', '--role', 'member'], onB)).toContain(
      "'carla' is now member on project 'proj-b'",
    );
    const invited = await ok(['invite', 'dan', '--role', 'viewer'], onB);
    expect(invited).toContain(`${server.url}/accept-invite#token=inv-`);

    const reset = await ok(['users', 'reset-password', 'carla'], asAdmin);
    const second = passwordOf(reset);
    expect(second).not.toBe(first);
    expect(await signIn(server.url, 'carla', first)).toBe(401);
    expect(await signIn(server.url, 'carla', second)).toBe(200);
    expect(await ok(['members', 'remove', 'carla'], onB)).toContain("Removed 'carla' from project 'proj-b'");
    expect(await ok(['users', 'remove', 'carla'], asAdmin)).toContain("Removed user 'carla'");
    const gone = await argus(['users', 'reset-password', 'carla'], asAdmin);
    expect(gone.stderr).toContain("No user named 'carla'");

    const audit = JSON.parse(await ok(['audit', '--scope', 'all', '--action', 'user.', '--json'], asAdmin));
    const actions = (audit.data as { action: string; target: string }[]).filter((e) => e.target === 'carla');
    expect(actions.map((e) => e.action)).toEqual(['user.delete', 'user.password_reset', 'user.create']);
    expect(JSON.stringify(audit)).not.toContain(second);
    expect(await ok(['audit', 'verify'], asAdmin)).toMatch(/Audit log intact: \d+ entries checked/);
  });

  it("exports only the key's project as NDJSON, to a file or stdout", async () => {
    await ok(['projects', 'create', 'exp-a', '--name', 'Export A'], asAdmin);
    await ok(['projects', 'create', 'exp-b', '--name', 'Export B'], asAdmin);
    const keyA = secretOf(
      await ok(['keys', 'create', '--name', 'a', '--role', 'member', '--project', 'exp-a'], asAdmin),
    );
    const keyB = secretOf(
      await ok(['keys', 'create', '--name', 'b', '--role', 'member', '--project', 'exp-b'], asAdmin),
    );
    expect(await sendSpans(keyA, 3, 'export-a')).toBe(200);
    expect(await sendSpans(keyB, 2, 'export-b')).toBe(200);

    const file = path.join(root, 'a.ndjson');
    const toFile = await argus(['export', '--output', file], { ARGUS_API_KEY: keyA });
    expect(toFile.code, toFile.stderr).toBe(0);
    expect(toFile.stderr).toContain(`Exported 3 spans to ${file}`);
    const spans = readFileSync(file, 'utf8')
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(spans).toHaveLength(3);
    for (const span of spans)
      expect(span).toMatchObject({ projectId: 'exp-a', serviceName: 'export-a', kind: 'llm' });
    expect(spans[0].input).toBeDefined();
    const starts = spans.map((s) => BigInt(s.startTimeUnixNano));
    expect([...starts].sort((x, y) => (x > y ? -1 : x < y ? 1 : 0))).toEqual(starts);

    const limited = await argus(['export', '--limit', '2'], { ARGUS_API_KEY: keyA });
    expect(limited.stdout.trimEnd().split('\n')).toHaveLength(2);
    expect(limited.stderr).toContain('the limit of 2 was reached');
    const fromB = await argus(['export', '--service', 'export-a'], { ARGUS_API_KEY: keyB });
    expect(fromB.stdout).toBe('');
    expect(fromB.stderr).toContain('Exported 0 spans to stdout');
    // Why: a key cannot reach another project by naming it.
    const crossing = await argus(['export', '--project', 'exp-b'], { ARGUS_API_KEY: keyA });
    expect(crossing.code).toBe(1);
    expect(crossing.stderr).toContain("belongs to project 'exp-a'");

    const audit = JSON.parse(
      await ok(['audit', '--action', 'data.export', '--json'], { ...asAdmin, ARGUS_PROJECT: 'exp-a' }),
    );
    expect(audit.data.map((e: { details: { rows: number } }) => e.details.rows)).toEqual([2, 3]);
  });

  it('resets a password offline on a stopped server, which then accepts only the new one', async () => {
    const dataDir = path.join(root, 'offline');
    const offline = await spawnServer(['--data-dir', dataDir, '--auth', 'on'], {
      ARGUS_ADMIN_PASSWORD: ADMIN_PASSWORD,
    });
    offline.child.kill('SIGTERM');
    expect(await offline.exited).toBe(0);

    const missing = await argus([
      'admin',
      'reset-password',
      'admin',
      '--data-dir',
      path.join(root, 'nowhere'),
    ]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('Cannot find the metadata database');
    const unknown = await argus(['admin', 'reset-password', 'nobody', '--data-dir', dataDir]);
    expect(unknown.stderr).toContain("No user named 'nobody'; users: admin");

    const reset = await ok(['admin', 'reset-password', 'admin', '--data-dir', dataDir]);
    const password = passwordOf(reset);
    expect(password).toMatch(/^[A-Za-z0-9]{20}$/);
    expect(reset).toContain('shown only this once');

    const restarted = await spawnServer(['--data-dir', dataDir, '--auth', 'on']);
    try {
      expect(await signIn(restarted.url, 'admin', ADMIN_PASSWORD)).toBe(401);
      expect(await signIn(restarted.url, 'admin', password)).toBe(200);
      const audit = JSON.parse(
        await ok(['audit', '--scope', 'all', '--action', 'user.password_reset', '--json'], {
          ARGUS_URL: restarted.url,
          ARGUS_USER: 'admin',
          ARGUS_PASSWORD: password,
        }),
      );
      expect(audit.data[0]).toMatchObject({
        actor: { type: 'system', id: 'cli' },
        target: 'admin',
        details: { offline: true },
      });
      expect(JSON.stringify(audit)).not.toContain(password);
    } finally {
      restarted.child.kill('SIGTERM');
      await restarted.exited;
    }
  });
});
