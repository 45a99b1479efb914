/**
 * Query benchmark at 1 M and 10 M spans: generates a 7-day dataset inside the engine
 * (INSERT … SELECT, so the materialized views run as in production), then measures the API
 * over HTTP against a server started on that data: trace list first page, trace by id, 7-day
 * metric series, full-text search.
 *
 * Usage: node bench/query.bench.ts [spans=1000000] [runs=20]
 * The server's RSS is reported after start and at its peak while the queries run
 * (`BENCH_SERVER_ARGS` adds flags to the server, e.g. the small-host setting).
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateSpanDataset, RARE } from './span-dataset.ts';
import { machine, percentile, rssMb, sampleRss, startServer } from './support.ts';

const total = Number(process.argv[2] ?? 1_000_000);
const runs = Number(process.argv[3] ?? 20);
const SPANS_PER_TRACE = 5;
const DAYS = 7;

async function time(url: string): Promise<number> {
  const t0 = performance.now();
  const response = await fetch(url);
  await response.arrayBuffer();
  if (!response.ok) throw new Error(`${url} → ${response.status}`);
  return performance.now() - t0;
}

async function measure(
  name: string,
  urls: () => string,
): Promise<{ name: string; p50: number; p95: number }> {
  await time(urls()); // warm-up
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) samples.push(await time(urls()));
  const result = {
    name,
    p50: Number(percentile(samples, 0.5).toFixed(1)),
    p95: Number(percentile(samples, 0.95).toFixed(1)),
  };
  process.stderr.write(`  ${name}: p50 ${result.p50} ms, p95 ${result.p95} ms\n`);
  return result;
}

// BENCH_DATA_DIR keeps the dataset for another run (generating 10 M spans takes minutes);
// an existing one is reused as it is.
const keptDir = process.env.BENCH_DATA_DIR;
const dataDir = keptDir ?? mkdtempSync(path.join(os.tmpdir(), 'argus-bench-query-'));
const reuse = keptDir !== undefined && existsSync(path.join(keptDir, 'clickhouse'));
try {
  process.stderr.write(
    `query bench: ${total} spans over ${DAYS} days, ${machine()}${reuse ? ' (reusing data)' : ''}\n`,
  );
  if (keptDir) mkdirSync(keptDir, { recursive: true });
  const generationSeconds = reuse
    ? 0
    : await generateSpanDataset(dataDir, { total, days: DAYS, spansPerTrace: SPANS_PER_TRACE });
  const server = await startServer(dataDir);
  const startRssMb = rssMb(server.child.pid!);
  const rss = sampleRss(server.child.pid!, 100);
  try {
    const weekAgo = Date.now() - DAYS * 86_400_000;
    const page = (await (await fetch(`${server.url}/api/v1/traces?limit=200&from=${weekAgo}`)).json()) as {
      data: { traceId: string }[];
    };
    const ids = page.data.map((t) => t.traceId);
    let k = 0;
    const results = [
      await measure('trace list, first page (24 h)', () => `${server.url}/api/v1/traces?limit=50`),
      await measure(
        'trace list, model + status filter (7 d)',
        () => `${server.url}/api/v1/traces?limit=50&from=${weekAgo}&model=gpt-4o&status=error`,
      ),
      await measure('trace by id', () => `${server.url}/api/v1/traces/${ids[k++ % ids.length]}`),
      await measure(
        '7-day series by model (1 h step)',
        () => `${server.url}/api/v1/metrics/series?from=${weekAgo}&groupBy=model&step=1h`,
      ),
      await measure(
        'full-text search, rare word (7 d)',
        () => `${server.url}/api/v1/traces?q=${RARE}&from=${weekAgo}`,
      ),
      await measure(
        'full-text search, two common words (7 d)',
        () => `${server.url}/api/v1/traces?q=refund%20kubernetes&from=${weekAgo}`,
      ),
    ];
    const peakRssMb = rss.stop();
    const serverArgs = process.env.BENCH_SERVER_ARGS ?? '';
    process.stdout.write(
      `${JSON.stringify({ date: new Date().toISOString().slice(0, 10), machine: machine(), spans: total, generationSeconds, serverArgs, startRssMb, peakRssMb, results }, null, 2)}\n`,
    );
  } finally {
    rss.stop();
    await server.stop();
  }
} finally {
  if (!keptDir) rmSync(dataDir, { recursive: true, force: true });
}
