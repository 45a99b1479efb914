/**
 * `argus keys list | create --name N [--role R] | rotate <keyId> | revoke <keyId>`: API keys of a
 * project on a running server. A new or rotated secret is printed once, with the ways to send it.
 */
import { parseArgs } from 'node:util';
import { ArgusError } from '../errors.ts';
import { apiCall } from './http.ts';
import { table } from './query-commands.ts';
import { ACCESS_FLAGS, ACCESS_USAGE, withAccess } from './sign-in.ts';

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

/** An API key as the API answers it. */
interface KeyAnswer {
  id: string;
  projectId: string;
  name: string;
  role: string;
  secretPrefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
  secretKey?: string;
}

/** Runs `argus keys …`; resolves to the exit code. */
export async function runKeysCommand(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: FLAGS, allowPositionals: true, strict: true });
  const [action, id] = positionals;
  if (values.help || action === undefined) {
    process.stdout.write(`${KEYS_USAGE}\n`);
    return values.help ? 0 : 2;
  }
  const print = (value: unknown, text: string) =>
    process.stdout.write(values.json ? `${JSON.stringify(value, null, 2)}\n` : text);
  const keyId = () => {
    if (!id) throw new ArgusError('BAD_REQUEST', `Missing the key id (pk-argus-…). ${KEYS_USAGE}`);
    return encodeURIComponent(id);
  };
  return withAccess(values, env, async (target) => {
    switch (action) {
      case 'list': {
        const keys = (await apiCall<{ data: KeyAnswer[] }>(target, 'GET', '/api/v1/keys')).data;
        const rows = keys.map((k) => ({
          ...k,
          status: k.revokedAt ? 'revoked' : 'live',
          lastUsed: k.lastUsedAt ?? 'never',
        }));
        print(
          keys,
          rows.length
            ? table(rows, ['id', 'name', 'role', 'status', 'secretPrefix', 'createdAt', 'lastUsed'])
            : 'No API keys in this project.\n',
        );
        return 0;
      }
      case 'create': {
        if (!values.name) throw new ArgusError('BAD_REQUEST', `Missing --name. ${KEYS_USAGE}`);
        const body = { name: values.name, ...(values.role ? { role: values.role } : {}) };
        const key = await apiCall<KeyAnswer>(target, 'POST', '/api/v1/keys', { body });
        print(
          key,
          `Created API key '${key.name}' (role ${key.role}) in project '${key.projectId}'.\n${secretText(key, target.base)}`,
        );
        return 0;
      }
      case 'rotate': {
        const key = await apiCall<KeyAnswer>(target, 'POST', `/api/v1/keys/${keyId()}/rotate`);
        print(
          key,
          `Rotated API key '${key.name}': the old secret no longer works.\n${secretText(key, target.base)}`,
        );
        return 0;
      }
      case 'revoke': {
        const key = await apiCall<KeyAnswer>(target, 'DELETE', `/api/v1/keys/${keyId()}`);
        print(key, `Revoked API key ${key.id} ('${key.name}'); requests with it are refused from now on.\n`);
        return 0;
      }
      default:
        process.stderr.write(`argus keys: unknown action '${action}'\n${KEYS_USAGE}\n`);
        return 2;
    }
  });
}

/** The secret, the warning that it is shown once, and the three ways to send it. */
export function secretText(key: KeyAnswer, base: string): string {
  const secret = key.secretKey ?? '';
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
