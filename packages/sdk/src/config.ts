/**
 * The SDK configuration: options resolved once against the environment (the only reader of
 * `process.env` in the SDK), frozen, and made available to the instrumentation modules through
 * {@link getConfig}. Before `init()` runs, the configuration comes from the environment alone.
 */
import { type DiagnosticsOption, warn } from './diagnostics.ts';

/** Name and version of the instrumentation scope every Argus span is created under. */
export const SDK_NAME = '@argus/sdk';
/** Version of this package, sent as the scope version and `telemetry.distro.version`. */
export const SDK_VERSION = '0.1.0';

/** Where the endpoint comes from when neither the option nor any variable sets it. */
export const DEFAULT_ENDPOINT = 'http://127.0.0.1:4318';
const DEFAULT_EXPORT_TIMEOUT_MS = 10_000;
const DEFAULT_SHUTDOWN_TIMEOUT_MS = 2000;
const DEFAULT_MAX_QUEUE_SIZE = 2048;
/** Captured input/output longer than this is cut (the server caps attribute values too). */
const DEFAULT_MAX_CONTENT_CHARS = 32_000;

/** Options of `init()`; every one is optional. */
export interface InitOptions {
  /** Argus base URL (`ARGUS_ENDPOINT`, `OTEL_EXPORTER_OTLP_ENDPOINT`; default `http://127.0.0.1:4318`). */
  endpoint?: string;
  /** API key sent as `Authorization: Bearer <key>` (`ARGUS_API_KEY`). */
  apiKey?: string;
  /** `service.name` of the resource (`OTEL_SERVICE_NAME`). */
  serviceName?: string;
  /** `service.version` of the resource. */
  serviceVersion?: string;
  /** `deployment.environment.name` of the resource (`ARGUS_ENVIRONMENT`). */
  environment?: string;
  /** Record prompts, completions, inputs and outputs (`ARGUS_CAPTURE_CONTENT`; default true). */
  captureContent?: boolean;
  /** Fraction of new traces recorded, 0..1 (`ARGUS_SAMPLE_RATE`; default 1). Child spans follow their parent. */
  sampleRate?: number;
  /** Applied to every captured text before it leaves the process (e.g. mask emails). */
  redact?: (text: string) => string;
  /** Extra headers on export and score requests (`OTEL_EXPORTER_OTLP_HEADERS`). */
  headers?: Record<string, string>;
  /** Most spans waiting for export; beyond it new spans are dropped (default 2048). */
  maxQueueSize?: number;
  /** Time limit of one export or score request, retries included (default 10000). */
  exportTimeoutMs?: number;
  /**
   * Time `shutdown()` and the flush when the process exits may take (default 2000): pending spans
   * get one prompt attempt, no retry backoff, so an app exits quickly when Argus is down.
   */
  shutdownTimeoutMs?: number;
  /** Longest captured input/output text in characters (default 32000). */
  maxContentChars?: number;
  /** Where SDK failures are reported; off by default. */
  diagnostics?: DiagnosticsOption;
}

/** The resolved, frozen configuration. */
export interface SdkConfig {
  /** Base URL without a trailing slash; the score API lives under it. */
  readonly endpoint: string;
  /** Full OTLP traces URL. */
  readonly tracesUrl: string;
  /** Headers for export and score requests, authorization included. */
  readonly headers: Readonly<Record<string, string>>;
  readonly serviceName: string | undefined;
  readonly serviceVersion: string | undefined;
  readonly environment: string | undefined;
  readonly captureContent: boolean;
  readonly sampleRate: number;
  readonly redact: ((text: string) => string) | undefined;
  readonly maxQueueSize: number;
  readonly exportTimeoutMs: number;
  readonly shutdownTimeoutMs: number;
  readonly maxContentChars: number;
}

type Env = Record<string, string | undefined>;

const nonEmpty = (value: string | undefined) =>
  value === undefined || value.trim() === '' ? undefined : value.trim();

/** Parses `k1=v1,k2=v2` (values URL-encoded) as the OTel specification defines it. */
export function parseHeaderList(raw: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of (raw ?? '').split(',')) {
    const at = pair.indexOf('=');
    if (at <= 0) continue;
    const key = pair.slice(0, at).trim().toLowerCase();
    try {
      out[key] = decodeURIComponent(pair.slice(at + 1).trim());
    } catch {
      out[key] = pair.slice(at + 1).trim();
    }
  }
  return out;
}

/** A valid http(s) URL without trailing slashes, or undefined (reported). */
function checkUrl(raw: string | undefined, source: string): string | undefined {
  if (raw === undefined) return undefined;
  try {
    const url = new URL(raw);
    if (url.protocol === 'http:' || url.protocol === 'https:') return raw.replace(/\/+$/, '');
  } catch {
    // reported below
  }
  warn(`Ignoring ${source} '${raw}': it is not an http(s) URL`);
  return undefined;
}

