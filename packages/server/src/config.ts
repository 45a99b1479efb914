/**
 * The only reader of environment variables and command-line flags. Precedence: flag > env >
 * default. The result is validated once and frozen, then passed down explicitly.
 * Every option is documented in docs/configuration.md (keep the two in step).
 */
import path from 'node:path';
import { z } from 'zod';
import { ArgusError } from './errors.ts';

/** A whole number in [min, max]; every failure says so in one sentence (not the validator's words). */
const intFrom = (min: number, max: number) => {
  const error = `must be a whole number from ${min} to ${max}`;
  return z.coerce.number({ error }).int({ error }).min(min, { error }).max(max, { error });
};
/** `true`/`false`/`1`/`0` (env and flags are text; a bare boolean flag arrives as `true`). */
const bool = z
  .union([z.boolean(), z.enum(['true', 'false', '1', '0'])])
  .transform((v) => v === true || v === 'true' || v === '1');
/** Login names: letters, digits and `._@-`, 1–64 characters. */
export const USERNAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._@+-]{0,63}$/;
const DOMAIN_PATTERN = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/;
const EMAIL_PATTERN = /^[^\s@]+@[a-z0-9.-]+$/;
const ALLOWED_HOST_PATTERN =
  /^((\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*|[0-9a-f:.]{2,45}(\/\d{1,3})?)$/;
/** An http(s) URL without query or fragment. */
const httpUrl = z
  .string()
  .url()
  .refine(
    (v) => /^https?:\/\//i.test(v) && !v.includes('?') && !v.includes('#'),
    'must be an http(s) URL without ? or #',
  );
/** A comma-separated list, trimmed and lowercased, empty entries dropped. */
const csv = (item: z.ZodString) =>
  z
    .string()
    .transform((v) =>
      v
        .split(',')
        .map((x) => x.trim().toLowerCase())
        .filter(Boolean),
    )
    .pipe(z.array(item));

const schema = z.object({
  port: intFrom(0, 65535).default(4318),
  /** OTLP/gRPC port; 0 turns the gRPC receiver off. */
  grpcPort: intFrom(0, 65535).default(4317),
  /** A second port serving only the gateway's `/gateway/*` routes; unset = none (0 = any free port). */
  gatewayPort: intFrom(0, 65535).optional(),
  host: z.string().min(1).default('127.0.0.1'),
  dataDir: z.string().min(1).default('./.argus'),
  clickhouseUrl: z.string().url().optional(),
  clickhouseUser: z.string().default('default'),
  clickhousePassword: z.string().default(''),
  clickhouseDatabase: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be a plain identifier')
    .default('default'),
  clickhouseProfile: z.enum(['single', 'replicated', 'sharded']).default('single'),
  clickhouseCluster: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_.-]*$/, 'must be a plain identifier')
    .default('default'),
  databaseUrl: z.string().optional(),
  chdbMaxMemoryBytes: intFrom(64 * 1024 * 1024, 2 ** 48).default(1024 * 1024 * 1024),
  retentionDays: intFrom(1, 36500).default(30),
  maxBodyBytes: intFrom(1024, 1024 ** 3).default(16 * 1024 * 1024),
  maxDecompressedBytes: intFrom(1024, 4 * 1024 ** 3).default(64 * 1024 * 1024),
  /** Request-body bytes (raw and inflated) all ingest requests may hold at once while reading. */
  maxInflightBodyBytes: intFrom(1024 * 1024, 64 * 1024 ** 3).default(256 * 1024 * 1024),
  maxAttributeValueChars: intFrom(256, 16 * 1024 * 1024).default(16_384),
  maxContentChars: intFrom(1024, 64 * 1024 * 1024).default(1_048_576),
  maxAttributes: intFrom(16, 100_000).default(512),
  maxAttributeDepth: intFrom(2, 128).default(16),
  writerMaxBatchRows: intFrom(1, 1_000_000).default(20_000),
  /** Most TSV bytes per insert: the embedded engine's working memory for an insert is ~10x this (issue 20). */
  writerMaxBatchBytes: intFrom(64 * 1024, 1024 ** 3).default(16 * 1024 * 1024),
  writerMaxQueueBytes: intFrom(1024 * 1024, 16 * 1024 ** 3).default(256 * 1024 * 1024),
  /** Unset = 1000 ms with the write-ahead log (rows wait to share an insert), 50 ms without. */
  writerFlushIntervalMs: intFrom(0, 60_000).optional(),
  /** Acknowledge ingest once rows are in the write-ahead log (`<data dir>/wal`), insert in batches after. */
  wal: bool.default(true),
  /** fdatasync the write-ahead log before acknowledging (survives a power cut; off = kill -9 only). */
  walFsync: bool.default(true),
  dedupeWindowSpans: intFrom(0, 50_000_000).default(1_000_000),
  queryTimeoutMs: intFrom(100, 600_000).default(30_000),
  alertsIntervalMs: intFrom(0, 3_600_000).default(30_000),
  /** How often the online worker runs evaluation rules and output-health checks; 0 = never on this server. */
  onlineIntervalMs: intFrom(0, 3_600_000).default(10_000),
  /** How often per-project retention policies are enforced; 0 = never on this server. */
  retentionSweepIntervalMs: intFrom(0, 7 * 86_400_000).default(3_600_000),
  /** How often the start command prints an ingest line while data flows; 0 = never. */
  heartbeatIntervalMs: intFrom(0, 3_600_000).default(5000),
  logLevel: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  /** PII redaction before storage: `default` policy or `off` (docs/security.md). */
  redaction: z.enum(['default', 'off']).default('default'),
  /** HMAC key of the `hash` redaction action; unset = generated once and kept in the metadata store. */
  redactionHashKey: z.string().min(16).optional(),
  /** Authentication: `on` or `off`; unset = off on a loopback address, on anywhere else. */
  auth: z.enum(['on', 'off']).optional(),
  /** Allows `--auth off` on a non-loopback address (anyone who reaches it can read everything). */
  insecure: bool.default(false),
  /** The first administrator, created at first start with auth on. */
  adminUsername: z.string().regex(USERNAME_PATTERN, 'must be 1-64 letters, digits or ._@+-').default('admin'),
  /** Their password; unset = a random one printed once at first start. */
  adminPassword: z.string().min(12, 'must have at least 12 characters').max(1024).optional(),
  /** Console sessions end this long after login, whatever the activity. */
  sessionTtlSeconds: intFrom(1, 366 * 86400).default(7 * 86400),
  /** … or after this long without a request. */
  sessionIdleSeconds: intFrom(1, 366 * 86400).default(12 * 3600),
  /** Ingest requests per second per API key (bursts of twice that); 0 = unlimited. */
  rateLimitIngest: intFrom(0, 1_000_000).default(200),
  /** API requests per second per API key or user (bursts of twice that); 0 = unlimited. */
  rateLimitApi: intFrom(0, 1_000_000).default(50),
  /** Key sealing stored secrets (alert channels); unset = `<data dir>/secret.key`, generated. */
  secretKey: z.string().min(32, 'must have at least 32 characters').max(1024).optional(),
  /** Trust X-Forwarded-For / X-Forwarded-Proto from a reverse proxy (client address, Secure cookies). */
  trustProxy: bool.default(false),
  /** The external base URL (OIDC redirect URI); unset = derived from the Host header, on loopback only. */
  publicUrl: httpUrl.transform((v) => v.replace(/\/+$/, '')).optional(),
  /** OpenID Connect sign-in: the provider's issuer, exactly as its discovery document names it. */
  oidcIssuer: httpUrl.optional(),
  oidcClientId: z.string().min(1).max(1024).optional(),
  /** Unset = a public client (PKCE only). */
  oidcClientSecret: z.string().min(1).max(4096).optional(),
  /** The provider's name on the sign-in button. */
  oidcName: z.string().trim().min(1).max(40).default('SSO'),
  /** Role on the `default` project of users created by a first SSO sign-in. */
  oidcDefaultRole: z.enum(['none', 'viewer', 'member']).default('none'),
  /** E-mail domains allowed to sign in with SSO; empty = any. */
  oidcAllowedDomains: csv(
    z.string().regex(DOMAIN_PATTERN, 'must be e-mail domains like example.com'),
  ).default([]),
  /** E-mail addresses that become instance administrators at their first SSO sign-in. */
  oidcAdminEmails: csv(z.string().regex(EMAIL_PATTERN, 'must be e-mail addresses')).default([]),
  /**
   * Private, loopback or link-local hosts LLM connections may call while authentication is on
   * (host names, `*.suffix`, addresses or CIDR ranges); others are refused (SSRF guard).
   */
  llmAllowedHosts: csv(
    z.string().regex(ALLOWED_HOST_PATTERN, 'must be host names, *.suffixes, IP addresses or CIDR ranges'),
  ).default([]),
});

