import { describe, expect, it } from 'vitest';
import { type ConfigInput, loadConfig } from './config.ts';

const base: ConfigInput = { auth: 'on', oidcIssuer: 'https://idp.example.com', oidcClientId: 'argus' };

describe('single sign-on options', () => {
  it('reads lists and defaults', () => {
    const config = loadConfig(
      { ...base, oidcAllowedDomains: ' Example.com, corp.example ,', oidcAdminEmails: 'Boss@Example.com' },
      { ARGUS_OIDC_CLIENT_SECRET: 'from-env' },
    );
    expect(config.oidcAllowedDomains).toEqual(['example.com', 'corp.example']);
    expect(config.oidcAdminEmails).toEqual(['boss@example.com']);
    expect(config.oidcClientSecret).toBe('from-env');
    expect(config.oidcName).toBe('SSO');
    expect(config.oidcDefaultRole).toBe('none');
    expect(loadConfig({ publicUrl: 'https://argus.example.com/' }, {}).publicUrl).toBe(
      'https://argus.example.com',
    );
  });

  // Why each: a combination that cannot work is refused at start-up with what to do, not at the
  // first sign-in.
  it.each([
    [{ ...base, oidcClientId: undefined }, /--oidc-client-id \(ARGUS_OIDC_CLIENT_ID\) is not/],
    [{ oidcClientId: 'argus' }, /'oidcClientId' from flag --oidc-client-id is set but --oidc-issuer/],
    [{ oidcAdminEmails: 'a@b.example' }, /'oidcAdminEmails'.*--oidc-issuer/],
    [{ ...base, oidcIssuer: 'http://idp.example.com' }, /must be an https URL/],
    [{ ...base, auth: undefined }, /needs authentication on/],
    [{ ...base, host: '0.0.0.0' }, /needs --public-url \(ARGUS_PUBLIC_URL\) beyond loopback/],
    [{ ...base, oidcDefaultRole: 'admin' }, /'oidcDefaultRole'/],
    [{ ...base, oidcAllowedDomains: 'not a domain' }, /'oidcAllowedDomains'.*e-mail domains/],
    [{ ...base, oidcAdminEmails: 'nobody' }, /'oidcAdminEmails'.*e-mail addresses/],
    [{ publicUrl: 'https://argus.example.com/?x=1' }, /'publicUrl'.*without \? or #/],
  ])('refuses %j', (flags, message) => {
    expect(() => loadConfig(flags as ConfigInput, {})).toThrow(message);
  });

  it('accepts plain http for a provider on loopback, and beyond loopback with a public URL', () => {
    expect(loadConfig({ ...base, oidcIssuer: 'http://127.0.0.1:9000' }, {}).oidcIssuer).toBe(
      'http://127.0.0.1:9000',
    );
    const exposed = loadConfig({ ...base, host: '0.0.0.0', publicUrl: 'https://argus.example.com' }, {});
    expect(exposed.publicUrl).toBe('https://argus.example.com');
  });
});
