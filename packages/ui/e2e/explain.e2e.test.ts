/**
 * End-to-end test of explainability in the trace view (issue 18): an app's LLM call whose prompt
 * ends with "Answer in French." was answered in French by the mock LLM. Through the console
 * alone: open the call, plan an attribution (calls shown before running), run it, and find the
 * prompt tinted by importance with that sentence darkest and the variants listed; then swap
 * "French" for "English" and read the two answers side by side with the diff. Real server, the
 * mock over an OpenAI-compatible connection, Debian's Chromium. Screenshots go to
 * test-results/screenshots/explain-*.png.
 */
import { existsSync } from 'node:fs';
import { type MockLlm, startMockLlm } from '@argus/mock-llm';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api } from '../../server/test/support/alert-traffic.ts';
import { driftSpan, postDriftSpans } from '../../server/test/support/drift-traffic.ts';
import { plantedSpan } from '../../server/test/support/explain-traffic.ts';
import type { TestServer } from '../../server/test/support/server.ts';
import { CHROMIUM } from './build-console.ts';
import { poll, shot, startConsole, watchProblems } from './console-support.ts';

const PROMPT =
  'I am planning a week-long trip to Lyon in the spring. What should I pack for the weather there? Answer in French.';

let argus: TestServer;
let browser: Browser;
let mock: MockLlm;
let page: Page;
let span: { traceId: string; spanId: string };
const problems: string[] = [];