/** Options given as bare flags (`--insecure`), not `--name value`. */
export const BOOLEAN_OPTIONS: ReadonlySet<string> = new Set(['insecure', 'trustProxy']);

/** True for addresses only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/** The validated, frozen server configuration. */
export type Config = Readonly<z.infer<typeof schema>> & {
  /** Absolute data directory. */
  readonly dataDirAbsolute: string;
  /** `embedded` when no ClickHouse URL is set (chDB in the data dir), else `server`. */
  readonly storageMode: 'embedded' | 'server';
  /** Authentication as it applies: `--auth`, else off on loopback and on elsewhere. */
  readonly authMode: 'on' | 'off';
  /** The listening address is loopback-only. */
  readonly loopback: boolean;
};

/** The raw inputs, before validation: flag values by option name. */
export type ConfigInput = Partial<Record<keyof z.infer<typeof schema>, string | number | undefined>>;

/** Environment variable for each option. */
export const ENV_NAMES: Readonly<Record<keyof z.infer<typeof schema>, string>> = {
  port: 'ARGUS_PORT',
  grpcPort: 'ARGUS_GRPC_PORT',
  gatewayPort: 'ARGUS_GATEWAY_PORT',
  host: 'ARGUS_HOST',
  dataDir: 'ARGUS_DATA_DIR',
  clickhouseUrl: 'ARGUS_CLICKHOUSE_URL',
  clickhouseUser: 'ARGUS_CLICKHOUSE_USER',
  clickhousePassword: 'ARGUS_CLICKHOUSE_PASSWORD',
  clickhouseDatabase: 'ARGUS_CLICKHOUSE_DATABASE',
  clickhouseProfile: 'ARGUS_CLICKHOUSE_PROFILE',
  clickhouseCluster: 'ARGUS_CLICKHOUSE_CLUSTER',
  databaseUrl: 'ARGUS_DATABASE_URL',
  chdbMaxMemoryBytes: 'ARGUS_CHDB_MAX_MEMORY_BYTES',
  retentionDays: 'ARGUS_RETENTION_DAYS',
  maxBodyBytes: 'ARGUS_MAX_BODY_BYTES',
  maxDecompressedBytes: 'ARGUS_MAX_DECOMPRESSED_BYTES',
  maxInflightBodyBytes: 'ARGUS_MAX_INFLIGHT_BODY_BYTES',
  maxAttributeValueChars: 'ARGUS_MAX_ATTRIBUTE_VALUE_CHARS',
  maxContentChars: 'ARGUS_MAX_CONTENT_CHARS',
  maxAttributes: 'ARGUS_MAX_ATTRIBUTES',
  maxAttributeDepth: 'ARGUS_MAX_ATTRIBUTE_DEPTH',
  writerMaxBatchRows: 'ARGUS_WRITER_MAX_BATCH_ROWS',
  writerMaxBatchBytes: 'ARGUS_WRITER_MAX_BATCH_BYTES',
  writerMaxQueueBytes: 'ARGUS_WRITER_MAX_QUEUE_BYTES',
  writerFlushIntervalMs: 'ARGUS_WRITER_FLUSH_INTERVAL_MS',
  wal: 'ARGUS_WAL',
  walFsync: 'ARGUS_WAL_FSYNC',
  dedupeWindowSpans: 'ARGUS_DEDUPE_WINDOW_SPANS',
  queryTimeoutMs: 'ARGUS_QUERY_TIMEOUT_MS',
  alertsIntervalMs: 'ARGUS_ALERTS_INTERVAL_MS',
  onlineIntervalMs: 'ARGUS_ONLINE_INTERVAL_MS',
  retentionSweepIntervalMs: 'ARGUS_RETENTION_SWEEP_INTERVAL_MS',
  heartbeatIntervalMs: 'ARGUS_HEARTBEAT_INTERVAL_MS',
  logLevel: 'ARGUS_LOG_LEVEL',
  redaction: 'ARGUS_REDACTION',
  redactionHashKey: 'ARGUS_REDACTION_HASH_KEY',
  auth: 'ARGUS_AUTH',
  insecure: 'ARGUS_INSECURE',
  adminUsername: 'ARGUS_ADMIN_USERNAME',
  adminPassword: 'ARGUS_ADMIN_PASSWORD',
  sessionTtlSeconds: 'ARGUS_SESSION_TTL_SECONDS',
  sessionIdleSeconds: 'ARGUS_SESSION_IDLE_SECONDS',
  rateLimitIngest: 'ARGUS_RATE_LIMIT_INGEST',
  rateLimitApi: 'ARGUS_RATE_LIMIT_API',
  trustProxy: 'ARGUS_TRUST_PROXY',
  secretKey: 'ARGUS_SECRET_KEY',
  publicUrl: 'ARGUS_PUBLIC_URL',
  oidcIssuer: 'ARGUS_OIDC_ISSUER',
  oidcClientId: 'ARGUS_OIDC_CLIENT_ID',
  oidcClientSecret: 'ARGUS_OIDC_CLIENT_SECRET',
  oidcName: 'ARGUS_OIDC_NAME',
  oidcDefaultRole: 'ARGUS_OIDC_DEFAULT_ROLE',
  oidcAllowedDomains: 'ARGUS_OIDC_ALLOWED_DOMAINS',
  oidcAdminEmails: 'ARGUS_OIDC_ADMIN_EMAILS',
  llmAllowedHosts: 'ARGUS_LLM_ALLOWED_HOSTS',
};

