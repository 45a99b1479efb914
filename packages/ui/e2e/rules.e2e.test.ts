/**
 * End-to-end test of online evaluation in the console (issue 16 items 1-2): a real Argus server
 * with the e2e traffic and a short worker interval, Debian's Chromium. Create a rule from the
 * Evaluation rules page with a dry run first, backfill it over the traffic and read its counts,
 * disable it, read a failure recorded with its reason, find a refused answer through the
 * explorer's Output filter, switch the output-health checks off, delete the rule. Every console
 * error fails the run. Screenshots go to test-results/screenshots/rules-*.png.
 */
import { existsSync, mkdirSync } from 'node:fs';
import type { EvaluationRule, OutputHealthSettings } from '@argus/shared';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../server/test/support/server.ts';
import { CHROMIUM, CHROMIUM_ARGS, ensureConsoleBuilt } from './build-console.ts';
import { poll, SHOTS, shot, watchProblems } from './console-support.ts';
import { hexId, sendTraffic } from './traffic.ts';

let argus: TestServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const problems: string[] = [];
const ids = { contains: '', numeric: '', rule: '' };

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

/** One LLM span whose answer refuses (OTLP/JSON). */
function refusalSpan(traceId: string) {
  const now = BigInt(Date.now()) * 1_000_000n;
  const attr = (key: string, value: string) => ({ key, value: { stringValue: value } });
  return {
    resourceSpans: [
      {
        resource: { attributes: [attr('service.name', 'refusing-app')] },
        scopeSpans: [
          {
            spans: [
              {
                traceId,
                spanId: traceId.slice(0, 16),
                name: 'chat gpt-4o-mini',
                kind: 3,
                startTimeUnixNano: String(now - 900_000_000n),
                endTimeUnixNano: String(now - 800_000_000n),
                status: { code: 1 },
                attributes: [
                  attr('gen_ai.operation.name', 'chat'),
                  attr('gen_ai.request.model', 'gpt-4o-mini'),
                  attr(
                    'gen_ai.input.messages',
                    JSON.stringify([
                      { role: 'user', parts: [{ type: 'text', content: 'Tell me a secret.' }] },
                    ]),
                  ),
                  attr(
                    'gen_ai.output.messages',
                    JSON.stringify([
                      {
                        role: 'assistant',
                        parts: [{ type: 'text', content: "I'm sorry, but I can't help with that." }],
                      },
                    ]),
                  ),
                ],
              },
            ],
          },
        ],
      },
    ],
  };
}

