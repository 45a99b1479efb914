/**
 * The output-health share of a worker tick: for every project with the checks on, read the LLM
 * spans stored since its cursor, run the checks (health/checks.ts), write one `output_health`
 * row per span (its flags, empty when healthy) and, for a flagged span, an `output_health`
 * score (value 0, `source: 'online'`, the reasons as comment) so the trace shows it. The cursor
 * is saved after the rows, and rows of a batch already written are not written again.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Span } from '@argus/shared';
import type { ClickhouseDriver } from '../../store/clickhouse/driver.ts';
import type { ScoreRow } from '../../store/signal-rows.ts';
import { tsvString, tsvStringArray, tsvTime } from '../../store/tsv.ts';
import type { CursorStore, FeedCursor } from '../cursors.ts';
import { ruleSpanFilters } from '../filter.ts';
import type { OnlineMetrics } from '../metrics.ts';
import { HEALTH_COLUMNS, readAfter } from '../span-feed.ts';
import { checkOutput } from './checks.ts';
import type { HealthSettings } from './settings.ts';

/** The score a flagged span gets. */
export const HEALTH_SCORE_NAME = 'output_health';
/** Where a project's checks start the first time: this long before now. */
const FIRST_LOOKBACK_MS = 3600_000;
/**
 * Spans are checked when they started at most this long before they were stored. Each read scans
 * the start times of this window around the cursor (inserted_at is not in the sort key): with
 * 24 h, a 10 M-span week made every read scan ~1.4 M rows, and a bulk import kept the worker
 * scanning for hours (queries 10x slower meanwhile); 2 h scans 12x fewer. Spans exported hours
 * after they ran (a backfill of old traces) are not health-checked — docs/evaluation.md.
 */
const HEALTH_LOOKBACK_MS = 2 * 3600_000;
const SETTLE_MS = 2_000;
const MAX_SPANS_PER_TICK = 20_000;

const COLUMNS = [
  'project_id',
  'time',
  'trace_id',
  'span_id',
  'model',
  'provider',
  'service_name',
  'environment',
  'flags',
  'reasons',
];

/**
 * Spans checked between two yields to the event loop (~0.5–1 ms of work): a gateway call or an
 * ingest request arriving meanwhile waits at most that long (p99 < 5 ms is the gateway's target).
 */
const YIELD_EVERY = 16;

/** What the checks need. */
export interface HealthDeps {
  driver: ClickhouseDriver;
  cursors: CursorStore;
  settings: HealthSettings;
  insertScore(score: ScoreRow): Promise<void>;
  metrics?: OnlineMetrics;
  batchSize: number;
}

/** Runs the output-health checks under the worker. */
export class HealthRunner {
  readonly #deps: HealthDeps;

  constructor(deps: HealthDeps) {
    this.#deps = deps;
  }

  /** Checks every enabled project's new LLM spans. */
  async tick(nowMs: number, isStopped: () => boolean): Promise<number> {
    let checked = 0;
    for (const projectId of await this.#deps.settings.enabledProjects()) {
      if (isStopped()) break;
      checked += await this.#runProject(projectId, nowMs, isStopped);
    }
    return checked;
  }