/**
 * Builds the configuration from flags and an environment.
 * @throws ArgusError CONFIG_INVALID naming the option, its source and what is wrong.
 */
export function loadConfig(flags: ConfigInput = {}, env: NodeJS.ProcessEnv = process.env): Config {
  const raw: Record<string, unknown> = {};
  const sources: Record<string, string> = {};
  for (const [key, envName] of Object.entries(ENV_NAMES)) {
    const flag = flags[key as keyof ConfigInput];
    const fromEnv = env[envName];
    if (flag !== undefined && flag !== '') {
      raw[key] = flag;
      sources[key] = `flag --${kebab(key)}`;
    } else if (fromEnv !== undefined && fromEnv !== '') {
      raw[key] = fromEnv;
      sources[key] = `env ${envName}`;
    }
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const key = String(issue?.path[0] ?? '');
    const source = sources[key] ?? 'default';
    throw new ArgusError(
      'CONFIG_INVALID',
      `Invalid configuration: '${key}' from ${source} is ${JSON.stringify(raw[key])}: ${issueText(issue)}`,
    );
  }
  const value = parsed.data;
  const loopback = isLoopbackHost(value.host);
  const authMode = value.auth ?? (loopback ? 'off' : 'on');
  if (authMode === 'off' && !loopback && !value.insecure) {
    throw new ArgusError(
      'CONFIG_INVALID',
      `Refusing to start: listening on ${value.host} with authentication off would let anyone who reaches it read and change every prompt. Leave --auth unset (authentication is on by default beyond loopback), or pass --insecure (${ENV_NAMES.insecure}=true) to accept that risk.`,
    );
  }
  checkOidc(value, sources, loopback, authMode);
  if (value.maxInflightBodyBytes < value.maxBodyBytes + value.maxDecompressedBytes) {
    throw new ArgusError(
      'CONFIG_INVALID',
      `Invalid configuration: 'maxInflightBodyBytes' (${value.maxInflightBodyBytes}) is smaller than one largest request holds while it is read (--max-body-bytes ${value.maxBodyBytes} + --max-decompressed-bytes ${value.maxDecompressedBytes}); raise it or lower those`,
    );
  }
  return Object.freeze({
    ...value,
    dataDirAbsolute: path.resolve(value.dataDir),
    storageMode: value.clickhouseUrl ? 'server' : 'embedded',
    authMode,
    loopback,
  });
}

