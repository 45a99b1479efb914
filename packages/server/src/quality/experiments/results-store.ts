/**
 * Experiment results in ClickHouse (`experiment_results`): one row per item run. Writes are
 * grouped — concurrent results share one insert — so a run at concurrency 8 does not make a
 * part per item; each write resolves once its row is stored.
 */
import { type DdlOptions, localName, onCluster } from '../../store/clickhouse/ddl.ts';
import type { ClickhouseDriver } from '../../store/clickhouse/driver.ts';
import { tsvNullableNumber, tsvNumber, tsvString, tsvStringArray } from '../../store/tsv.ts';

/** One stored item run. */
export interface ResultRow {
  projectId: string;
  experimentId: string;
  itemId: string;
  repetition: number;
  traceId: string;
  /** The output as JSON text. */
  output: string;
  /** The item's expected output as JSON text ('' when none), kept for label metrics. */
  expected: string;
  error: string;
  latencyMs: number | undefined;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  scores: Record<string, number>;
  timeMs: number;
}

const COLUMNS = [
  'project_id',
  'experiment_id',
  'item_id',
  'repetition',
  'trace_id',
  'output',
  'expected',
  'error',
  'latency_ms',
  'input_tokens',
  'output_tokens',
  'cost_usd',
  'scores',
  'time',
] as const;

/** The largest number of results read for one experiment (statistics, item pages). */
export const MAX_RESULTS_READ = 200_000;

/** A Map(String, Float64) field: quoted keys (as in a one-element string array), bare numbers. */
function scoresMap(scores: Record<string, number>): string {
  const entries = Object.entries(scores).map(
    ([name, value]) => `${tsvStringArray([name]).slice(1, -1)}:${tsvNumber(value)}`,
  );
  return `{${entries.join(',')}}`;
}

function toLine(r: ResultRow): string {
  return [
    tsvString(r.projectId),
    tsvString(r.experimentId),
    tsvString(r.itemId),
    String(r.repetition),
    tsvString(r.traceId),
    tsvString(r.output),
    tsvString(r.expected),
    tsvString(r.error),
    tsvNullableNumber(r.latencyMs),
    String(Math.max(0, Math.round(r.inputTokens))),
    String(Math.max(0, Math.round(r.outputTokens))),
    tsvNumber(r.costUsd),
    scoresMap(r.scores),
    new Date(r.timeMs).toISOString().replace('T', ' ').replace('Z', ''),
  ].join('\t');
}

interface StoredRow {
  item_id: string;
  repetition: number | string;
  trace_id: string;
  output: string;
  expected: string;
  error: string;
  latency_ms: number | null;
  input_tokens: number | string;
  output_tokens: number | string;
  cost_usd: number;
  scores: Record<string, number>;
}

/** Reads and writes experiment results. */
export class ResultsStore {
  readonly #driver: ClickhouseDriver;
  readonly #ddl: Pick<DdlOptions, 'profile' | 'cluster'>;
  #pending: { line: string; resolve: () => void; reject: (error: unknown) => void }[] = [];
  #flushing: Promise<void> | undefined;

  /** @param ddl the schema profile, for deletes (they go to the local tables when sharded). */
  constructor(
    driver: ClickhouseDriver,
    ddl: Pick<DdlOptions, 'profile' | 'cluster'> = { profile: 'single', cluster: '' },
  ) {
    this.#driver = driver;
    this.#ddl = ddl;
  }

  /** Stores one result; resolves once it is written (grouped with concurrent writes). */
  write(row: ResultRow): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#pending.push({ line: toLine(row), resolve, reject });
      this.#flushing ??= this.#flush();
    });
  }

  async #flush(): Promise<void> {
    while (this.#pending.length > 0) {
      const batch = this.#pending;
      this.#pending = [];
      try {
        await this.#driver.insertTsv(
          'experiment_results',
          COLUMNS,
          Buffer.from(`${batch.map((p) => p.line).join('\n')}\n`),
        );
        for (const p of batch) p.resolve();
      } catch (error) {
        for (const p of batch) p.reject(error);
      }
    }
    this.#flushing = undefined;
  }

  /** The newest result of every item run of an experiment, by item then repetition. */
  async read(projectId: string, experimentId: string): Promise<ResultRow[]> {
    const rows = await this.#driver.query<StoredRow>(
      `SELECT item_id, repetition, trace_id, output, expected, error, latency_ms, input_tokens, output_tokens,
              cost_usd, scores
       FROM experiment_results
       WHERE project_id = {projectId:String} AND experiment_id = {experimentId:String}
       ORDER BY item_id, repetition, inserted_at DESC
       LIMIT 1 BY item_id, repetition
       LIMIT {limit:UInt64}`,
      { projectId, experimentId, limit: MAX_RESULTS_READ },
    );
    return rows.map((r) => ({
      projectId,
      experimentId,
      itemId: r.item_id,
      repetition: Number(r.repetition),
      traceId: r.trace_id,
      output: r.output,
      expected: r.expected,
      error: r.error,
      latencyMs: r.latency_ms === null ? undefined : Number(r.latency_ms),
      inputTokens: Number(r.input_tokens),
      outputTokens: Number(r.output_tokens),
      costUsd: Number(r.cost_usd),
      scores: Object.fromEntries(Object.entries(r.scores ?? {}).map(([k, v]) => [k, Number(v)])),
      timeMs: 0,
    }));
  }

  /** Keys (`item\u0000repetition`) of the item runs that already have a result: never run again. */
  async doneKeys(projectId: string, experimentId: string): Promise<Set<string>> {
    const rows = await this.#driver.query<{ item_id: string; repetition: number | string }>(
      `SELECT DISTINCT item_id, repetition FROM experiment_results
       WHERE project_id = {projectId:String} AND experiment_id = {experimentId:String}
       LIMIT {limit:UInt64}`,
      { projectId, experimentId, limit: MAX_RESULTS_READ },
    );
    return new Set(rows.map((r) => runKey(r.item_id, Number(r.repetition))));
  }

  /** Removes an experiment's results (asynchronous in ClickHouse; reads stop seeing them soon). */
  async delete(projectId: string, experimentId: string): Promise<void> {
    const table = `${localName('experiment_results', this.#ddl)}${onCluster(this.#ddl)}`;
    await this.#driver.exec(
      `DELETE FROM ${table} WHERE project_id = {projectId:String} AND experiment_id = {experimentId:String}`,
      { projectId, experimentId },
    );
  }
}

/** The key of an item run. */
export function runKey(itemId: string, repetition: number): string {
  return `${itemId}\u0000${repetition}`;
}
