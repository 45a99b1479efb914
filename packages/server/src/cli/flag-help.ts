/**
 * What each CLI flag means, by name, for `argus <command> --help`. A command whose flag means
 * something else gives its own description (CommandSpec.descriptions). Keep in step with docs/cli.md.
 */
export const FLAG_HELP: Readonly<Record<string, string>> = {
  // Reaching a server (every command that talks to one).
  url: 'server base URL (env ARGUS_URL, default http://127.0.0.1:4318)',
  'api-key': 'API key when auth is on, sent as a Bearer token (env ARGUS_API_KEY)',
  project: "project to act on (env ARGUS_PROJECT; default the key's own, or default)",
  user: 'sign in as this user instead of an API key (env ARGUS_USER; password from ARGUS_PASSWORD)',
  'password-stdin': "read the --user's password from stdin instead of ARGUS_PASSWORD or a prompt",
  json: 'print the answer as JSON instead of text',
  // Span filters (as in the API, docs/api.md).
  from: 'start of the time window: ISO 8601 or epoch ms (default 24 hours ago)',
  to: 'end of the time window: ISO 8601 or epoch ms (default now)',
  service: 'only this service.name',
  environment: 'only this deployment environment',
  model: 'only this model (requested or answered)',
  provider: 'only this provider (openai, anthropic …)',
  kind: 'only spans of this kind: llm, embedding, retriever, tool, agent, chain …',
  status: 'only this status: ok, error or unset',
  'user-id': 'only this user id',
  'session-id': 'only this session id',
  tag: 'only traces or spans with this tag',
  'min-duration-ms': 'only this slow or slower, in milliseconds',
  'max-duration-ms': 'only this fast or faster, in milliseconds',
  'min-cost-usd': 'only this dear or dearer, in USD',
  q: 'full-text search over prompts and completions',
  limit: 'most rows to print',
  cursor: "the next page: the cursor a previous page printed ('More: --cursor …')",
  // Series.
  metrics:
    'comma-separated metrics: requests, errors, errorRate, latencyP50/95/99, ttftP50/95, inputTokens, outputTokens, costUsd, tokensPerSecond (default all)',
  'group-by': 'one row per model, provider, service, environment or kind in each step',
  step: 'bucket width, e.g. 1m, 5m, 1h, 1d (default: the whole window as one row)',
  // Access and governance.
  name: 'name of the new thing',
  role: 'role: ingest, viewer, member or admin',
  admin: 'make the user an instance administrator',
  'display-name': "the user's display name",
  action: 'only audit entries with this action, or every action starting with PREFIX.',
  actor: 'only audit entries by this actor id',
  scope: 'project (default) or all (instance administrators)',
  output: 'write to this file instead of stdout',
  'data-dir': 'the server data directory holding metadata.db (env ARGUS_DATA_DIR, default ./.argus)',
  'database-url': 'PostgreSQL metadata database instead of SQLite (env ARGUS_DATABASE_URL)',
  'trace-id': 'the trace to erase',
  'telemetry-days': 'days spans, logs and metrics are kept',
  'content-days': 'days prompts and completions are kept (at most telemetry-days)',
  detector: 'a detector and its action, id=mask|hash|drop|off|default',
  pattern: 'the regular expression of a custom detector (bounded repetitions only)',
  flags: 'regular expression flags of a custom detector: any of i, m, s, u',
  file: 'JSON file with the rule',
  for: 'how long to silence, e.g. 30m, 1h, 2d',
  comment: 'why (kept with the silence)',
  // Agent.
  interval: 'time between samples, 1s to 1h (default 10s)',
  scrape: 'a Prometheus endpoint to scrape, [name=]URL, e.g. vllm=http://127.0.0.1:8000/metrics',
  'service-name': "service.name of the host's metrics (default host-agent)",
  once: 'sample and send once, then exit (1 when sending failed)',
  'log-level': 'debug, info, warn, error or silent (default info)',
};