/** What a failed check means, in our words where the validator's are its own. */
function issueText(issue: z.core.$ZodIssue | undefined): string {
  if (!issue) return 'invalid';
  if (issue.code === 'invalid_value' && 'values' in issue)
    return `must be one of ${issue.values.map((v) => String(v)).join(', ')}`;
  if (issue.code === 'invalid_union') return 'must be true or false';
  if (issue.code === 'invalid_format' && issue.format === 'url')
    return 'must be a URL such as http://host:8123';
  return issue.message;
}

const OIDC_OPTIONS = [
  'oidcClientId',
  'oidcClientSecret',
  'oidcName',
  'oidcDefaultRole',
  'oidcAllowedDomains',
  'oidcAdminEmails',
] as const;

/** The combinations single sign-on needs (docs/security.md#single-sign-on-oidc). */
function checkOidc(
  value: z.infer<typeof schema>,
  sources: Record<string, string>,
  loopback: boolean,
  authMode: 'on' | 'off',
): void {
  const invalid = (message: string) => new ArgusError('CONFIG_INVALID', `Invalid configuration: ${message}`);
  if (!value.oidcIssuer) {
    const stray = OIDC_OPTIONS.find((key) => sources[key]);
    if (stray)
      throw invalid(
        `'${stray}' from ${sources[stray]} is set but --oidc-issuer (${ENV_NAMES.oidcIssuer}) is not; set the provider's issuer URL too, or remove it`,
      );
    return;
  }
  if (!value.oidcClientId)
    throw invalid(
      `--oidc-issuer is set but --oidc-client-id (${ENV_NAMES.oidcClientId}) is not; register Argus with the provider and give its client id`,
    );
  const issuer = new URL(value.oidcIssuer);
  if (issuer.protocol !== 'https:' && !isLoopbackHost(issuer.hostname))
    throw invalid(
      `--oidc-issuer is '${value.oidcIssuer}': it must be an https URL (plain http only on loopback)`,
    );
  if (authMode === 'off')
    throw invalid(
      'single sign-on (--oidc-issuer) needs authentication on; pass --auth on (off is the default on loopback)',
    );
  if (!value.publicUrl && !loopback)
    throw invalid(
      `single sign-on needs --public-url (${ENV_NAMES.publicUrl}) beyond loopback: the external base URL of Argus, e.g. https://argus.example.com, from which the redirect URI <public-url>/api/v1/auth/oidc/callback is built`,
    );
}

/** `maxBodyBytes` → `max-body-bytes`, the flag spelling. */
export function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/** Base URL of the server a CLI query command talks to: flag > ARGUS_URL > default. */
export function cliServerUrl(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  const url = flag || env.ARGUS_URL || 'http://127.0.0.1:4318';
  try {
    return new URL(url).toString().replace(/\/$/, '');
  } catch {
    throw new ArgusError(
      'CONFIG_INVALID',
      `Invalid configuration: '--url' is '${url}', expected an http(s) URL`,
    );
  }
}
