/**
 * The ingest heartbeat of `argus start`: every few seconds while data flows, one line with what
 * arrived since the last one (spans per second, logs, metric points, GenAI errors, rejected
 * items); nothing while idle. `--heartbeat-interval-ms 0` turns it off.
 */
import { formatCount, formatTime } from './format.ts';

/** Running totals since the server started. */
export interface IngestTotals {
  spans: number;
  logs: number;
  metricPoints: number;
  /** GenAI operations (llm/embedding spans) that ended in error. */
  errors: number;
  /** Spans, logs and points refused (invalid), plus ingest requests that failed. */
  rejected: number;
}

/** The heartbeat line for what changed between two readings, or undefined when nothing arrived. */
export function heartbeatLine(
  before: IngestTotals,
  after: IngestTotals,
  elapsedMs: number,
  now: Date = new Date(),
): string | undefined {
  const d = (key: keyof IngestTotals) => Math.max(0, after[key] - before[key]);
  if (d('spans') + d('logs') + d('metricPoints') + d('rejected') === 0) return undefined;
  const seconds = Math.max(elapsedMs, 1) / 1000;
  const rate = d('spans') / seconds;
  const parts = [
    `${formatCount(rate >= 10 ? rate : Math.round(rate * 10) / 10)} spans/s (${formatCount(d('spans'))} in ${Number(seconds.toFixed(1))} s)`,
    `${formatCount(d('logs'))} logs`,
  ];
  if (d('metricPoints') > 0) parts.push(`${formatCount(d('metricPoints'))} metric points`);
  parts.push(`${formatCount(d('errors'))} errors`, `${formatCount(d('rejected'))} rejected`);
  return `${formatTime(now, { short: true })} ingest: ${parts.join(', ')}`;
}

/** Options of {@link startHeartbeat}. */
export interface HeartbeatOptions {
  intervalMs: number;
  read: () => IngestTotals;
  write: (line: string) => void;
}

/** Starts the heartbeat (nothing when `intervalMs` is 0); answers its stop function. */
export function startHeartbeat(options: HeartbeatOptions): () => void {
  if (options.intervalMs <= 0) return () => {};
  let last = options.read();
  let lastAt = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    const totals = options.read();
    const line = heartbeatLine(last, totals, now - lastAt);
    last = totals;
    lastAt = now;
    if (line) options.write(`${line}\n`);
  }, options.intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
