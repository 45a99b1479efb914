/** `argus --help` (every command) and the descriptions of the start flags. Keep in step with docs/cli.md. */

/** What each server option means, by config key (`argus start --help`). */
export const OPTION_HELP: Readonly<Record<string, string>> = {
  port: 'port for OTLP/HTTP, the API and the console (default 4318)',
  grpcPort: 'port for OTLP/gRPC (default 4317; 0 = off)',
  gatewayPort: 'a second port serving only the gateway, /gateway/* (default none: the main port serves it)',
  host: 'address to bind (default 127.0.0.1)',
  dataDir: 'data directory for embedded chDB and SQLite (default ./.argus)',
  clickhouseUrl: 'ClickHouse server URL; unset = embedded chDB',
  clickhouseUser: 'ClickHouse user (default "default")',
  clickhousePassword: 'ClickHouse password',
  clickhouseDatabase: 'ClickHouse database (default "default")',
  clickhouseProfile: 'schema profile: single | replicated | sharded (default single)',
  clickhouseCluster: 'cluster name for replicated/sharded profiles (default "default")',
  databaseUrl: 'PostgreSQL URL for metadata; unset = SQLite in the data dir',
  chdbMaxMemoryBytes: 'memory cap of the embedded engine in bytes (default 1 GiB)',
  retentionDays: 'days telemetry is kept (default 30)',
  maxBodyBytes: 'largest request body in bytes (default 16 MiB)',
  maxDecompressedBytes: 'largest body after decompression in bytes (default 64 MiB)',
  maxInflightBodyBytes: 'body bytes all ingest requests may hold at once while reading (default 256 MiB)',
  maxAttributeValueChars: 'longest attribute value kept, in characters (default 16384)',
  maxContentChars: 'longest prompt/completion JSON kept per span, in characters (default 1048576)',
  maxAttributes: 'most attributes kept per span (default 512)',
  maxAttributeDepth: 'deepest nesting of attribute values (default 16)',
  writerMaxBatchRows: 'most rows per insert (default 20000)',
  writerMaxBatchBytes:
    'most TSV bytes per insert, bounding the engine memory an insert takes (default 16 MiB)',
  writerMaxQueueBytes: 'write queue bound in bytes before 503 (default 256 MiB)',
  writerFlushIntervalMs:
    'how long acknowledged rows wait to share an insert, in ms (default 1000 with the write-ahead log, 50 without)',
  wal: 'acknowledge ingest once rows are in the write-ahead log, insert them in batches after (default true)',
  walFsync:
    'fdatasync the write-ahead log before acknowledging: survives a power cut, not only kill -9 (default true)',
  dedupeWindowSpans: 'recent span ids remembered to drop retried duplicates (default 1000000)',
  queryTimeoutMs: 'query time limit in ms (default 30000)',
  alertsIntervalMs: 'how often alert rules are evaluated, in ms; 0 = not on this server (default 30000)',
  onlineIntervalMs:
    'how often online evaluation rules and output-health checks run, in ms; 0 = not on this server (default 10000)',
  retentionSweepIntervalMs:
    'how often per-project retention policies are enforced, in ms; 0 = not on this server (default 3600000)',
  heartbeatIntervalMs:
    'how often a line with ingest rates (spans/s, logs, errors, rejected) is printed while data arrives, in ms; 0 = never (default 5000)',
  logLevel: 'debug | info | warn | error | silent (default info)',
  redaction:
    'PII/secret redaction before storage: default (per-project policies apply) | off (none, in any project) (default default)',
  redactionHashKey: 'HMAC key of hashed redactions (default: generated once, stored)',
  auth: 'on | off: API keys for ingest and the API, sign-in for the console (default off on loopback, on elsewhere)',
  insecure: 'allow --auth off on a non-loopback address (anyone who reaches it can read everything)',
  adminUsername: 'name of the first administrator, created at the first start with auth on (default admin)',
  adminPassword: 'their password, at least 12 characters (default: generated and printed once)',
  sessionTtlSeconds: 'console sessions end this long after sign-in, in seconds (default 604800 = 7 days)',
  sessionIdleSeconds:
    'console sessions end after this long without a request, in seconds (default 43200 = 12 h)',
  rateLimitIngest:
    'ingest requests per second per API key, bursts of twice that; 0 = unlimited (default 200)',
  rateLimitApi:
    'API requests per second per API key or user, bursts of twice that; 0 = unlimited (default 50)',
  trustProxy: 'trust X-Forwarded-For / X-Forwarded-Proto from a reverse proxy (default off)',
  secretKey:
    'key sealing stored secrets such as alert channel URLs, 32+ characters (default <data dir>/secret.key, generated)',
  publicUrl: 'external base URL of Argus (OIDC redirect URI); required for SSO beyond loopback',
  oidcIssuer: 'OpenID Connect provider issuer URL: turns on "Sign in with <name>"',
  oidcClientId: 'client id registered with the OIDC provider',
  oidcClientSecret: 'its client secret (prefer the environment variable); unset = public client',
  oidcName: 'provider name on the sign-in button (default SSO)',
  oidcDefaultRole: 'role of new SSO users on the default project: none | viewer | member (default none)',
  oidcAllowedDomains: 'comma-separated e-mail domains allowed to sign in with SSO (default: any)',
  oidcAdminEmails: 'comma-separated e-mails made instance administrators at their first SSO sign-in',
  llmAllowedHosts:
    'comma-separated private/loopback hosts, *.suffixes, addresses or CIDR ranges LLM connections may call with auth on (default: none)',
};

