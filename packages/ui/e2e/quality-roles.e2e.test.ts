/**
 * The offline-evaluation pages with authentication on, for each role the server knows: a viewer
 * sees datasets, experiments, connections and evaluators but no control that changes them (the
 * read-only note says which role can); a member creates datasets, experiments and evaluators but
 * only lists LLM connections (project admins add, test and delete them, as the server enforces).
 * Users and memberships are made through the API; each user signs in through the form.
 */
import { existsSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn } from '../../server/test/support/auth.ts';
import type { TestServer } from '../../server/test/support/server.ts';
import { CHROMIUM } from './build-console.ts';
import { poll, shot, signInWithForm, startConsole, watchProblems } from './console-support.ts';

const ADMIN_PASSWORD = 'quality-roles-admin-pass';
const PASSWORDS = { viewer: 'quality-viewer-pass-01', member: 'quality-member-pass-01' } as const;

let argus: TestServer;
let browser: Browser;
const problems: string[] = [];

/** A page signed in as `role`'s user. */
async function pageAs(role: keyof typeof PASSWORDS): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, colorScheme: 'light' });
  const page = await context.newPage();
  watchProblems(page, problems, role);
  await page.goto(`${argus.url}/datasets`);
  await page.locator('form[aria-label="Sign in"]').waitFor();
  await signInWithForm(page, `quality-${role}`, PASSWORDS[role]);
  await poll(() => page.locator('.topbar h1').first().textContent()).toBe('Datasets');
  return page;
}

describe.skipIf(!existsSync(CHROMIUM) && !process.env.CI)('offline evaluation by role (Chromium)', () => {
  beforeAll(async () => {
    [argus, browser] = await startConsole({ auth: 'on', adminPassword: ADMIN_PASSWORD });
    const admin = await signIn(argus.url, 'admin', ADMIN_PASSWORD);
    for (const role of ['viewer', 'member'] as const)
      await admin.json('POST', '/api/v1/admin/users', {
        username: `quality-${role}`,
        password: PASSWORDS[role],
        projects: [{ id: 'default', role }],
      });
    await admin.json('POST', '/api/v1/datasets', { name: 'golden', description: 'made by the admin' });
    await admin.json('POST', '/api/v1/llm-connections', {
      name: 'openai-prod',
      provider: 'openai',
      apiKey: 'sk-roles-test-never-shown',
    });
    await admin.json('POST', '/api/v1/evaluators', { name: 'exact', type: 'exact_match', config: {} });
  });

  afterAll(async () => {
    await browser?.close();
    await argus?.stop();
    expect(problems).toEqual([]);
  });

  it('shows a viewer everything and no control that changes it', async () => {
    const page = await pageAs('viewer');
    await poll(() => page.locator('tr[data-dataset="golden"]').count()).toBe(1);
    expect(await page.getByRole('button', { name: 'New dataset' }).isDisabled()).toBe(true);
    expect(await page.locator('[data-testid="read-only"]').textContent()).toContain(
      'the member or admin role',
    );
    expect(
      await page.locator('tr[data-dataset="golden"]').getByRole('button', { name: 'Delete' }).count(),
    ).toBe(0);
    await page.locator('tr[data-dataset="golden"] a').click();
    await poll(() => page.locator('.state strong').first().textContent()).toBe('No items yet');
    expect(await page.getByRole('button', { name: 'Import' }).isDisabled()).toBe(true);

    await page.goto(`${argus.url}/experiments`);
    await poll(() => page.locator('.state strong').first().textContent()).toBe('No experiments yet');
    expect(await page.getByRole('button', { name: 'New experiment' }).isDisabled()).toBe(true);

    await page.goto(`${argus.url}/settings/connections`);
    const row = page.locator('tr[data-connection="openai-prod"]');
    await poll(() => row.textContent()).toContain('stored');
    expect(await page.content()).not.toContain('sk-roles-test-never-shown');
    expect(await page.locator('form[aria-label="New LLM connection"]').count()).toBe(0);
    expect(await row.getByRole('button', { name: 'Test' }).count()).toBe(0);
    expect(await page.locator('[data-testid="read-only"]').textContent()).toContain('the admin role');
    await shot(page, 'quality-roles-viewer-connections');

    await page.goto(`${argus.url}/settings/evaluators`);
    await poll(() => page.locator('tr[data-evaluator="exact"]').count()).toBe(1);
    expect(await page.locator('form[aria-label="New evaluator"]').count()).toBe(0);
    // Reading a judge's agreement with people is for everyone; testing and deleting are not.
    const evaluatorButtons = page.locator('tr[data-evaluator="exact"]').getByRole('button');
    expect(await evaluatorButtons.allTextContents()).toEqual(['Agreement']);
  });

  it('lets a member build datasets and evaluators but only list connections', async () => {
    const page = await pageAs('member');
    expect(await page.getByRole('button', { name: 'New dataset' }).isDisabled()).toBe(false);
    await page.getByRole('button', { name: 'New dataset' }).click();
    await page.locator('input[name="datasetName"]').fill('member-made');
    await page.getByRole('button', { name: 'Create dataset' }).click();
    await poll(() => page.locator('.topbar h1').first().textContent()).toContain('member-made');

    await page.goto(`${argus.url}/settings/evaluators`);
    const form = page.locator('form[aria-label="New evaluator"]');
    await form.locator('input[name="evaluatorName"]').fill('contains');
    await form.locator('select[name="evaluatorType"]').selectOption('contains');
    await form.getByRole('button', { name: 'Add evaluator' }).click();
    await poll(() => page.locator('tr[data-evaluator="contains"]').count()).toBe(1);

    await page.goto(`${argus.url}/settings/connections`);
    await poll(() => page.locator('tr[data-connection="openai-prod"]').count()).toBe(1);
    expect(await page.locator('form[aria-label="New LLM connection"]').count()).toBe(0);
    expect(await page.locator('[data-testid="read-only"]').textContent()).toContain('the admin role');

    await page.goto(`${argus.url}/experiments`);
    expect(await page.getByRole('button', { name: 'New experiment' }).isDisabled()).toBe(false);
    await shot(page, 'quality-roles-member-experiments');
  });
});
