/**
 * Issue 11, finding 6: when the disk holding the telemetry store is full, every console page says
 * so, and the banner goes once a write succeeds again (with the write-ahead log, once the retried
 * insert of the acknowledged rows succeeds). The full disk is injected at the store
 * client with the engine's real NOT_ENOUGH_SPACE error (as in server/test/storage-full.int.test.ts).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  type ArgusServer,
  type ClickhouseDriver,
  createLogger,
  loadConfig,
  openEmbeddedDriver,
  startServer,
} from '@argus/server';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chatSpanJson, randomHex, tracesRequestJson } from '../../server/test/support/otlp-json.ts';
import { CHROMIUM, CHROMIUM_ARGS, ensureConsoleBuilt } from './build-console.ts';

const NOT_ENOUGH_SPACE =
  'Code: 243. DB::Exception: Cannot reserve 1.00 MiB, not enough space. (NOT_ENOUGH_SPACE)';
let isFull = false;
let server: ArgusServer;
let browser: Browser;
let dataDir: string;

const poll = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 20_000, interval: 50 });

describe.skipIf(!existsSync(CHROMIUM) && !process.env.CI)('console on a full disk (Chromium)', () => {
  beforeAll(async () => {
    ensureConsoleBuilt();
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'argus-full-ui-'));
    const config = loadConfig(
      { port: 0, grpcPort: 0, dataDir, logLevel: 'silent', writerFlushIntervalMs: 5 },
      {},
    );
    const real = openEmbeddedDriver(config);
    const driver: ClickhouseDriver = {
      ...real,
      async insertTsv(table, columns, body) {
        if (isFull) throw new Error(NOT_ENOUGH_SPACE);
        await real.insertTsv(table, columns, body);
      },
    };
    [server, browser] = await Promise.all([
      startServer(config, createLogger('silent'), { driver }),
      chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS }),
    ]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  const send = async () =>
    (
      await fetch(`${server.url}/v1/traces`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: tracesRequestJson([chatSpanJson(randomHex(16), randomHex(8))]),
      })
    ).status;

  it('shows a banner on every page while writes fail for want of space, and drops it after', async () => {
    isFull = true;
    // Acknowledged once in the write-ahead log; its insert then fails and is retried from there.
    expect(await send()).toBe(200);
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    for (const where of ['/', '/traces']) {
      await page.goto(server.url + where);
      const banner = page.getByRole('alert', { name: 'Disk full' });
      await poll(() => banner.isVisible()).toBe(true);
      expect(await banner.textContent()).toContain('the disk holding the telemetry store is full');
    }
    isFull = false;
    expect(await send()).toBe(200);
    // The store reports room again once the retried insert succeeds (its back-off is at most 5 s);
    // the page read afterwards has no banner.
    await poll(async () => {
      const health = (await (await fetch(`${server.url}/api/v1/health`)).json()) as {
        storage: { full?: boolean };
      };
      return health.storage.full ?? false;
    }).toBe(false);
    await page.reload();
    await poll(() => page.locator('main').isVisible()).toBe(true);
    await poll(() => page.getByRole('alert', { name: 'Disk full' }).count()).toBe(0);
    expect(problems).toEqual([]);
    await page.close();
  });
});
