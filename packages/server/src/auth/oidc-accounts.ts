/**
 * Who a single sign-on signs in as. A provider account (issuer + subject) that signed in before
 * is its linked user. A new one is checked against the allowed e-mail domains, then either
 * linked to an existing user whose username is its e-mail, or given a new user.
 *
 * Linking trusts the provider's word about the e-mail, so it needs `email_verified` and a user
 * with no identity yet: an account at a provider that lets people claim any address cannot take
 * over a local user, and a user linked once is not linked again by someone else's account with
 * the same address. Instance administration (`--oidc-admin-emails`) also needs a verified
 * address. The default role applies to new users only: an existing user keeps their roles.
 */
import type { Config } from '../config.ts';
import { USERNAME_PATTERN } from '../config.ts';
import type { IdentityKey, IdentityRepository } from './identity-repository.ts';
import { hashPassword, randomToken, sha256 } from './secrets.ts';
import type { UserRecord, UserRepository } from './user-repository.ts';

/** What the provider says about the person (validated ID token, completed by userinfo). */
export interface OidcProfile extends IdentityKey {
  email: string | undefined;
  emailVerified: boolean;
  name: string | undefined;
  preferredUsername: string | undefined;
}

/** Why a sign-in is refused: the code in `/sign-in?error=` and the reason for the audit log. */
export type OidcRefusal =
  | { code: 'sso_email'; reason: string }
  | { code: 'sso_domain'; reason: string }
  | { code: 'sso_conflict'; reason: string };

/** The user a sign-in resolved to, and how. */
export type OidcAccountResult =
  | { ok: true; user: UserRecord; how: 'returning' | 'linked' | 'created' }
  | { ok: false; refusal: OidcRefusal };

/** What account resolution needs. */
export interface OidcAccountDeps {
  users: UserRepository;
  identities: IdentityRepository;
  config: Pick<Config, 'oidcAllowedDomains' | 'oidcAdminEmails' | 'oidcDefaultRole'>;
}

const refuse = (code: OidcRefusal['code'], reason: string): OidcAccountResult => ({
  ok: false,
  refusal: { code, reason } as OidcRefusal,
});

/** The domain of an e-mail address, lowercased. */
function domainOf(email: string): string {
  return email.slice(email.lastIndexOf('@') + 1).toLowerCase();
}

/**
 * Finds, links or creates the user of a provider account.
 * Never throws for a refusal: the caller redirects with its code and audits its reason.
 */
export async function resolveOidcUser(
  deps: OidcAccountDeps,
  profile: OidcProfile,
): Promise<OidcAccountResult> {
  const { config, identities, users } = deps;
  const email = profile.email?.trim() || undefined;
  // The domain rule applies at every sign-in, so removing a domain locks its people out.
  if (config.oidcAllowedDomains.length > 0) {
    if (!email) return refuse('sso_email', 'the provider gave no e-mail address');
    if (!profile.emailVerified)
      return refuse('sso_email', 'the provider has not verified the e-mail address');
    if (!config.oidcAllowedDomains.includes(domainOf(email)))
      return refuse('sso_domain', `e-mail domain '${domainOf(email)}' is not allowed`);
  }
  const known = await identities.find(profile);
  if (known) {
    const user = await users.get(known.userId);
    // The identity row goes with its user (ON DELETE CASCADE), so this is a race with a removal.
    if (!user) return refuse('sso_conflict', 'the linked user was removed');
    await identities.touch(profile, email);
    return { ok: true, user, how: 'returning' };
  }
  const makeAdmin =
    email !== undefined && profile.emailVerified && config.oidcAdminEmails.includes(email.toLowerCase());
  if (email) {
    const existing =
      (await users.findByUsername(email)) ??
      (email !== email.toLowerCase() ? await users.findByUsername(email.toLowerCase()) : undefined);
    if (existing) {
      if (!profile.emailVerified)
        return refuse(
          'sso_conflict',
          `user '${existing.username}' exists and the provider has not verified the e-mail address, so it is not linked`,
        );
      if (!(await identities.linkFirst(profile, existing.id, email)))
        return refuse(
          'sso_conflict',
          `user '${existing.username}' exists and is already linked to another single sign-on account`,
        );
      if (makeAdmin && !existing.isAdmin) await users.update(existing.id, { isAdmin: true });
      return { ok: true, user: { ...existing, isAdmin: existing.isAdmin || makeAdmin }, how: 'linked' };
    }
  }
  const username = await freeUsername(users, profile, email);
  const created = await identities.createUser(profile, {
    username,
    displayName: (profile.name?.trim() || email || username).slice(0, 100),
    // Nobody knows this password: the user signs in with the provider (an administrator can
    // still set a password under Settings → Users).
    passwordHash: await hashPassword(randomToken(32)),
    isAdmin: makeAdmin,
    email,
    defaultRole: config.oidcDefaultRole === 'none' ? undefined : config.oidcDefaultRole,
  });
  if (!created) {
    // The same account's first sign-in in another tab won the race: sign in as its user.
    const raced = await identities.find(profile);
    const user = raced ? await users.get(raced.userId) : undefined;
    return user
      ? { ok: true, user, how: 'returning' }
      : refuse('sso_conflict', 'the account changed meanwhile');
  }
  return { ok: true, user: created, how: 'created' };
}

/**
 * A username for a new user: the verified e-mail (lowercased), else the provider's preferred
 * username when free, else `sso-` and a hash of the account (usernames are unique, ≤ 64
 * characters). An unverified address is never a username: it would squat on its owner's name.
 */
async function freeUsername(
  users: UserRepository,
  profile: OidcProfile,
  email: string | undefined,
): Promise<string> {
  const fallback = `sso-${sha256(`${profile.issuer}\n${profile.subject}`).slice(0, 16)}`;
  const candidates = [
    profile.emailVerified ? email?.toLowerCase() : undefined,
    profile.preferredUsername?.trim(),
  ];
  for (const candidate of candidates) {
    if (candidate && USERNAME_PATTERN.test(candidate) && !(await users.findByUsername(candidate)))
      return candidate;
  }
  return fallback;
}
