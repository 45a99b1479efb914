/**
 * `argus keys list | create --name N [--role R] | rotate <keyId> | revoke <keyId>`: API keys of a
 * project on a running server. A new or rotated secret is printed once, with the ways to send it.
 */
import type { ApiKey, KeyWithSecret } from '@argus/shared';
import { type ActionCommand, runActionCommand, tableOr } from './action-command.ts';
import { UsageError } from './flags.ts';
import { apiCall } from './http.ts';
import { ACCESS_FLAGS, ACCESS_USAGE } from './sign-in.ts';

/** A key as the API answers it; created and rotated keys carry their secret once. */
type KeyAnswer = ApiKey | KeyWithSecret;

const FLAGS = {
  ...ACCESS_FLAGS,
  json: { type: 'boolean' },
  name: { type: 'string' },
  role: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Usage of `argus keys`. */
export const KEYS_USAGE = `Usage: argus keys <list | create --name NAME [--role ingest|viewer|member|admin] | rotate <keyId> | revoke <keyId>> [--json] ${ACCESS_USAGE}

  list     the project's keys (never their secrets)
  create   a new key; role ingest (default) can only send telemetry and scores
  rotate   a new secret for a key; the old one stops working at once
  revoke   disable a key for good

Needs the project's admin role: an admin API key (--api-key / ARGUS_API_KEY) or a user
(--user NAME with ARGUS_PASSWORD, --password-stdin or a prompt). --project picks the project.`;

/** Runs `argus keys …`; resolves to the exit code. */
export function runKeysCommand(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return runActionCommand(KEYS_COMMAND, args, env);
}

/** The key id operand, for a path. */
function keyId([id]: string[]): string {
  if (!id) throw new UsageError('keys', `Missing the key id (pk-argus-…). ${KEYS_USAGE}`);
  return encodeURIComponent(id);
}

const KEYS_COMMAND: ActionCommand<typeof FLAGS> = {
  name: 'keys',
  usage: KEYS_USAGE,
  flags: FLAGS,
  descriptions: {
    name: 'name of the new key (create)',
    role: 'role of the new key: ingest (default), viewer, member or admin',
  },
  actions: {
    async list({ target, print }) {
      const keys = (await apiCall<{ data: KeyAnswer[] }>(target, 'GET', '/api/v1/keys')).data;
      const rows = keys.map((k) => ({
        ...k,
        status: k.revokedAt ? 'revoked' : 'live',
        lastUsed: k.lastUsedAt ?? 'never',
      }));
      print(
        keys,
        tableOr(
          rows,
          ['id', 'name', 'role', 'status', 'secretPrefix', 'createdAt', 'lastUsed'],
          'No API keys in this project.',
        ),
      );
      return 0;
    },
    async create({ values, target, print }) {
      if (!values.name) throw new UsageError('keys', `Missing --name. ${KEYS_USAGE}`);
      const body = { name: values.name, ...(values.role ? { role: values.role } : {}) };
      const key = await apiCall<KeyAnswer>(target, 'POST', '/api/v1/keys', { body });
      print(
        key,
        `Created API key '${key.name}' (role ${key.role}) in project '${key.projectId}'.\n${secretText(key, target.base)}`,
      );
      return 0;
    },
    async rotate({ operands, target, print }) {
      const key = await apiCall<KeyAnswer>(target, 'POST', `/api/v1/keys/${keyId(operands)}/rotate`);
      print(
        key,
        `Rotated API key '${key.name}': the old secret no longer works.\n${secretText(key, target.base)}`,
      );
      return 0;
    },
    async revoke({ operands, target, print }) {
      const key = await apiCall<KeyAnswer>(target, 'DELETE', `/api/v1/keys/${keyId(operands)}`);
      print(key, `Revoked API key ${key.id} ('${key.name}'); requests with it are refused from now on.\n`);
      return 0;
    },
  },
};

/** The secret, the warning that it is shown once, and the three ways to send it. */
export function secretText(key: KeyAnswer, base: string): string {
  const secret = 'secretKey' in key ? key.secretKey : '';
  const basic = Buffer.from(`${key.id}:${secret}`).toString('base64');
  return `
  Public key  ${key.id}
  Secret key  ${secret}

This secret is shown only this once and cannot be retrieved later (Argus stores only its hash).
Store it now, e.g. in your secret manager.

Send it in any one of these ways:
  Authorization: Bearer ${secret}
  x-api-key: ${secret}
  Authorization: Basic ${basic}      (public:secret, as Langfuse SDKs send it)

OpenTelemetry exporters:
  export OTEL_EXPORTER_OTLP_ENDPOINT=${base}
  export OTEL_EXPORTER_OTLP_HEADERS="Authorization=Bearer%20${secret}"
`;
}
