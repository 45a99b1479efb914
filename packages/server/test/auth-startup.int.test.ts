/**
 * Secure defaults of `argus start`, run as a real child process: it refuses to listen beyond
 * loopback without authentication unless told `--insecure`, creates the first administrator
 * (password printed once, or from ARGUS_ADMIN_PASSWORD), and console sessions expire after
 * their idle and absolute limits. Only loopback traffic is sent.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { signIn } from './support/auth.ts';
import { ARGUS_BIN, type ChildServer, freePort, spawnServer } from './support/process.ts';

const dirs: string[] = [];
const children: ChildServer[] = [];
function tempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'argus-auth-start-'));
  dirs.push(dir);
  return dir;
}
async function stop(server: ChildServer): Promise<void> {
  server.child.kill('SIGTERM');
  await server.exited;
}
afterAll(async () => {
  for (const child of children) if (child.child.exitCode === null) await stop(child);
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('argus start beyond loopback', () => {
  it('refuses to start with --auth off unless --insecure, and says why', async () => {
    const port = await freePort();
    const child = spawn(
      process.execPath,
      [
        ARGUS_BIN,
        'start',
        '--host',
        '0.0.0.0',
        '--port',
        String(port),
        '--auth',
        'off',
        '--data-dir',
        tempDir(),
      ],
      { env: { ...process.env, ARGUS_GRPC_PORT: '0' }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(2);
    expect(output).toContain('Refusing to start');
    expect(output).toContain('--insecure');
    // Nothing listens on the port.
    await expect(fetch(`http://127.0.0.1:${port}/health`)).rejects.toThrow();
  });

  it('starts open with --insecure and warns loudly', async () => {
    const server = await spawnServer([
      '--host',
      '0.0.0.0',
      '--auth',
      'off',
      '--insecure',
      '--data-dir',
      tempDir(),
    ]);
    children.push(server);
    expect(server.output()).toContain('ANYONE WHO REACHES THIS ADDRESS');
    expect((await fetch(`${server.url}/api/v1/traces`)).status).toBe(200);
    const config = (await (await fetch(`${server.url}/api/v1/auth/config`)).json()) as { open: boolean };
    expect(config.open).toBe(true);
    // Open mode: a key Argus does not know is ignored (Langfuse and LangSmith SDKs insist on
    // sending one), while a known key still selects its project.
    const unknown = await fetch(`${server.url}/api/v1/traces`, { headers: { 'x-api-key': 'lsv2_dummy' } });
    expect(unknown.status).toBe(200);
    const json = { 'content-type': 'application/json' };
    await fetch(`${server.url}/api/v1/projects`, {
      method: 'POST',
      headers: json,
      body: '{"id":"open-b","name":"B"}',
    });
    const key = (await (
      await fetch(`${server.url}/api/v1/keys`, {
        method: 'POST',
        headers: { ...json, 'x-argus-project': 'open-b' },
        body: '{"name":"k","role":"viewer"}',
      })
    ).json()) as { secretKey: string };
    const me = (await (
      await fetch(`${server.url}/api/v1/auth/me`, { headers: { authorization: `Bearer ${key.secretKey}` } })
    ).json()) as { currentProject: string };
    expect(me.currentProject).toBe('open-b');
    await stop(server);
  });

  it('turns authentication on by itself and prints the first admin password once', async () => {
    const dataDir = tempDir();
    const first = await spawnServer(['--host', '0.0.0.0', '--data-dir', dataDir]);
    children.push(first);
    await waitFor(() => first.output().includes('Press Ctrl+C'));
    const match = /created the administrator 'admin' with the password\s+(\S+)/.exec(first.output());
    expect(match).not.toBeNull();
    const password = match![1]!;
    expect((await fetch(`${first.url}/api/v1/traces`)).status).toBe(401);
    const admin = await signIn(first.url, 'admin', password);
    expect((await admin.call('GET', '/api/v1/traces')).status).toBe(200);
    await stop(first);
    const second = await spawnServer(['--host', '0.0.0.0', '--data-dir', dataDir]);
    children.push(second);
    await waitFor(() => second.output().includes('Press Ctrl+C'));
    expect(second.output()).not.toContain('First start');
    expect(second.output()).not.toContain(password);
    await signIn(second.url, 'admin', password);
    await stop(second);
  });

  it('takes the first admin password from ARGUS_ADMIN_PASSWORD and never prints it', async () => {
    const password = 'a long operator-chosen passphrase';
    const server = await spawnServer(['--auth', 'on', '--data-dir', tempDir()], {
      ARGUS_ADMIN_PASSWORD: password,
      ARGUS_ADMIN_USERNAME: 'ops',
    });
    children.push(server);
    await waitFor(() => server.output().includes('Press Ctrl+C'));
    expect(server.output()).toContain(
      "created the administrator 'ops' with the password from ARGUS_ADMIN_PASSWORD",
    );
    expect(server.output()).not.toContain(password);
    await signIn(server.url, 'ops', password);
    await stop(server);
  });
});

describe('console sessions', () => {
  it('expire after the idle limit and after the absolute limit', async () => {
    const password = 'session test password';
    const server = await spawnServer(
      ['--auth', 'on', '--session-idle-seconds', '2', '--session-ttl-seconds', '4', '--data-dir', tempDir()],
      { ARGUS_ADMIN_PASSWORD: password },
    );
    children.push(server);
    // Idle: no request for longer than the idle limit ends the session.
    const idle = await signIn(server.url, 'admin', password);
    expect((await idle.call('GET', '/api/v1/auth/me')).status).toBe(200);
    await sleep(2_300);
    const expired = await idle.call('GET', '/api/v1/auth/me');
    expect(expired.status).toBe(401);
    expect(((await expired.json()) as { error: { message: string } }).error.message).toContain('expired');
    // Absolute: activity every 0.5 s keeps it alive only until the lifetime ends.
    const busy = await signIn(server.url, 'admin', password);
    const started = Date.now();
    let status = 200;
    while (status === 200 && Date.now() - started < 8_000) {
      await sleep(500);
      status = (await busy.call('GET', '/api/v1/auth/me')).status;
    }
    expect(status).toBe(401);
    expect(Date.now() - started).toBeGreaterThanOrEqual(3_500);
    await stop(server);
  }, 30_000);
});

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(50);
  }
}