function numberIn(value: unknown, source: string, min: number, max: number, fallback: number): number {
  if (value === undefined) return fallback;
  const n = typeof value === 'string' ? Number(value) : value;
  if (typeof n === 'number' && Number.isFinite(n) && n >= min && n <= max) return n;
  warn(`Ignoring ${source} ${JSON.stringify(value)}: expected a number from ${min} to ${max}`);
  return fallback;
}

function booleanFrom(raw: string | undefined): boolean | undefined {
  if (raw === undefined) return undefined;
  return !/^(false|0|no|off)$/i.test(raw.trim());
}

/** Base endpoint and traces URL: options, then ARGUS_ENDPOINT, then the OTLP variables. */
function endpoints(options: InitOptions, env: Env): { endpoint: string; tracesUrl: string } {
  const base =
    checkUrl(nonEmpty(options.endpoint), 'option endpoint') ??
    checkUrl(nonEmpty(env.ARGUS_ENDPOINT), 'ARGUS_ENDPOINT');
  if (base !== undefined) return { endpoint: base, tracesUrl: `${base}/v1/traces` };
  // The traces variable is a full URL, used as is (OTel spec); the base is what precedes /v1/traces.
  const traces = checkUrl(
    nonEmpty(env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT),
    'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT',
  );
  if (traces !== undefined) return { endpoint: traces.replace(/\/v1\/traces$/, ''), tracesUrl: traces };
  const otlp = checkUrl(nonEmpty(env.OTEL_EXPORTER_OTLP_ENDPOINT), 'OTEL_EXPORTER_OTLP_ENDPOINT');
  const endpoint = otlp ?? DEFAULT_ENDPOINT;
  return { endpoint, tracesUrl: `${endpoint}/v1/traces` };
}

/** Resolves options against the environment; invalid values are reported and replaced by defaults. */
export function resolveConfig(options: InitOptions = {}, env: Env = process.env): SdkConfig {
  const apiKey = nonEmpty(options.apiKey) ?? nonEmpty(env.ARGUS_API_KEY);
  const headers: Record<string, string> = { ...parseHeaderList(env.OTEL_EXPORTER_OTLP_HEADERS) };
  for (const [k, v] of Object.entries(options.headers ?? {})) headers[k.toLowerCase()] = v;
  if (apiKey !== undefined) headers.authorization = `Bearer ${apiKey}`;
  const redact = options.redact;
  if (redact !== undefined && typeof redact !== 'function')
    warn('Ignoring option redact: it is not a function');
  return Object.freeze({
    ...endpoints(options, env),
    headers: Object.freeze(headers),
    serviceName: nonEmpty(options.serviceName) ?? nonEmpty(env.OTEL_SERVICE_NAME),
    serviceVersion: nonEmpty(options.serviceVersion),
    environment: nonEmpty(options.environment) ?? nonEmpty(env.ARGUS_ENVIRONMENT),
    captureContent: options.captureContent ?? booleanFrom(env.ARGUS_CAPTURE_CONTENT) ?? true,
    sampleRate: numberIn(options.sampleRate ?? nonEmpty(env.ARGUS_SAMPLE_RATE), 'sampleRate', 0, 1, 1),
    redact: typeof redact === 'function' ? redact : undefined,
    maxQueueSize: Math.floor(
      numberIn(options.maxQueueSize, 'maxQueueSize', 1, 1_000_000, DEFAULT_MAX_QUEUE_SIZE),
    ),
    exportTimeoutMs: numberIn(
      options.exportTimeoutMs,
      'exportTimeoutMs',
      1,
      600_000,
      DEFAULT_EXPORT_TIMEOUT_MS,
    ),
    shutdownTimeoutMs: numberIn(
      options.shutdownTimeoutMs,
      'shutdownTimeoutMs',
      1,
      600_000,
      DEFAULT_SHUTDOWN_TIMEOUT_MS,
    ),
    maxContentChars: Math.floor(
      numberIn(options.maxContentChars, 'maxContentChars', 16, 10_000_000, DEFAULT_MAX_CONTENT_CHARS),
    ),
  });
}

let active: SdkConfig | undefined;

/** The active configuration: the one `init()` set, else one resolved from the environment. */
export function getConfig(): SdkConfig {
  active ??= resolveConfig();
  return active;
}

/** Replaces the active configuration (`init()`); `undefined` goes back to the environment. */
export function setConfig(config: SdkConfig | undefined): void {
  active = config;
}

/**
 * Applies the configured `redact` to captured text. A throwing `redact` must not leak the text
 * it failed on, so the whole value is replaced.
 */
export function redactText(text: string): string {
  const redact = getConfig().redact;
  if (redact === undefined) return text;
  try {
    const out = redact(text);
    return typeof out === 'string' ? out : String(out);
  } catch (error) {
    warn('Cannot redact captured content; it was replaced', error);
    return '[redaction failed]';
  }
}
