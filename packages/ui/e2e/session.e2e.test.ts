/**
 * End-to-end test of console sessions with authentication on: signing in returns to the page
 * asked for, an idle session (the server runs with `--session-idle-seconds 2`) sends the next
 * navigation to the sign-in page with "Your session has expired" and signing in again returns
 * there, and too many sign-in attempts show the wait. Its own file: the idle limit is a server
 * option, and chDB allows one server per process. Screenshots go to test-results/screenshots/.
 */
import { existsSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../../server/test/support/server.ts';
import { CHROMIUM } from './build-console.ts';
import {
  poll,
  shot,
  signInWithForm,
  startConsole,
  takeAllHttpErrors,
  takeHttpErrors,
  watchProblems,
} from './console-support.ts';

const ADMIN_PASSWORD = 'a-long-admin-password';

let argus: TestServer;
let browser: Browser;
let page: Page;
const problems: string[] = [];

describe.skipIf(!existsSync(CHROMIUM) && !process.env.CI)('console sessions (Chromium)', () => {
  beforeAll(async () => {
    [argus, browser] = await startConsole({
      auth: 'on',
      adminPassword: ADMIN_PASSWORD,
      sessionIdleSeconds: '2',
    });
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, colorScheme: 'dark' });
    page = await context.newPage();
    watchProblems(page, problems);
  });

  afterAll(async () => {
    await browser?.close();
    await argus?.stop();
    expect(problems).toEqual([]);
  });

  const signInForm = () => page.locator('form[aria-label="Sign in"]');
  const currentUrl = () => new URL(page.url());

  it('signs in on a deep link and stays on that page', async () => {
    await page.goto(`${argus.url}/traces?range=1h`);
    await signInForm().waitFor();
    await signInWithForm(page, 'admin', ADMIN_PASSWORD);
    await poll(() => page.locator('.topbar h1').first().textContent()).toBe('Traces');
    expect(currentUrl().pathname + currentUrl().search).toBe('/traces?range=1h');
  });

  it('sends an idle session to the sign-in page, then back where the user was', async () => {
    await new Promise((resolve) => setTimeout(resolve, 3000));
    await page.getByRole('link', { name: 'Sessions' }).click();
    await poll(() => signInForm().textContent()).toContain('Your session has expired');
    expect(currentUrl().pathname).toBe('/sessions');
    await takeAllHttpErrors(problems, 401);
    await shot(page, 'sign-in-expired');
    await signInWithForm(page, 'admin', ADMIN_PASSWORD);
    await poll(() => page.locator('.topbar h1').first().textContent()).toBe('Sessions');
    expect(currentUrl().pathname).toBe('/sessions');
  });

  it('shows the wait after too many sign-in attempts', async () => {
    await page.getByRole('button', { name: 'Account menu' }).click();
    await page.getByRole('menuitem', { name: 'Sign out' }).click();
    await poll(() => signInForm().textContent()).toContain('You have signed out.');
    for (let attempt = 0; attempt < 5; attempt++) {
      await signInWithForm(page, 'mallory', 'guessing-the-password');
      await poll(() => signInForm().locator('[role="alert"]').textContent()).toContain(
        'Wrong username or password.',
      );
      await takeHttpErrors(problems, 401);
    }
    await signInWithForm(page, 'mallory', 'guessing-the-password');
    await poll(() => signInForm().locator('[role="alert"]').textContent()).toMatch(
      /Too many sign-in attempts\. Try again in \d+ min/,
    );
    await takeHttpErrors(problems, 429);
    expect(await signInForm().getByRole('button', { name: 'Sign in' }).isDisabled()).toBe(true);
    await shot(page, 'sign-in-rate-limited');
  });
});
