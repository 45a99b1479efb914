/**
 * End-to-end test of the console's offline evaluation (issue 15 items 7 and 8): a real Argus
 * server, the project's mock LLM on 127.0.0.1, Debian's Chromium. Through the pages alone, as a
 * user would: create a dataset and import a CSV of 40 arithmetic questions with a column mapping
 * (one bad row refused by number), search its items, export it; add an LLM connection (key never
 * shown) and test it; add an exact_match evaluator and test it; start a prompt experiment and
 * watch it finish; from the Models page's version comparison run the dataset on two models (one
 * right, one wrong on 40 %) and read the compare verdict (a regression, 16 regressed items),
 * open each side's trace; add a span to a dataset from the trace view. The tests run in order
 * and share the server; every console error fails the run. Screenshots in dark and light go to
 * test-results/screenshots/quality-*.png.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { type MockLlm, startMockLlm } from '@argus/mock-llm';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../server/test/support/server.ts';
import { CHROMIUM, CHROMIUM_ARGS, ensureConsoleBuilt } from './build-console.ts';
import { poll, SHOTS, shot, watchProblems } from './console-support.ts';
import { hexId, sendTraffic } from './traffic.ts';

const API_KEY = 'sk-e2e-never-shown-0123456789';

/** The 40 questions as CSV with its own column names, plus one row without an answer (line 42). */
function arithmeticCsv(): string {
  const rows = ['qid,question,answer,topic'];
  for (let sum = 1; sum <= 40; sum++) {
    const b = 1 + (sum % 7);
    rows.push(`q${String(sum).padStart(2, '0')},What is ${sum - b}+${b}?,${sum},addition`);
  }
  rows.push('q99,What is 1+1?,,addition');
  return `${rows.join('\n')}\n`;
}

let argus: TestServer;
let mock: MockLlm;
/** A mock that waits 150 ms before each answer, so a run can be watched (and cancelled) midway. */
let slow: MockLlm;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const problems: string[] = [];
/** What earlier steps found out, for later ones. */
const found: { datasetUrl?: string; compareUrl?: string } = {};

