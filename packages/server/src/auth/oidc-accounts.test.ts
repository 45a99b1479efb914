/**
 * Who a single sign-on signs in as — the linking and provisioning rules — over in-memory SQLite
 * with the real repositories (the full browser flow is in test/oidc.int.test.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MetadataStore } from '../store/metadata/metadata-store.ts';
import { openSqliteClient } from '../store/metadata/sqlite-client.ts';
import { IdentityRepository } from './identity-repository.ts';
import { type OidcAccountDeps, type OidcProfile, resolveOidcUser } from './oidc-accounts.ts';
import { createAuthRepositories } from './repositories.ts';

const sql = openSqliteClient(':memory:');
const repos = createAuthRepositories(sql);
const identities = new IdentityRepository(sql);
const ISSUER = 'https://idp.example.com';

beforeAll(async () => {
  await new MetadataStore(sql).migrate();
});
afterAll(async () => {
  await sql.close();
});

function deps(config: Partial<OidcAccountDeps['config']> = {}): OidcAccountDeps {
  return {
    users: repos.users,
    identities,
    config: { oidcAllowedDomains: [], oidcAdminEmails: [], oidcDefaultRole: 'none', ...config },
  };
}

function profile(subject: string, claims: Partial<OidcProfile> = {}): OidcProfile {
  return {
    issuer: ISSUER,
    subject,
    email: undefined,
    emailVerified: false,
    name: undefined,
    preferredUsername: undefined,
    ...claims,
  };
}

async function localUser(username: string) {
  return repos.users.create({ username, displayName: username, passwordHash: 'x', isAdmin: false });
}

describe('resolveOidcUser', () => {
  it('does not link an existing user on an unverified e-mail', async () => {
    const local = await localUser('unverified@example.com');
    const result = await resolveOidcUser(
      deps(),
      profile('u1', { email: 'unverified@example.com', emailVerified: false }),
    );
    expect(result).toMatchObject({ ok: false, refusal: { code: 'sso_conflict' } });
    expect(await identities.listOf(local.id)).toEqual([]);
  });

  it('links a verified e-mail to the user of that name once, matching its case', async () => {
    const local = await localUser('Mixed@Example.com');
    const linked = await resolveOidcUser(
      deps(),
      profile('m1', { email: 'Mixed@Example.com', emailVerified: true }),
    );
    expect(linked).toMatchObject({ ok: true, how: 'linked', user: { id: local.id } });
    const other = await resolveOidcUser(
      deps(),
      profile('m2', { email: 'Mixed@Example.com', emailVerified: true }),
    );
    expect(other).toMatchObject({ ok: false, refusal: { code: 'sso_conflict' } });
    const back = await resolveOidcUser(
      deps(),
      profile('m1', { email: 'Mixed@Example.com', emailVerified: true }),
    );
    expect(back).toMatchObject({ ok: true, how: 'returning', user: { id: local.id } });
  });

  it('never names a new user after an unverified e-mail (it would squat on its owner)', async () => {
    const byName = await resolveOidcUser(
      deps(),
      profile('n1', { email: 'ceo@example.com', emailVerified: false, preferredUsername: 'mallory' }),
    );
    expect(byName).toMatchObject({ ok: true, how: 'created', user: { username: 'mallory' } });
    const hashed = await resolveOidcUser(deps(), profile('n2', { email: 'ceo@example.com' }));
    expect(hashed.ok && hashed.user.username).toMatch(/^sso-[0-9a-f]{16}$/);
  });

  it('skips a preferred username that is taken rather than linking to it', async () => {
    const taken = await localUser('admin2');
    const result = await resolveOidcUser(deps(), profile('p1', { preferredUsername: 'admin2' }));
    expect(result.ok && result.user.id).not.toBe(taken.id);
    expect(result.ok && result.user.username).toMatch(/^sso-/);
  });

  it('makes listed e-mails instance administrators only when verified', async () => {
    const config = { oidcAdminEmails: ['root@example.com', 'root2@example.com'] };
    const unverified = await resolveOidcUser(deps(config), profile('a1', { email: 'root@example.com' }));
    expect(unverified).toMatchObject({ ok: true, user: { isAdmin: false } });
    const verified = await resolveOidcUser(
      deps(config),
      profile('a2', { email: 'ROOT2@example.com', emailVerified: true }),
    );
    expect(verified).toMatchObject({
      ok: true,
      how: 'created',
      user: { username: 'root2@example.com', isAdmin: true },
    });
  });

  it('gives the default role to new users only, not to linked ones', async () => {
    const local = await localUser('existing@example.com');
    await resolveOidcUser(
      deps({ oidcDefaultRole: 'member' }),
      profile('r1', { email: 'existing@example.com', emailVerified: true }),
    );
    expect(await repos.memberships.rolesOf(local.id)).toEqual(new Map());
    const created = await resolveOidcUser(
      deps({ oidcDefaultRole: 'member' }),
      profile('r2', { email: 'fresh@example.com', emailVerified: true }),
    );
    expect(created.ok && (await repos.memberships.rolesOf(created.user.id))).toEqual(
      new Map([['default', 'member']]),
    );
  });

  it('applies the domain rule at every sign-in, so removing a domain locks its people out', async () => {
    const first = await resolveOidcUser(
      deps({ oidcAllowedDomains: ['old.example'] }),
      profile('d1', { email: 'x@old.example', emailVerified: true }),
    );
    expect(first).toMatchObject({ ok: true, how: 'created' });
    const later = await resolveOidcUser(
      deps({ oidcAllowedDomains: ['new.example'] }),
      profile('d1', { email: 'x@old.example', emailVerified: true }),
    );
    expect(later).toMatchObject({ ok: false, refusal: { code: 'sso_domain' } });
  });

  it('removes identities with their user', async () => {
    const result = await resolveOidcUser(
      deps(),
      profile('gone', { email: 'gone@example.com', emailVerified: true }),
    );
    if (!result.ok) throw new Error('expected a user');
    await repos.users.delete(result.user.id);
    expect(await identities.find({ issuer: ISSUER, subject: 'gone' })).toBeUndefined();
  });
});