/** The global help text: every command, the flags most commands share, examples. */
export function helpText(): string {
  return `argus — observability for LLM applications

Usage: argus <command> [flags]

Commands:
  start                 start the server (OTLP on /v1/*, API on /api/v1, one port)
  traces                list recent traces from a running server
  trace <traceId>       show one trace as a tree
  spans                 list recent spans
  series                print metric series (requests, latency, tokens, cost …)
  health                show a running server's health
  pricing [model]       look up model prices in the built-in catalog (no server needed)
  alerts list           list alert rules and their states (also: create --file rule.json,
                        delete <ruleId>, silence <ruleId> --for 1h, test-channel <channelId>)
  erase                 erase a trace, or all data of a user or session, and print the receipt:
                        --trace-id <id> | --user-id <id> | --session-id <id> (admin)
  retention             show the project's retention policy; 'retention set --telemetry-days N
                        --content-days N' changes it, 'retention sweep' enforces it now (admin)
  redaction             show the project's PII redaction policy; 'redaction set --detector
                        email=hash', 'add-custom --name n --pattern re --action mask',
                        'remove-custom --name n' change it (admin); 'redaction test "<text>"'
                        tries it ('argus redaction --help')
  keys                  API keys of the project: list | create --name N [--role R] |
                        rotate <keyId> | revoke <keyId> (admin; the secret is printed once)
  projects              list | create <id> --name N (creating: instance administrators)
  users                 list | create <username> [--admin] [--project p --role r] |
                        reset-password <username> | remove <username> (instance administrators)
  members               list | set <username> --role R | remove <username> (admin)
  invite <username>     --role R: add an existing user, or print a one-time invitation link
  audit                 the audit log [--action key.] [--scope all] [--limit N]; 'audit verify'
                        checks its hash chain
  export                spans as NDJSON [--from] [--to] [filters] [--limit N] [--output f.ndjson]
  datasets              evaluation datasets: list | create --name N | delete | items |
                        import <file> --input-col q --expected-col a | export
  evaluators            list | create --name N --type exact_match|llm_judge|… [--config JSON]
  rules                 online evaluation rules: list | get | create --name N --evaluator E
                        [--filter kind=llm] [--sampling 0.1] | update | delete | runs <id> |
                        backfill <id> --from T | validate (dry run)
  experiments           run --dataset D --prompt p.json --connection C --model M --evaluator E
                        [--baseline ID --fail-on-regression] | list | show <id> |
                        compare <A> <B> | cancel <id> (exit 1 on a significant regression)
  score-configs         list | create --name N --type numeric|categorical|boolean [--min --max]
                        [--category label=value …]: what a score of a name may hold
  queues                annotation queues: list | create --name N --score-config ID… |
                        add <queueId> --trace ID… | show <queueId> (progress per reviewer)
  drift                 compare --from T --to T --reference-from T --reference-to T [--feature F]
                        [--fail-on-drift] | monitors list | create --name N | run | results | delete
  explain               attribution --trace T --span S [--granularity sentence] [--plan] |
                        counterfactual --replace from=to | job | cancel | concepts | concept |
                        scores <concept> | importance --target latency ('argus explain --help')
  gateway               the OpenAI/Anthropic-compatible gateway (<server>/gateway/v1,
                        <server>/gateway/anthropic): status | settings [--set k=v] |
                        alias list|set|delete | limits list|set|delete |
                        shadow list|set|delete ('argus gateway --help')
  admin reset-password  <username> [--data-dir DIR]: offline recovery, no server needed
  demo                  send demo traces: mock LLM + two-service chat app + simulated users
                        (--start runs a temporary server; 'argus demo --help' for flags)
  agent                 send this host's CPU, memory, disk, network and GPU metrics (and
                        scraped Prometheus endpoints) to a server as OTLP metrics
  version               print the version
  help                  print this help

'argus <command> --help' prints the command's own flags; 'argus start --help' every server
option (port, data directory, ClickHouse, PostgreSQL, limits, auth …) with its environment variable.

Flags of traces, spans, series, trace and health (and every command that calls a server):
  --url <url>                    server base URL (env ARGUS_URL, default http://127.0.0.1:4318)
  --api-key <key>                API key when auth is on (env ARGUS_API_KEY), sent as Bearer
  --project <id>                 project to act on (env ARGUS_PROJECT; default the key's own)
  --json                         print raw JSON instead of a table
  --from, --to                   time window (ISO 8601 or epoch ms; default the last 24 h)
  --service, --environment, --model, --provider, --kind, --status, --user-id,
  --session-id, --tag, --min-duration-ms, --max-duration-ms, --min-cost-usd,
  --q, --limit, --cursor         filters, as in the API (docs/api.md)
  --metrics, --group-by, --step  (series only)

Access for keys, projects, users, members, invite, audit and export (docs/security.md):
  --api-key <key>                an API key (env ARGUS_API_KEY) with the role the command needs, or
  --user <name>                  sign in as a user (env ARGUS_USER; users and projects need an
                                 instance administrator); the password comes from ARGUS_PASSWORD,
  --password-stdin               from stdin, or a prompt
  'argus <command> --help' shows each command's flags.

Flags of agent (docs/agent.md):
  --url <url>                    server base URL (env ARGUS_URL, default http://127.0.0.1:4318)
  --api-key <key>                API key when auth is on (env ARGUS_API_KEY; role ingest is enough)
  --interval <duration>          time between samples, 1s to 1h (default 10s)
  --scrape [name=]<url>          a Prometheus endpoint to scrape (repeatable), e.g.
                                 vllm=http://127.0.0.1:8000/metrics
  --service-name <name>          service.name of the host's metrics (default host-agent)
  --once                         sample and send once, then exit (1 when sending failed)
  --log-level <level>            debug | info | warn | error | silent (default info)

Examples:
  npx argus start --port 4318 --data-dir ./.argus
  npx argus demo --start          # the fastest way to see traces
  OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:4318 node app.js
  npx argus traces --model gpt-4o-mini --status error
  npx argus trace 4bf92f3577b34da6a3ce929d0e0e4736
  npx argus agent --scrape vllm=http://127.0.0.1:8000/metrics
`;
}
