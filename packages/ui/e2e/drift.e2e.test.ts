/**
 * End-to-end test of the Drift page and the Models page's model updates (issue 17): a real
 * Argus server with LLM traffic that moved from cooking questions (the hour before last) to
 * travel questions (the last hour), Debian's Chromium. Through the pages alone: compare the last
 * hour with the hour before (drift found, words of both topics, typical spans that open their
 * trace, the projection whose dots open spans), create a monitor, run it and read its series;
 * on the Models page, a response-model update is listed with its impact. Every console error
 * fails the run; screenshots go to test-results/screenshots/drift-*.png.
 */
import { existsSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type DriftSpanOptions,
  questions,
  sendQuestions,
  TOPICS,
} from '../../server/test/support/drift-traffic.ts';
import type { TestServer } from '../../server/test/support/server.ts';
import { CHROMIUM } from './build-console.ts';
import { poll, shot, startConsole, watchProblems } from './console-support.ts';

const MINUTE = 60_000;
let argus: TestServer;
let browser: Browser;
let page: Page;
const problems: string[] = [];

/** The questions as spans of `service`, spread over the 45 minutes after `startMs`. */
const send = (service: string, startMs: number, texts: string[], extra: Partial<DriftSpanOptions> = {}) =>
  sendQuestions(argus.url, service, texts, { startMs, spreadMs: 45 * MINUTE, ...extra });

describe.skipIf(!existsSync(CHROMIUM) && !process.env.CI)('Drift page (Chromium)', () => {
  beforeAll(async () => {
    [argus, browser] = await startConsole();
    const now = Date.now();
    await send('shop', now - 110 * MINUTE, questions('cooking', 200, 1));
    await send('shop', now - 50 * MINUTE, questions('travel', 200, 2));
    // A response-model update of gpt-4o: longer and slower answers after it.
    await send('bot', now - 110 * MINUTE, questions('billing', 60, 3), {
      requestModel: 'gpt-4o',
      responseModel: 'gpt-4o-2024-08-06',
      outputTokens: 50,
    });
    await send('bot', now - 50 * MINUTE, questions('billing', 60, 4), {
      requestModel: 'gpt-4o',
      responseModel: 'gpt-4o-2024-11-20',
      outputTokens: 300,
      durationMs: 3000,
    });
    const context = await browser.newContext({ viewport: { width: 1360, height: 900 }, colorScheme: 'dark' });
    page = await context.newPage();
    watchProblems(page, problems);
  });

  afterAll(async () => {
    await browser?.close();
    await argus?.stop();
    expect(problems).toEqual([]);
  });

  afterEach(async (test) => {
    if (test.task.result?.state === 'fail')
      await shot(page, `drift-failed-${test.task.name.slice(0, 40).replace(/\W+/g, '-')}`);
  });

  it('compares the last hour with the hour before: drift, words of both topics, spans and projection', async () => {
    await page.goto(`${argus.url}/drift?range=1h&service=shop`);
    await page.getByRole('link', { name: 'Drift' }).first().waitFor();
    await page.getByRole('button', { name: 'Compare', exact: true }).click();
    const comparison = page.getByRole('region', { name: 'Comparison' });
    await comparison.getByText('drift found').waitFor({ timeout: 60_000 });
    await comparison.locator('tr[data-feature="input"]').getByText('drifted').waitFor();
    const detail = page.getByRole('region', { name: 'Detail of input' });
    const referenceWords = (await detail.getByRole('list', { name: 'Reference words' }).textContent()) ?? '';
    const currentWords = (await detail.getByRole('list', { name: 'Current words' }).textContent()) ?? '';
    expect(TOPICS.cooking.some((w) => referenceWords.includes(w))).toBe(true);
    expect(TOPICS.travel.some((w) => currentWords.includes(w))).toBe(true);
    await shot(page, 'drift-compare-words');
    // The projection of the prompt embeddings: dots of both windows, each a link to a span.
    await comparison.locator('tr[data-feature="inputEmbedding"]').click();
    const embedding = page.getByRole('region', { name: 'Detail of inputEmbedding' });
    await poll(() => embedding.locator('circle[data-window="current"]').count()).toBeGreaterThan(50);
    await poll(() => embedding.locator('circle[data-window="reference"]').count()).toBeGreaterThan(50);
    await embedding.getByRole('table', { name: 'Clusters by growth' }).waitFor();
    await shot(page, 'drift-compare-projection');
    // Keyboard: a dot is a link (mouse clicks on a 4-pixel dot are flaky under load).
    await embedding.locator('a[aria-label^="current span"]').first().focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/traces\/[0-9a-f]{32}\?span=[0-9a-f]{16}/);
    await page.getByText('chat gpt-4o-mini').first().waitFor();
  });

  it('an example span of the current window opens its trace', async () => {
    await page.goto(`${argus.url}/drift?range=1h&service=shop`);
    await page.getByRole('button', { name: 'Compare', exact: true }).click();
    const examples = page.getByRole('list', { name: 'Typical of the current window' });
    await examples.getByRole('link').first().waitFor({ timeout: 60_000 });
    const text = (await examples.getByRole('link').first().textContent()) ?? '';
    await examples.getByRole('link').first().click();
    await page.waitForURL(/\/traces\//);
    await page.getByText(text.slice(0, 20)).first().waitFor();
  });

  it('creates a monitor, runs it and shows its series', async () => {
    await page.goto(`${argus.url}/drift?range=6h&service=shop`);
    await page.getByRole('button', { name: 'New monitor' }).click();
    const dialog = page.locator('[role="dialog"]');
    await dialog.getByLabel('Name').fill('shop prompts');
    await dialog.getByRole('button', { name: 'Create' }).click();
    const monitors = page.getByRole('table', { name: 'Monitors' });
    const row = monitors.getByRole('row', { name: /shop prompts/ });
    await row.getByText('not run').waitFor();
    await row.getByRole('button', { name: 'Run now' }).click();
    await row.getByText('drifted').waitFor({ timeout: 60_000 });
    await row.click();
    await page.getByRole('table', { name: 'Runs' }).getByText('input').waitFor();
    await page.getByRole('region', { name: 'shop prompts: statistic per feature' }).waitFor();
    await shot(page, 'drift-monitor');
  });

  it('lists the response-model update on the Models page with its impact', async () => {
    await page.goto(`${argus.url}/models?range=6h`);
    const updates = page.getByRole('region', { name: 'Model updates' });
    await updates.getByText('gpt-4o-2024-11-20').waitFor({ timeout: 60_000 });
    const row = updates.locator('tr[data-drifted="true"]');
    const text = (await row.textContent()) ?? '';
    expect(text).toContain('gpt-4o-2024-08-06');
    expect(text).toContain('outputTokens');
    expect(text).toContain('changed');
    await shot(page, 'drift-model-updates');
  });
});
