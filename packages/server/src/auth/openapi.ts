/**
 * OpenAPI paths of access control: sign-in and sessions, projects, API keys, members,
 * invitations, instance user administration and the audit log. Request bodies and the audit
 * query come from the zod schemas that validate them (schemas.ts); response schemas and security
 * schemes are in openapi-schemas.ts.
 */
import {
  BAD_REQUEST,
  fromZod,
  jsonAnswer,
  jsonBody,
  NOT_FOUND,
  queryParams,
  ref,
  type Schema,
  STRING as str,
} from '../http/openapi-helpers.ts';
import {
  acceptSchema,
  auditQuerySchema,
  inviteSchema,
  keyCreateSchema,
  loginSchema,
  passwordChangeSchema,
  projectCreateSchema,
  projectRenameSchema,
  roleBodySchema,
  userCreateSchema,
  userUpdateSchema,
} from './schemas.ts';

const listOf = (item: string) =>
  jsonAnswer({ type: 'object', properties: { data: { type: 'array', items: ref(item) } } });
const errors = (...codes: number[]) =>
  Object.fromEntries(
    codes.map((code) => [
      String(code),
      code === 400
        ? BAD_REQUEST
        : code === 404
          ? NOT_FOUND
          : jsonAnswer(ref('Error'), ERROR_TEXT[code] ?? 'Error'),
    ]),
  );
const ERROR_TEXT: Record<number, string> = {
  401: 'UNAUTHORIZED: no or invalid credentials, or the session ended',
  403: 'FORBIDDEN: the role does not allow it (the message names the role needed), or the CSRF check failed',
  409: 'CONFLICT: the name is taken, or the change would leave no administrator',
  429: 'RATE_LIMITED: see Retry-After',
};
const path = (name: string, description: string) => ({
  name,
  in: 'path',
  required: true,
  description,
  schema: { type: 'string' },
});
/** Operation without credentials. */
const PUBLIC = { security: [] };

