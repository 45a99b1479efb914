/**
 * What the server knows about a request once it is authenticated: the principal (a user, an API
 * key, or anonymous in open mode), the project it acts on and its role there. The dispatcher
 * (server.ts) sets it before any handler runs; handlers read it through these functions, so
 * route code stays synchronous and never parses credentials itself.
 */
import type { IncomingMessage } from 'node:http';
import { ROLES, type Role } from '@argus/shared';
import type { AuditActor } from '../audit/audit-log.ts';
import { ArgusError } from '../errors.ts';

export { ROLES, type Role };

/** Who is calling. */
export type Principal =
  | {
      kind: 'user';
      id: string;
      username: string;
      /** Instance administrator: admin on every project, manages users and projects. */
      isAdmin: boolean;
      /** Role per project id. */
      roles: ReadonlyMap<string, Role>;
      /** The session's CSRF token (unsafe methods must echo it). */
      csrfToken: string;
    }
  | {
      kind: 'key';
      id: string;
      name: string;
      projectId: string;
      role: Role;
      /** The key's own request rates per second; null = the server's defaults. */
      rateLimits: { ingest?: number; api?: number } | null;
    }
  | {
      /** Authentication is off (open mode on loopback): every request is an instance admin. */
      kind: 'anonymous';
    };

/** The authentication of one request. */
export interface RequestAuth {
  principal: Principal;
  /** The project the request acts on. */
  projectId: string;
  /** The principal's role on that project. */
  role: Role;
  /** True when the principal administers the whole instance (users, projects, every project). */
  instanceAdmin: boolean;
  /** The client address the dispatcher resolved (X-Forwarded-For only behind a trusted proxy). */
  ip?: string;
}

const auths = new WeakMap<IncomingMessage, RequestAuth>();

/** Records a request's authentication (the dispatcher does this once per request). */
export function setRequestAuth(request: IncomingMessage, auth: RequestAuth): void {
  auths.set(request, auth);
}

/** The request's authentication; throws when the dispatcher did not set it (a wiring bug). */
export function requestAuth(request: IncomingMessage): RequestAuth {
  const auth = auths.get(request);
  if (!auth) throw new ArgusError('UNAUTHORIZED', 'Cannot serve the request: it is not authenticated');
  return auth;
}

/** The request's authentication, or undefined when it has none (public and optional routes). */
export function maybeRequestAuth(request: IncomingMessage): RequestAuth | undefined {
  return auths.get(request);
}

/** The project a request acts on. */
export function projectOfRequest(request: IncomingMessage): string {
  return requestAuth(request).projectId;
}

/** The audit actor of a request. */
export function actorOf(request: IncomingMessage): AuditActor {
  const { principal } = requestAuth(request);
  if (principal.kind === 'user') return { type: 'user', id: principal.id, name: principal.username };
  if (principal.kind === 'key') return { type: 'key', id: principal.id, name: principal.name };
  return { type: 'anonymous', id: 'anonymous', name: 'anonymous (auth off)' };
}

/** The client address: as the dispatcher resolved it (`--trust-proxy`), else the socket's. */
export function clientIp(request: IncomingMessage): string {
  return auths.get(request)?.ip ?? request.socket.remoteAddress ?? '';
}
