/**
 * End-to-end test of the token heatmap: an application calls the mock LLM through the SDK's
 * wrapOpenAI with `logprobs: true`; the trace view of that call shows every output token tinted by
 * its probability, the span's confidence figures, and on hover (or keyboard focus) a token's
 * probability and the model's top alternatives, as the mock returned them. Screenshots go to
 * test-results/screenshots/.
 */
import { existsSync } from 'node:fs';
import { type MockLlm, startMockLlm } from '@argus/mock-llm';
import { flush, init, shutdown, wrapOpenAI } from '@argus/sdk';
import type { Span } from '@argus/shared';
import { OpenAI } from 'openai';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../../server/test/support/server.ts';
import { CHROMIUM } from './build-console.ts';
import { poll, shot, startConsole, watchProblems } from './console-support.ts';

type Returned = { token: string; logprob: number; top_logprobs: { token: string; logprob: number }[] }[];

let argus: TestServer;
let browser: Browser;
let mock: MockLlm;
let page: Page;
let span: Span;
let returned: Returned;
const problems: string[] = [];

describe.skipIf(!existsSync(CHROMIUM) && !process.env.CI)('token heatmap (Chromium)', () => {
  beforeAll(async () => {
    [[argus, browser], mock] = await Promise.all([startConsole(), startMockLlm({ latencyMs: 1 })]);
    init({ endpoint: argus.url, serviceName: 'heatmap-e2e', diagnostics: () => {} });
    const openai = wrapOpenAI(new OpenAI({ baseURL: `${mock.url}/v1`, apiKey: 'test-key' }));
    const completion = await openai.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Explain how tides work' }],
      logprobs: true,
      top_logprobs: 3,
    });
    returned = (completion.choices[0]?.logprobs?.content ?? []) as Returned;
    await flush();
    let listed: Span | undefined;
    for (let tries = 0; listed === undefined && tries < 400; tries++) {
      listed = (await argus.get<{ data: Span[] }>('/api/v1/spans?kind=llm')).data[0];
      if (listed === undefined) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    if (listed === undefined) throw new Error('The wrapped call never reached Argus');
    const trace = await argus.get<{ spans: Span[] }>(`/api/v1/traces/${listed.traceId}`);
    span = trace.spans.find((s) => s.spanId === listed.spanId)!;
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: 'dark' });
    page = await context.newPage();
    watchProblems(page, problems);
  }, 120_000);

  afterAll(async () => {
    await shutdown();
    await browser?.close();
    await mock?.close();
    await argus?.stop();
    expect(problems).toEqual([]);
  });

  const heatmap = () => page.locator('section[aria-label="Token confidence"]');

  it('tints every output token by the probability the model gave it', async () => {
    await page.goto(`${argus.url}/traces/${span.traceId}?span=${span.spanId}`);
    await heatmap().waitFor();
    const tokens = heatmap().locator('.tok');
    await poll(() => tokens.count()).toBe(returned.length);
    expect(returned.length).toBeGreaterThan(5);
    const shown = await tokens.evaluateAll((nodes) =>
      nodes.map((n) => ({
        p: Number(n.getAttribute('data-probability')),
        style: n.getAttribute('style') ?? '',
      })),
    );
    for (const [i, t] of returned.entries()) expect(shown[i]?.p).toBeCloseTo(Math.exp(t.logprob), 4);
    // Unlikely tokens are red and strongly tinted; near-certain ones green and faint (the browser
    // keeps the inline colour as rgba).
    const rgba = (style: string) => (style.match(/rgba?\(([^)]*)\)/)?.[1] ?? '').split(',').map(Number);
    const least = shown.reduce((a, b) => (b.p < a.p ? b : a));
    const most = shown.reduce((a, b) => (b.p > a.p ? b : a));
    const [lr, lg, , la] = rgba(least.style);
    const [mr, mg, , ma] = rgba(most.style);
    expect(lr!).toBeGreaterThan(lg!);
    expect(mg!).toBeGreaterThan(mr!);
    expect(la!).toBeGreaterThan(ma!);
    await expect
      .poll(() => heatmap().locator('.tok-figures').textContent())
      .toContain(span.perplexity?.toFixed(3));
    await shot(page, 'token-heatmap');
  });

  it('lists the perplexity in the explorer’s span view (a column to sort on)', async () => {
    await page.goto(`${argus.url}/traces?view=spans&cols=name,perplexity`);
    await page.getByRole('button', { name: /Perplexity/ }).waitFor();
    await poll(() => page.getByText(span.perplexity!.toFixed(2), { exact: true }).count()).toBe(1);
  });

  it('shows the top alternatives of a token on hover and on keyboard focus', async () => {
    await page.goto(`${argus.url}/traces/${span.traceId}?span=${span.spanId}`);
    await heatmap().waitFor();
    const lowest = returned.reduce(
      (best, t, i) => (t.logprob < (returned[best]?.logprob ?? 0) ? i : best),
      0,
    );
    const token = heatmap().locator('.tok').nth(lowest);
    const tip = token.locator('[role="tooltip"]');
    expect(await tip.isVisible()).toBe(false);
    await token.hover();
    await poll(() => tip.isVisible()).toBe(true);
    const rows = await tip.locator('tr').allTextContents();
    expect(rows).toHaveLength(3);
    for (const [i, alt] of (returned[lowest]?.top_logprobs ?? []).entries()) {
      expect(rows[i]).toContain(JSON.stringify(alt.token));
    }
    await shot(page, 'token-heatmap-hover');
    await page.mouse.move(0, 0);
    await poll(() => tip.isVisible()).toBe(false);
    await token.focus();
    await poll(() => tip.isVisible()).toBe(true);
  });
});
