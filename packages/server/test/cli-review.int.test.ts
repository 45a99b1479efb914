/**
 * `argus score-configs` and `argus queues` through the real binary against a running server:
 * create a categorical config, a queue on it, add traces from flags and a file, show progress,
 * and the usage mistakes that exit 2 without calling the server.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AnnotationQueue, ScoreConfig } from '@argus/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runArgus } from './support/cli.ts';
import { randomHex } from './support/otlp-json.ts';
import { startTestServer, type TestServer } from './support/server.ts';

let server: TestServer;
let dir: string;
let env: NodeJS.ProcessEnv;
const argus = (args: string[]) => runArgus(args, env);

beforeAll(async () => {
  server = await startTestServer();
  dir = mkdtempSync(path.join(os.tmpdir(), 'argus-cli-review-'));
  env = { ARGUS_URL: server.url, ARGUS_API_KEY: '', ARGUS_PROJECT: '' };
}, 60_000);

afterAll(async () => {
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('argus score-configs and queues', () => {
  it('creates a config and a queue, adds traces and shows the progress', async () => {
    const created = await argus([
      'score-configs',
      'create',
      '--name',
      'tone',
      '--type',
      'categorical',
      '--category',
      'rude=0',
      '--category',
      'kind=1',
      '--json',
    ]);
    expect(created.code, created.stderr).toBe(0);
    const config = JSON.parse(created.stdout) as ScoreConfig;
    expect(config.categories).toEqual([
      { label: 'rude', value: 0 },
      { label: 'kind', value: 1 },
    ]);
    const listed = await argus(['score-configs', 'list']);
    expect(listed.stdout).toContain('rude=0 kind=1');

    const queued = await argus([
      'queues',
      'create',
      '--name',
      'triage',
      '--score-config',
      config.id,
      '--double-review',
      '--json',
    ]);
    expect(queued.code, queued.stderr).toBe(0);
    const queue = JSON.parse(queued.stdout) as AnnotationQueue;
    expect(queue.reviewsPerItem).toBe(2);

    const [a, b, c] = [randomHex(16), randomHex(16), randomHex(16)];
    writeFileSync(path.join(dir, 'traces.txt'), `${b}\n${c}\n`);
    const added = await argus([
      'queues',
      'add',
      queue.id,
      '--trace',
      a,
      '--traces-file',
      path.join(dir, 'traces.txt'),
    ]);
    expect(added.stdout).toBe('Added 3 item(s); 0 already in the queue\n');
    const again = await argus(['queues', 'add', queue.id, '--trace', a]);
    expect(again.stdout).toBe('Added 0 item(s); 1 already in the queue\n');
    const shown = await argus(['queues', 'show', queue.id]);
    expect(shown.stdout).toBe('triage: 0/3 items completed\n');
  });

  it.each([
    // A category without a number.
    [
      ['score-configs', 'create', '--name', 'x', '--type', 'categorical', '--category', 'bad'],
      "Invalid --category 'bad'",
    ],
    // An unknown type.
    [['score-configs', 'create', '--name', 'x', '--type', 'stars'], 'Missing or invalid --type'],
    // A queue without a score config.
    [['queues', 'create', '--name', 'q'], 'Missing --score-config'],
    // Nothing to add.
    [['queues', 'add', 'some-queue'], 'Missing --trace'],
  ])('%j exits 2 with a usage message', async (args, message) => {
    const run = await argus(args);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
  });
});
