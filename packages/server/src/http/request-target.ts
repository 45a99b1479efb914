/**
 * The one canonical form of a request target, computed once, before routing, so that the route
 * that answers and the access check that guards it read the same path (docs/security.md,
 * "Request paths"). The rules, chosen so that no spelling of a path reaches a route under
 * another route's access level:
 *
 * - Absolute-form (`GET http://host/path`, which HTTP/1.1 servers must accept) is read as its
 *   path and query; its authority is ignored. Other schemes and asterisk/authority-form: 400.
 * - Repeated and trailing slashes are merged away: `//api/v1//keys/` is `/api/v1/keys` (exporters
 *   that join a base URL ending in `/` with `/v1/traces` keep working).
 * - Dot segments (`.`, `..`, also percent-encoded as `%2e`), backslashes and fragments: 400.
 *   No client sends them; resolving them is how traversal slips past prefix checks.
 * - An encoded slash (`%2F`, `%2f`) never splits a segment: it stays data inside one segment,
 *   so `/api%2Fv1/keys` matches no API route and `/api/v1/sessions/a%2Fb` names session `a/b`.
 * - Case is kept: paths are case-sensitive, so `/API/V1/KEYS` matches no API route.
 */
import { ArgusError } from '../errors.ts';

const ABSOLUTE = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\/[^/?#]*/;
const DOT_SEGMENT = /^(?:\.|%2e){1,2}$/i;
const MAX_ECHO_CHARS = 200;

/**
 * Parses a request target (`request.url`) into its canonical URL.
 * @throws ArgusError BAD_REQUEST (400) for a target that has no canonical form.
 */
export function canonicalUrl(target: string | undefined): URL {
  const raw = target === undefined || target === '' ? '/' : target;
  let rest = raw;
  const absolute = ABSOLUTE.exec(raw);
  if (absolute) {
    const scheme = absolute[1]!.toLowerCase();
    if (scheme !== 'http' && scheme !== 'https') refuse(raw, `scheme '${scheme}' is not http or https`);
    rest = raw.slice(absolute[0].length);
    if (!rest.startsWith('/')) rest = `/${rest}`;
  } else if (!raw.startsWith('/')) {
    refuse(raw, "expected a path that starts with '/' or an absolute http URL");
  }
  if (rest.includes('#')) refuse(raw, "a fragment ('#') is not part of a request");
  const queryAt = rest.indexOf('?');
  const path = queryAt < 0 ? rest : rest.slice(0, queryAt);
  const query = queryAt < 0 ? '' : rest.slice(queryAt);
  if (path.includes('\\')) refuse(raw, 'a backslash is not allowed in a path');
  const segments = path.split('/').filter((segment) => segment !== '');
  if (segments.some((segment) => DOT_SEGMENT.test(segment))) {
    refuse(raw, "dot segments ('.' and '..') are not allowed in a path");
  }
  return new URL(`/${segments.join('/')}${query}`, 'http://localhost');
}

function refuse(target: string, reason: string): never {
  const shown = target.length > MAX_ECHO_CHARS ? `${target.slice(0, MAX_ECHO_CHARS)}…` : target;
  throw new ArgusError('BAD_REQUEST', `Cannot route '${shown}': ${reason}`);
}
