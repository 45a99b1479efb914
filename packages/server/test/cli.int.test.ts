/**
 * The `argus` command as a user runs it: help, start-up errors, and the query commands against
 * a running server.
 */
import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runArgus } from './support/cli.ts';
import { chatSpanJson, randomHex, tracesRequestJson } from './support/otlp-json.ts';
import { ARGUS_BIN, type ChildServer, freePort, spawnServer } from './support/process.ts';

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'argus-cli-'));
let server: ChildServer;
const traceId = randomHex(16);

const argus = runArgus;

/** One line of text, without a stack trace (no `    at …` frames). */
function expectOneSentence(stderr: string): void {
  expect(stderr).not.toMatch(/^\s+at /m);
  expect(stderr.trim().split('\n').length).toBeLessThanOrEqual(2);
}

beforeAll(async () => {
  server = await spawnServer(['--data-dir', dataDir]);
  const root = randomHex(8);
  const body = tracesRequestJson(
    [
      chatSpanJson(traceId, root),
      chatSpanJson(traceId, randomHex(8), { parentSpanId: root, model: 'gpt-4o' }),
    ],
    'cli-test',
  );
  // A lone gpt-4o-mini call (the root above wraps its child, so it counts as an aggregate): with
  // the child, series --group-by model has two models with traffic.
  const other = tracesRequestJson([chatSpanJson(randomHex(16), randomHex(8))], 'cli-test');
  const response = await fetch(`${server.url}/v1/traces`, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json' },
  });
  expect(response.status).toBe(200);
  const second = await fetch(`${server.url}/v1/traces`, {
    method: 'POST',
    body: other,
    headers: { 'content-type': 'application/json' },
  });
  expect(second.status).toBe(200);
});
afterAll(async () => {
  server?.child.kill('SIGTERM');
  await server?.exited;
  rmSync(dataDir, { recursive: true, force: true });
});

