/**
 * Components of the access-control API in the OpenAPI document: response schemas (users,
 * memberships, keys, invitations, audit entries, sign-in) and the security schemes — three ways to
 * send an API key, and the console's session cookie with its CSRF header.
 */
import { object, ref, type Schema, STRING as str, DATE_TIME as time } from '../http/openapi-helpers.ts';

const role = { type: 'string', enum: ['ingest', 'viewer', 'member', 'admin'] };
const nullableTime = (description?: string): Schema => ({
  type: ['string', 'null'],
  format: 'date-time',
  ...(description ? { description } : {}),
});

/** Schemas of the access-control API, merged into components.schemas. */
export const AUTH_SCHEMAS: Record<string, Schema> = {
  AuthUser: object(
    {
      id: { type: 'string', examples: ['usr_5f2b9c0e1a7d3e4f61'] },
      username: str,
      displayName: str,
      isAdmin: { type: 'boolean', description: 'Instance administrator' },
      createdAt: time,
      memberships: {
        type: 'array',
        description: 'Only in /api/v1/admin/users answers',
        items: { type: 'object', properties: { projectId: str, role } },
      },
    },
    ['memberships'],
  ),
  Membership: object({ userId: str, username: str, displayName: str, projectId: str, role, createdAt: time }),
  ApiKey: object(
    {
      id: { type: 'string', description: 'The public key (pk-argus-…), the user part of Basic auth' },
      projectId: str,
      name: str,
      role,
      secretPrefix: { type: 'string', description: 'First characters of the secret, to recognise it' },
      rateLimits: {
        type: ['object', 'null'],
        properties: { ingest: { type: 'integer' }, api: { type: 'integer' } },
        description: 'Requests per second (bursts of twice that); null = the server defaults',
      },
      createdAt: time,
      createdBy: str,
      rotatedAt: nullableTime(),
      lastUsedAt: nullableTime('Updated at most once a minute'),
      revokedAt: nullableTime(),
      secretKey: { type: 'string', description: 'Only when created or rotated: shown once, never stored' },
      publicKey: { type: 'string', description: 'Only when created or rotated: same as id' },
    },
    ['rateLimits', 'rotatedAt', 'lastUsedAt', 'revokedAt', 'secretKey', 'publicKey'],
  ),
  Invite: object({
    id: { type: 'string', pattern: '^[0-9a-f]{16}$' },
    username: str,
    projectId: str,
    role,
    createdBy: str,
    createdAt: time,
    expiresAt: time,
  }),
  AuditEntry: object({
    seq: { type: 'integer' },
    time,
    actor: {
      type: 'object',
      properties: {
        type: { type: 'string', enum: ['user', 'key', 'system', 'anonymous'] },
        id: str,
        name: str,
      },
    },
    projectId: { type: 'string', description: "'' for instance-wide actions (sign-ins, users, projects)" },
    action: { type: 'string', examples: ['key.create', 'auth.login', 'member.role', 'data.export'] },
    target: str,
    details: { type: 'object', description: 'Facts about the action; never passwords, secrets or tokens' },
    ip: str,
    outcome: { type: 'string', enum: ['success', 'failure'] },
    hash: { type: 'string', description: 'SHA-256 chained over the previous entry' },
  }),
  SignIn: object({
    user: ref('AuthUser'),
    csrfToken: { type: 'string', description: 'Send it as x-argus-csrf on every POST/PUT/PATCH/DELETE' },
    expiresAt: time,
    idleTimeoutSeconds: { type: 'integer' },
  }),
};

/** The ways to authenticate, for components.securitySchemes. */
export const SECURITY_SCHEMES: Record<string, Schema> = {
  bearerKey: {
    type: 'http',
    scheme: 'bearer',
    description:
      'An API key secret: `Authorization: Bearer sk-argus-…` (OTLP exporters: OTEL_EXPORTER_OTLP_HEADERS="Authorization=Bearer sk-argus-…"). The key selects the project.',
  },
  apiKeyHeader: {
    type: 'apiKey',
    in: 'header',
    name: 'x-api-key',
    description: 'The API key secret in `x-api-key` (LangSmith SDKs send it there).',
  },
  basicKey: {
    type: 'http',
    scheme: 'basic',
    description:
      'Public key as the user name and secret as the password: `Basic base64(pk-argus-…:sk-argus-…)` (Langfuse SDKs).',
  },
  session: {
    type: 'apiKey',
    in: 'cookie',
    name: 'argus_session',
    description:
      'The console session from POST /api/v1/auth/login (HttpOnly, SameSite=Strict, Secure over HTTPS). POST, PUT, PATCH and DELETE must also send the `csrf` header. `x-argus-project` (or `?project=`) picks the project.',
  },
  csrf: {
    type: 'apiKey',
    in: 'header',
    name: 'x-argus-csrf',
    description: "The session's CSRF token (`csrfToken` of the sign-in answer and of GET /api/v1/auth/me).",
  },
};

/** Any one of them (with authentication off on loopback, none is needed). */
export const DEFAULT_SECURITY: Schema[] = [
  { bearerKey: [] },
  { apiKeyHeader: [] },
  { basicKey: [] },
  { session: [], csrf: [] },
];
