/**
 * Scrapes one Prometheus endpoint (a vLLM, TGI or Triton server, a node exporter …): fetch
 * with a timeout and a size cap, parse, convert to OTLP metrics. Failures throw with a message
 * for the agent's log; the agent counts them in `argus_agent_scrape_errors`.
 */

import type { AgentMetric, AttributeValue } from './otlp-json.ts';
import { FirstSeen, familiesToMetrics } from './prometheus-otlp.ts';
import { parsePrometheusText } from './prometheus-text.ts';

/** A target given with `--scrape [name=]url`. */
export interface ScrapeTarget {
  url: string;
  /** `service.name` of the target's metrics; default the agent's service name. */
  serviceName?: string;
}

/** Parses a `--scrape` value: `http://host:port/metrics` or `name=http://…`. */
export function parseScrapeTarget(raw: string): ScrapeTarget {
  const named = /^([A-Za-z0-9_.:-]+)=(.+)$/.exec(raw);
  const url = named ? named[2]! : raw;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TypeError(`Invalid --scrape '${raw}': expected an http(s) URL, optionally as name=URL`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new TypeError(`Invalid --scrape '${raw}': the URL must be http or https`);
  }
  return named ? { url: parsed.toString(), serviceName: named[1]! } : { url: parsed.toString() };
}

/** The Accept header Prometheus itself sends. */
export const SCRAPE_ACCEPT =
  'application/openmetrics-text;version=1.0.0;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1';
/** Largest exposition read. */
export const MAX_SCRAPE_BYTES = 16 * 1024 * 1024;

/** What one scrape produced. */
export interface ScrapeResult {
  resource: Record<string, AttributeValue>;
  metrics: AgentMetric[];
  samples: number;
  /** Lines the parser skipped, with reasons (at most 10). */
  parseErrors: string[];
}

/** Scrapes targets, remembering series start times between scrapes. */
export class Scraper {
  readonly #starts = new Map<string, FirstSeen>();
  readonly #timeoutMs: number;

  constructor(options: { timeoutMs?: number } = {}) {
    this.#timeoutMs = options.timeoutMs ?? 10_000;
  }

  /**
   * Scrapes one target at `timeNs`.
   * @throws Error with a one-line reason when the target cannot be fetched.
   */
  async scrape(target: ScrapeTarget, serviceName: string, timeNs: bigint): Promise<ScrapeResult> {
    const response = await fetch(target.url, {
      headers: { accept: SCRAPE_ACCEPT },
      signal: AbortSignal.timeout(this.#timeoutMs),
    });
    if (!response.ok) {
      await response.body?.cancel();
      throw new Error(`${target.url} answered HTTP ${response.status}`);
    }
    const text = await readCapped(response, MAX_SCRAPE_BYTES);
    const parsed = parsePrometheusText(text);
    let starts = this.#starts.get(target.url);
    if (!starts) {
      starts = new FirstSeen();
      this.#starts.set(target.url, starts);
    }
    // A target's own process start is the best start time its counters have.
    const processStart = parsed.families
      .find((f) => f.name === 'process_start_time_seconds')
      ?.samples.find((s) => Number.isFinite(s.value) && s.value > 0);
    starts.processStartNs = processStart
      ? BigInt(Math.round(processStart.value * 1000)) * 1_000_000n
      : undefined;
    const url = new URL(target.url);
    return {
      resource: {
        'service.name': target.serviceName ?? serviceName,
        'service.instance.id': url.host,
        'server.address': url.hostname,
        'server.port': Number(url.port || (url.protocol === 'https:' ? 443 : 80)),
        'url.full': target.url,
      },
      metrics: familiesToMetrics(parsed.families, timeNs, starts),
      samples: parsed.families.reduce((n, f) => n + f.samples.length, 0),
      parseErrors: parsed.errors,
    };
  }
}

async function readCapped(response: Response, maxBytes: number): Promise<string> {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel();
    throw new Error(`the exposition is ${declared} bytes; the most read is ${maxBytes}`);
  }
  if (!response.body) return '';
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of response.body) {
    total += chunk.byteLength;
    if (total > maxBytes) throw new Error(`the exposition is over ${maxBytes} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