describe.skipIf(!existsSync(CHROMIUM) && !process.env.CI)('console offline evaluation (Chromium)', () => {
  beforeAll(async () => {
    ensureConsoleBuilt();
    mkdirSync(SHOTS, { recursive: true });
    [argus, mock, slow, browser] = await Promise.all([
      startTestServer(),
      startMockLlm(),
      startMockLlm({ latencyMs: 150 }),
      chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS }),
    ]);
    await sendTraffic(argus.url);
    context = await browser.newContext({ viewport: { width: 1360, height: 900 }, colorScheme: 'dark' });
    page = await context.newPage();
    watchProblems(page, problems);
  });

  afterAll(async () => {
    await browser?.close();
    await Promise.all([argus?.stop(), mock?.close(), slow?.close()]);
    expect(problems).toEqual([]);
  });

  afterEach(async (test) => {
    if (test.task.result?.state === 'fail')
      await shot(page, `quality-failed-${test.task.name.slice(0, 40).replace(/\W+/g, '-')}`);
  });

  const open = (pathAndQuery: string) => page.goto(argus.url + pathAndQuery);
  const dialog = () => page.locator('[role="dialog"]');
  /** The dialog's own Close button (not the × in its head). */
  const closeDialog = () =>
    dialog()
      .locator('button:not([aria-label="Close"])', { hasText: /^Close$/ })
      .click();

  it('creates a dataset and imports a CSV with a column mapping, refusing the bad row by number', async () => {
    await open('/datasets');
    await poll(() => page.locator('.state strong').first().textContent()).toBe('No datasets yet');
    await shot(page, 'quality-datasets-empty');
    await page.getByRole('button', { name: 'New dataset' }).click();
    await dialog().locator('input[name="datasetName"]').fill('arithmetic');
    await dialog().locator('input[name="datasetDescription"]').fill('40 sums');
    await dialog().getByRole('button', { name: 'Create dataset' }).click();
    await poll(() => new URL(page.url()).pathname).toMatch(/^\/datasets\/.+/);
    found.datasetUrl = new URL(page.url()).pathname;
    await poll(() => page.locator('.state strong').first().textContent()).toBe('No items yet');

    await page.getByRole('button', { name: 'Import' }).click();
    await dialog()
      .locator('input[type="file"]')
      .setInputFiles({ name: 'arithmetic.csv', mimeType: 'text/csv', buffer: Buffer.from(arithmeticCsv()) });
    await poll(() => dialog().textContent()).toContain('columns qid, question, answer, topic');
    await dialog().locator('input[name="inputCol"]').fill('question');
    await dialog().locator('select[name="expectedCol"]').selectOption('answer');
    await dialog().locator('select[name="idCol"]').selectOption('qid');
    await dialog().locator('input[name="metadataCols"]').fill('topic');
    await dialog().getByRole('button', { name: 'Import' }).click();
    const report = dialog().locator('[data-testid="import-result"]');
    await poll(() => report.textContent()).toContain('40 created');
    expect(await report.textContent()).toContain('1 row refused');
    const refused = report.locator('table[aria-label="Refused rows"] tbody tr');
    expect(await refused.count()).toBe(1);
    expect(await refused.locator('td').first().textContent()).toBe('42');
    expect(await refused.locator('td').nth(1).textContent()).toContain("'answer'");
    await shot(page, 'quality-import');
    await closeDialog();
  });

  it('lists the items, searches them and exports the dataset', async () => {
    const rows = page.locator('table[aria-label="Items"] tbody tr');
    await poll(() => rows.count()).toBe(40);
    expect(await page.locator('tr[data-item="q12"]').textContent()).toContain('What is 6+6?');
    expect(await page.locator('tr[data-item="q12"]').textContent()).toContain('addition');
    await page.getByLabel('Search items').fill('6+6');
    await poll(() => rows.count()).toBe(1);
    await poll(() => new URL(page.url()).searchParams.get('q')).toBe('6+6');
    expect(await page.locator('[data-testid="search-note"]').textContent()).toBe('1 item matches');
    await page.getByLabel('Search items').fill('');
    await poll(() => rows.count()).toBe(40);
    await shot(page, 'quality-dataset');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export JSONL' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('arithmetic.jsonl');
    await open('/datasets');
    await poll(() => page.locator('tr[data-dataset="arithmetic"] td.num').textContent()).toBe('40');
  });

  it('adds an LLM connection whose key is never shown, and tests it', async () => {
    await open('/settings/connections');
    const form = page.locator('form[aria-label="New LLM connection"]');
    await form.locator('input[name="connName"]').fill('mock');
    await form.locator('select[name="connProvider"]').selectOption('openai-compatible');
    await form.locator('input[name="connBaseUrl"]').fill(`${mock.url}/v1`);
    await form.locator('input[name="connApiKey"]').fill(API_KEY);
    await form.locator('input[name="connModels"]').fill('mock-math-right, mock-math-wrong-40, mock-judge');
    await form.getByRole('button', { name: 'Add connection' }).click();
    const row = page.locator('tr[data-connection="mock"]');
    await poll(() => row.textContent()).toContain('stored');
    expect(await form.locator('input[name="connApiKey"]').inputValue()).toBe('');
    expect(await page.content()).not.toContain(API_KEY);
    await row.getByRole('button', { name: 'Test' }).click();
    await poll(() => page.locator('[data-testid="connection-test"][data-for="mock"]').textContent()).toMatch(
      /^OK · chat mock-math-right/,
    );
    await shot(page, 'quality-connections');
  });

  it('adds an exact_match evaluator and tests it on a sample', async () => {
    await open('/settings/evaluators');
    const form = page.locator('form[aria-label="New evaluator"]');
    await form.locator('input[name="evaluatorName"]').fill('exact');
    await form.locator('select[name="evaluatorType"]').selectOption('exact_match');
    expect(await form.locator('textarea[name="evaluatorConfig"]').inputValue()).toContain('ignoreCase');
    await form.locator('textarea[name="evaluatorConfig"]').fill('{ "trim": ');
    await poll(() => form.locator('[role="alert"]').textContent()).toContain('Cannot read the configuration');
    expect(await form.getByRole('button', { name: 'Add evaluator' }).isDisabled()).toBe(true);
    await form.locator('textarea[name="evaluatorConfig"]').fill('{ "trim": true }');
    await form.getByRole('button', { name: 'Add evaluator' }).click();
    const row = page.locator('tr[data-evaluator="exact"]');
    await poll(() => row.textContent()).toContain('exact_match');
    await row.getByRole('button', { name: 'Test' }).click();
    await dialog().locator('input[name="sample-output"]').fill(' 19 ');
    await dialog().locator('input[name="sample-expected"]').fill('19');
    await dialog().getByRole('button', { name: 'Run test' }).click();
    await poll(() => dialog().locator('[data-testid="evaluator-test-result"]').textContent()).toMatch(
      /^Score 1\b/,
    );
    await closeDialog();
    await shot(page, 'quality-evaluators');
  });

  it('starts a prompt experiment from the Experiments page and shows it finish with its distribution', async () => {
    await open('/experiments');
    await poll(() => page.locator('.state strong').first().textContent()).toBe('No experiments yet');
    await page.getByRole('button', { name: 'New experiment' }).click();
    const form = dialog().locator('form[aria-label="New experiment"]');
    await form.locator('select[name="runDataset"]').selectOption({ label: 'arithmetic (40 items)' });
    await form.locator('select[name="runConnection"]').selectOption({ label: 'mock (openai-compatible)' });
    await form.locator('input[name="experimentName"]').fill('right answers');
    await form.locator('input[name="experimentModel"]').fill('mock-math-right');
    await form.locator('input[name="runEvaluator"]').check();
    await form.getByRole('button', { name: 'Start experiment' }).click();
    await poll(() => new URL(page.url()).pathname).toMatch(/^\/experiments\/.+/);
    await poll(() => page.locator('.topbar [data-status]').getAttribute('data-status')).toBe('completed');
    await poll(() => page.locator('[data-stat="exact"] .stat-value').textContent()).toBe('1');
    expect(await page.locator('[data-stat="exact"]').textContent()).toContain('[1, 1]');
    await poll(() => page.locator('table[aria-label="Item runs"] tbody tr').count()).toBe(40);
    expect(await page.locator('[data-histogram="exact"] canvas').count()).toBe(1);
    expect(await page.locator('[data-histogram="exact"] [role="img"]').getAttribute('aria-label')).toContain(
      '0.9–1: 40',
    );
    const run = page.locator('tr[data-run="q12"]');
    expect(await run.textContent()).toContain('What is 6+6?');
    await shot(page, 'quality-experiment');
    await run.getByRole('link', { name: 'Trace of q12' }).click();
    await poll(() => new URL(page.url()).pathname).toMatch(/^\/traces\/[0-9a-f]{32}$/);
    // The run's trace: its chain root (the experiment) and the LLM call to the model.
    await poll(() => page.getByRole('complementary', { name: 'Span detail' }).textContent()).toContain(
      'experiment right answers',
    );
    expect(await page.locator('main').textContent()).toContain('mock-math-right');
  });

  it('runs the dataset on both versions from the Models page and shows the regression verdict', async () => {
    await open('/models?range=1h&compare=gpt-4o');
    const compare = page.locator('section[aria-label="Version comparison"]');
    await poll(() => compare.locator('tbody tr').count()).toBe(10);
    await compare.getByRole('button', { name: 'Run a dataset on both versions' }).click();
    const form = dialog().locator('form[aria-label="Run a dataset on both versions"]');
    expect(await form.locator('input[name="modelBefore"]').inputValue()).toBe('gpt-4o-2024-08-06');
    expect(await form.locator('input[name="modelAfter"]').inputValue()).toBe('gpt-4o-2024-11-20');
    // The mock serves evaluation models under their own names: the "versions" run as these two.
    await form.locator('input[name="modelBefore"]').fill('mock-math-right');
    await form.locator('input[name="modelAfter"]').fill('mock-math-wrong-40');
    await form.locator('select[name="runDataset"]').selectOption({ label: 'arithmetic (40 items)' });
    await form.locator('select[name="runConnection"]').selectOption({ label: 'mock (openai-compatible)' });
    await form.locator('input[name="runEvaluator"]').check();
    await shot(page, 'quality-run-versions');
    await form.getByRole('button', { name: 'Run both and compare' }).click();
    await poll(() => new URL(page.url()).pathname).toBe('/experiments/compare');
    found.compareUrl = new URL(page.url()).pathname + new URL(page.url()).search;
    const verdict = page.locator('section[aria-label="Verdict"]');
    await poll(() => page.locator('[data-side="candidate"]').textContent()).toContain('completed 40/40');
    await poll(() => verdict.getAttribute('data-verdict')).toBe('regression');
    expect(await verdict.textContent()).toContain(
      'Regression: arithmetic · mock-math-wrong-40 is significantly worse',
    );
    const exact = page.locator('tr[data-evaluator="exact"]');
    expect(await exact.locator('[data-count="regressed"]').textContent()).toBe('16');
    expect(await exact.locator('[data-count="improved"]').textContent()).toBe('0');
    expect(await exact.locator('[data-count="unchanged"]').textContent()).toBe('24');
    expect(await exact.textContent()).toMatch(/−0\.4.*p < 0\.001/);
    await poll(() => page.locator('[data-testid="pair-counts"]').textContent()).toContain('16 regressed');
    expect(await page.locator('table[aria-label="Pairs"] tbody tr[data-change="regressed"]').count()).toBe(
      16,
    );
    await shot(page, 'quality-compare-dark');
    await page.getByRole('button', { name: 'Toggle theme' }).click();
    await shot(page, 'quality-compare-light');
    await page.getByRole('button', { name: 'Toggle theme' }).click();
  });

  it('opens either side of a pair as a trace', async () => {
    const pair = page.locator('table[aria-label="Pairs"] tbody tr[data-change="regressed"]').first();
    const itemId = await pair.getAttribute('data-pair');
    const baseline = await pair
      .getByRole('link', { name: `Baseline trace of ${itemId}` })
      .getAttribute('href');
    const candidate = await pair
      .getByRole('link', { name: `Candidate trace of ${itemId}` })
      .getAttribute('href');
    expect(baseline).toMatch(/^\/traces\/[0-9a-f]{32}$/);
    expect(candidate).toMatch(/^\/traces\/[0-9a-f]{32}$/);
    expect(candidate).not.toBe(baseline);
    await pair.getByRole('link', { name: `Candidate trace of ${itemId}` }).click();
    await poll(() => new URL(page.url()).pathname).toBe(candidate);
    await poll(() => page.getByRole('complementary', { name: 'Span detail' }).textContent()).toContain(
      'mock-math-wrong-40',
    );
  });

  it('lists the experiments and compares two picked ones', async () => {
    await open('/experiments');
    const rows = page.locator('table[aria-label="Experiments"] tbody tr');
    await poll(() => rows.count()).toBe(3);
    expect(
      await page
        .locator('tr[data-experiment="arithmetic · mock-math-wrong-40"] [data-score="exact"]')
        .textContent(),
    ).toContain('exact: 0.6');
    await page.getByLabel('Select right answers to compare').check();
    await page.getByLabel('Select arithmetic · mock-math-wrong-40 to compare').check();
    await shot(page, 'quality-experiments');
    await page.getByRole('button', { name: 'Compare selected' }).click();
    await poll(() => page.locator('section[aria-label="Verdict"]').getAttribute('data-verdict')).toBe(
      'regression',
    );
    expect(new URL(page.url()).searchParams.get('candidate')).toBe(
      new URL(argus.url + found.compareUrl).searchParams.get('candidate'),
    );
  });

  it('adds a span to a new dataset from the trace view', async () => {
    // One of the steady chat traces of the traffic: a single LLM span with input and output.
    await open(`/traces/${hexId('steady-0', 16)}`);
    await page.getByRole('button', { name: 'Add to dataset' }).click();
    const form = dialog().locator('form[aria-label="Add to dataset"]');
    await form.locator('select[name="addDataset"]').selectOption({ label: 'New dataset…' });
    await form.locator('input[name="addDatasetName"]').fill('from-production');
    await form.getByRole('button', { name: 'Add item' }).click();
    await poll(() => dialog().textContent()).toContain('to from-production');
    await dialog().getByRole('link', { name: 'Open from-production' }).click();
    const rows = page.locator('table[aria-label="Items"] tbody tr');
    await poll(() => rows.count()).toBe(1);
    expect(await rows.first().locator('a').getAttribute('href')).toMatch(
      /^\/traces\/[0-9a-f]{32}\?span=[0-9a-f]{16}$/,
    );
    await shot(page, 'quality-from-span');
  });

  it('shows a running experiment progress live in the list and cancels it', async () => {
    const api = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
      const response = await fetch(argus.url + path, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      expect(response.ok).toBe(true);
      return (await response.json()) as T;
    };
    const connection = await api<{ data: { id: string } }>('POST', '/api/v1/llm-connections', {
      name: 'slow',
      provider: 'openai-compatible',
      baseUrl: `${slow.url}/v1`,
    });
    const datasets = await api<{ data: { id: string; name: string }[] }>('GET', '/api/v1/datasets');
    const arithmetic = datasets.data.find((d) => d.name === 'arithmetic')!;
    await api('POST', '/api/v1/experiments', {
      name: 'slow run',
      datasetId: arithmetic.id,
      target: {
        type: 'prompt',
        connectionId: connection.data.id,
        model: 'mock-math-right',
        messages: [{ role: 'user', content: '{{input}}' }],
      },
      concurrency: 1,
    });
    await open('/experiments');
    const row = page.locator('tr[data-experiment="slow run"]');
    const progress = () => row.locator('[data-testid="progress"]').textContent();
    // Bounded: 40 calls of 150 ms one at a time take 6 s; the page polls every 1.5 s.
    await poll(async () => Number((await progress())?.split('/')[0])).toBeGreaterThan(0);
    const first = Number((await progress())?.split('/')[0]);
    await poll(async () => Number((await progress())?.split('/')[0])).toBeGreaterThan(first);
    expect(await row.locator('[data-status]').getAttribute('data-status')).toBe('running');
    expect(await row.getByRole('progressbar').count()).toBe(1);
    await shot(page, 'quality-experiments-running');
    await row.getByRole('button', { name: 'Cancel' }).click();
    await dialog().getByRole('button', { name: 'Cancel experiment' }).click();
    await poll(() => row.locator('[data-status]').getAttribute('data-status')).toBe('cancelled');
    expect(Number((await progress())?.split('/')[0])).toBeLessThan(40);
  });
});
