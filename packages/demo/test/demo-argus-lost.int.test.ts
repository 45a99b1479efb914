/**
 * Issue 13: when the Argus server stopped mid-demo, the demo printed 362 lines of `Cannot send
 * score: TypeError: fetch failed` and ended on a bare `argus: fetch failed`. A real server
 * process is killed while the demo sends traffic to it: the demo stops by itself with one
 * summary line and exit code 1, each SDK warning printed at most once.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { type ChildServer, spawnServer } from '../../server/test/support/process.ts';
import { runDemoCommand } from '../src/command.ts';

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'argus-demo-lost-'));
let server: ChildServer | undefined;
afterAll(() => {
  server?.child.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

it('stops politely with a one-line summary when the server is killed mid-demo', async () => {
  server = await spawnServer(['--data-dir', dataDir]);
  const out: string[] = [];
  const err: string[] = [];
  let killed = false;
  const code = await runDemoCommand(
    // Long enough that only the lost server can end it within the test's time limit.
    ['--url', server.url, '--duration', '10m', '--rate', '5'],
    {},
    (text) => {
      out.push(text);
      // Kill the server once traffic flows (the first progress line).
      if (!killed && /requests · \d+ answered/.test(text)) {
        killed = true;
        server?.child.kill('SIGKILL');
      }
    },
    (text) => err.push(text),
  );
  expect(killed).toBe(true);
  expect(code).toBe(1);
  const errors = err.join('').trim().split('\n');
  expect(errors).toHaveLength(1);
  expect(errors[0]).toMatch(
    /^Demo stopped early: Argus at http:\/\/127\.0\.0\.1:\d+ stopped answering \d+ s in \(\w+\); \d+ requests were sent \(\d+ answered, \d+ failed\) in \d+ sessions, and spans not yet exported were dropped\.$/,
  );
  const printed = out.join('').split('\n');
  expect(printed.some((line) => /stopped answering \(\w+\); stopping the demo/.test(line))).toBe(true);
  // Each kind of SDK warning at most once, and never the bare fetch error.
  const warnings = printed.filter((line) => line.includes('[argus]'));
  expect(warnings.length).toBe(new Set(warnings.map((w) => w.replace(/\d+/g, 'N'))).size);
  expect(warnings.filter((line) => line.includes('Cannot send score')).length).toBeLessThanOrEqual(1);
  expect([...printed, ...errors].some((line) => /^argus: fetch failed/.test(line))).toBe(false);
}, 120_000);
