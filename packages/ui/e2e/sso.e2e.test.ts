/**
 * End-to-end single sign-on in Chromium against a real OpenID provider on loopback
 * (oidc-provider, with its development login and consent pages): the sign-in page offers
 * "Sign in with Test IdP", the provider's pages sign the person in, and the console opens on the
 * page asked for; a refused sign-in comes back to the sign-in page with the reason in words.
 * Screenshots go to test-results/screenshots/.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestProvider, type TestProvider } from '../../server/test/support/oidc-provider.ts';
import { freePort } from '../../server/test/support/process.ts';
import { startTestServer, type TestServer } from '../../server/test/support/server.ts';
import { CHROMIUM, CHROMIUM_ARGS, ensureConsoleBuilt } from './build-console.ts';
import { poll, SHOTS, shot } from './console-support.ts';

let argus: TestServer;
let provider: TestProvider;
let browser: Browser;
let page: Page;
/** Script errors, and Argus's console errors other than the 401 the flow provokes before sign-in. */
const problems: string[] = [];

describe.skipIf(!existsSync(CHROMIUM) && !process.env.CI)('single sign-on (Chromium)', () => {
  beforeAll(async () => {
    ensureConsoleBuilt();
    mkdirSync(SHOTS, { recursive: true });
    const port = await freePort();
    const publicUrl = `http://127.0.0.1:${port}`;
    provider = await startTestProvider({ redirectUri: `${publicUrl}/api/v1/auth/oidc/callback` });
    provider.accounts.set('ada', { email: 'ada@example.com', email_verified: true, name: 'Ada L' });
    provider.accounts.set('eve', { email: 'eve@elsewhere.test', email_verified: true });
    [argus, browser] = await Promise.all([
      startTestServer({
        port,
        auth: 'on',
        adminPassword: 'an-sso-admin-password',
        publicUrl,
        oidcIssuer: provider.issuer,
        oidcClientId: provider.clientId,
        oidcClientSecret: provider.clientSecret,
        oidcName: 'Test IdP',
        oidcDefaultRole: 'viewer',
        oidcAllowedDomains: 'example.com',
      }),
      chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS }),
    ]);
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, colorScheme: 'dark' });
    // Loopback only: the provider's development pages ask for a web font, which is refused here.
    await context.route(
      (url) => url.hostname !== '127.0.0.1',
      (route) => route.abort(),
    );
    page = await context.newPage();
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      // Argus's pages only (the provider's are not under test), less the 401 before sign-in.
      const where = m.location().url;
      if (m.type() === 'error' && where.startsWith(argus.url) && !/status of 401/.test(m.text()))
        problems.push(`console: ${m.text()} (${where})`);
    });
  });

  afterAll(async () => {
    await browser?.close();
    await argus?.stop();
    await provider?.stop();
    expect(problems).toEqual([]);
  });

  const signInForm = () => page.locator('form[aria-label="Sign in"]');

  /** The provider's development pages: any password, then consent. */
  async function signInAtProvider(login: string): Promise<void> {
    await page.locator('input[name="login"]').fill(login);
    await page.locator('input[name="password"]').fill('any password');
    await page.locator('button[type="submit"]').click();
    await page.getByRole('button', { name: 'Continue' }).click();
  }

  it('signs in through the provider and opens the page asked for', async () => {
    await page.goto(`${argus.url}/traces?range=1h`);
    const button = signInForm().getByRole('link', { name: 'Sign in with Test IdP' });
    await button.waitFor();
    await shot(page, 'sign-in-sso');
    await button.click();
    await signInAtProvider('ada');
    await poll(() => page.locator('.topbar h1').first().textContent()).toBe('Traces');
    const url = new URL(page.url());
    expect(`${url.origin}${url.pathname}${url.search}`).toBe(`${argus.url}/traces?range=1h`);
    await page.getByRole('button', { name: 'Account menu' }).click();
    await poll(() => page.getByRole('menu').textContent()).toContain('ada@example.com');
  });

  it('shows why a refused sign-in was refused, on the sign-in page', async () => {
    await page.getByRole('menuitem', { name: 'Sign out' }).click();
    await signInForm().waitFor();
    // Signing out of Argus leaves the provider's session: forget it, as another person's browser.
    await page.context().clearCookies();
    await signInForm().getByRole('link', { name: 'Sign in with Test IdP' }).click();
    await signInAtProvider('eve');
    await poll(() => signInForm().locator('[role="alert"]').textContent()).toContain(
      'Your e-mail domain is not allowed',
    );
    // The page replaces /sign-in?error=… with / once it has shown the reason.
    await poll(() => new URL(page.url()).pathname).toBe('/');
    await shot(page, 'sign-in-sso-refused');
  });
});
