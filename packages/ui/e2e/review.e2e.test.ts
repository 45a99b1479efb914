/**
 * End-to-end test of human review in the console (issue 16 items 4-6): a real Argus server with
 * the e2e traffic, Debian's Chromium. Create a queue from the Annotation queues page, add the
 * agent trace from the trace view, review with the keyboard only (digits score, Enter completes
 * and moves on, k / j step back and forth through one's own reviews), read the progress, then
 * the Quality page's series and lowest-scored traces and an evaluator's agreement with people.
 * Every console error fails the run. Screenshots go to test-results/screenshots/review-*.png.
 */
import { existsSync, mkdirSync } from 'node:fs';
import type { AnnotationQueue, ScoreConfig } from '@argus/shared';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../server/test/support/server.ts';
import { CHROMIUM, CHROMIUM_ARGS, ensureConsoleBuilt } from './build-console.ts';
import { poll, SHOTS, shot, watchProblems } from './console-support.ts';
import { KNOWN, sendTraffic } from './traffic.ts';

let argus: TestServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const problems: string[] = [];
const found: { queueId?: string; datasetId?: string; otherTraces: string[] } = { otherTraces: [] };

async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(argus.url + path, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path} → ${response.status} ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

describe.skipIf(!existsSync(CHROMIUM) && !process.env.CI)('console human review (Chromium)', () => {
  beforeAll(async () => {
    ensureConsoleBuilt();
    mkdirSync(SHOTS, { recursive: true });
    [argus, browser] = await Promise.all([
      startTestServer(),
      chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS }),
    ]);
    await sendTraffic(argus.url);
    await api('POST', '/api/v1/score-configs', {
      name: 'correct',
      dataType: 'boolean',
      description: 'Is the answer right?',
    });
    found.datasetId = (
      await api<{ data: { id: string } }>('POST', '/api/v1/datasets', { name: 'corrections' })
    ).data.id;
    const traces = await api<{ data: { traceId: string }[] }>('GET', '/api/v1/traces?limit=10');
    found.otherTraces = traces.data
      .map((t) => t.traceId)
      .filter((id) => id !== KNOWN.agentTraceId)
      .slice(0, 2);
    context = await browser.newContext({ viewport: { width: 1360, height: 900 }, colorScheme: 'dark' });
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
      await shot(page, `review-failed-${test.task.name.slice(0, 40).replace(/\W+/g, '-')}`);
  });

  const dialog = () => page.locator('[role="dialog"]');

  it('creates a queue from the Annotation queues page', async () => {
    await page.goto(`${argus.url}/queues`);
    await poll(() => page.locator('.state strong').first().textContent()).toBe('No annotation queues yet');
    await page.getByRole('button', { name: 'New queue' }).click();
    await dialog().locator('input[name="queueName"]').fill('support answers');
    await poll(() => dialog().locator('select[name="queueScore"] option').first().textContent()).toContain(
      'correct',
    );
    await dialog().getByRole('button', { name: 'Create queue' }).click();
    await poll(() => new URL(page.url()).pathname).toMatch(/^\/queues\/.+/);
    found.queueId = new URL(page.url()).pathname.split('/')[2];
    await poll(() => page.locator('.state strong').first().textContent()).toBe('Nothing left to review');
  });

  it('adds the agent trace from the trace view, and two more through the API', async () => {
    await page.goto(`${argus.url}/traces/${KNOWN.agentTraceId}`);
    await page.getByRole('button', { name: 'Add to queue' }).click();
    await poll(() => dialog().locator('select[name="queue"]').textContent()).toContain('support answers');
    await dialog().getByRole('button', { name: 'Add trace' }).click();
    await poll(() => dialog().locator('[role="status"]').textContent()).toContain('Added to support answers');
    await dialog().getByRole('button', { name: 'Close' }).first().click();
    await api('POST', `/api/v1/annotation-queues/${found.queueId}/items`, {
      items: found.otherTraces.map((objectId) => ({ objectType: 'trace', objectId })),
    });
    await page.goto(`${argus.url}/queues`);
    await poll(() => page.locator('tr[data-queue="support answers"]').textContent()).toContain('0/3');
  });

  it('reviews with the keyboard: the trace as chat, digits score, Enter moves on, k/j step through', async () => {
    await page.goto(`${argus.url}/queues/${found.queueId}`);
    const item = page.locator('section[aria-label="Item under review"]');
    await poll(() => item.textContent()).toContain(KNOWN.agentTraceId);
    expect(await item.textContent()).toContain(KNOWN.userQuestion);
    await shot(page, 'review-screen');
    await page.keyboard.press('1');
    await poll(() => page.getByRole('button', { name: /true/ }).getAttribute('aria-pressed')).toBe('true');
    await page.keyboard.press('Enter');
    await poll(() => item.textContent()).toContain(found.otherTraces[0]!);
    await poll(() =>
      page.locator('.page-head .queue-progress, .queue-progress').first().textContent(),
    ).toContain('1/3');
    // The second is wrong: 'false', with a corrected output that goes into the dataset.
    await page.keyboard.press('2');
    await page.locator('details.corrected summary').click();
    await page.getByLabel('Corrected output').fill('The order ships tomorrow.');
    await page.locator('select[name="correctedDataset"]').selectOption({ label: 'corrections' });
    await page.getByRole('button', { name: 'Complete and next' }).click();
    await poll(() => item.textContent()).toContain(found.otherTraces[1]!);
    const corrections = await api<{ data: { id: string; expectedOutput: unknown }[] }>(
      'GET',
      `/api/v1/datasets/${found.datasetId}/items`,
    );
    expect(corrections.data).toEqual([
      expect.objectContaining({ id: found.otherTraces[0], expectedOutput: 'The order ships tomorrow.' }),
    ]);
    // Back through one's own reviews: the second shows 'false' pressed, the first 'true'.
    await page.keyboard.press('k');
    await poll(() => page.locator('section[aria-label="Scores"] .panel-head').textContent()).toContain(
      'Your review 2 of 2',
    );
    expect(await page.getByRole('button', { name: /false/ }).getAttribute('aria-pressed')).toBe('true');
    await page.keyboard.press('k');
    await poll(() => item.textContent()).toContain(KNOWN.agentTraceId);
    await page.keyboard.press('j');
    await page.keyboard.press('j');
    await poll(() => item.textContent()).toContain(found.otherTraces[1]!);
    const queue = await api<{ data: AnnotationQueue }>('GET', `/api/v1/annotation-queues/${found.queueId}`);
    expect(queue.data.progress).toMatchObject({ total: 3, completed: 2 });
    expect(queue.data.progress.byAssignee.anonymous).toEqual({ completed: 2, inProgress: 1 });
  });

  it('shows the score on the Quality page with the lowest-scored trace first', async () => {
    await page.goto(`${argus.url}/quality`);
    await poll(() => page.locator('select[aria-label="Score"]').textContent()).toContain('correct');
    const lowest = page.locator('table[aria-label="Lowest-scored traces"] tbody tr');
    await poll(() => lowest.count()).toBe(2);
    expect(await lowest.first().textContent()).toContain('false');
    expect(await lowest.first().textContent()).toContain('human');
    await shot(page, 'review-quality');
  });

  it('tells whether a judge can be trusted against people', async () => {
    const judge = await api<{ data: { id: string } }>('POST', '/api/v1/evaluators', {
      name: 'judge-correct',
      type: 'contains',
      config: { value: 'order' },
    });
    // The judge says true on both reviewed traces; people said true on one: κ 0, accuracy 0.5.
    for (const traceId of [KNOWN.agentTraceId, found.otherTraces[0]!])
      await api('POST', '/api/v1/scores', { traceId, name: 'judge-correct', value: 1, source: 'eval' });
    const configs = await api<{ data: ScoreConfig[] }>('GET', '/api/v1/score-configs');
    expect(configs.data.map((c) => c.name)).toEqual(['correct']);
    await page.goto(`${argus.url}/settings/evaluators`);
    await page
      .locator('tr[data-evaluator="judge-correct"]')
      .getByRole('button', { name: 'Agreement' })
      .click();
    const report = dialog().locator('section[aria-label="Agreement"]');
    await poll(() => report.textContent()).toContain('2 items scored by both');
    expect(await report.textContent()).toContain('slight or no agreement');
    expect(await dialog().locator('table[aria-label="Confusion matrix"] tbody tr').count()).toBe(2);
    await shot(page, 'review-agreement');
    expect(judge.data.id).toBeTruthy();
  });

  it('adds the traces a filter matches from the queues page', async () => {
    const before = await api<{ data: AnnotationQueue }>('GET', `/api/v1/annotation-queues/${found.queueId}`);
    await page.goto(`${argus.url}/queues`);
    await page
      .locator('tr[data-queue="support answers"]')
      .getByRole('button', { name: 'Add traces' })
      .click();
    await dialog().locator('select[name="filterStatus"]').selectOption('error');
    await dialog().getByRole('button', { name: 'Add matching traces' }).click();
    await poll(() => dialog().locator('[role="status"]').textContent()).toMatch(/^Added \d+ traces?/);
    const added = Number(
      /Added (\d+)/.exec((await dialog().locator('[role="status"]').textContent()) ?? '')?.[1],
    );
    expect(added).toBeGreaterThan(0);
    const after = await api<{ data: AnnotationQueue }>('GET', `/api/v1/annotation-queues/${found.queueId}`);
    expect(after.data.progress.total).toBe(before.data.progress.total + added);
    const items = await api<{ data: { objectId: string }[] }>(
      'GET',
      `/api/v1/annotation-queues/${found.queueId}/items`,
    );
    expect(items.data.map((i) => i.objectId)).toContain(KNOWN.errorTraceId);
  });
});