describe.skipIf(!existsSync(CHROMIUM) && !process.env.CI)(
  'explainability in the trace view (Chromium)',
  () => {
    beforeAll(async () => {
      [[argus, browser], mock] = await Promise.all([startConsole(), startMockLlm()]);
      const response = await fetch(`${mock.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: PROMPT }] }),
      });
      const answer = ((await response.json()) as { choices: { message: { content: string } }[] }).choices[0]!
        .message.content;
      const recorded = driftSpan({ atMs: Date.now() - 60_000, question: PROMPT, answer });
      span = { traceId: recorded.traceId, spanId: recorded.spanId };
      await postDriftSpans(argus.url, 'travel-app', [recorded]);
      await api(argus.url, 'POST', '/api/v1/llm-connections', {
        name: 'mock',
        provider: 'openai-compatible',
        baseUrl: `${mock.url}/v1`,
        models: ['gpt-4o-mini'],
        embeddingModel: 'text-embedding-mock-semantic',
      });
      const context = await browser.newContext({
        viewport: { width: 1400, height: 1000 },
        colorScheme: 'dark',
      });
      page = await context.newPage();
      watchProblems(page, problems);
    }, 120_000);

    afterAll(async () => {
      await browser?.close();
      await mock?.close();
      await argus?.stop();
      expect(problems).toEqual([]);
    });

    it('highlights the prompt by importance, "Answer in French." darkest, and lists the variants', async () => {
      await page.goto(`${argus.url}/traces/${span.traceId}?span=${span.spanId}&tab=explain`);
      const form = page.locator('form[aria-label="Explain this call"]');
      await form.waitFor();
      await form.getByRole('button', { name: 'Plan' }).click();
      await poll(() => page.getByTestId('explain-plan').textContent()).toContain('4 calls to gpt-4o-mini');
      await form.getByRole('button', { name: 'Run' }).click();
      const marks = page.locator('section[aria-label="Prompt by importance"] mark.seg');
      await poll(() => marks.count()).toBe(3);
      const shown = await marks.evaluateAll((nodes) =>
        nodes.map((n) => ({ text: n.textContent, importance: Number(n.getAttribute('data-importance')) })),
      );
      const ranked = [...shown].sort((a, b) => b.importance - a.importance);
      expect(ranked[0]!.text).toBe('Answer in French.');
      expect(ranked[0]!.importance).toBeGreaterThan(2 * ranked[1]!.importance);
      await expect(page.locator('mark.seg-top').textContent()).resolves.toBe('Answer in French.');
      const rows = page.locator('table[aria-label="Attribution variants"] tbody tr');
      await poll(() => rows.count()).toBe(3);
      await expect(rows.first().locator('td').first().textContent()).resolves.toBe('Answer in French.');
      await shot(page, 'explain-attribution');
    });

    it('shows a counterfactual side by side with the diff', async () => {
      const form = page.locator('form[aria-label="Explain this call"]');
      await form.getByLabel('Explain').selectOption('counterfactuals');
      await form.getByLabel('Replace').fill('French');
      await form.getByLabel('with').fill('English');
      await form.getByRole('button', { name: 'Run' }).click();
      const variant = page.locator('section[aria-label="Counterfactuals"] .cf-variant');
      await variant.first().waitFor();
      await expect(variant.first().getAttribute('data-changed')).resolves.toBe('true');
      await poll(() => variant.first().locator('mark.diff-added').count()).toBeGreaterThan(0);
      await shot(page, 'explain-counterfactual');
    });

    it('ranks max tokens first on the Explain page for planted latency traffic', async () => {
      const start = Date.now() - 20 * 60_000;
      await postDriftSpans(
        argus.url,
        'planted',
        Array.from({ length: 200 }, (_, i) => plantedSpan(i, start + i * 1000)),
      );
      await page.goto(`${argus.url}/explain?range=1h&service=planted`);
      const rows = page.locator('table[aria-label="Ranked features"] tbody tr');
      await poll(() => rows.count()).toBeGreaterThan(3);
      await expect(rows.first().getAttribute('data-feature')).resolves.toBe('maxTokens');
      await expect(rows.first().locator('td').nth(3).textContent()).resolves.toContain('raises');
      await expect(page.locator('section[aria-label="Concepts"]').textContent()).resolves.toContain(
        'No concepts yet',
      );
      await shot(page, 'explain-importance');
    });

    it("draws a local model's attention heatmap (layer and head select), token attributions and layer profile", async () => {
      const tokens = ['The', 'cat', 'sat', 'down'];
      const n = tokens.length;
      const strs = (xs: string[]) => ({ arrayValue: { values: xs.map((x) => ({ stringValue: x })) } });
      const dbls = (xs: number[]) => ({ arrayValue: { values: xs.map((x) => ({ doubleValue: x })) } });
      const int = (x: number) => ({ intValue: String(x) });
      const nowNs = BigInt(Date.now()) * 1_000_000n;
      // Layer 0 attends to itself (identity), layer 1 to the first token.
      const weights = (layer: number) =>
        Array.from({ length: n * n }, (_, k) =>
          layer === 0 ? (Math.floor(k / n) === k % n ? 1 : 0) : k % n === 0 ? 1 : 0,
        );
      const event = (name: string, attributes: Record<string, unknown>) => ({
        name,
        timeUnixNano: String(nowNs),
        attributes: Object.entries(attributes).map(([key, value]) => ({ key, value })),
      });
      const events = [
        ...[0, 1].map((layer) =>
          event('argus.explain.attention', {
            'argus.explain.tokens': strs(tokens),
            'argus.explain.layer': int(layer),
            'argus.explain.head': int(0),
            'argus.explain.weights': dbls(weights(layer)),
          }),
        ),
        event('argus.explain.attribution', {
          'argus.explain.tokens': strs(tokens),
          'argus.explain.scores': dbls([0.1, 0.7, -0.2, 0.05]),
          'argus.explain.method': { stringValue: 'integrated-gradients' },
        }),
        ...[1, 1.1, 0.9, 8, 1].map((time, layer) =>
          event('argus.explain.layer_stats', {
            'argus.explain.layer': int(layer),
            'argus.explain.time_ms': { doubleValue: time },
            'argus.explain.activation_norm': { doubleValue: 10 },
            'argus.explain.saturation': { doubleValue: 0.01 },
          }),
        ),
      ];
      const local = driftSpan({
        atMs: Date.now() - 30_000,
        question: 'Where did the cat sit?',
        answer: 'The cat sat down.',
      });
      await postDriftSpans(argus.url, 'local-model', [{ ...local, events }]);
      await page.goto(`${argus.url}/traces/${local.traceId}?span=${local.spanId}&tab=explain`);
      const cells = page.locator('section[aria-label="Attention"] .attention-cell');
      await poll(() => cells.count()).toBe(n * n);
      const diagonal = async () =>
        cells.evaluateAll(
          (nodes, size) =>
            nodes
              .map((c, k) => (Math.floor(k / size) === k % size ? Number(c.getAttribute('data-weight')) : 0))
              .reduce((a, b) => a + b, 0),
          n,
        );
      expect(await diagonal()).toBe(n);
      await page
        .locator('section[aria-label="Attention"]')
        .getByLabel('Layer', { exact: true })
        .selectOption('layer 1');
      await poll(diagonal).toBe(1);
      const bars = page.locator('section[aria-label="Token attribution"] .token-bar');
      await poll(() => bars.count()).toBe(n);
      await expect(bars.nth(1).getAttribute('data-score')).resolves.toBe('0.7');
      const slow = page.locator('section[aria-label="Layer profile"] tr[data-outlier="true"]');
      await poll(() => slow.count()).toBe(1);
      await expect(slow.getAttribute('data-layer')).resolves.toBe('3');
      await shot(page, 'explain-white-box');
    });
  },
);