/** Every access-control path. */
export const AUTH_PATHS: Record<string, Schema> = {
  '/api/v1/auth/config': {
    get: {
      ...PUBLIC,
      summary: 'Authentication settings',
      description:
        'Whether sign-in is required, the session limits, and single sign-on (`sso: { enabled, name }` or null) — for the console’s sign-in page.',
      responses: { '200': jsonAnswer({ type: 'object' }) },
    },
  },
  '/api/v1/auth/oidc/start': {
    get: {
      ...PUBLIC,
      summary: 'Start single sign-on (OIDC)',
      description:
        'A browser navigation, not an API call: redirects to the OpenID provider (authorization code + PKCE S256, state, nonce), kept in the sealed `argus_oidc` cookie (HttpOnly, SameSite=Lax, 10 minutes). When single sign-on is off or the provider cannot be reached: 302 to `/sign-in?error=sso_unavailable`.',
      parameters: [
        {
          name: 'returnTo',
          in: 'query',
          description: 'Where to land after signing in: a path of this server; anything else is `/`.',
          schema: { type: 'string', default: '/' },
        },
      ],
      responses: { '302': { description: 'To the provider; Set-Cookie: argus_oidc=…' } },
    },
  },
  '/api/v1/auth/oidc/callback': {
    get: {
      ...PUBLIC,
      summary: 'Single sign-on callback (OIDC)',
      description:
        'The provider redirects here. Checks the state against the `argus_oidc` cookie, exchanges the code, validates the ID token (signature via JWKS, issuer, audience, nonce, expiry), finds, links or creates the user and starts a session as the password sign-in does. Failures redirect to `/sign-in?error=<code>` (sso_unavailable, sso_state, sso_denied, sso_invalid, sso_email, sso_domain, sso_conflict, sso_rate_limited) and are audited.',
      parameters: [
        { name: 'code', in: 'query', schema: str },
        { name: 'state', in: 'query', schema: str },
        { name: 'error', in: 'query', description: 'The provider’s error, instead of a code.', schema: str },
      ],
      responses: {
        '302': {
          description:
            'Signed in: to `returnTo`, with Set-Cookie: argus_session=…; refused: to `/sign-in?error=<code>`',
        },
      },
    },
  },
  '/api/v1/auth/login': {
    post: {
      ...PUBLIC,
      summary: 'Sign in',
      description:
        'Checks the password (scrypt) and starts a session: the answer sets the `argus_session` cookie and carries the CSRF token. At most 5 attempts per user name and 30 per address in 15 minutes.',
      requestBody: jsonBody(fromZod(loginSchema)),
      responses: {
        '200': jsonAnswer(ref('SignIn'), 'Signed in; Set-Cookie: argus_session=…'),
        ...errors(400, 401, 429),
      },
    },
  },
  '/api/v1/auth/logout': {
    post: {
      summary: 'Sign out',
      description: 'Ends the session and clears the cookie.',
      responses: { '200': jsonAnswer({ type: 'object', properties: { signedOut: { type: 'boolean' } } }) },
    },
  },
  '/api/v1/auth/me': {
    get: {
      summary: 'Who am I',
      description:
        'The caller (user, API key or anonymous), their projects and roles, and the CSRF token of the session.',
      responses: { '200': jsonAnswer({ type: 'object' }), ...errors(401) },
    },
  },
  '/api/v1/auth/password': {
    post: {
      summary: 'Change my password',
      description:
        'Needs the current password; the new one has at least 12 characters. Ends the user’s other sessions.',
      requestBody: jsonBody(fromZod(passwordChangeSchema)),
      responses: { '200': jsonAnswer({ type: 'object' }), ...errors(400, 403) },
    },
  },
  '/api/v1/auth/invites/accept': {
    post: {
      ...PUBLIC,
      summary: 'Accept an invitation',
      description:
        'Creates the invited user with this password, adds them to the project with the invited role and signs them in (same answer and cookie as sign-in). A token works once.',
      requestBody: jsonBody(fromZod(acceptSchema)),
      responses: { '200': jsonAnswer(ref('SignIn'), 'Signed in'), ...errors(400, 404, 409) },
    },
  },
  '/api/v1/projects': {
    get: {
      summary: 'List my projects',
      description:
        'The projects the caller can act on, with their role (every project for instance administrators).',
      responses: {
        '200': jsonAnswer({
          type: 'object',
          properties: { data: { type: 'array', items: { type: 'object' } } },
        }),
      },
    },
    post: {
      summary: 'Create a project',
      description: 'Instance administrators only; the creator becomes its admin.',
      requestBody: jsonBody(fromZod(projectCreateSchema)),
      responses: { '201': jsonAnswer({ type: 'object' }, 'Created'), ...errors(400, 403, 409) },
    },
  },
  '/api/v1/projects/{projectId}': {
    parameters: [path('projectId', 'Project id')],
    patch: {
      summary: 'Rename a project',
      requestBody: jsonBody(fromZod(projectRenameSchema)),
      responses: { '200': jsonAnswer({ type: 'object' }), ...errors(400, 403, 404) },
    },
  },
  '/api/v1/keys': {
    get: {
      summary: 'List API keys',
      description: 'Keys of the project, revoked ones included; never secrets.',
      responses: { '200': listOf('ApiKey'), ...errors(403) },
    },
    post: {
      summary: 'Create an API key',
      description:
        'The answer carries `secretKey` once; only its hash is stored. Role `ingest` (default) can only send telemetry and scores.',
      requestBody: jsonBody(fromZod(keyCreateSchema)),
      responses: { '201': jsonAnswer(ref('ApiKey'), 'Created'), ...errors(400, 403) },
    },
  },
  '/api/v1/keys/{keyId}/rotate': {
    parameters: [path('keyId', 'The public key, pk-argus-…')],
    post: {
      summary: 'Rotate an API key',
      description: 'A new secret (answered once); the old one stops working at once.',
      responses: { '200': jsonAnswer(ref('ApiKey')), ...errors(403, 404) },
    },
  },
  '/api/v1/keys/{keyId}': {
    parameters: [path('keyId', 'The public key, pk-argus-…')],
    delete: {
      summary: 'Revoke an API key',
      responses: { '200': jsonAnswer(ref('ApiKey')), ...errors(403, 404) },
    },
  },
  '/api/v1/members': {
    get: {
      summary: 'List members',
      description: 'Users of the project and their roles (project admins).',
      responses: { '200': listOf('Membership'), ...errors(403) },
    },
  },
  '/api/v1/members/{userId}': {
    parameters: [path('userId', 'User id, usr_…')],
    put: {
      summary: "Set a member's role",
      description:
        'viewer, member or admin. Refused (409) when it would leave the project without an admin and there is no instance administrator.',
      requestBody: jsonBody(fromZod(roleBodySchema)),
      responses: { '200': jsonAnswer(ref('Membership')), ...errors(400, 403, 404, 409) },
    },
    delete: {
      summary: 'Remove a member',
      description: 'Their access to the project ends at once (same last-admin rule).',
      responses: { '200': jsonAnswer({ type: 'object' }), ...errors(403, 404, 409) },
    },
  },
  '/api/v1/invites': {
    get: { summary: 'List pending invitations', responses: { '200': listOf('Invite'), ...errors(403) } },
    post: {
      summary: 'Invite a user',
      description:
        'An existing user is added at once (`added: true`). Otherwise an invitation valid 7 days is created (`added: false`) with its `token` and `acceptUrl` (`<origin>/accept-invite#token=…`), shown only in this answer.',
      requestBody: jsonBody(fromZod(inviteSchema)),
      responses: {
        '201': jsonAnswer(
          {
            type: 'object',
            properties: {
              added: { type: 'boolean' },
              member: ref('Membership'),
              invite: ref('Invite'),
              token: str,
              acceptUrl: str,
            },
          },
          'Added or invited',
        ),
        ...errors(400, 403, 409),
      },
    },
  },
  '/api/v1/invites/{inviteId}': {
    parameters: [path('inviteId', 'Invitation id (16 hex characters)')],
    delete: {
      summary: 'Revoke an invitation',
      responses: { '200': jsonAnswer({ type: 'object' }), ...errors(403, 404) },
    },
  },
  '/api/v1/admin/users': {
    get: {
      summary: 'List users',
      description: 'Every user with their memberships (instance administrators).',
      responses: { '200': listOf('AuthUser'), ...errors(403) },
    },
    post: {
      summary: 'Create a user',
      description: 'Without `password`, one is generated and answered once as `password`.',
      requestBody: jsonBody(fromZod(userCreateSchema)),
      responses: {
        '201': jsonAnswer(
          { type: 'object', properties: { user: ref('AuthUser'), password: str } },
          'Created',
        ),
        ...errors(400, 403, 404, 409),
      },
    },
  },
  '/api/v1/admin/users/{userId}': {
    parameters: [path('userId', 'User id, usr_…')],
    patch: {
      summary: 'Rename or promote a user',
      description: 'Refused for demoting the last instance administrator (409) or yourself (403).',
      requestBody: jsonBody(fromZod(userUpdateSchema)),
      responses: { '200': jsonAnswer(ref('AuthUser')), ...errors(400, 403, 404, 409) },
    },
    delete: {
      summary: 'Delete a user',
      description:
        'Ends their sessions. Refused for the last instance administrator (409) or yourself (403).',
      responses: { '200': jsonAnswer({ type: 'object' }), ...errors(403, 404, 409) },
    },
  },
  '/api/v1/admin/users/{userId}/reset-password': {
    parameters: [path('userId', 'User id, usr_…')],
    post: {
      summary: "Reset a user's password",
      description: 'Sets a generated password, answered once, and ends their sessions.',
      responses: {
        '200': jsonAnswer({
          type: 'object',
          properties: { password: str, sessionsEnded: { type: 'integer' } },
        }),
        ...errors(403, 404),
      },
    },
  },
  '/api/v1/audit': {
    get: {
      summary: 'Audit log',
      description:
        'Entries newest first (project admins: their project; `scope=all`: everything, instance administrators). `action=key.` matches every key action. `cursor` is the `nextCursor` of the previous page.',
      parameters: queryParams(auditQuerySchema),
      responses: {
        '200': jsonAnswer({
          type: 'object',
          properties: {
            data: { type: 'array', items: ref('AuditEntry') },
            nextCursor: { type: ['string', 'null'] },
          },
        }),
        ...errors(400, 403),
      },
    },
  },
  '/api/v1/audit/verify': {
    get: {
      summary: 'Verify the audit chain',
      description: 'Recomputes the hash chain; `brokenAt` is the first entry that was altered or removed.',
      responses: {
        '200': jsonAnswer({
          type: 'object',
          properties: {
            ok: { type: 'boolean' },
            checked: { type: 'integer' },
            brokenAt: { type: 'integer' },
          },
        }),
        ...errors(403),
      },
    },
  },
};