  async #runProject(projectId: string, nowMs: number, isStopped: () => boolean): Promise<number> {
    const { cursors, batchSize, driver } = this.#deps;
    const name = `health:${projectId}`;
    let cursor: FeedCursor = (await cursors.get(name)) ?? {
      insertedMs: nowMs - FIRST_LOOKBACK_MS,
      traceId: '',
      spanId: '',
    };
    const beforeMs = nowMs - SETTLE_MS;
    let read = 0;
    while (cursor.insertedMs < beforeMs && read < MAX_SPANS_PER_TICK && !isStopped()) {
      const filters = ruleSpanFilters(
        { kind: 'llm' },
        { fromMs: cursor.insertedMs - HEALTH_LOOKBACK_MS, toMs: beforeMs + HEALTH_LOOKBACK_MS },
      );
      const batch = await readAfter(
        driver,
        projectId,
        { filters, target: 'span', samplingRate: 1, limit: batchSize },
        { cursor, beforeMs, columns: HEALTH_COLUMNS },
      );
      read += batch.length;
      if (batch.length > 0)
        await this.#write(
          projectId,
          batch.map((b) => b.span),
        );
      if (batch.length < batchSize) cursor = { insertedMs: beforeMs, traceId: '', spanId: '' };
      else {
        const last = batch.at(-1)!;
        cursor = { insertedMs: last.insertedMs, traceId: last.span.traceId, spanId: last.span.spanId };
      }
      await cursors.save(name, projectId, cursor);
    }
    return read;
  }

  async #write(projectId: string, spans: Span[]): Promise<void> {
    const done = await this.#alreadyWritten(projectId, spans);
    const fresh = spans.filter((s) => !done.has(`${s.traceId}${s.spanId}`));
    if (fresh.length === 0) return;
    const lines: string[] = [];
    const scores: ScoreRow[] = [];
    const m = this.#deps.metrics;
    for (const [i, span] of fresh.entries()) {
      // The checks cost ~40 µs a span on the event loop: yield now and then, so a batch does not
      // hold up requests (ingest acknowledgements, gateway calls) for tens of milliseconds.
      if (i > 0 && i % YIELD_EVERY === 0) await nextTurn();
      const { flags, reasons } = safeCheck(span);
      lines.push(
        [
          tsvString(projectId),
          tsvTime(span.startTimeUnixNano),
          tsvString(span.traceId),
          tsvString(span.spanId),
          tsvString(span.responseModel || span.requestModel),
          tsvString(span.provider),
          tsvString(span.serviceName),
          tsvString(span.environment),
          tsvStringArray(flags),
          tsvString(JSON.stringify(reasons)),
        ].join('\t'),
      );
      for (const flag of flags) m?.healthFlags.labels(projectId, flag).inc();
      if (flags.length > 0) scores.push(healthScore(projectId, span, flags, reasons));
    }
    m?.healthChecked.labels(projectId).inc(fresh.length);
    await this.#deps.driver.insertTsv('output_health', COLUMNS, Buffer.from(lines.join('\n')));
    await Promise.all(scores.map((s) => this.#deps.insertScore(s)));
  }

  /** Spans of the batch that already have a row (a batch written before a crash). */
  async #alreadyWritten(projectId: string, spans: Span[]): Promise<Set<string>> {
    let min = BigInt(spans[0]!.startTimeUnixNano);
    let max = min;
    for (const span of spans) {
      const ns = BigInt(span.startTimeUnixNano);
      if (ns < min) min = ns;
      if (ns > max) max = ns;
    }
    const rows = await this.#deps.driver.query<{ key: string }>(
      `SELECT concat(toString(trace_id), toString(span_id)) AS key FROM output_health
WHERE project_id = {projectId:String} AND time BETWEEN fromUnixTimestamp64Nano({minNs:Int64}) AND fromUnixTimestamp64Nano({maxNs:Int64})
  AND trace_id IN {traceIds:Array(String)}`,
      {
        projectId,
        minNs: min.toString(),
        maxNs: max.toString(),
        traceIds: [...new Set(spans.map((s) => s.traceId))],
      },
    );
    return new Set(rows.map((r) => r.key));
  }
}

/** The checks of one span; a span they cannot read (an unexpected shape) is recorded healthy rather than stopping the feed. */
function safeCheck(span: Span): ReturnType<typeof checkOutput> {
  try {
    return checkOutput(span);
  } catch {
    return { flags: [], reasons: {} };
  }
}

function healthScore(
  projectId: string,
  span: Span,
  flags: string[],
  reasons: Record<string, string | undefined>,
): ScoreRow {
  return {
    projectId,
    scoreId: `health-${span.traceId}-${span.spanId}`,
    traceId: span.traceId,
    spanId: span.spanId,
    name: HEALTH_SCORE_NAME,
    value: 0,
    stringValue: '',
    comment: flags.map((f) => `${f}: ${reasons[f]}`).join('; '),
    source: 'online',
    author: '',
    timeUnixNano: BigInt(Date.now()) * 1_000_000n,
    metadata: { flags: flags.join(',') },
  };
}
