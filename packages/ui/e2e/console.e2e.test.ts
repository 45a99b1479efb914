/**
 * End-to-end tests of the web console: a real Argus server in this process (serving the built
 * console), OTLP/JSON traffic, and Debian's Chromium driven by playwright-core. Every test
 * fails on a console error, a page error or a dialog. Screenshots of each page go to
 * test-results/screenshots/.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { TestServer } from '../../server/test/support/server.ts';
import { CHROMIUM } from './build-console.ts';
import { SHOTS, startConsole } from './console-support.ts';
import { hexId, KNOWN, sendTraffic } from './traffic.ts';

/** Polls until the assertion holds, for up to 20 s (pages load data after they render; CI machines are small). */
const poll = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 20_000, interval: 50 });

let argus: TestServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let problems: string[];

describe.skipIf(!existsSync(CHROMIUM) && !process.env.CI)('web console (Chromium)', () => {
  beforeAll(async () => {
    [argus, browser] = await startConsole();
    await sendTraffic(argus.url);
  });

  afterAll(async () => {
    await browser?.close();
    await argus?.stop();
  });

  beforeEach(async () => {
    context = await browser.newContext({ viewport: { width: 1280, height: 860 }, colorScheme: 'dark' });
    page = await context.newPage();
    problems = [];
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('dialog', (d) => {
      problems.push(`dialog: ${d.message()}`);
      void d.dismiss();
    });
  });

  afterEach(async (test) => {
    if (test.task.result?.state === 'fail')
      await shot(`failed-${test.task.name.slice(0, 40).replace(/\W+/g, '-')}`);
    await context.close();
    expect(problems).toEqual([]);
  });

  const open = (pathAndQuery: string) => page.goto(argus.url + pathAndQuery);
  const shot = (name: string) => page.screenshot({ path: path.join(SHOTS, `${name}.png`) });
  const currentUrl = () => new URL(page.url());

  it('overview shows real totals, charts and breakdowns, and drills into the explorer', async () => {
    await open('/');
    const requests = page.locator('[data-stat="LLM calls"] .stat-value');
    await poll(async () => Number((await requests.textContent())?.match(/^\d+/)?.[0])).toBe(40); // LLM calls: 2 in the agent trace, 1 + 1 alone, 36 steady
    await poll(() => page.locator('section[aria-label="By model"] tbody tr').count()).toBeGreaterThanOrEqual(
      4,
    );
    await poll(() => page.locator('section[aria-label="By model"]').textContent()).toContain(
      'gpt-4o-2024-11-20',
    );
    // The breakdowns load independently: wait for each rather than assuming an order.
    await poll(() => page.locator('section[aria-label="By user"]').textContent()).toContain('user-alice');
    await poll(() => page.locator('section[aria-label="Slowest traces"]').textContent()).toContain(
      KNOWN.agentName,
    );
    // Charts are uPlot canvases. The data covers the last 50 minutes of the default 24 hours, so
    // the charts start where it does (and say so).
    await poll(() => page.locator('.time-chart canvas').count()).toBe(9);
    expect(await page.getByTestId('chart-window-note').textContent()).toContain('last 24 hours has no data');
    // Breakdown numbers are whole, not cut to `2…`.
    const cells = page.locator('section[aria-label="By model"] td.num');
    expect(await cells.evaluateAll((els) => els.filter((e) => e.scrollWidth > e.clientWidth).length)).toBe(0);
    // The crosshair tooltip shows the bucket's exact values.
    const plot = page.locator('section[aria-label="LLM calls"] .u-over');
    const box = (await plot.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.6, box.y + box.height / 2);
    const tip = page.locator('section[aria-label="LLM calls"]').getByTestId('chart-tip');
    await poll(() => tip.isVisible()).toBe(true);
    expect(await tip.textContent()).toMatch(/LLM calls\d+errors\d+$/);
    // A legend entry hides its line and shows it again.
    const legend = page.locator('section[aria-label="LLM calls"] .legend-item', { hasText: 'errors' });
    await legend.click();
    expect(await legend.getAttribute('aria-pressed')).toBe('false');
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height / 2);
    await poll(() => tip.textContent()).toMatch(/LLM calls\d+$/);
    await legend.click();
    await shot('overview');
    // The whole window is a click away: it becomes a custom range, which is never narrowed.
    await page.getByRole('button', { name: 'Chart the whole window' }).click();
    await poll(() => currentUrl().searchParams.get('from')).toBeTruthy();
    expect(
      Date.parse(currentUrl().searchParams.get('to')!) - Date.parse(currentUrl().searchParams.get('from')!),
    ).toBe(86_400_000);
    await poll(() => page.getByTestId('chart-window-note').count()).toBe(0);
    await poll(() => page.locator('.time-chart canvas').count()).toBe(9);
    await page.locator('section[aria-label="By service"] tr', { hasText: 'rag-worker' }).click();
    await poll(() => currentUrl().pathname).toBe('/traces');
    expect(currentUrl().searchParams.getAll('service')).toEqual(['rag-worker']);
    await poll(() => page.locator('.vrow').count()).toBeGreaterThan(0);
    const services = await page.locator('.vrow td:nth-child(4)').allTextContents();
    expect(new Set(services)).toEqual(new Set(['rag-worker']));
  });

  it('a chart click opens the explorer narrowed to that bucket', async () => {
    await open('/?range=1h');
    const overlay = page.locator('section[aria-label="LLM calls"] .u-over');
    await overlay.waitFor();
    const box = (await overlay.boundingBox())!;
    await page.mouse.click(box.x + box.width - 4, box.y + box.height / 2);
    await poll(() => currentUrl().pathname).toBe('/traces');
    const from = Date.parse(currentUrl().searchParams.get('from') ?? '');
    const to = Date.parse(currentUrl().searchParams.get('to') ?? '');
    expect(to - from).toBe(60_000);
  });

  it('explorer lists traces, searches, filters, sorts, chooses columns, and keeps it all in the URL', async () => {
    await open('/traces');
    const table = page.locator('table[aria-label="Results"]');
    await poll(() => table.getAttribute('data-row-count')).toBe('39');
    await shot('traces');

    await page.getByRole('searchbox').fill(KNOWN.refundWord);
    await page.getByRole('searchbox').press('Enter');
    await poll(() => table.getAttribute('data-row-count')).toBe('1');
    await expect(page.locator('.vrow').first().textContent()).resolves.toContain('Question 7');
    expect(currentUrl().searchParams.get('q')).toBe(KNOWN.refundWord);

    await page.getByRole('searchbox').fill('');
    await page.locator('select[name="status"]').selectOption('error');
    const errors = await argus.get<{ data: unknown[] }>('/api/v1/traces?status=error&limit=100');
    await poll(() => table.getAttribute('data-row-count')).toBe(String(errors.data.length));
    expect(errors.data.length).toBe(4);
    expect(await page.locator('.vrow .dot:not(.error)').count()).toBe(0);

    await page.locator('input[name="user"]').fill('user-carol');
    await page.locator('input[name="user"]').press('Enter');
    await poll(() => currentUrl().searchParams.get('userId')).toBe('user-carol');
    const carolErrors = await argus.get<{ data: unknown[] }>(
      '/api/v1/traces?status=error&userId=user-carol&limit=100',
    );
    await poll(() => table.getAttribute('data-row-count')).toBe(String(carolErrors.data.length));

    // Reload and back/forward keep the view.
    await page.reload();
    await poll(() => table.getAttribute('data-row-count')).toBe(String(carolErrors.data.length));
    await expect(page.locator('select[name="status"]').inputValue()).resolves.toBe('error');
    await expect(page.locator('input[name="user"]').inputValue()).resolves.toBe('user-carol');
    await page.goBack();
    await poll(() => currentUrl().searchParams.get('userId')).toBeNull();
    await poll(() => table.getAttribute('data-row-count')).toBe('4');
    await page.goForward();
    await poll(() => currentUrl().searchParams.get('userId')).toBe('user-carol');

    // Sort and columns.
    await open('/traces');
    await page.getByRole('button', { name: 'Duration' }).click();
    await poll(() => currentUrl().searchParams.get('sort')).toBe('duration:desc');
    await expect(page.locator('.vrow').first().textContent()).resolves.toContain(KNOWN.agentName);
    await page.getByRole('button', { name: 'Columns' }).click();
    await page.getByRole('checkbox', { name: 'Session' }).check();
    await poll(() => currentUrl().searchParams.get('cols') ?? '').toContain('session');
    await expect(page.locator('.vhead').textContent()).resolves.toContain('Session');
  });

  it('explorer spans view filters by kind', async () => {
    await open('/traces?view=spans&kind=tool');
    const table = page.locator('table[aria-label="Results"]');
    await poll(() => table.getAttribute('data-row-count')).toBe('1');
    await expect(page.locator('.vrow').first().textContent()).resolves.toContain(
      `execute_tool ${KNOWN.toolName}`,
    );
    await page.locator('.vrow').first().click();
    await poll(() => currentUrl().pathname).toBe(`/traces/${KNOWN.agentTraceId}`);
    expect(currentUrl().searchParams.get('span')).toBe(hexId('agent-tool', 8));
    await poll(() => page.locator('[role="treeitem"][aria-selected="true"]').textContent()).toContain(
      KNOWN.toolName,
    );
  });

  it('live tail shows a trace that arrives after the page loaded', async () => {
    await open('/traces?live=1&range=1h');
    const table = page.locator('table[aria-label="Results"]');
    await poll(() => table.getAttribute('data-row-count')).toBe('39');
    const traceId = hexId('live-trace', 16);
    const body = JSON.stringify({
      resourceSpans: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'late-service' } }] },
          scopeSpans: [
            {
              spans: [
                {
                  traceId,
                  spanId: hexId('live-span', 8),
                  name: 'live arrival',
                  kind: 1,
                  startTimeUnixNano: `${BigInt(Date.now()) * 1_000_000n}`,
                  endTimeUnixNano: `${BigInt(Date.now() + 50) * 1_000_000n}`,
                },
              ],
            },
          ],
        },
      ],
    });
    const response = await fetch(`${argus.url}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    expect(response.status).toBe(200);
    await expect
      .poll(() => page.locator('.vrow').first().textContent(), { timeout: 8000 })
      .toContain('live arrival');
    expect(await table.getAttribute('data-row-count')).toBe('40');
  });

  it('trace view shows the span tree, messages, documents and details, with keyboard navigation', async () => {
    await open('/traces');
    await page.locator('.vrow', { hasText: KNOWN.agentName }).click();
    await poll(() => currentUrl().pathname).toBe(`/traces/${KNOWN.agentTraceId}`);
    const items = page.getByRole('treeitem');
    await poll(() => items.count()).toBe(5);
    const names = await items.locator('.label').allTextContents();
    expect(names).toEqual([
      KNOWN.agentName,
      'retrieve order-policies',
      'chat gpt-4o-mini',
      `execute_tool ${KNOWN.toolName}`,
      'chat gpt-4o-mini',
    ]);
    // Kind badges sit beside the names: whole (not clipped) and never over them.
    const overlaps = await items.evaluateAll((rows) =>
      rows.flatMap((row) => {
        const badge = row.querySelector('.kind')!;
        const name = row.querySelector('.label')!;
        const isClipped = badge.scrollWidth > badge.clientWidth;
        const isOver = badge.getBoundingClientRect().right > name.getBoundingClientRect().left;
        return isClipped || isOver ? [name.textContent] : [];
      }),
    );
    expect(overlaps).toEqual([]);
    expect(await items.evaluateAll((els) => els.map((e) => e.getAttribute('aria-level')))).toEqual([
      '1',
      '2',
      '2',
      '2',
      '2',
    ]);

    // The trace opens on its own input and output: the first model call's question and the
    // last one's answer, each naming the span it came from; no span is selected yet.
    const overview = page.getByRole('complementary', { name: 'Trace detail' });
    await poll(() => overview.getByRole('region', { name: 'Trace input' }).textContent()).toContain(
      KNOWN.userQuestion,
    );
    expect(await overview.getByRole('region', { name: 'Trace output' }).textContent()).toContain('8812');
    expect(await page.locator('[role="treeitem"][aria-selected="true"]').count()).toBe(0);
    expect(await overview.textContent()).not.toContain('recorded no input or output');

    // j selects the root, j × 4 more the last model call; its messages render as chat.
    for (let i = 0; i < 5; i++) await page.keyboard.press('j');
    await poll(() => currentUrl().searchParams.get('span')).toBe(hexId('agent-llm2', 8));
    const detail = page.getByRole('complementary', { name: 'Span detail' });
    await poll(() => detail.locator('.msg').count()).toBe(5);
    expect(await detail.locator('.msg-role').allTextContents()).toEqual([
      'system',
      'user',
      'assistant',
      'tool',
      'assistant',
    ]);
    const text = await detail.textContent();
    expect(text).toContain(KNOWN.systemPrompt);
    expect(text).toContain(KNOWN.userQuestion);
    expect(text).toContain('lookup_order');
    expect(await detail.locator('.msg-assistant strong').last().textContent()).toBe('8812');
    await shot('trace');

    // k × 3 goes up to the retriever: its documents with scores.
    for (let i = 0; i < 3; i++) await page.keyboard.press('k');
    await poll(() => currentUrl().searchParams.get('span')).toBe(hexId('agent-retriever', 8));
    await poll(() => detail.textContent()).toContain(KNOWN.documentContent);
    expect(await detail.textContent()).toContain('0.910');

    // Left on a child goes to the parent; left again collapses; right expands.
    await page.keyboard.press('ArrowLeft');
    await poll(() => currentUrl().searchParams.get('span')).toBe(hexId('agent-root', 8));
    await page.keyboard.press('ArrowLeft');
    await poll(() => items.count()).toBe(1);
    await page.keyboard.press('ArrowRight');
    await poll(() => items.count()).toBe(5);

    // The details tab of the first model call, kept across a reload.
    await page.keyboard.press('j');
    await page.keyboard.press('j');
    await detail.getByRole('tab', { name: 'Details' }).click();
    await poll(() => currentUrl().searchParams.get('tab')).toBe('details');
    await page.reload();
    await poll(() => page.getByRole('tab', { name: 'Details' }).getAttribute('aria-selected')).toBe('true');
    const details = await page.getByRole('complementary', { name: 'Span detail' }).textContent();
    expect(details).toContain('Time to first token');
    expect(details).toContain('240 ms');
    expect(details).toContain('tool_calls');
    // The exact cost, not `<$0.0001`: the figure shown is the stored one.
    const stored = await argus.get<{ spans: { spanId: string; costUsd: number }[] }>(
      `/api/v1/traces/${KNOWN.agentTraceId}`,
    );
    const cost = stored.spans.find((s) => s.spanId === hexId('agent-llm1', 8))!.costUsd;
    expect(cost).toBeGreaterThan(0);
    const shown = /Cost\$([\d.]+) \(/.exec(details ?? '')?.[1];
    expect(Number(shown)).toBeCloseTo(cost, 12);
    expect(details).not.toContain('<$');
    await page.getByRole('tab', { name: 'Attributes' }).click();
    await poll(() => page.locator('.json').count()).toBeGreaterThan(0);

    // Back returns to the explorer.
    await page.goBack();
    await poll(() => currentUrl().pathname).toBe('/traces');
  });

  it('an error trace shows the error message', async () => {
    await open(`/traces/${KNOWN.errorTraceId}?tab=details`);
    await poll(() => page.getByRole('alert').first().textContent()).toContain(KNOWN.errorMessage);
    await expect(page.locator('.trace-head').textContent()).resolves.toContain('1 error');
  });

  it('renders an HTML-injection prompt as text', async () => {
    await open(`/traces/${KNOWN.xssTraceId}`);
    const detail = page.getByRole('complementary', { name: 'Span detail' });
    await poll(() => detail.textContent()).toContain('<img src=x onerror=alert(1)><script>alert(1)</script>');
    expect(await page.locator('img[src="x"], .detail script, .detail b').count()).toBe(0);
    expect(await page.locator('a[href^="javascript"]').count()).toBe(0);
    expect(await page.locator('script').count()).toBe(1);
    // The answer's markdown goes through marked and DOMPurify: its HTML stays text, its
    // javascript: link keeps only its text.
    const answer = detail.locator('.msg-assistant .md');
    // The parser loads on first use (the text shows as it is meanwhile): wait for its rendering.
    await poll(() => answer.textContent()).toContain('Sure: <b>bold?</b> x');
    expect(await answer.locator('a, b, img, script').count()).toBe(0);
    await open('/traces');
    await poll(() => page.locator('.vrow', { hasText: '<script>alert(1)</script>' }).count()).toBe(1);
    await page.waitForTimeout(200);
    expect(problems.filter((p) => p.startsWith('dialog'))).toEqual([]);
  });

  it('sessions list and a session as its conversation', async () => {
    await open('/sessions');
    const row = page.locator('table[aria-label="Sessions"] tr', { hasText: KNOWN.sessionWithTurns });
    await row.waitFor();
    await shot('sessions');
    await row.click();
    await poll(() => currentUrl().pathname).toBe(`/sessions/${KNOWN.sessionWithTurns}`);
    const session = await argus.get<{ traces: unknown[] }>(
      `/api/v1/sessions/${KNOWN.sessionWithTurns}?limit=100`,
    );
    await poll(() => page.getByTestId('turn').count()).toBe(session.traces.length);
    await expect(page.getByTestId('turn').first().textContent()).resolves.toContain('Question 1:');
    await shot('session');
    await page.getByTestId('turn').first().getByRole('link').click();
    await poll(() => currentUrl().pathname).toMatch(/^\/traces\/[0-9a-f]{32}$/);
    await poll(() => page.getByRole('treeitem').count()).toBe(1);
  });

  it('users page lists usage per user and drills into their traces', async () => {
    await open('/users');
    const table = page.locator('table[aria-label="Users"]');
    await poll(() => table.locator('tbody tr').count()).toBe(4);
    const text = await table.textContent();
    for (const user of [...KNOWN.users, 'user-mallory']) expect(text).toContain(user);
    await shot('users');
    await table.locator('tr', { hasText: 'user-bob' }).click();
    await poll(() => currentUrl().searchParams.get('userId')).toBe('user-bob');
    await poll(() => page.locator('table[aria-label="Results"]').getAttribute('data-row-count')).toBe('12');
  });

  it('models page compares versions before and after a new one appeared', async () => {
    await open('/models?range=1h');
    const table = page.locator('table[aria-label="Models"]');
    await poll(() => table.textContent()).toContain('gpt-4o-2024-11-20');
    expect(await table.textContent()).toContain('gpt-4o-2024-08-06');
    await page.getByLabel('Compare versions of').selectOption('gpt-4o');
    await poll(() => currentUrl().searchParams.get('compare')).toBe('gpt-4o');
    const compare = page.locator('section[aria-label="Version comparison"]');
    await poll(() => compare.locator('tbody tr').count()).toBe(10);
    expect(await compare.textContent()).toMatch(/Before \(.+\).*After \(.+\)/);
    await poll(() => page.locator('.time-chart canvas').count()).toBe(6);
    await shot('models');
  });

  it('costs page shows spend, the pricing catalog, and validates and saves overrides', async () => {
    await open('/costs');
    await poll(() => page.locator('[data-stat="Spend"] .stat-value').textContent()).toMatch(/^\$0\.\d+/);
    await poll(() => page.locator('table[aria-label="Pricing catalog"] tbody tr').count()).toBeGreaterThan(
      10,
    );
    expect(await page.locator('table[aria-label="Pricing catalog"]').textContent()).toMatch(
      /\d{4}-\d{2}-\d{2}/,
    );
    const editor = page.locator('section[aria-label="Price overrides"]');
    await editor.getByRole('button', { name: 'Add override' }).click();
    await editor.getByLabel('Model (exact id or prefix*), row 1').fill('my-finetune');
    await editor.getByLabel('Input $/MTok, row 1').fill('abc');
    await editor.getByLabel('Output $/MTok, row 1').fill('4');
    await editor.getByRole('button', { name: 'Save overrides' }).click();
    await poll(() => editor.getByRole('alert').textContent()).toContain("'abc' is not a price ≥ 0");
    // A mistake only the server catches comes back with its message.
    await editor.getByLabel('Input $/MTok, row 1').fill('1.5');
    await editor.getByLabel('Provider (optional), row 1').fill('p'.repeat(101));
    await editor.getByRole('button', { name: 'Save overrides' }).click();
    await poll(() => editor.getByRole('alert').textContent()).toContain(
      "Invalid price override at '0.provider'",
    );
    problems = problems.filter((p) => !p.includes('400 (Bad Request)'));
    await editor.getByLabel('Provider (optional), row 1').fill('');
    await editor.getByRole('button', { name: 'Save overrides' }).click();
    await poll(() => editor.textContent()).toContain('Saved');
    const saved = await argus.get<{ data: unknown[] }>('/api/v1/pricing/overrides');
    expect(saved.data).toEqual([{ model: 'my-finetune', inputPerMTok: 1.5, outputPerMTok: 4 }]);
    await page.setViewportSize({ width: 1280, height: 1600 });
    await shot('costs');
  });

  it('shows how to send data when the window is empty, and follows the theme toggle', async () => {
    await open('/traces?from=2020-01-01T00:00:00Z&to=2020-01-02T00:00:00Z');
    const onboarding = page.getByTestId('onboarding');
    await poll(() => onboarding.textContent()).toContain(`${argus.url}/v1/traces`);
    expect(await onboarding.textContent()).toContain(`OTEL_EXPORTER_OTLP_ENDPOINT=${argus.url}`);
    expect(await onboarding.textContent()).toContain(`npx argus demo --url ${argus.url}`);
    await shot('empty');
    expect(await page.evaluate<string>('document.documentElement.dataset.theme')).toBe('dark');
    await page.getByRole('button', { name: 'Toggle theme' }).click();
    expect(await page.evaluate<string>('document.documentElement.dataset.theme')).toBe('light');
    await page.reload();
    await poll(() => page.evaluate<string>('document.documentElement.dataset.theme')).toBe('light');
    await open('/');
    await page.locator('[data-stat="LLM calls"]').waitFor();
    await shot('overview-light');
  });

  it('warns that authentication is off until dismissed for the browser session', async () => {
    await open('/');
    const banner = page.getByRole('region', { name: 'Authentication is off' });
    await poll(() => banner.textContent()).toContain(
      'Authentication is off — anyone who can reach this address can read and change everything. Start Argus with --auth on to require sign-in.',
    );
    await banner.getByRole('link', { name: 'Security settings' }).click();
    await poll(() => currentUrl().pathname).toBe('/settings/security');
    await poll(() => page.getByTestId('auth-mode').textContent()).toContain('off: no sign-in');
    await shot('settings-security-open');
    await banner.getByRole('button', { name: 'Dismiss warning' }).click();
    expect(await banner.count()).toBe(0);
    await page.reload();
    await page.locator('.topbar h1').waitFor();
    expect(await banner.count()).toBe(0);
    // Open mode acts as an instance administrator: every section is usable, none locked.
    await open('/settings/keys');
    await poll(() => page.locator('section[aria-label="API keys"]').textContent()).toContain(
      'No API keys yet',
    );
    expect(await page.locator('.settings-nav .is-locked').count()).toBe(0);
    const other = await context.browser()!.newContext();
    const fresh = await other.newPage();
    await fresh.goto(`${argus.url}/`);
    await poll(() => fresh.getByRole('region', { name: 'Authentication is off' }).count()).toBe(1);
    await other.close();
  });

  it('fits laptop widths without horizontal page scrolling', async () => {
    for (const width of [1280, 1100]) {
      await page.setViewportSize({ width, height: 800 });
      for (const pathname of [
        '/',
        '/traces',
        `/traces/${KNOWN.agentTraceId}`,
        '/models',
        '/costs',
        '/users',
        '/sessions',
        '/settings/keys',
        '/settings/redaction',
        '/settings/audit',
      ]) {
        await open(pathname);
        await page.locator('.topbar h1').waitFor();
        await page.waitForTimeout(250);
        const overflow = await page.evaluate<number>(
          'document.documentElement.scrollWidth - document.documentElement.clientWidth',
        );
        expect(overflow, `${pathname} at ${width}px`).toBeLessThanOrEqual(0);
      }
    }
  });
});
