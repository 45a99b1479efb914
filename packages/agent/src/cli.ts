/**
 * `argus agent`: flags → {@link runAgent}. Runs until SIGINT/SIGTERM, or one round with `--once`.
 */
import { ARGUS_VERSION, cliServerUrl, createLogger, type LogLevel, parseCommandLine } from '@argus/server';
import { runAgent } from './agent.ts';
import { parseScrapeTarget } from './scrape.ts';

/** Flags of `argus agent`. */
export const AGENT_FLAGS = {
  url: { type: 'string' },
  'api-key': { type: 'string' },
  interval: { type: 'string' },
  scrape: { type: 'string', multiple: true },
  'service-name': { type: 'string' },
  once: { type: 'boolean' },
  'log-level': { type: 'string' },
} as const;

const AGENT_USAGE = `Usage: argus agent [--url URL] [--api-key KEY] [--interval 10s] [--scrape [name=]URL …] [--once]

Sends this host's CPU, memory, disk, network and GPU metrics (and scraped Prometheus endpoints)
to an Argus server as OTLP metrics, until Ctrl+C (docs/agent.md).`;

const LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error', 'silent'];

/**
 * Parses a duration like `10s`, `500ms`, `1m` or plain seconds.
 * @throws TypeError naming the flag when it is not a duration from 1 s to 1 h.
 */
export function parseInterval(raw: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(raw.trim());
  const unit = match?.[2] ?? 's';
  const ms = match ? Number(match[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[unit]! : Number.NaN;
  if (!(ms >= 1000 && ms <= 3_600_000)) {
    throw new TypeError(`Invalid --interval '${raw}': expected a duration from 1s to 1h, like 10s or 1m`);
  }
  return ms;
}

/** Runs `argus agent` with its arguments; resolves to the exit code. */
export async function runAgentCommand(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { values } = parseCommandLine(
    { name: 'agent', usage: AGENT_USAGE, flags: AGENT_FLAGS, positionals: false },
    args,
  );
  const level = values['log-level'] ?? 'info';
  if (!LEVELS.includes(level as LogLevel)) {
    throw new TypeError(`Invalid --log-level '${level}': expected one of ${LEVELS.join(', ')}`);
  }
  const logger = createLogger(level as LogLevel);
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    return await runAgent({
      url: cliServerUrl(values.url, env),
      apiKey: values['api-key'] || env.ARGUS_API_KEY || undefined,
      intervalMs: parseInterval(values.interval ?? '10s'),
      scrape: (values.scrape ?? []).map(parseScrapeTarget),
      serviceName: values['service-name'] || 'host-agent',
      once: values.once ?? false,
      logger,
      version: ARGUS_VERSION,
      pathList: env.PATH,
      signal: controller.signal,
    });
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}
