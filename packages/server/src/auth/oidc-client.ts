/**
 * The relying-party side of OpenID Connect, on `openid-client` (a certified RP): discovery of
 * the provider, the authorization URL (code flow + PKCE S256, state, nonce), and the code
 * exchange with ID-token validation — issuer, audience, nonce, expiry, and the signature
 * against the provider's JWKS. openid-client skips that signature check by default for tokens
 * fetched straight from the token endpoint over TLS (OIDC Core 3.1.3.7 allows it); we turn it on
 * (`enableNonRepudiationChecks`) so a token is trusted for its signature, not for the channel.
 *
 * Discovery happens on first use and is kept for an hour (the JWKS is refetched by the library
 * when a token names an unknown key); a failed discovery is retried on the next sign-in.
 */
import * as client from 'openid-client';
import { isLoopbackHost } from '../config.ts';
import type { OidcProfile } from './oidc-accounts.ts';

/** How to reach the provider. */
export interface OidcClientSettings {
  issuer: string;
  clientId: string;
  /** Unset = a public client (PKCE only, `token_endpoint_auth_method=none`). */
  clientSecret: string | undefined;
  /** Per request to the provider. */
  timeoutSeconds?: number;
}

/** What the callback checks: the values the start step kept in the browser's sealed cookie. */
export interface OidcChecks {
  state: string;
  nonce: string;
  codeVerifier: string;
}

const DISCOVERY_TTL_MS = 3_600_000;
export const OIDC_SCOPES = 'openid email profile';

/** The client of one provider. */
export class OidcClient {
  readonly #settings: OidcClientSettings;
  #cached: { configuration: client.Configuration; at: number } | undefined;
  #pending: Promise<client.Configuration> | undefined;

  constructor(settings: OidcClientSettings) {
    this.#settings = settings;
  }

  /** The provider's issuer, as configured. */
  get issuer(): string {
    return this.#settings.issuer;
  }

  /** The discovered configuration; rediscovered after an hour (the old one serves if that fails). */
  async configuration(): Promise<client.Configuration> {
    const cached = this.#cached;
    if (cached && Date.now() - cached.at < DISCOVERY_TTL_MS) return cached.configuration;
    this.#pending ??= this.#discover().finally(() => {
      this.#pending = undefined;
    });
    try {
      return await this.#pending;
    } catch (error) {
      if (cached) return cached.configuration;
      throw error;
    }
  }

  async #discover(): Promise<client.Configuration> {
    const { issuer, clientId, clientSecret, timeoutSeconds = 10 } = this.#settings;
    const execute = [client.enableNonRepudiationChecks];
    // Plain http only for a provider on this machine (config.ts refuses it anywhere else).
    const { protocol, hostname } = new URL(issuer);
    if (protocol === 'http:' && isLoopbackHost(hostname)) execute.push(client.allowInsecureRequests);
    const configuration = await client.discovery(
      new URL(issuer),
      clientId,
      clientSecret === undefined ? undefined : { client_secret: clientSecret },
      clientSecret === undefined ? client.None() : secretAuth(clientSecret),
      { execute, timeout: timeoutSeconds },
    );
    this.#cached = { configuration, at: Date.now() };
    return configuration;
  }

  /** The provider's authorization URL for one sign-in. */
  async authorizationUrl(input: { redirectUri: string; checks: OidcChecks }): Promise<URL> {
    const configuration = await this.configuration();
    return client.buildAuthorizationUrl(configuration, {
      redirect_uri: input.redirectUri,
      scope: OIDC_SCOPES,
      response_type: 'code',
      state: input.checks.state,
      nonce: input.checks.nonce,
      code_challenge: await client.calculatePKCECodeChallenge(input.checks.codeVerifier),
      code_challenge_method: 'S256',
    });
  }

  /**
   * Exchanges the authorization response for tokens and validates the ID token; completes the
   * profile from the userinfo endpoint when the ID token has no e-mail (some providers put
   * profile claims only there in the code flow).
   * @throws openid-client's errors (a refused or invalid response), or network errors.
   */
  async signIn(callbackUrl: URL, checks: OidcChecks): Promise<OidcProfile> {
    const configuration = await this.configuration();
    const tokens = await client.authorizationCodeGrant(configuration, callbackUrl, {
      expectedState: checks.state,
      expectedNonce: checks.nonce,
      pkceCodeVerifier: checks.codeVerifier,
      idTokenExpected: true,
    });
    const claims = tokens.claims();
    if (!claims) throw new Error('the token response has no ID token');
    // The ID token's claims win; userinfo (same subject, checked) fills in what it lacks, the
    // e-mail always with userinfo's own verification flag.
    let source: Record<string, unknown> = claims;
    if (typeof claims.email !== 'string' && configuration.serverMetadata().userinfo_endpoint) {
      const info = await client.fetchUserInfo(configuration, tokens.access_token, claims.sub);
      source = { ...info, ...claims, email: info.email, email_verified: info.email_verified };
    }
    return {
      issuer: claims.iss,
      subject: claims.sub,
      email: typeof source.email === 'string' && source.email.includes('@') ? source.email : undefined,
      // Some providers send the string "true".
      emailVerified: source.email_verified === true || source.email_verified === 'true',
      name: typeof source.name === 'string' ? source.name : undefined,
      preferredUsername:
        typeof source.preferred_username === 'string' ? source.preferred_username : undefined,
    };
  }
}

/**
 * `client_secret_basic` (the default of the spec), or `client_secret_post` when the provider
 * lists only that one — decided per request from the discovered metadata.
 */
function secretAuth(secret: string): client.ClientAuth {
  const basic = client.ClientSecretBasic(secret);
  const post = client.ClientSecretPost(secret);
  return (as, metadata, body, headers) => {
    const supported = as.token_endpoint_auth_methods_supported;
    const onlyPost =
      Array.isArray(supported) &&
      !supported.includes('client_secret_basic') &&
      supported.includes('client_secret_post');
    (onlyPost ? post : basic)(as, metadata, body, headers);
  };
}
