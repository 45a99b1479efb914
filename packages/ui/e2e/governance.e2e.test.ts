/**
 * End-to-end test of the console with authentication on: a real Argus server (`--auth on`, a
 * known administrator password), Debian's Chromium driven by playwright-core. The administrator
 * signs in through the form, creates a project and an API key (secret shown once), sends spans
 * with it and finds them in that project only, revokes the key, invites a viewer who accepts in
 * a second browser and meets no write control (a forced write answers 403), changes redaction
 * and retention, erases a trace, and finds all of it in the audit log. The tests run in order
 * and share the server. Every console error fails the run, except the HTTP errors a step
 * provokes on purpose, taken out one by one. Screenshots go to test-results/screenshots/.
 */
import { existsSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../../server/test/support/server.ts';
import { CHROMIUM } from './build-console.ts';
import {
  oneSpanTrace,
  poll,
  sendWithKey,
  shot,
  signInWithForm,
  startConsole,
  takeHttpErrors,
  watchProblems,
} from './console-support.ts';
import { hexId } from './traffic.ts';

const ADMIN_PASSWORD = 'correct-horse-battery-staple';
const VIEWER_PASSWORD = 'viewer-password-0001';
const TRACE_ID = hexId('governance-trace', 16);

let argus: TestServer;
let browser: Browser;
let admin: BrowserContext;
let page: Page;
let viewer: Page | undefined;
const problems: string[] = [];
/** What earlier steps found out, for later ones. */
const found: { secret?: string; acceptUrl?: string } = {};

describe.skipIf(!existsSync(CHROMIUM) && !process.env.CI)(
  'console governance with auth on (Chromium)',
  () => {
    beforeAll(async () => {
      [argus, browser] = await startConsole({ auth: 'on', adminPassword: ADMIN_PASSWORD });
      admin = await browser.newContext({ viewport: { width: 1280, height: 860 }, colorScheme: 'dark' });
      page = await admin.newPage();
      watchProblems(page, problems, 'admin');
    });

    afterAll(async () => {
      await browser?.close();
      await argus?.stop();
      expect(problems).toEqual([]);
    });

    const open = (p: Page, pathAndQuery: string) => p.goto(argus.url + pathAndQuery);
    const currentPath = (p: Page) => new URL(p.url()).pathname;

    it('signs in through the form and lands on the overview', async () => {
      await open(page, '/');
      const form = page.locator('form[aria-label="Sign in"]');
      await form.waitFor();
      await shot(page, 'sign-in');
      await signInWithForm(page, 'admin', 'not-the-password');
      await poll(() => form.locator('[role="alert"]').textContent()).toContain('Wrong username or password.');
      await takeHttpErrors(problems, 401);
      await signInWithForm(page, 'admin', ADMIN_PASSWORD);
      await poll(() => page.locator('.topbar h1').first().textContent()).toBe('Overview');
      expect(currentPath(page)).toBe('/');
      expect(await page.locator('section[aria-label="Authentication is off"]').count()).toBe(0);
      await shot(page, 'overview-signed-in');
    });

    it('creates a project from the shell and opens its API keys', async () => {
      await page.getByRole('button', { name: 'New project' }).click();
      const dialog = page.getByRole('dialog', { name: 'New project' });
      await dialog.locator('input[name="projectName"]').fill('Checkout Bot');
      await expect(dialog.locator('input[name="projectId"]').inputValue()).resolves.toBe('checkout-bot');
      await shot(page, 'new-project');
      await dialog.getByRole('button', { name: 'Create project' }).click();
      await poll(() => currentPath(page)).toBe('/settings/keys');
      await poll(() => page.locator('#project-select').inputValue()).toBe('checkout-bot');
      await poll(() => page.locator('section[aria-label="API keys"]').textContent()).toContain(
        'No API keys yet',
      );
    });

    it('creates an API key and shows its secret once, then only its prefix', async () => {
      const form = page.locator('form[aria-label="New API key"]');
      await form.locator('input[name="keyName"]').fill('checkout-prod');
      await form.locator('select[name="keyRole"]').selectOption('ingest');
      await form.locator('input[name="ingestRate"]').fill('100');
      await form.getByRole('button', { name: 'Create key' }).click();
      const dialog = page.getByRole('dialog', { name: 'API key secret' });
      const secret = (await dialog.locator('[data-testid="secret-key"]').textContent()) ?? '';
      const publicKey = (await dialog.locator('[data-testid="public-key"]').textContent()) ?? '';
      expect(secret.length).toBeGreaterThan(20);
      expect(publicKey).toMatch(/^pk-argus-/);
      const text = (await dialog.textContent()) ?? '';
      expect(text).toContain(`OTEL_EXPORTER_OTLP_HEADERS=Authorization=Bearer%20${secret}`);
      expect(text).toContain(`LANGFUSE_PUBLIC_KEY=${publicKey}`);
      expect(text).toContain(`LANGFUSE_SECRET_KEY=${secret}`);
      expect(text).toContain(`LANGSMITH_API_KEY=${secret}`);
      expect(text).toContain(`LANGSMITH_ENDPOINT=${argus.url}`);
      await shot(page, 'api-key-secret');
      await dialog.getByRole('button', { name: 'I have copied the secret' }).click();
      const row = page.locator('tr[data-key="checkout-prod"]');
      await poll(() => row.textContent()).toContain('ingest 100/s');
      const prefix = (await row.locator('[data-testid="secret-prefix"]').textContent()) ?? '';
      expect(prefix).toMatch(/^sk-argus-[\w-]{4}…$/);
      expect(secret.startsWith(prefix.replace('…', ''))).toBe(true);
      expect(await page.content()).not.toContain(secret);
      await page.reload();
      await poll(() => page.locator('tr[data-key="checkout-prod"]').count()).toBe(1);
      expect(await page.content()).not.toContain(secret);
      await shot(page, 'settings-keys');
      found.secret = secret;
    });

    it('shows spans sent with the key in its project, not in default', async () => {
      const status = await sendWithKey(
        argus.url,
        found.secret!,
        oneSpanTrace(TRACE_ID, 'checkout answer', 'checkout'),
      );
      expect(status).toBe(200);
      await open(page, '/traces?range=1h');
      const table = page.locator('table[aria-label="Results"]');
      await poll(() => table.getAttribute('data-row-count')).toBe('1');
      await expect(page.locator('.vrow').first().textContent()).resolves.toContain('checkout answer');
      await page.locator('#project-select').selectOption('default');
      await poll(() => page.locator('[data-testid="onboarding"]').count()).toBe(1);
      expect(await table.count()).toBe(0);
      await expect(page.locator('[data-testid="onboarding"]').textContent()).resolves.toContain(
        'Authorization=Bearer%20<secret key>',
      );
      await page.locator('#project-select').selectOption('checkout-bot');
      await poll(() => page.locator('table[aria-label="Results"]').getAttribute('data-row-count')).toBe('1');
    });

    it('rotates the key: the new secret is shown once and the old one stops working', async () => {
      await open(page, '/settings/keys');
      const row = page.locator('tr[data-key="checkout-prod"]');
      await row.getByRole('button', { name: 'Rotate' }).click();
      await page
        .getByRole('dialog', { name: 'Rotate checkout-prod?' })
        .getByRole('button', { name: 'Rotate secret' })
        .click();
      const dialog = page.getByRole('dialog', { name: 'API key secret' });
      const rotated = (await dialog.locator('[data-testid="secret-key"]').textContent()) ?? '';
      expect(rotated).not.toBe(found.secret);
      await expect(dialog.textContent()).resolves.toContain('the old secret stopped working');
      await dialog.getByRole('button', { name: 'I have copied the secret' }).click();
      await poll(() => row.textContent()).toContain('rotated');
      const payload = oneSpanTrace(hexId('rotated', 16), 'after rotation', 'checkout');
      expect(await sendWithKey(argus.url, found.secret!, payload)).toBe(401);
      expect(await sendWithKey(argus.url, rotated, payload)).toBe(200);
      found.secret = rotated;
    });

    it('revokes the key after a confirmation; the key stops working', async () => {
      await open(page, '/settings/keys');
      const row = page.locator('tr[data-key="checkout-prod"]');
      await row.getByRole('button', { name: 'Revoke' }).click();
      const dialog = page.getByRole('dialog', { name: 'Revoke checkout-prod?' });
      await dialog.getByRole('button', { name: 'Revoke key' }).click();
      await poll(() => row.textContent()).toContain('revoked');
      expect(await row.getByRole('button', { name: 'Revoke' }).count()).toBe(0);
      expect(
        await sendWithKey(argus.url, found.secret!, oneSpanTrace(hexId('late', 16), 'late', 'checkout')),
      ).toBe(401);
    });

    it('invites a viewer, who accepts in a second browser', async () => {
      await open(page, '/settings/members');
      const form = page.locator('form[aria-label="Invite"]');
      await form.locator('input[name="inviteUsername"]').fill('vera');
      await form.locator('select[name="inviteRole"]').selectOption('viewer');
      await form.getByRole('button', { name: 'Invite' }).click();
      const dialog = page.getByRole('dialog', { name: 'Invitation link' });
      const acceptUrl = (await dialog.locator('[data-testid="accept-url"]').textContent()) ?? '';
      expect(acceptUrl).toMatch(/\/accept-invite#token=/);
      await shot(page, 'invite-link');
      await dialog.getByRole('button', { name: 'I have sent the link' }).click();
      await poll(() => page.locator('tr[data-invite="vera"]').count()).toBe(1);
      await shot(page, 'settings-members');

      const second = await browser.newContext({
        viewport: { width: 1280, height: 860 },
        colorScheme: 'light',
      });
      viewer = await second.newPage();
      watchProblems(viewer, problems, 'viewer');
      await viewer.goto(acceptUrl);
      const accept = viewer.locator('form[aria-label="Accept invitation"]');
      await accept.locator('input[name="displayName"]').fill('Vera Viewer');
      await accept.locator('input[name="password"]').fill('short');
      await accept.locator('input[name="confirmation"]').fill('short');
      await accept.getByRole('button', { name: 'Accept and sign in' }).click();
      await poll(() => accept.locator('.field-error').textContent()).toContain('at least 12 characters');
      await accept.locator('input[name="password"]').fill(VIEWER_PASSWORD);
      await accept.locator('input[name="confirmation"]').fill(VIEWER_PASSWORD);
      await shot(viewer, 'accept-invite');
      await accept.getByRole('button', { name: 'Accept and sign in' }).click();
      await poll(() => currentPath(viewer!)).toBe('/');
      await poll(() => viewer!.locator('.topbar h1').first().textContent()).toBe('Overview');
      await expect(viewer.locator('#project-select').inputValue()).resolves.toBe('checkout-bot');
      await page.reload();
      await poll(() => page.locator('tr[data-member="vera"]').textContent()).toContain('viewer');
      expect(await page.locator('tr[data-invite="vera"]').count()).toBe(0);
    });

    it('shows the viewer no write controls; a forced write answers 403', async () => {
      const v = viewer!;
      await v.goto(`${argus.url}/alerts`);
      await poll(() => v.locator('[data-testid="read-only"]').count()).toBeGreaterThan(0);
      expect(await v.getByRole('button', { name: 'New rule' }).count()).toBe(0);
      await shot(v, 'viewer-alerts');
      await v.goto(`${argus.url}/traces/${TRACE_ID}`);
      await poll(() => v.locator('.trace-head').count()).toBe(1);
      expect(await v.getByRole('button', { name: 'Erase this trace' }).count()).toBe(0);
      await v.goto(`${argus.url}/costs`);
      await poll(() => v.locator('section[aria-label="Price overrides"]').textContent()).toContain(
        'Read-only',
      );
      await v.goto(`${argus.url}/settings/keys`);
      await poll(() => v.locator('[data-testid="locked"]').textContent()).toContain('needs the admin role');
      await shot(v, 'viewer-settings-locked');
      await v.goto(`${argus.url}/settings/redaction`);
      await poll(() => v.locator('select[aria-label="Action of email"]').count()).toBe(1);
      expect(await v.locator('select[aria-label="Action of email"]').isDisabled()).toBe(true);
      await expect(
        v.locator('select[aria-label="Action of email"]').getAttribute('title'),
      ).resolves.toContain('Needs the admin role on this project (your role: viewer)');
      expect(await v.getByRole('button', { name: 'Save policy' }).isDisabled()).toBe(true);
      // Settings → Users is for instance administrators: only the main nav's Users link is there.
      expect(await v.getByRole('link', { name: 'Users', exact: true }).count()).toBe(1);

      // A write the console would not offer, forced through the URL: the server's 403 is shown.
      await v.goto(`${argus.url}/alerts?rule=new`);
      const rule = v.locator('form[aria-label="Rule editor"]');
      await rule.locator('input[name="name"]').fill('Forced');
      await rule.locator('input[name="threshold"]').fill('1');
      await rule.getByRole('button', { name: 'Create rule' }).click();
      await poll(() => rule.locator('.error-box').textContent()).toContain(
        "Your role on project 'checkout-bot' is viewer",
      );
      await expect(rule.locator('.error-box strong').textContent()).resolves.toBe('Not allowed');
      await takeHttpErrors(problems, 403);
      await shot(v, 'viewer-forced-write');
    });

    it('lets the viewer change their password from the account menu, and sign out', async () => {
      const v = viewer!;
      await v.getByRole('button', { name: 'Account menu' }).click();
      await v.getByRole('menuitem', { name: 'Change password' }).click();
      const dialog = v.getByRole('dialog', { name: 'Change password' });
      await dialog.locator('input[name="currentPassword"]').fill(VIEWER_PASSWORD);
      await dialog.locator('input[name="newPassword"]').fill(`${VIEWER_PASSWORD}-new`);
      await dialog.locator('input[name="confirmation"]').fill(`${VIEWER_PASSWORD}-new`);
      await dialog.getByRole('button', { name: 'Change password' }).click();
      await poll(() => v.getByRole('dialog', { name: 'Password changed' }).count()).toBe(1);
      await v.getByRole('button', { name: 'Done' }).click();
      await v.getByRole('button', { name: 'Account menu' }).click();
      await v.getByRole('menuitem', { name: 'Sign out' }).click();
      await poll(() => v.locator('form[aria-label="Sign in"]').textContent()).toContain(
        'You have signed out.',
      );
      await signInWithForm(v, 'vera', `${VIEWER_PASSWORD}-new`);
      await poll(() => v.locator('#project-select').count()).toBe(1);
      await v.context().close();
      viewer = undefined;
    });

    it('changes the redaction policy and tries it live', async () => {
      await open(page, '/settings/redaction');
      const output = page.locator('[data-testid="redacted-output"]');
      await poll(() => output.textContent()).toContain('[REDACTED:email]');
      await page.locator('select[aria-label="Action of email"]').selectOption('hash');
      await poll(() => output.textContent()).toMatch(/\[email:[0-9a-f]{8}\]/);
      await page.getByRole('button', { name: 'Add custom detector' }).click();
      await page.locator('input[aria-label="Custom detector 1 name"]').fill('ticket');
      await page.locator('input[aria-label="Custom detector 1 pattern"]').fill('TCK-\\d{6}');
      await poll(() => output.textContent()).toContain('[REDACTED:ticket]');
      await poll(() => page.locator('[data-testid="redaction-counts"]').textContent()).toContain('ticket: 1');
      await page.getByRole('button', { name: 'Save policy' }).click();
      await poll(() => page.getByText('Saved; it applies to data arriving from now on').count()).toBe(1);
      await shot(page, 'settings-redaction');
      await page.reload();
      await poll(() => page.locator('select[aria-label="Action of email"]').inputValue()).toBe('hash');
      await expect(page.locator('input[aria-label="Custom detector 1 name"]').inputValue()).resolves.toBe(
        'ticket',
      );
    });

    it('sets retention and runs a sweep', async () => {
      await open(page, '/settings/retention');
      const form = page.locator('form[aria-label="Retention"]');
      await form.locator('input[name="telemetryDays"]').fill('30');
      await form.locator('input[name="contentDays"]').fill('45');
      await poll(() => form.locator('.field-error').textContent()).toContain('Content cannot be kept longer');
      await form.locator('input[name="contentDays"]').fill('7');
      await form.getByRole('button', { name: 'Save retention' }).click();
      await poll(() => form.getByText('Saved').count()).toBe(1);
      await form.getByRole('button', { name: 'Run the sweep now' }).click();
      await poll(() => page.locator('[data-testid="sweep-report"]').textContent()).toContain('Swept in');
      await shot(page, 'settings-retention');
      await page.reload();
      await poll(() => page.locator('input[name="telemetryDays"]').inputValue()).toBe('30');
      await expect(page.locator('input[name="contentDays"]').inputValue()).resolves.toBe('7');
    });

    it('erases a trace from its page and shows the receipt', async () => {
      await open(page, `/traces/${TRACE_ID}?range=1h`);
      await page.getByRole('button', { name: 'Erase this trace' }).click();
      const confirm = page.getByRole('dialog', { name: 'Erase data permanently?' });
      await expect(confirm.textContent()).resolves.toContain(`trace ${TRACE_ID}`);
      await expect(confirm.textContent()).resolves.toContain('Checkout Bot');
      await confirm.getByRole('button', { name: 'Erase permanently' }).click();
      const receipt = page.getByRole('dialog', { name: 'Erasure receipt' });
      await poll(() => receipt.locator('[data-testid="erasure-receipt"]').textContent()).toContain(
        'Erased: 1 span',
      );
      await shot(page, 'erasure-receipt');
      await receipt.getByRole('button', { name: 'Done' }).click();
      await poll(() => currentPath(page)).toBe('/traces');
      // Only the trace sent after the rotation is left.
      await poll(() => page.locator('table[aria-label="Results"]').getAttribute('data-row-count')).toBe('1');
      await expect(page.locator('.vrow').first().textContent()).resolves.toContain('after rotation');
      await open(page, '/settings/retention');
      await poll(() => page.locator('table[aria-label="Erasure receipts"] tbody tr').count()).toBe(1);
      await expect(page.locator('table[aria-label="Erasure receipts"]').textContent()).resolves.toContain(
        'completed',
      );
    });

    it('shows these actions in the audit log, with an intact hash chain', async () => {
      await open(page, '/settings/audit');
      const table = page.locator('table[aria-label="Audit entries"]');
      for (const action of [
        'project.create',
        'key.create',
        'key.rotate',
        'key.revoke',
        'invite.create',
        'invite.accept',
        'settings.update',
        'data.erase',
      ])
        await poll(() => table.locator(`tr[data-action="${action}"]`).count()).toBeGreaterThan(0);
      await page.locator('select[name="auditAction"]').selectOption('key.');
      await page.getByRole('button', { name: 'Apply' }).click();
      await poll(
        async () =>
          new Set(
            await table
              .locator('tbody tr')
              .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-action'))),
          ),
      ).toEqual(new Set(['key.create', 'key.rotate', 'key.revoke']));
      await page.locator('select[name="auditAction"]').selectOption('');
      await page.locator('select[name="auditScope"]').selectOption('all');
      await page.getByRole('button', { name: 'Apply' }).click();
      await poll(() => table.locator('tr[data-action="auth.login"]').count()).toBeGreaterThan(0);
      await page.getByRole('button', { name: 'Verify hash chain' }).click();
      await poll(() => page.locator('[data-testid="audit-verify"]').textContent()).toContain('Chain intact');
      await shot(page, 'settings-audit');
    });

    it('renames the project, changes a member role, and creates a user who has no project yet', async () => {
      await open(page, '/settings/project');
      const form = page.locator('form[aria-label="Project name"]');
      await form.locator('input[name="projectName"]').fill('Checkout Assistant');
      await form.getByRole('button', { name: 'Rename project' }).click();
      await poll(() => page.locator('#project-select option:checked').textContent()).toBe(
        'Checkout Assistant · admin',
      );

      await open(page, '/settings/members');
      await page.locator('select[aria-label="Role of vera"]').selectOption('member');
      await page.reload();
      await poll(() => page.locator('select[aria-label="Role of vera"]').inputValue()).toBe('member');

      await open(page, '/settings/users');
      const form2 = page.locator('form[aria-label="New user"]');
      await form2.locator('input[name="newUsername"]').fill('nora');
      await form2.getByRole('button', { name: 'Create user' }).click();
      const dialog = page.getByRole('dialog', { name: 'New password' });
      const password = (await dialog.locator('[data-testid="generated-password"]').textContent()) ?? '';
      expect(password.length).toBeGreaterThanOrEqual(12);
      await dialog.getByRole('button', { name: 'I have passed it on' }).click();
      await poll(() => page.locator('tr[data-user="nora"]').count()).toBe(1);

      const other = await browser.newContext({ viewport: { width: 1280, height: 860 } });
      const nora = await other.newPage();
      watchProblems(nora, problems, 'nora');
      await nora.goto(argus.url);
      await nora.locator('form[aria-label="Sign in"]').waitFor();
      await signInWithForm(nora, 'nora', password);
      await poll(() => nora.locator('.auth-card h1').textContent()).toBe('No project yet');
      await shot(nora, 'no-project');
      await other.close();
    });

    it('renders every settings section, in both themes', async () => {
      for (const section of ['project', 'users', 'security']) {
        await open(page, `/settings/${section}`);
        await poll(() => page.locator('.settings-body .panel').count()).toBeGreaterThan(0);
        await poll(() =>
          page.locator('.settings-body [role="status"].state, .settings-body .spinner').count(),
        ).toBe(0);
        await shot(page, `settings-${section}`);
        if (section === 'users')
          await expect(page.locator('table[aria-label="Users table"]').textContent()).resolves.toContain(
            'vera',
          );
      }
      await expect(page.locator('[data-testid="auth-mode"]').textContent()).resolves.toContain('on: sign-in');
      await page.getByRole('button', { name: 'Toggle theme' }).click();
      await open(page, '/settings/keys');
      await poll(() => page.locator('tr[data-key="checkout-prod"]').count()).toBe(1);
      await shot(page, 'settings-keys-light');
      await page.getByRole('button', { name: 'Toggle theme' }).click();
    });
  },
);
