/**
 * One item of `runExperiment()`: the task run in a root span linked to the item, and the queue
 * that posts item results to the experiment in batches, one request at a time, in order. Neither
 * rejects: the task's error is the item's, a refused post is a warning.
 */
import { context, ROOT_CONTEXT } from '@opentelemetry/api';
import { apiRequest } from './api-client.ts';
import { withMetadata } from './context.ts';
import type { DatasetItem } from './datasets.ts';
import { describeError } from './diagnostics.ts';
import { observe } from './observe.ts';

/** Results posted per call. */
const RESULTS_PER_POST = 50;
const ZERO_TRACE = /^0+$/;

/** What one item's run did (before scoring). */
export interface ItemOutcome<O> {
  output: O | undefined;
  traceId: string | undefined;
  latencyMs: number;
  error: string | undefined;
}

/** What one item's run did. */
export interface ExperimentItemRun {
  itemId: string;
  /** 0-based; items run `repetitions` times. */
  repetition: number;
  output: unknown;
  /** The run's trace, when tracing is on (`init()` was called). */
  traceId?: string;
  latencyMs: number;
  /** The task's error message, when it threw. */
  error?: string;
  /** Scores of the evaluator functions (server evaluators score on the server). */
  scores: Record<string, number>;
}

/** A JSON-safe copy of an output (text for what JSON cannot hold). */
function jsonSafe(value: unknown): unknown {
  if (value === undefined) return null;
  try {
    return JSON.parse(JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)));
  } catch {
    return String(value);
  }
}

/** Runs the task on one item in a root span linked to it by metadata; never rejects. */
export async function runItem<O>(
  link: { experimentId: string; datasetId: string; repetition: number },
  item: DatasetItem,
  task: (item: DatasetItem) => O | Promise<O>,
): Promise<ItemOutcome<O>> {
  let traceId: string | undefined;
  const started = performance.now();
  try {
    const output = await context.with(ROOT_CONTEXT, () =>
      withMetadata({ ...link, datasetItemId: item.id }, () =>
        observe(
          'experiment item',
          async (span) => {
            const id = span.spanContext().traceId;
            if (!ZERO_TRACE.test(id)) traceId = id;
            return task(item);
          },
          { kind: 'chain', input: item.input },
        ),
      ),
    );
    return { output, traceId, latencyMs: performance.now() - started, error: undefined };
  } catch (error) {
    return {
      output: undefined,
      traceId,
      latencyMs: performance.now() - started,
      error: describeError(error),
    };
  }
}

/** Posts results in batches of 50, one request at a time; failures go to `note`. */
export class ResultQueue {
  readonly #path: string;
  readonly #experimentId: string;
  readonly #note: (message: string, error?: unknown) => void;
  #pending: Record<string, unknown>[] = [];
  #posting: Promise<void> = Promise.resolve();

  constructor(experimentId: string, note: (message: string, error?: unknown) => void) {
    this.#experimentId = experimentId;
    this.#path = `/api/v1/experiments/${encodeURIComponent(experimentId)}/results`;
    this.#note = note;
  }

  /** Queues a result; posts a batch when 50 are waiting. */
  add(result: ExperimentItemRun): void {
    this.#pending.push({
      itemId: result.itemId,
      repetition: result.repetition,
      output: jsonSafe(result.output),
      ...(result.traceId === undefined ? {} : { traceId: result.traceId }),
      latencyMs: Math.round(result.latencyMs * 1000) / 1000,
      ...(result.error === undefined ? {} : { error: result.error.slice(0, 10_000) }),
      ...(Object.keys(result.scores).length === 0 ? {} : { scores: result.scores }),
    });
    if (this.#pending.length >= RESULTS_PER_POST) this.#post();
  }

  /** Posts what waits and resolves when every post has been answered. */
  close(): Promise<void> {
    if (this.#pending.length > 0) this.#post();
    return this.#posting;
  }

  #post(): void {
    const batch = this.#pending.splice(0);
    this.#posting = this.#posting.then(() =>
      apiRequest('POST', this.#path, batch).then(
        () => undefined,
        (error: unknown) =>
          this.#note(`Cannot post ${batch.length} results of experiment '${this.#experimentId}'`, error),
      ),
    );
  }
}
