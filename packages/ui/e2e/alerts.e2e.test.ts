/**
 * End-to-end test of the console's Alerts page: a real Argus server evaluating rules every
 * 300 ms, OTLP/JSON traffic, a threshold rule created through the form that fires, a webhook
 * channel tested against a loopback receiver, a silence of that rule made and deleted, and the
 * rule detail chart. Fails on any console
 * error, page error or dialog. Screenshots go to test-results/screenshots/.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../server/test/support/server.ts';
import { CHROMIUM, CHROMIUM_ARGS, ensureConsoleBuilt, UI_DIR } from './build-console.ts';
import { sendTraffic } from './traffic.ts';

const SHOTS = path.resolve(UI_DIR, '../../test-results/screenshots');
const poll = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 20_000, interval: 100 });

let argus: TestServer;
let browser: Browser;
let page: Page;
let receiver: Server;
let received: unknown[];
const problems: string[] = [];

describe.skipIf(!existsSync(CHROMIUM) && !process.env.CI)('console alerts page (Chromium)', () => {
  beforeAll(async () => {
    ensureConsoleBuilt();
    mkdirSync(SHOTS, { recursive: true });
    received = [];
    receiver = createServer((request, response) => {
      let body = '';
      request.on('data', (c) => {
        body += c;
      });
      request.on('end', () => {
        received.push(JSON.parse(body || 'null'));
        response.writeHead(200).end('ok');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    [argus, browser] = await Promise.all([
      startTestServer({ alertsIntervalMs: 300 }),
      chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS }),
    ]);
    await sendTraffic(argus.url);
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: 'dark' });
    page = await context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('dialog', (d) => {
      problems.push(`dialog: ${d.message()}`);
      void d.dismiss();
    });
  });

  afterAll(async () => {
    await browser?.close();
    await argus?.stop();
    await new Promise((resolve) => receiver?.close(resolve));
  });

  const shot = (name: string) => page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });

  it('shows the empty state, then a rule created in the form fires', async () => {
    await page.goto(`${argus.url}/alerts`);
    await poll(() => page.locator('section[aria-label="Rules"]').textContent()).toContain(
      'npx argus alerts create --file rule.json',
    );
    // One New rule button, not one in the header and another in the empty state.
    const newRule = page.getByRole('button', { name: 'New rule', exact: true });
    await poll(() => newRule.count()).toBe(1);
    await newRule.click();
    await poll(() => new URL(page.url()).searchParams.get('rule')).toBe('new');
    const form = page.locator('form[aria-label="Rule editor"]');
    // The server's validation error shows next to its input.
    await form.locator('input[name="name"]').fill('Busy traffic');
    await form.getByRole('button', { name: 'Create rule' }).click();
    await poll(() => form.locator('.field-error').textContent()).toContain('threshold');
    // That 400 was the point: Chromium logs it as a console error, so take exactly it out.
    await poll(() => problems.filter((p) => p.includes('status of 400')).length).toBe(1);
    problems.splice(
      problems.findIndex((p) => p.includes('status of 400')),
      1,
    );
    await form.locator('input[name="threshold"]').fill('0');
    await form.locator('input[name="for"]').fill('0s');
    await form.locator('select[name="severity"]').selectOption('critical');
    await form.getByRole('button', { name: 'Create rule' }).click();
    const row = page.locator('table[aria-label="Rules table"] tr[data-rule="Busy traffic"]');
    await poll(() => row.textContent()).toContain('requests > 0 over 5m');
    expect(new URL(page.url()).searchParams.get('rule')).toBeNull();
    const state = page.locator('table[aria-label="States"] tr[data-rule="Busy traffic"]');
    await poll(() => state.getAttribute('data-state')).toBe('firing');
    await shot('alerts');

    await page.getByRole('tab', { name: 'History' }).click();
    await poll(() => new URL(page.url()).searchParams.get('tab')).toBe('events');
    await poll(() =>
      page.locator('table[aria-label="Events"] tr[data-kind="firing"]').count(),
    ).toBeGreaterThan(0);
  });

  it('creates a webhook channel and sends a test to a loopback receiver', async () => {
    await page.goto(`${argus.url}/alerts?tab=channels`);
    const port = (receiver.address() as AddressInfo).port;
    const form = page.locator('form[aria-label="New channel"]');
    await form.locator('input[name="channel-name"]').fill('Local hook');
    await form.locator('input[name="channel-url"]').fill(`http://127.0.0.1:${port}/hook`);
    await form.getByRole('button', { name: 'Add channel' }).click();
    const row = page.locator('tr[data-channel="Local hook"]');
    await row.getByRole('button', { name: 'Send test' }).click();
    await poll(() => row.locator('.test-result').textContent()).toBe('Delivered');
    expect(received.length).toBe(1);
  });

  it('silences the rule for an hour from the Silences tab, then deletes the silence', async () => {
    await page.goto(`${argus.url}/alerts?tab=silences`);
    const form = page.locator('form[aria-label="New silence"]');
    await poll(() => form.locator('select[name="silenceRule"] option').allTextContents()).toEqual([
      'Busy traffic',
    ]);
    await form.locator('select[name="silenceDuration"]').selectOption('60');
    await form.locator('input[name="silenceComment"]').fill('deploy window');
    await form.getByRole('button', { name: 'Silence' }).click();
    const table = page.locator('table[aria-label="Silences table"]');
    await poll(() => table.locator('tbody tr').allTextContents()).toEqual([
      expect.stringMatching(/^Busy traffic.*deploy window/),
    ]);
    const stored = await argus.get<{ data: { startsAt: string; endsAt: string; comment: string }[] }>(
      '/api/v1/alerts/silences',
    );
    expect(stored.data).toHaveLength(1);
    const [silence] = stored.data;
    expect(silence!.comment).toBe('deploy window');
    // One hour, give or take the moment between the click and the server's start time.
    expect(Date.parse(silence!.endsAt) - Date.parse(silence!.startsAt)).toBeGreaterThan(59 * 60_000);
    expect(Date.parse(silence!.endsAt) - Date.parse(silence!.startsAt)).toBeLessThanOrEqual(60 * 60_000);
    await table.getByRole('button', { name: 'Delete' }).click();
    await poll(() => page.locator('section[aria-label="Silences"]').textContent()).toContain(
      'No active silences',
    );
  });

  it('opens the rule detail with the chart, threshold line and events', async () => {
    const rules = await argus.get<{ data: { id: string; name: string }[] }>('/api/v1/alerts/rules');
    const rule = rules.data.find((r) => r.name === 'Busy traffic')!;
    await page.goto(`${argus.url}/alerts/${rule.id}?range=1h`);
    // The uPlot chart: a canvas, the metric and the threshold in the legend, and a tooltip
    // with the bucket's values when the pointer is over the plot.
    const chart = page.locator('.time-chart');
    await poll(() => chart.locator('canvas').count()).toBeGreaterThan(0);
    expect(await chart.locator('.legend-item').allTextContents()).toEqual(['requests', 'threshold']);
    const plot = chart.locator('.u-over');
    const box = (await plot.boundingBox())!;
    await page.mouse.move(box.x + box.width - 4, box.y + box.height / 2);
    const tip = chart.getByTestId('chart-tip');
    await poll(() => tip.isVisible()).toBe(true);
    expect(await tip.textContent()).toMatch(/threshold0(?!\d)/);
    await poll(() =>
      page.locator('section[aria-label="Rule events"] tr[data-kind="firing"]').count(),
    ).toBeGreaterThan(0);
    await shot('alert-rule');
    expect(problems).toEqual([]);
  });
});
