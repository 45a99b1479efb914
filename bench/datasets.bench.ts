/**
 * Dataset items through the HTTP API of a server started as a child process (embedded chDB +
 * SQLite; `--database-url postgres://…` as an argument measures PostgreSQL metadata): one
 * `POST /api/v1/datasets/{id}/items` of 10,000 new items (~300 bytes each), the same call again
 * (all unchanged: no version), then with every item changed (one new version), then reading all
 * 10,000 back in pages of 1,000 and exporting them as JSONL. Five rounds, median and worst.
 *
 *   node bench/datasets.bench.ts [--database-url postgres://…]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { machine, percentile, startServer } from './support.ts';

const ROUNDS = 5;
const ITEMS = 10_000;
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'argus-bench-datasets-'));
const server = await startServer(dataDir, [
  '--auth',
  'off',
  '--rate-limit-api',
  '0',
  ...process.argv.slice(2),
]);

async function call(method: string, url: string, body?: unknown): Promise<unknown> {
  const response = await fetch(server.url + url, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${url} → ${response.status} ${text.slice(0, 300)}`);
  return response.headers.get('content-type')?.startsWith('application/json') ? JSON.parse(text) : text;
}

const items = (round: number, variant: string) =>
  Array.from({ length: ITEMS }, (_, i) => ({
    id: `item-${String(i).padStart(5, '0')}`,
    input: {
      question: `What is ${i}+${round}? ${variant}`,
      context: 'lorem ipsum dolor sit amet '.repeat(8),
    },
    expectedOutput: String(i + round),
    metadata: { round, topic: i % 7 === 0 ? 'hard' : 'easy' },
  }));

const timings: Record<string, number[]> = { create: [], unchanged: [], update: [], page: [], export: [] };
const time = async (name: string, fn: () => Promise<unknown>) => {
  const started = performance.now();
  await fn();
  timings[name]!.push(performance.now() - started);
};
try {
  const body = JSON.stringify({ items: items(0, '') });
  console.log(`machine: ${machine()}`);
  console.log(`request body: ${(body.length / 1024 / 1024).toFixed(1)} MiB for ${ITEMS} items`);
  for (let round = 0; round < ROUNDS; round++) {
    const { data } = (await call('POST', '/api/v1/datasets', { name: `bench-${round}` })) as {
      data: { id: string };
    };
    const itemsUrl = `/api/v1/datasets/${data.id}/items`;
    const first = items(round, '');
    await time('create', () => call('POST', itemsUrl, { items: first }));
    await time('unchanged', () => call('POST', itemsUrl, { items: first }));
    await time('update', () => call('POST', itemsUrl, { items: items(round, 'v2') }));
    await time('page', async () => {
      let cursor: string | null = null;
      let seen = 0;
      do {
        const page = (await call('GET', `${itemsUrl}?limit=1000${cursor ? `&cursor=${cursor}` : ''}`)) as {
          data: unknown[];
          nextCursor: string | null;
        };
        seen += page.data.length;
        cursor = page.nextCursor;
      } while (cursor);
      if (seen !== ITEMS) throw new Error(`read ${seen} items`);
    });
    await time('export', () => call('GET', `${itemsUrl}/export?format=jsonl`));
  }
  for (const [name, values] of Object.entries(timings))
    console.log(
      `${name.padEnd(10)} median ${(percentile(values, 0.5) / 1000).toFixed(2)} s, worst ${(Math.max(...values) / 1000).toFixed(2)} s (${ROUNDS} rounds of ${ITEMS} items)`,
    );
} finally {
  await server.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