describe('argus CLI', () => {
  it('documents every command in --help, and every start flag in start --help', async () => {
    const { code, stdout } = await argus(['--help']);
    expect(code).toBe(0);
    for (const word of ['start', 'traces', 'trace <traceId>', 'spans', 'series', 'health', 'pricing']) {
      expect(stdout).toContain(word);
    }
    const start = await argus(['start', '--help']);
    expect(start.code).toBe(0);
    for (const word of [
      '--port',
      '--host',
      '--data-dir',
      'ARGUS_DATA_DIR',
      '--clickhouse-url',
      '--retention-days',
    ]) {
      expect(start.stdout).toContain(word);
    }
  });

  it('refuses an invalid option naming it and its source, with exit code 2', async () => {
    const flag = await argus(['start', '--port', 'eighty']);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain("'port' from flag --port");
    const env = await argus(['start'], { ARGUS_RETENTION_DAYS: '-3' });
    expect(env.code).toBe(2);
    expect(env.stderr).toContain("'retentionDays' from env ARGUS_RETENTION_DAYS");
  });

  it('refuses a second server on a data directory that is in use, naming the holder', async () => {
    const second = await argus(['start', '--port', '0', '--grpc-port', '0', '--data-dir', dataDir]);
    expect(second.code).toBe(1);
    expect(second.stderr).toContain('another Argus process holds it');
    if (process.platform === 'linux') expect(second.stderr).toContain(`pid ${server.child.pid}`);
    // The engine's own lock error is not printed before ours.
    expect(second.stderr).not.toContain('Code: 76');
    expectOneSentence(second.stderr);
  });

  // Every command, as `argus --help` lists them.
  const COMMANDS = [
    'start',
    'traces',
    'trace',
    'spans',
    'series',
    'health',
    'pricing',
    'alerts',
    'erase',
    'retention',
    'redaction',
    'keys',
    'projects',
    'users',
    'members',
    'invite',
    'audit',
    'export',
    'admin',
    'demo',
    'agent',
    'datasets',
    'evaluators',
    'experiments',
  ];

  it.each(COMMANDS)("'argus %s --help' exits 0 and describes each of its flags", async (command) => {
    const { code, stdout, stderr } = await argus([command, '--help']);
    expect(code, stderr).toBe(0);
    expect(stdout).toContain(`argus ${command}`);
    if (command === 'demo') return; // the demo prints its own help (packages/demo/src/options.ts)
    const lines = stdout.slice(stdout.indexOf('\nFlags:\n')).split('\n').slice(2);
    const flags = lines.filter((line) => /^ {2}(-\w, )?--[a-z]/.test(line));
    expect(flags.length).toBeGreaterThan(1);
    for (const line of flags) {
      // `  --flag VALUE   description`, or a long flag alone with its description on the next line.
      const description = line.trim().split(/\s{2,}/)[1] ?? lines[lines.indexOf(line) + 1]!.trim();
      expect(description, `${command}: ${line}`).toMatch(/^[^-\s]/);
    }
  });

  it.each([
    // A misspelt flag: exit 2, the closest flag suggested.
    [['traces', '--modle', 'gpt-4o'], "Unknown flag '--modle'; did you mean '--model'?"],
    [['start', '--prot', '4400'], "did you mean '--port'?"],
    // A misspelt command and action.
    [['tarces'], "did you mean 'traces'?"],
    [['alerts', 'lst'], "did you mean 'list'?"],
    // A value that starts with a dash reaches the validator, whose sentence is ours.
    [['start', '--retention-days', '-1'], 'must be a whole number from 1 to 36500'],
    [['start', '--port', 'abc'], 'must be a whole number from 0 to 65535'],
    // A flag without its value.
    [['series', '--step'], "Flag '--step' needs a value"],
  ])('refuses %j with exit code 2 and a helpful sentence', async (args, message) => {
    const result = await argus(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stderr).not.toMatch(/ambiguous|Invalid input|expected number/);
    expectOneSentence(result.stderr);
  });

  it('prints series per model: one row per model, and one per model per step', async () => {
    const seriesByModel = ['series', '--url', server.url, '--service', 'cli-test', '--group-by', 'model'];
    const whole = await argus(seriesByModel);
    expect(whole.code, whole.stderr).toBe(0);
    const [header, , ...rows] = whole.stdout.trim().split('\n');
    expect(header).toMatch(/^Model\s+Requests\s+Errors\s+Error rate\s+p50/);
    expect(rows.map((r) => r.split(/\s+/)[0]).sort()).toEqual(['gpt-4o', 'gpt-4o-mini']);
    // Formatted: a percentage, milliseconds with their unit, dollars.
    expect(rows[0]).toMatch(/\d%/);
    expect(rows[0]).toMatch(/ ms\b/);
    expect(rows[0]).toMatch(/\$\d/);
    const stepped = await argus([...seriesByModel, '--step', '1h']);
    expect(stepped.code, stepped.stderr).toBe(0);
    const [stepHeader, , ...stepRows] = stepped.stdout.trim().split('\n');
    expect(stepHeader).toMatch(/^Time\s+Model\s+Requests/);
    const keys = stepRows.map((r) =>
      r
        .split(/\s{2,}/)
        .slice(0, 2)
        .join(' | '),
    );
    expect(new Set(keys).size).toBe(keys.length);
    expect(new Set(stepRows.map((r) => r.split(/\s{2,}/)[1]))).toEqual(new Set(['gpt-4o', 'gpt-4o-mini']));
    // Local readable times, not nanosecond ISO strings.
    expect(stepRows[0]).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d /);
  });

  it('prints a traces table that fits 120 columns with service, user and input', async () => {
    const list = await argus(['traces', '--url', server.url, '--service', 'cli-test']);
    expect(list.code).toBe(0);
    const lines = list.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^Time\s+Trace ID\s+Service\s+User\s+Duration\s+Err\s+Cost\s+Input$/);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(120);
    expect(list.stdout).toContain('cli-test');
    expect(list.stdout).not.toMatch(/\d{9}Z/);
  });

  it('ends quietly when its reader closes the pipe (argus pricing | head -1)', async () => {
    const { stdout, stderr } = await promisify(execFile)('bash', [
      '-o',
      'pipefail',
      '-c',
      `'${process.execPath}' '${ARGUS_BIN}' pricing | head -1`,
    ]);
    expect(stdout).toMatch(/^Provider\s+Model/);
    expect(stderr).toBe('');
  });

  it('says in one sentence when the port is taken, suggesting --port', async () => {
    const port = await freePort();
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve));
    const dir = mkdtempSync(path.join(os.tmpdir(), 'argus-cli-busy-'));
    try {
      const result = await argus(['start', '--port', String(port), '--grpc-port', '0', '--data-dir', dir]);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`Cannot listen on port ${port}: another program is using it`);
      expect(result.stderr).toContain('--port');
      expectOneSentence(result.stderr);
    } finally {
      blocker.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('says in one sentence when the data directory cannot be written', async () => {
    const parent = mkdtempSync(path.join(os.tmpdir(), 'argus-cli-ro-'));
    mkdirSync(path.join(parent, 'locked'));
    chmodSync(path.join(parent, 'locked'), 0o555);
    const args = [
      ARGUS_BIN,
      'start',
      '--port',
      '0',
      '--grpc-port',
      '0',
      '--data-dir',
      path.join(parent, 'locked', 'data'),
    ];
    // Root writes anywhere: run the command as nobody, who cannot write there.
    const asNobody =
      process.getuid?.() === 0 ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'] : [];
    const [file, ...rest] = [...asNobody, process.execPath, ...args];
    try {
      const result = await promisify(execFile)(file!, rest, {
        env: { ...process.env, ARGUS_LOG_LEVEL: 'warn' },
      }).then(
        ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
        (error: { code: number; stdout: string; stderr: string }) => error,
      );
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(
        `Cannot write to the data directory '${path.join(parent, 'locked', 'data')}'`,
      );
      expect(result.stderr).toContain('--data-dir');
      expectOneSentence(result.stderr);
    } finally {
      rmSync(parent, { recursive: true, force: true });
    }
  });

  it('lists traces and prints a trace tree from the running server', async () => {
    const list = await argus(['traces', '--url', server.url, '--service', 'cli-test']);
    expect(list.code).toBe(0);
    expect(list.stdout).toContain(traceId);
    const tree = await argus(['trace', traceId, '--url', server.url]);
    expect(tree.code).toBe(0);
    const lines = tree.stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^chat gpt-4o-mini \[llm\]/);
    expect(lines[1]).toMatch(/^ {2}chat gpt-4o \[llm\]/);
    const json = JSON.parse(
      (await argus(['spans', '--url', server.url, '--json', '--model', 'gpt-4o'])).stdout,
    );
    expect(json.data.map((s: { traceId: string }) => s.traceId)).toEqual([traceId]);
  });

  it('says clearly when no server is running', async () => {
    const result = await argus(['traces', '--url', 'http://127.0.0.1:9']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Cannot reach the Argus server');
  });

  it('looks up prices without a server', async () => {
    const result = await argus(['pricing', 'gpt-4o-mini-2024-07-18', '--json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ provider: 'openai', model: 'gpt-4o-mini' });
  });
});
