/**
 * Support of the console's governance e2e tests: console-problem tracking (with the HTTP
 * errors a test provokes on purpose taken out one by one), screenshots, sign-in through the
 * form, one OTLP/JSON trace sent with an API key, and the start of a server and Chromium.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { startTestServer, type TestServer } from '../../server/test/support/server.ts';
import { CHROMIUM, CHROMIUM_ARGS, ensureConsoleBuilt, UI_DIR } from './build-console.ts';

/** Where screenshots go. */
export const SHOTS = path.resolve(UI_DIR, '../../test-results/screenshots');

/**
 * Builds the console when it is stale, makes the screenshot folder, then starts an Argus server
 * (with `options`) and Chromium side by side.
 */
export async function startConsole(
  options?: Parameters<typeof startTestServer>[0],
): Promise<[TestServer, Browser]> {
  ensureConsoleBuilt();
  mkdirSync(SHOTS, { recursive: true });
  return Promise.all([
    startTestServer(options),
    chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS }),
  ]);
}

/** Polls until the assertion holds, for up to 20 s. */
export const poll = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 20_000, interval: 50 });

/** Records console errors, page errors and dialogs of a page into `problems`. */
export function watchProblems(page: Page, problems: string[], who = ''): void {
  const tag = who ? `${who} ` : '';
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`${tag}console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`${tag}pageerror: ${e.message}`));
  page.on('dialog', (d) => {
    problems.push(`${tag}dialog: ${d.message()}`);
    void d.dismiss();
  });
}

/**
 * Takes out the console errors Chromium logs for HTTP answers a test provoked on purpose
 * (a 401 before sign-in, a viewer's 403), exactly `count` of them, waiting for them to arrive.
 */
export async function takeHttpErrors(problems: string[], status: number, count = 1): Promise<void> {
  const isIt = (p: string) => p.includes(`status of ${status}`);
  await poll(() => problems.filter(isIt).length).toBeGreaterThanOrEqual(count);
  for (let n = 0; n < count; n++) problems.splice(problems.findIndex(isIt), 1);
}

/**
 * Takes out every console error of HTTP answers with `status`, once at least one arrived (for
 * a burst of parallel requests that all fail the same way, like an expired session's).
 */
export async function takeAllHttpErrors(problems: string[], status: number): Promise<number> {
  const isIt = (p: string) => p.includes(`status of ${status}`);
  await poll(() => problems.filter(isIt).length).toBeGreaterThan(0);
  await new Promise((resolve) => setTimeout(resolve, 300));
  const before = problems.length;
  const kept = problems.filter((p) => !isIt(p));
  problems.splice(0, problems.length, ...kept);
  return before - kept.length;
}

/** A full-page screenshot. */
export function shot(page: Page, name: string): Promise<Buffer> {
  return page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

/** Signs in through the form of the page shown. */
export async function signInWithForm(page: Page, username: string, password: string): Promise<void> {
  const form = page.locator('form[aria-label="Sign in"]');
  await form.locator('input[name="username"]').fill(username);
  await form.locator('input[name="password"]').fill(password);
  await form.getByRole('button', { name: 'Sign in' }).click();
}

/** One LLM span as OTLP/JSON (a trace of its own). */
export function oneSpanTrace(traceId: string, name: string, service: string): unknown {
  const now = Date.now();
  const ns = (ms: number) => `${BigInt(ms) * 1_000_000n}`;
  return {
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] },
        scopeSpans: [
          {
            spans: [
              {
                traceId,
                spanId: traceId.slice(0, 16),
                name,
                kind: 3,
                startTimeUnixNano: ns(now - 1500),
                endTimeUnixNano: ns(now - 500),
                status: { code: 1 },
                attributes: [
                  { key: 'gen_ai.operation.name', value: { stringValue: 'chat' } },
                  { key: 'gen_ai.request.model', value: { stringValue: 'gpt-4o-mini' } },
                  { key: 'gen_ai.usage.input_tokens', value: { intValue: '12' } },
                  { key: 'gen_ai.usage.output_tokens', value: { intValue: '30' } },
                  { key: 'user.id', value: { stringValue: 'user-erin' } },
                ],
              },
            ],
          },
        ],
      },
    ],
  };
}

/** POSTs OTLP/JSON to /v1/traces with an API key; resolves to the HTTP status. */
export async function sendWithKey(baseUrl: string, secret: string, payload: unknown): Promise<number> {
  const response = await fetch(`${baseUrl}/v1/traces`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}` },
    body: JSON.stringify(payload),
  });
  await response.arrayBuffer();
  return response.status;
}
