/**
 * Reading credentials from request headers: an API key (`Authorization: Bearer <secret>`,
 * `x-api-key: <secret>` or Basic `public:secret`) and cookies. Pure; the service decides what
 * they are worth.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { ArgusError } from '../errors.ts';

const MAX_SECRET_CHARS = 512;

/** Credentials found in headers. */
export type Credentials = { secret: string; publicKey?: string } | undefined;

/** Reads API-key credentials from headers; throws on a malformed Authorization header. */
export function credentialsOf(headers: IncomingHttpHeaders): Credentials {
  const authorization = headers.authorization;
  if (typeof authorization === 'string' && authorization.length > 0) {
    const space = authorization.indexOf(' ');
    const scheme = (space < 0 ? authorization : authorization.slice(0, space)).toLowerCase();
    const value = space < 0 ? '' : authorization.slice(space + 1).trim();
    if (scheme === 'bearer' && value) return { secret: value.slice(0, MAX_SECRET_CHARS) };
    if (scheme === 'basic' && value) {
      const decoded = Buffer.from(value, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon > 0)
        return {
          publicKey: decoded.slice(0, colon),
          secret: decoded.slice(colon + 1, colon + 1 + MAX_SECRET_CHARS),
        };
    }
    throw new ArgusError(
      'UNAUTHORIZED',
      "Cannot read the Authorization header: expected 'Bearer <secret key>' or 'Basic base64(<public key>:<secret key>)'",
    );
  }
  const apiKey = headers['x-api-key'];
  if (typeof apiKey === 'string' && apiKey.length > 0) return { secret: apiKey.slice(0, MAX_SECRET_CHARS) };
  return undefined;
}

/** The value of one cookie. */
export function cookieOf(headers: IncomingHttpHeaders, name: string): string | undefined {
  const header = headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}
