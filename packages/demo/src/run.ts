/**
 * Runs the demo against an Argus server that is already up: the mock LLM in this process,
 * rag-service in a child process, api-gateway in this process (`init({ serviceName:
 * 'api-gateway' })`), simulated users for the duration, then everything flushed and stopped and
 * the result counted through the Argus API. If Argus stops answering meanwhile, the traffic
 * stops early and the summary says so (SDK warnings are printed once per kind, then muted).
 */
import { startMockLlm } from '@argus/mock-llm';
import { type ArgusHandle, init } from '@argus/sdk';
import { type Gateway, startGateway } from './gateway.ts';
import { type RagChild, startRagChild } from './rag-child.ts';
import { runTraffic, type TrafficStats } from './simulator.ts';
import { createWarningFilter, watchArgus } from './watchdog.ts';

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
  /** Set when Argus stopped answering before the demo ended (then `traces` and `spans` are 0: not counted). */
  argusLost?: { reason: string; afterMs: number };
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
  const warnings = createWarningFilter((line) => print(`  ${line}`));
  const stopTraffic = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, stopTraffic.signal]) : stopTraffic.signal;
  let lost: DemoSummary['argusLost'];
  const onLost = (reason: string) => {
    if (lost !== undefined) return;
    lost = { reason, afterMs: Date.now() - startedAt };
    warnings.mute();
    print(`Argus at ${options.url} stopped answering (${reason}); stopping the demo …`);
    stopTraffic.abort();
  };
  const mock = await startMockLlm({
    latencyMs: options.latencyMs ?? 80,
    chunkDelayMs: options.chunkDelayMs ?? 15,
    seed: options.seed,
  });
  const watch = watchArgus(options.url, { onLost });
  let rag: RagChild | undefined;
  let gateway: Gateway | undefined;
  let argus: ArgusHandle | undefined;
  let stats: TrafficStats | undefined;
  try {
    // The child's SDK warnings arrive on its stderr as `[argus] …` lines.
    rag = await startRagChild({ argusUrl: options.url, llmUrl: mock.url }, (line) =>
      line.includes('[argus]') ? warnings.note(line) : print(line),
    );
    argus = init({
      serviceName: 'api-gateway',
      serviceVersion: '2.1.0',
      environment: 'demo',
      endpoint: options.url,
      diagnostics: (message, level) => {
        if (level === 'warn') warnings.note(`api-gateway: [argus] ${message}`);
      },
    });
    gateway = await startGateway({ ragUrl: rag.url });
    print(`Mock LLM ${mock.url}/v1 · rag-service ${rag.url} (child process) · api-gateway ${gateway.url}`);
    print(
      `Sending ${options.rate} requests/s for ${options.durationMs / 1000}s, exporting to ${options.url} …`,
    );
    stats = await sendTraffic(options, gateway.url, signal, print);
    print(progressLine('done', stats));
  } finally {
    watch.stop();
    await gateway?.close();
    await argus?.shutdown();
    await rag?.stop();
    await mock.close();
  }
  let counted = { traces: 0, spans: 0 };
  if (lost === undefined) {
    try {
      counted = await countTraces(options.url, startedAt - 1000);
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause;
      lost = { reason: cause?.code ?? (error as Error).message, afterMs: Date.now() - startedAt };
    }
  }
  return summaryOf(stats, counted, lost);
}

/** The simulated users' traffic through the gateway, with a progress line every `progressEveryMs`. */
async function sendTraffic(
  options: DemoRunOptions,
  gatewayUrl: string,
  signal: AbortSignal,
  print: (line: string) => void,
): Promise<TrafficStats> {
  const trafficStart = Date.now();
  let latest: TrafficStats | undefined;
  let shownSample = false;
  const timer = setInterval(() => {
    if (latest !== undefined)
      print(progressLine(`${Math.round((Date.now() - trafficStart) / 1000)}s`, latest));
  }, options.progressEveryMs ?? 2000);
  try {
    return await runTraffic({
      gatewayUrl,
      durationMs: options.durationMs,
      rate: options.rate,
      seed: options.seed,
      signal,
      onReply: (s) => {
        latest = s;
        const first = s.okTraceIds[0];
        if (!shownSample && first !== undefined) {
          shownSample = true;
          print(`  First trace ${first} (live in ${options.url}/traces once exported, ~1 s)`);
        }
      },
    });
  } finally {
    clearInterval(timer);
  }
}

/** The summary: what the traffic did and what Argus counted. */
function summaryOf(
  stats: TrafficStats,
  counted: { traces: number; spans: number },
  lost: DemoSummary['argusLost'],
): DemoSummary {
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
    ...(lost === undefined ? {} : { argusLost: lost }),
  };
}
