/**
 * Issue 13: an SDK app with Argus down took 8.9 s to exit — the exporter's retry backoff held the
 * event loop. Real application processes against a refused port, a server that never answers,
 * and a running Argus: the process exits by itself, through the logged prompt shutdown path, and
 * with Argus up its spans arrive. (The time it takes is a benchmark figure, not asserted here.)
 */
import { execFile } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../server/test/support/process.ts';
import { startTestServer, type TestServer } from '../../server/test/support/server.ts';
import { readTrace } from './support.ts';

const APP = fileURLToPath(new URL('./apps/exit-app.ts', import.meta.url));

interface AppRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the exit app to its end (killed after 60 s, which fails the test). */
function runApp(args: string[]): Promise<AppRun> {
  return new Promise((resolve) => {
    execFile(process.execPath, [APP, ...args], { timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
      resolve({ code, stdout, stderr });
    });
  });
}

let refusedUrl = '';
let hangingUrl = '';
let hanging: http.Server;
let overloaded: http.Server;
let overloadedUrl = '';
let overloadedRequests = 0;

beforeAll(async () => {
  // A port nothing listens on: connections are refused.
  refusedUrl = `http://127.0.0.1:${await freePort()}`;
  // Reads the request and never answers, like a server stuck behind a firewall rule.
  hanging = http.createServer((req) => req.resume());
  await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
  hangingUrl = `http://127.0.0.1:${(hanging.address() as AddressInfo).port}`;
  // Always overloaded: a retryable answer the exporter would back off from and try again.
  overloaded = http.createServer((req, res) => {
    overloadedRequests++;
    req.resume();
    req.on('end', () => res.writeHead(503, { 'retry-after': '1' }).end());
  });
  await new Promise<void>((resolve) => overloaded.listen(0, '127.0.0.1', resolve));
  overloadedUrl = `http://127.0.0.1:${(overloaded.address() as AddressInfo).port}`;
});
afterAll(() => {
  for (const server of [hanging, overloaded]) {
    server.closeAllConnections();
    server.close();
  }
});

describe('an application exits promptly when Argus is unreachable', () => {
  it.each([
    // Ends at once: the only export is the flush before exit.
    ['right away', '0'],
    // Ends while a scheduled export is backing off between retries.
    ['while an export is retrying', '1500'],
  ])(
    'connection refused, the app ends %s',
    async (_when, lingerMs) => {
      const run = await runApp([refusedUrl, 'natural', lingerMs]);
      expect(run.code).toBe(0);
      expect(run.stderr).toContain('argus debug: Flushing spans before the process exits');
      expect(run.stderr).toMatch(/argus warn: Cannot export \d+ spans to .*: Error: connect ECONNREFUSED/);
      // The exporter gave up by itself; the SDK's last-resort time limit was not needed.
      expect(run.stderr).not.toContain('not done within');
    },
    90_000,
  );

  it('an overloaded Argus (503): the flush before exit tries once instead of backing off and retrying', async () => {
    overloadedRequests = 0;
    const run = await runApp([overloadedUrl, 'natural', '0']);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('argus warn: Cannot export 1 spans');
    expect(run.stderr).toContain('Argus answered HTTP 503');
    expect(overloadedRequests).toBe(1);
  }, 90_000);

  it('a server that never answers: shutdown() aborts the export after shutdownTimeoutMs', async () => {
    const run = await runApp([hangingUrl, 'shutdown', '0', '300']);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(
      /Cannot export 1 spans .*: Error: no answer within \d+ ms of closing \(shutdownTimeoutMs\)/,
    );
    expect(run.stderr).toContain('app: shutdown() returned');
  }, 90_000);
});

describe('with Argus up nothing is lost on exit', () => {
  let argus: TestServer;
  beforeAll(async () => {
    argus = await startTestServer();
  }, 60_000);
  afterAll(async () => {
    await argus?.stop();
  });

  it.each([['natural'], ['shutdown']])(
    'the app ends (%s) and its trace arrives',
    async (mode) => {
      const run = await runApp([argus.url, mode, '0']);
      expect(run.code).toBe(0);
      expect(run.stderr).not.toContain('Cannot export');
      const traceId = run.stdout.trim();
      expect(traceId).toMatch(/^[0-9a-f]{32}$/);
      const trace = await readTrace(argus, traceId);
      expect(trace.spans.map((s) => s.name)).toEqual(['exit-app work']);
    },
    90_000,
  );
});