describe.skipIf(!existsSync(CHROMIUM) && !process.env.CI)('console evaluation rules (Chromium)', () => {
  beforeAll(async () => {
    ensureConsoleBuilt();
    mkdirSync(SHOTS, { recursive: true });
    [argus, browser] = await Promise.all([
      startTestServer({ onlineIntervalMs: 200 }),
      chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS }),
    ]);
    await sendTraffic(argus.url);
    ids.contains = (
      await api<{ data: { id: string } }>('POST', '/api/v1/evaluators', {
        name: 'mentions-order',
        type: 'contains',
        config: { value: 'order', ignoreCase: true },
      })
    ).data.id;
    ids.numeric = (
      await api<{ data: { id: string } }>('POST', '/api/v1/evaluators', {
        name: 'a-number',
        type: 'numeric',
        config: {},
      })
    ).data.id;
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
      await shot(page, `rules-failed-${test.task.name.slice(0, 40).replace(/\W+/g, '-')}`);
  });

  const dialog = () => page.locator('[role="dialog"]');

  it('dry-runs a rule in the form, then creates it', async () => {
    await page.goto(`${argus.url}/rules`);
    await poll(() => page.locator('.state strong').first().textContent()).toBe('No evaluation rules yet');
    await page.getByRole('button', { name: 'New rule' }).click();
    await dialog().locator('input[name="ruleName"]').fill('order answers');
    await dialog().getByLabel('mentions-order').check();
    await dialog().getByRole('button', { name: 'Dry run' }).click();
    const dry = dialog().locator('section[aria-label="Dry run"]');
    await poll(() => dry.textContent()).toMatch(/\d+ recent spans? match the filter/);
    await poll(() => dry.locator('tbody tr').count()).toBeGreaterThan(0);
    await shot(page, 'rules-dry-run');
    await dialog().getByRole('button', { name: 'Create rule' }).click();
    await poll(() => new URL(page.url()).searchParams.get('rule')).toMatch(/^rule_/);
    ids.rule = new URL(page.url()).searchParams.get('rule') ?? '';
    await poll(() => page.locator('tr[data-rule="order answers"]').textContent()).toContain('mentions-order');
    const stored = await api<{ data: EvaluationRule }>('GET', `/api/v1/evaluation-rules/${ids.rule}`);
    expect(stored.data).toMatchObject({
      filter: { kind: 'llm' },
      samplingRate: 1,
      evaluators: [ids.contains],
    });
  });

  it('backfills the stored traffic and shows the day’s counts, then disables the rule', async () => {
    const detail = page.locator('section[aria-label="Rule order answers"]');
    await detail.getByRole('button', { name: 'Backfill 24 h' }).click();
    // The worker runs the backfill a moment later: reload until the day's counts show it.
    await poll(async () => {
      await page.reload();
      await detail.getByTestId('rule-today').waitFor({ timeout: 3000 });
      return detail.getByTestId('rule-today').textContent();
    }).toMatch(/[1-9]\d* scored/);
    await shot(page, 'rules-detail');
    await detail.getByRole('button', { name: 'Disable' }).click();
    await poll(() => detail.getByRole('button', { name: 'Enable' }).count()).toBe(1);
    expect(
      (await api<{ data: EvaluationRule }>('GET', `/api/v1/evaluation-rules/${ids.rule}`)).data.enabled,
    ).toBe(false);
  });

  it('lists a failure with its reason', async () => {
    const failing = await api<{ data: EvaluationRule }>('POST', '/api/v1/evaluation-rules', {
      name: 'numbers',
      filter: { kind: 'llm' },
      evaluators: [ids.numeric],
    });
    await api('POST', `/api/v1/evaluation-rules/${failing.data.id}/backfill`, {
      from: new Date(Date.now() - 86_400_000).toISOString(),
    });
    await page.goto(`${argus.url}/rules?rule=${failing.data.id}`);
    const runs = page.locator('table[aria-label="Rule runs"]');
    await poll(async () => {
      await page.reload();
      return runs.textContent();
    }).toContain("Evaluator 'a-number' failed");
  });

  it('finds a refused answer through the explorer’s Output filter', async () => {
    const traceId = hexId('refusal-trace', 16);
    const response = await fetch(`${argus.url}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(refusalSpan(traceId)),
    });
    expect(response.status).toBe(200);
    // The checks run in the worker a moment after the span is stored.
    await poll(
      async () => (await api<{ data: unknown[] }>('GET', '/api/v1/spans?outputFlag=refusal')).data.length,
    ).toBe(1);
    await page.goto(`${argus.url}/traces?view=spans`);
    await page.locator('select[name="outputFlag"]').selectOption('refusal');
    await poll(() => new URL(page.url()).searchParams.get('outputFlag')).toBe('refusal');
    await poll(() => page.locator('tbody tr').count()).toBe(1);
    expect(await page.locator('tbody').textContent()).toContain('Tell me a secret.');
    await shot(page, 'rules-explorer-output-filter');
  });

  it('switches the output-health checks off, and deletes a rule', async () => {
    await page.goto(`${argus.url}/rules`);
    const toggle = page.locator('input[name="outputHealth"]');
    await poll(() => toggle.isChecked()).toBe(true);
    // The box follows the saved setting, so it changes once the server has it.
    await toggle.click();
    await poll(
      async () =>
        (await api<{ data: OutputHealthSettings }>('GET', '/api/v1/output-health/settings')).data.enabled,
    ).toBe(false);
    await page.locator('tr[data-rule="order answers"] a').click();
    await page
      .locator('section[aria-label="Rule order answers"]')
      .getByRole('button', { name: 'Delete' })
      .click();
    await dialog().getByRole('button', { name: 'Delete rule' }).click();
    await poll(() => page.locator('tr[data-rule="order answers"]').count()).toBe(0);
    expect(
      (await api<{ data: EvaluationRule[] }>('GET', '/api/v1/evaluation-rules')).data.map((r) => r.name),
    ).toEqual(['numbers']);
  });
});
