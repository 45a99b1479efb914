/**
 * Console benchmark: a server on a 100 k-span dataset (24 h of agent traces, generated inside
 * the engine like the query benchmark), driven by Debian's Chromium. Measures, in the page's
 * own clock, navigation start → first trace row visible in the explorer (a new browser
 * context each run, so nothing is cached; then warm, with the hashed assets cached), and
 * explorer → trace view (row click → waterfall and span detail shown) and back.
 *
 * Usage: node bench/console.bench.ts [spans=100000] [runs=10]
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS, ensureConsoleBuilt } from '../packages/ui/e2e/build-console.ts';
import { generateSpanDataset } from './span-dataset.ts';
import { machine, percentile, startServer } from './support.ts';

const total = Number(process.argv[2] ?? 100_000);
const runs = Number(process.argv[3] ?? 10);

// Records, in the page's clock (ms since navigation start), when each selector first matches.
const WATCH = `(() => {
  window.__seen = {};
  const selectors = ['.vrow', '[role="treeitem"]', '.detail-body .msg, .detail-body .panel, .detail-body .state'];
  const check = () => {
    for (const s of selectors) if (!(s in window.__seen) && document.querySelector(s)) window.__seen[s] = performance.now();
  };
  new MutationObserver(check).observe(document, { childList: true, subtree: true });
})();`;

const seen = async (page: Page, selector: string): Promise<number> => {
  // A function, not a string: the console's CSP forbids eval, which string predicates need.
  const handle = await page.waitForFunction(
    (s: string) => (globalThis as unknown as { __seen: Record<string, number> }).__seen[s],
    selector,
    { timeout: 30_000 },
  );
  return (await handle.jsonValue()) as number;
};

function summarize(name: string, samples: number[]) {
  const result = {
    name,
    p50: Number(percentile(samples, 0.5).toFixed(0)),
    p95: Number(percentile(samples, 0.95).toFixed(0)),
    min: Number(Math.min(...samples).toFixed(0)),
  };
  process.stderr.write(`  ${name}: p50 ${result.p50} ms, p95 ${result.p95} ms, min ${result.min} ms\n`);
  return result;
}

// BENCH_DATA_DIR reuses a dataset kept by `BENCH_DATA_DIR=… node bench/query.bench.ts 10000000`
// (10 M spans over 7 days), so the console is measured with 10 M spans stored.
const keptDir = process.env.BENCH_DATA_DIR;
const reuse = keptDir !== undefined && existsSync(path.join(keptDir, 'clickhouse'));
const dataDir = reuse ? keptDir : mkdtempSync(path.join(os.tmpdir(), 'argus-bench-console-'));
try {
  process.stderr.write(
    `console bench: ${reuse ? `dataset in ${keptDir}` : `${total} spans over 24 h`}, ${machine()}\n`,
  );
  ensureConsoleBuilt();
  if (!reuse) await generateSpanDataset(dataDir, { total, days: 1, spansPerTrace: 5 });
  const server = await startServer(dataDir);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  try {
    const cold: number[] = [];
    const warm: number[] = [];
    const toTrace: number[] = [];
    const back: number[] = [];
    // A warm-up load so the server's first-query costs are not counted.
    const warmup = await browser.newPage();
    await warmup.goto(`${server.url}/traces`);
    await warmup.waitForSelector('.vrow', { timeout: 60_000 });
    await warmup.close();
    for (let i = 0; i < runs; i++) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
      await context.addInitScript(WATCH);
      const page = await context.newPage();
      await page.goto(`${server.url}/traces`);
      cold.push(await seen(page, '.vrow'));
      await page.reload();
      warm.push(await seen(page, '.vrow'));
      // Explorer → trace view: client-side navigation, timed from the click.
      const started = await page.evaluate(() => performance.now());
      await page
        .locator('.vrow')
        .nth(i % 10)
        .click();
      await seen(page, '[role="treeitem"]');
      const shown = await seen(page, '.detail-body .msg, .detail-body .panel, .detail-body .state');
      toTrace.push(shown - started);
      // Back to the explorer (the list is fetched again).
      await page.evaluate('window.__seen = {}');
      const leaving = await page.evaluate(() => performance.now());
      await page.goBack();
      back.push((await seen(page, '.vrow')) - leaving);
      await context.close();
    }
    const results = [
      summarize('first load, cold (navigation start → first trace row)', cold),
      summarize('reload, warm cache (navigation start → first trace row)', warm),
      summarize('explorer → trace view (click → waterfall + span detail)', toTrace),
      summarize('trace view → explorer (back → first trace row)', back),
    ];
    process.stdout.write(
      `${JSON.stringify({ date: new Date().toISOString().slice(0, 10), machine: machine(), spans: total, runs, results }, null, 2)}\n`,
    );
  } finally {
    await browser.close();
    await server.stop();
  }
} finally {
  if (!reuse) rmSync(dataDir, { recursive: true, force: true });
}
