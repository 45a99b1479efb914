/** Flags of `argus demo`: parsing, defaults and validation (no I/O). */
import { parseArgs } from 'node:util';

/** What `argus demo` was asked to do. */
export interface DemoOptions {
  /** Argus base URL the demo exports to (ignored for the port choice unless `start`). */
  url: string;
  /** How long simulated users send requests, ms. */
  durationMs: number;
  /** Requests per second, all users together. */
  rate: number;
  /** Seed of the simulated traffic and of the mock LLM. */
  seed: number;
  /** Start an embedded Argus server on a temp data dir instead of using `url`. */
  start: boolean;
  /** With `start`: stop right after the summary instead of waiting for Ctrl+C. */
  exit: boolean;
}

/** The parsed command line: options to run, or a request for help. */
export type DemoArgs = { help: true } | { help: false; options: DemoOptions };

/** Defaults of the flags. */
export const DEMO_DEFAULTS = { url: 'http://127.0.0.1:4318', durationMs: 20_000, rate: 5, seed: 42 } as const;

const MAX_DURATION_MS = 60 * 60 * 1000;
const MAX_RATE = 100;

/** `20s`, `1m`, `1m30s`, `500ms` or a plain number of seconds → ms; undefined when malformed. */
export function parseDuration(text: string): number | undefined {
  const trimmed = text.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed) * 1000;
  const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  let total = 0;
  let rest = trimmed;
  const part = /^(\d+(?:\.\d+)?)(ms|s|m|h)/;
  if (rest === '') return undefined;
  while (rest !== '') {
    const m = part.exec(rest);
    if (m === null) return undefined;
    total += Number(m[1]) * units[m[2]!]!;
    rest = rest.slice(m[0].length);
  }
  return total;
}

/** Throws a TypeError (printed without a stack by the CLI) for an invalid flag value. */
function invalid(flag: string, value: string, expected: string): never {
  throw new TypeError(`Invalid --${flag} '${value}': expected ${expected}`);
}

/** Whether `url` names a loopback host; the demo sends traffic to loopback only. */
export function isLoopbackUrl(url: URL): boolean {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** Parses the flags after `argus demo`; throws a TypeError naming the bad flag. */
export function parseDemoArgs(args: string[], env: NodeJS.ProcessEnv = {}): DemoArgs {
  const { values } = parseArgs({
    args,
    options: {
      url: { type: 'string' },
      duration: { type: 'string' },
      rate: { type: 'string' },
      seed: { type: 'string' },
      start: { type: 'boolean', default: false },
      exit: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) return { help: true };
  const rawUrl = values.url ?? env.ARGUS_URL ?? DEMO_DEFAULTS.url;
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    invalid('url', rawUrl, 'an http URL such as http://127.0.0.1:4318');
  }
  if (url.protocol !== 'http:') invalid('url', rawUrl, 'an http:// URL');
  if (!isLoopbackUrl(url)) invalid('url', rawUrl, 'a loopback address (127.0.0.1, localhost or [::1])');
  const durationMs =
    values.duration === undefined ? DEMO_DEFAULTS.durationMs : parseDuration(values.duration);
  if (durationMs === undefined || durationMs <= 0 || durationMs > MAX_DURATION_MS)
    invalid('duration', values.duration ?? '', 'a duration such as 20s, 2m or 90 (seconds), at most 1h');
  const rate = values.rate === undefined ? DEMO_DEFAULTS.rate : Number(values.rate);
  if (!Number.isFinite(rate) || rate <= 0 || rate > MAX_RATE)
    invalid('rate', values.rate ?? '', `requests per second, more than 0 and at most ${MAX_RATE}`);
  const seed = values.seed === undefined ? DEMO_DEFAULTS.seed : Number(values.seed);
  if (!Number.isSafeInteger(seed) || seed < 0) invalid('seed', values.seed ?? '', 'a non-negative integer');
  return {
    help: false,
    options: {
      url: url.origin,
      durationMs,
      rate,
      seed,
      start: values.start === true,
      exit: values.exit === true,
    },
  };
}

/** Help of `argus demo`. */
export const DEMO_HELP = `argus demo — send realistic LLM traces to Argus

Usage: argus demo [--url http://127.0.0.1:4318] [--duration 20s] [--rate 5] [--seed 42] [--start [--exit]]

Starts a mock LLM and a two-service chat app (api-gateway → rag-service: retrieval,
streaming LLM calls, a tool call, some failures) on loopback, sends simulated users'
conversations through it for --duration, and prints a summary with traces to look at.

  --url <url>        Argus server to export to (env ARGUS_URL; default http://127.0.0.1:4318);
                     it must be running: start it with 'npx argus start' in another terminal
  --duration <time>  how long traffic runs: 20s, 2m, 90 (seconds); default 20s, at most 1h
  --rate <n>         requests per second (default 5, at most 100)
  --seed <n>         seed of the simulated traffic (default 42)
  --start            start an embedded Argus server on a temp data dir (port of --url if
                     free, else any) and keep it running after the summary until Ctrl+C
  --exit             with --start: stop and delete it right after the summary
`;
