/**
 * End-to-end test of the white-box views with a span exactly as the Python package argus-explain
 * sends it (fixtures/argus-explain-span.json, written by
 * packages/python-explain/tests/make_ui_fixture.py from a tiny 4-layer × 2-head GPT-2 whose layer 2
 * was made slow and layer 3 degenerate). Through the console alone: the heatmap opens on the
 * rollout, the layer and head selectors list what the package recorded and switch the cells to that
 * map's weights, the attribution bars show the integrated-gradients scores per prompt token, and
 * the per-layer profile marks layer 2 slow and layer 3 large. Real server, Debian's Chromium.
 * Screenshot: test-results/screenshots/explain-package.png.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postDriftSpans } from '../../server/test/support/drift-traffic.ts';
import { randomHex } from '../../server/test/support/otlp-json.ts';
import type { TestServer } from '../../server/test/support/server.ts';
import { CHROMIUM } from './build-console.ts';
import { poll, shot, startConsole, watchProblems } from './console-support.ts';

interface OtlpValue {
  stringValue?: string;
  intValue?: string;
  doubleValue?: number;
  arrayValue?: { values?: OtlpValue[] };
}
interface OtlpEvent {
  name: string;
  attributes: { key: string; value: OtlpValue }[];
}
interface FixtureSpan {
  name: string;
  events: OtlpEvent[];
  [key: string]: unknown;
}

const fixture = JSON.parse(
  readFileSync(new URL('./fixtures/argus-explain-span.json', import.meta.url), 'utf8'),
) as FixtureSpan;

/** An OTLP/JSON value as a plain one (what the package meant to send). */
function plain(v: OtlpValue): unknown {
  if (v.arrayValue) return (v.arrayValue.values ?? []).map(plain);
  if (v.intValue !== undefined) return Number(v.intValue);
  return v.doubleValue ?? v.stringValue;
}
const attrs = (e: OtlpEvent) => Object.fromEntries(e.attributes.map((a) => [a.key, plain(a.value)]));
const eventsNamed = (name: string) =>
  fixture.events.filter((e) => e.name === `argus.explain.${name}`).map(attrs);
const attention = eventsNamed('attention');
const mapOf = (layer: number, head: number) =>
  attention.find((a) => a['argus.explain.layer'] === layer && a['argus.explain.head'] === head)!;
const [attribution] = eventsNamed('attribution');

let argus: TestServer;
let browser: Browser;
let page: Page;
const problems: string[] = [];

describe.skipIf(!existsSync(CHROMIUM) && !process.env.CI)(
  "argus-explain's span in the console (Chromium)",
  () => {
    beforeAll(async () => {
      [argus, browser] = await startConsole();
      page = await (await browser.newContext({ viewport: { width: 1400, height: 1100 } })).newPage();
      watchProblems(page, problems);
    }, 120_000);

    afterAll(async () => {
      await browser?.close();
      await argus?.stop();
      expect(problems).toEqual([]);
    });

    it('draws the heatmap, selectors, attribution bars and per-layer profile of the package', async () => {
      const start = BigInt(Date.now() - 30_000) * 1_000_000n;
      const span = {
        ...fixture,
        traceId: randomHex(16),
        spanId: randomHex(8),
        startTimeUnixNano: String(start),
        endTimeUnixNano: String(start + 120_000_000n),
        events: fixture.events.map((e) => ({ ...e, timeUnixNano: String(start + 120_000_000n) })),
      };
      await postDriftSpans(argus.url, 'local-model', [span]);
      await page.goto(`${argus.url}/traces/${span.traceId}?span=${span.spanId}&tab=explain`);

      const heatmap = page.locator('section[aria-label="Attention"]');
      const cells = heatmap.locator('.attention-cell');
      const weightsShown = () =>
        cells.evaluateAll((nodes) => nodes.map((c) => Number(c.getAttribute('data-weight'))));
      const rollout = mapOf(-1, -1);
      expect(rollout['argus.explain.aggregation']).toBe('rollout');
      const n = (rollout['argus.explain.tokens'] as string[]).length;
      await poll(() => cells.count()).toBe(n * n);
      expect(await weightsShown()).toEqual(rollout['argus.explain.weights']);

      const layer = heatmap.getByLabel('Layer', { exact: true });
      const head = heatmap.getByLabel('Head', { exact: true });
      const options = (select: typeof layer) =>
        select.locator('option').evaluateAll((nodes) => nodes.map((o) => o.textContent));
      expect(await options(layer)).toEqual(['rollout', 'layer 0', 'layer 1', 'layer 2', 'layer 3']);
      await layer.selectOption('layer 1');
      expect(await options(head)).toEqual(['mean', 'head 0', 'head 1']);
      await poll(weightsShown).toEqual(mapOf(1, -1)['argus.explain.weights']);
      await head.selectOption('head 1');
      await poll(weightsShown).toEqual(mapOf(1, 1)['argus.explain.weights']);
      // Causal attention: no token attends to a later one.
      const shown = await weightsShown();
      expect(shown.filter((w, k) => k % n > Math.floor(k / n) && w !== 0)).toEqual([]);

      const bars = page.locator('section[aria-label="Token attribution"] .token-bar');
      const tokens = attribution!['argus.explain.tokens'] as string[];
      await poll(() => bars.count()).toBe(tokens.length);
      expect(await bars.locator('.token-bar-label').allTextContents()).toEqual(tokens);
      expect(
        await bars.evaluateAll((nodes) => nodes.map((b) => Number(b.getAttribute('data-score')))),
      ).toEqual(attribution!['argus.explain.scores']);
      await expect(
        page.locator('section[aria-label="Token attribution"] .panel-head').textContent(),
      ).resolves.toContain('integrated-gradients');

      const rows = page.locator('section[aria-label="Layer profile"] tbody tr');
      await poll(() => rows.count()).toBe(4);
      const outliers = page.locator('section[aria-label="Layer profile"] tr[data-outlier="true"]');
      expect(await outliers.evaluateAll((nodes) => nodes.map((r) => r.getAttribute('data-layer')))).toEqual([
        '2',
        '3',
      ]);
      await expect(rows.nth(2).textContent()).resolves.toContain('slow');
      await expect(rows.nth(3).textContent()).resolves.toContain('large');
      await shot(page, 'explain-package');
    });
  },
);
