/**
 * Runs the demo against an Argus server that is already up: the mock LLM in this process,
 * rag-service in a child process, api-gateway in this process (`init({ serviceName:
 * 'api-gateway' })`), simulated users for the duration, then everything flushed and stopped and
 * the result counted through the Argus API.
 */
import { startMockLlm } from '@argus/mock-llm';
import { type ArgusHandle, init } from '@argus/sdk';
import { type Gateway, startGateway } from './gateway.ts';
import { type RagChild, startRagChild } from './rag-child.ts';
import { runTraffic, type TrafficStats } from './simulator.ts';

/** Settings of {@link runDemo}. */
export interface DemoRunOptions {
  /** Argus base URL (running). */
  url: string;
  durationMs: number;
  rate: number;
  seed: number;
  /** Where progress lines go (default stdout). */
  print?: (line: string) => void;
  /** Mock LLM time to first byte, ms (default 80). */
  latencyMs?: number;
  /** Mock LLM delay between streamed chunks, ms (default 15). */
  chunkDelayMs?: number;
  /** How often a progress line is printed, ms (default 2000). */
  progressEveryMs?: number;
  /** Ends the traffic early; the demo still flushes, stops and counts. */
  signal?: AbortSignal;
}

/** What the demo did and what Argus received. */
export interface DemoSummary {
  requests: number;
  answered: number;
  failed: number;
  feedback: number;
  sessions: number;
  users: number;
  /** Traces of the two demo services Argus holds since the demo started. */
  traces: number;
  /** Spans in those traces. */
  spans: number;
  /** Ids of answered requests' traces, in answer order. */
  answeredTraceIds: string[];
  /** Ids of failed requests' traces. */
  failedTraceIds: string[];
}

/** Counts the demo services' traces and their spans since `fromMs`, through the API. */
async function countTraces(url: string, fromMs: number): Promise<{ traces: number; spans: number }> {
  let traces = 0;
  let spans = 0;
  let cursor: string | undefined;
  for (let page = 0; page < 100; page++) {
    const query = new URLSearchParams({ from: String(fromMs), limit: '1000' });
    query.append('service', 'api-gateway');
    query.append('service', 'rag-service');
    if (cursor !== undefined) query.set('cursor', cursor);
    const response = await fetch(`${url}/api/v1/traces?${query}`, { signal: AbortSignal.timeout(30_000) });
    if (!response.ok) throw new Error(`Cannot count the demo's traces: ${url} answered ${response.status}`);
    const body = (await response.json()) as { data: { spanCount: number }[]; nextCursor?: string };
    traces += body.data.length;
    for (const item of body.data) spans += item.spanCount;
    cursor = body.nextCursor;
    if (cursor === undefined) break;
  }
  return { traces, spans };
}

function progressLine(label: string, s: TrafficStats): string {
  return `  ${label.padStart(4)}  ${s.sent} requests · ${s.ok} answered · ${s.failed} failed · ${s.sessions.size} sessions · ${s.users.size} users · ${s.feedback} feedback`;
}

/** Runs the demo for `durationMs`; resolves with the summary once Argus has every span. */
export async function runDemo(options: DemoRunOptions): Promise<DemoSummary> {
  const print = options.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  const startedAt = Date.now();
  const mock = await startMockLlm({
    latencyMs: options.latencyMs ?? 80,
    chunkDelayMs: options.chunkDelayMs ?? 15,
    seed: options.seed,
  });
  let rag: RagChild | undefined;
  let gateway: Gateway | undefined;
  let argus: ArgusHandle | undefined;
  let stats: TrafficStats | undefined;
  let timer: NodeJS.Timeout | undefined;
  try {
    rag = await startRagChild({ argusUrl: options.url, llmUrl: mock.url }, print);
    argus = init({
      serviceName: 'api-gateway',
      serviceVersion: '2.1.0',
      environment: 'demo',
      endpoint: options.url,
      diagnostics: 'warn',
    });
    gateway = await startGateway({ ragUrl: rag.url });
    print(`Mock LLM ${mock.url}/v1 · rag-service ${rag.url} (child process) · api-gateway ${gateway.url}`);
    print(
      `Sending ${options.rate} requests/s for ${options.durationMs / 1000}s, exporting to ${options.url} …`,
    );
    const trafficStart = Date.now();
    let latest: TrafficStats | undefined;
    let shownSample = false;
    timer = setInterval(() => {
      if (latest !== undefined)
        print(progressLine(`${Math.round((Date.now() - trafficStart) / 1000)}s`, latest));
    }, options.progressEveryMs ?? 2000);
    stats = await runTraffic({
      gatewayUrl: gateway.url,
      durationMs: options.durationMs,
      rate: options.rate,
      seed: options.seed,
      signal: options.signal,
      onReply: (s) => {
        latest = s;
        const first = s.okTraceIds[0];
        if (!shownSample && first !== undefined) {
          shownSample = true;
          print(`  First trace ${first} (live in ${options.url}/traces once exported, ~1 s)`);
        }
      },
    });
    clearInterval(timer);
    print(progressLine('done', stats));
  } finally {
    clearInterval(timer);
    await gateway?.close();
    await argus?.shutdown();
    await rag?.stop();
    await mock.close();
  }
  const counted = await countTraces(options.url, startedAt - 1000);
  return {
    requests: stats.sent,
    answered: stats.ok,
    failed: stats.failed,
    feedback: stats.feedback,
    sessions: stats.sessions.size,
    users: stats.users.size,
    traces: counted.traces,
    spans: counted.spans,
    answeredTraceIds: stats.okTraceIds,
    failedTraceIds: stats.failedTraceIds,
  };
}
