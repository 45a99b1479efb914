/**
 * End-to-end test of the Gateway page (issue 19): a real Argus server with two LLM connections to
 * the mock LLM (one of them always failing), an alias and gateway traffic; Debian's Chromium. The
 * page shows the endpoints, the calls and the latency the gateway added (tiles and histogram), the
 * cache hit rate, the failing connection cooling down, the alias and the spend of the calls. Every
 * console error fails the run; screenshots go to test-results/screenshots/gateway-*.png.
 */
import { existsSync } from 'node:fs';
import { type MockLlm, startMockLlm } from '@argus/mock-llm';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../../server/test/support/server.ts';
import { CHROMIUM } from './build-console.ts';
import { shot, startConsole, watchProblems } from './console-support.ts';

let argus: TestServer;
let mock: MockLlm;
let browser: Browser;
let page: Page;
const problems: string[] = [];

async function post(path: string, body: unknown, method = 'POST', headers: Record<string, string> = {}) {
  const response = await fetch(argus.url + path, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path} → ${response.status} ${text}`);
  return JSON.parse(text) as { data: { id: string } };
}

describe.skipIf(!existsSync(CHROMIUM) && !process.env.CI)('Gateway page (Chromium)', () => {
  beforeAll(async () => {
    mock = await startMockLlm({ chunkDelayMs: 1 });
    [argus, browser] = await startConsole();
    const base = { provider: 'openai-compatible', baseUrl: `${mock.url}/v1` };
    await post('/api/v1/llm-connections', {
      name: 'flaky',
      ...base,
      models: ['gpt-4o-mini'],
      headers: { 'x-mock-fail': '503' },
    });
    const { data: healthy } = await post('/api/v1/llm-connections', {
      name: 'steady',
      ...base,
      models: ['gpt-4o-mini'],
    });
    await post(
      '/api/v1/gateway/aliases/fast',
      { targets: [{ connectionId: healthy.id, model: 'gpt-4o-mini', weight: 1 }] },
      'PUT',
    );
    // Every answered call for gpt-4o-mini also goes to gpt-4.1-mini (the cache hit does not).
    await post(
      '/api/v1/gateway/shadows/mini',
      { model: 'gpt-4o-mini', candidate: { connectionId: healthy.id, model: 'gpt-4.1-mini' }, share: 1 },
      'PUT',
    );
    const ask = (content: string, headers: Record<string, string> = {}) =>
      post(
        '/gateway/v1/chat/completions',
        { model: 'gpt-4o-mini', messages: [{ role: 'user', content }] },
        'POST',
        headers,
      );
    for (let i = 0; i < 5; i++) await ask(`Question ${i}`);
    // The same question twice with the cache on: one miss, one hit.
    await ask('Cached question', { 'x-argus-cache': 'true' });
    await ask('Cached question', { 'x-argus-cache': 'true' });
    const context = await browser.newContext({ viewport: { width: 1360, height: 900 }, colorScheme: 'dark' });
    page = await context.newPage();
    watchProblems(page, problems);
  });

  afterAll(async () => {
    await browser?.close();
    await argus?.stop();
    await mock?.close();
    expect(problems).toEqual([]);
  });

  afterEach(async (test) => {
    if (test.task.result?.state === 'fail')
      await shot(page, `gateway-failed-${test.task.name.slice(0, 40).replace(/\W+/g, '-')}`);
  });

  it('shows endpoints, added latency, cache hit rate, connection health, aliases and spend', async () => {
    await page.goto(`${argus.url}/gateway`);
    await expect
      .poll(() => page.getByRole('link', { name: 'Gateway' }).getAttribute('aria-current'))
      .toBe('page');
    const endpoints = page.getByRole('region', { name: 'Endpoints' });
    await expect.poll(() => endpoints.textContent()).toContain(`${argus.url}/gateway/v1`);
    expect(await endpoints.textContent()).toContain(`${argus.url}/gateway/anthropic`);
    const calls = page.locator('[data-stat="Calls"] .stat-value');
    await expect.poll(() => calls.textContent()).toBe('7');
    expect(await page.locator('[data-stat="Cache hit rate"] .stat-value').textContent()).toBe('50.0%');
    expect(await page.locator('[data-stat="Added p50"] .stat-value').textContent()).toMatch(/^\d+\.\d\d ms$/);
    // Every call is in the histogram.
    const counts = await page
      .getByRole('region', { name: 'Added latency' })
      .locator('.gateway-histogram-count')
      .allTextContents();
    expect(counts.reduce((sum, c) => sum + Number(c.replace(/\D/g, '')), 0)).toBe(7);
    const connections = page.getByRole('table', { name: 'Connections' });
    const flaky = connections.getByRole('row').filter({ hasText: 'flaky' });
    expect(await flaky.textContent()).toContain('Cooling down until');
    expect(await connections.getByRole('row').filter({ hasText: 'steady' }).textContent()).toContain(
      'Healthy',
    );
    expect(await page.getByRole('table', { name: 'Aliases' }).textContent()).toContain('fast');
    const spend = page.getByRole('table', { name: 'Spend per key' });
    await expect.poll(() => spend.textContent()).toContain('no key (open mode)');
    await shot(page, 'gateway-page');
  });

  it('shows the shadow with its counters and links it to its experiments', async () => {
    // Six answered calls (five questions and the cache miss) make six pairs.
    await expect
      .poll(
        async () => {
          const answer = await fetch(`${argus.url}/api/v1/gateway/shadows`);
          const { data } = (await answer.json()) as { data: { pairs: number }[] };
          return data[0]?.pairs;
        },
        { timeout: 20_000 },
      )
      .toBe(6);
    await page.goto(`${argus.url}/gateway`);
    const row = page.getByRole('table', { name: 'Shadows' }).locator('[data-shadow="mini"]');
    await expect.poll(() => row.textContent()).toContain('gpt-4o-mini → gpt-4.1-mini');
    const text = (await row.textContent()) ?? '';
    expect(text).toContain('100.0%');
    expect(text).toContain('6 / 1,000');
    expect(text).toContain('running');
    await shot(page, 'gateway-shadows');
    await row.getByRole('link', { name: 'Compare the pairs of mini' }).click();
    await expect.poll(() => page.url()).toContain('/experiments/compare?baseline=');
    const sides = page.locator('[data-side]');
    await expect.poll(() => sides.allTextContents()).toHaveLength(2);
    const [baseline, candidate] = await sides.allTextContents();
    expect(baseline).toContain('mini · primary');
    expect(candidate).toContain('gateway shadow mini · candidate gpt-4.1-mini');
    await shot(page, 'gateway-shadow-compare');
    await page.getByRole('link', { name: 'mini · candidate' }).click();
    await expect.poll(() => page.getByText('Gateway shadow').count()).toBeGreaterThan(0);
    // Its six runs, each with the live call's input.
    const runs = page.locator('[data-run]');
    await expect.poll(() => runs.count()).toBe(6);
    expect((await runs.allTextContents()).join(' ')).toContain('Question 3');
    await shot(page, 'gateway-shadow-experiment');
  });
});
