/**
 * `runExperiment()`: runs the application's own code (`task`) over every item of a dataset as an
 * external Argus experiment. Each item runs in a root span of its own (kind chain, linked to the
 * item and the experiment through metadata), its output is posted as the item's result with the
 * trace id and latency, server evaluators score it, and evaluator functions given here are posted
 * as scores too. Failures of the task are recorded on the item; failures of tracing or posting go
 * to the diagnostic logger and the answer's `warnings`, never into the application.
 */
import type { ExperimentSummary, ScoreSummary } from '@argus/shared';
import { ArgusApiError, apiList, apiRequest } from './api-client.ts';
import { type Dataset, type DatasetItem, getDataset, getItems } from './datasets.ts';
import { describeError, warn } from './diagnostics.ts';
import { type ExperimentEvaluator, runEvaluators } from './experiment-evaluators.ts';
import { type ExperimentItemRun, ResultQueue, runItem } from './experiment-item.ts';
import { flush } from './init.ts';
import { score } from './score.ts';

export type {
  EvaluatorContext,
  EvaluatorFunction,
  EvaluatorResult,
  ExperimentEvaluator,
} from './experiment-evaluators.ts';
export type { ExperimentItemRun } from './experiment-item.ts';

export type { ExperimentSummary, ScoreSummary };

/** Progress after each item. */
export interface ExperimentProgress {
  done: number;
  total: number;
  errors: number;
}

/** Options of {@link runExperiment}. */
export interface RunExperimentOptions<O = unknown> {
  /** The dataset's id or name. */
  dataset: string;
  /** The experiment's name (default `<dataset> <time>`). */
  name?: string;
  /** The application code run on each item; its return value is the output scored. */
  task: (item: DatasetItem) => O | Promise<O>;
  /** Server evaluators (ids or names) and evaluator functions. */
  evaluators?: readonly ExperimentEvaluator<O>[];
  /** Items run at once (default 4). */
  concurrency?: number;
  /** Runs of each item, 1–20 (default 1): repeat a non-deterministic app to measure it, not one draw. */
  repetitions?: number;
  metadata?: Record<string, unknown>;
  /** A dataset version (ISO time) to run; default the latest. */
  datasetVersion?: string;
  /** Called after each item. */
  onProgress?: (progress: ExperimentProgress) => void;
  /** Print progress lines to stderr (default false). */
  printProgress?: boolean;
}

/** What {@link runExperiment} answers. */
export interface ExperimentRun {
  id: string;
  name: string;
  datasetId: string;
  datasetVersion: string;
  /** `completed` once every result was stored; `running` when some could not be posted. */
  status: string;
  progress: { done: number; total: number };
  summary: ExperimentSummary;
  items: ExperimentItemRun[];
  /** Tracing, posting or evaluator-function failures (also sent to the diagnostic logger). */
  warnings: string[];
}

/** The experiment as the server answers it (without this run's items and warnings). */
type ExperimentAnswer = Omit<ExperimentRun, 'items' | 'warnings'>;

/** The server's bound of an experiment's concurrency (scoring of posted results). */
const SERVER_MAX_CONCURRENCY = 32;

/** Server evaluators by id or name → their ids. */
async function resolveEvaluators(wanted: readonly string[]): Promise<string[]> {
  if (wanted.length === 0) return [];
  const all = await apiList<{ id: string; name: string }>('/api/v1/evaluators');
  return wanted.map((w) => {
    const found = all.find((e) => e.id === w) ?? all.find((e) => e.name === w);
    if (found === undefined) {
      throw new ArgusApiError(
        `Cannot find evaluator '${w}': no evaluator has this id or name`,
        404,
        'NOT_FOUND',
      );
    }
    return found.id;
  });
}

function check(options: RunExperimentOptions<unknown>): void {
  if (typeof options !== 'object' || options === null)
    throw new TypeError('runExperiment: expected an options object');
  if (typeof options.task !== 'function') throw new TypeError("runExperiment: 'task' must be a function");
  if (typeof options.dataset !== 'string' || options.dataset === '')
    throw new TypeError("runExperiment: 'dataset' must be a dataset id or name");
  const c = options.concurrency;
  if (c !== undefined && !(Number.isInteger(c) && c >= 1 && c <= 1000))
    throw new TypeError(`runExperiment: 'concurrency' must be an integer from 1 to 1000, not ${String(c)}`);
  const r = options.repetitions;
  if (r !== undefined && !(Number.isInteger(r) && r >= 1 && r <= 20))
    throw new TypeError(`runExperiment: 'repetitions' must be an integer from 1 to 20, not ${String(r)}`);
}

/** Finds the dataset and server evaluators, creates the external experiment, reads its items. */
async function startExperiment(
  options: Pick<
    RunExperimentOptions<unknown>,
    'dataset' | 'name' | 'datasetVersion' | 'metadata' | 'repetitions'
  >,
  evaluatorNames: string[],
  concurrency: number,
): Promise<{ dataset: Dataset; created: ExperimentAnswer; items: DatasetItem[] }> {
  const dataset = await getDataset(options.dataset);
  const evaluatorIds = await resolveEvaluators(evaluatorNames);
  const created = await apiRequest<ExperimentAnswer>('POST', '/api/v1/experiments', {
    name: options.name ?? `${dataset.name} ${new Date().toISOString()}`,
    datasetId: dataset.id,
    ...(options.datasetVersion === undefined ? {} : { datasetVersion: options.datasetVersion }),
    target: { type: 'external' },
    evaluators: evaluatorIds,
    repetitions: options.repetitions ?? 1,
    concurrency: Math.min(concurrency, SERVER_MAX_CONCURRENCY),
    metadata: { ...options.metadata, runner: '@argus/sdk' },
  });
  const items = await getItems(dataset.id, { version: created.datasetVersion });
  return { dataset, created, items };
}

/** Sends the evaluator functions' scores to the item's trace (never rejects: score() reports). */
async function scoreTrace(
  traceId: string,
  scores: Record<string, number>,
  metadata: { experimentId: string; datasetItemId: string; repetition: number },
): Promise<void> {
  await Promise.all(
    Object.entries(scores).map(([name, value]) => score({ traceId, name, value, source: 'eval', metadata })),
  );
}

/**
 * Runs `task` over a dataset as an Argus experiment and answers its summary and per-item runs.
 * Call `init()` first so each item's run is a trace. Rejects (with an {@link ArgusApiError} or a
 * TypeError) only when the experiment cannot start: an unknown dataset or evaluator, bad options,
 * Argus unreachable.
 * @example
 * const run = await runExperiment({
 *   dataset: 'arithmetic',
 *   task: (item) => answer(String(item.input)),
 *   evaluators: ['exact', function short({ output }) { return String(output).length < 20 ? 1 : 0; }],
 * });
 * console.log(run.summary.scores);
 */
export async function runExperiment<O>(options: RunExperimentOptions<O>): Promise<ExperimentRun> {
  check(options as RunExperimentOptions<unknown>);
  const evaluators = options.evaluators ?? [];
  const named = evaluators.filter((e): e is string => typeof e === 'string');
  const functions = evaluators.filter(
    (e): e is Exclude<ExperimentEvaluator<O>, string> => typeof e !== 'string',
  );
  const concurrency = options.concurrency ?? 4;
  const { dataset, created, items } = await startExperiment(options, named, concurrency);
  const warnings: string[] = [];
  const note = (message: string, error?: unknown) => {
    const why = error instanceof ArgusApiError ? error.detail : describeError(error);
    const text = error === undefined ? message : `${message}: ${why}`;
    if (warnings.length < 100) warnings.push(text);
    warn(text);
  };
  const runs: ExperimentItemRun[] = [];
  const results = new ResultQueue(created.id, note);
  const runsOf = items.flatMap((item) =>
    Array.from({ length: options.repetitions ?? 1 }, (_, repetition) => ({ item, repetition })),
  );
  const progress: ExperimentProgress = { done: 0, total: runsOf.length, errors: 0 };
  let next = 0;
  const worker = async () => {
    while (next < runsOf.length) {
      const { item, repetition } = runsOf[next++]!;
      const result = await runItem(
        { experimentId: created.id, datasetId: dataset.id, repetition },
        item,
        options.task,
      );
      const scores =
        result.error === undefined
          ? await runEvaluators(functions, item, result.output as O, result.traceId, note)
          : {};
      const run: ExperimentItemRun = {
        itemId: item.id,
        repetition,
        output: result.output,
        ...(result.traceId === undefined ? {} : { traceId: result.traceId }),
        latencyMs: result.latencyMs,
        ...(result.error === undefined ? {} : { error: result.error }),
        scores,
      };
      runs.push(run);
      results.add(run);
      // Awaited here, so score requests stay bounded by `concurrency` and are done when the run is.
      if (result.traceId !== undefined)
        await scoreTrace(result.traceId, scores, {
          experimentId: created.id,
          datasetItemId: item.id,
          repetition,
        });
      progress.done++;
      if (result.error !== undefined) progress.errors++;
      report(options, created.name, progress, note);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, Math.max(1, runsOf.length)) }, worker));
  await results.close();
  await flush();
  let final: ExperimentAnswer = created;
  try {
    final = await apiRequest<ExperimentAnswer>(
      'GET',
      `/api/v1/experiments/${encodeURIComponent(created.id)}`,
    );
  } catch (error) {
    note(`Cannot read the summary of experiment '${created.id}'`, error);
  }
  const order = new Map(items.map((item, i) => [item.id, i]));
  runs.sort((a, b) => (order.get(a.itemId) ?? 0) - (order.get(b.itemId) ?? 0) || a.repetition - b.repetition);
  return {
    id: final.id,
    name: final.name,
    datasetId: final.datasetId,
    datasetVersion: final.datasetVersion,
    status: final.status,
    progress: final.progress,
    summary: final.summary,
    items: runs,
    warnings,
  };
}

/** Progress to the callback and, when asked, to stderr (every 10 % and at the end). */
function report(
  options: {
    onProgress?: ((progress: ExperimentProgress) => void) | undefined;
    printProgress?: boolean | undefined;
  },
  name: string,
  progress: ExperimentProgress,
  note: (message: string, error?: unknown) => void,
): void {
  const callback = options.onProgress;
  if (callback !== undefined) {
    try {
      callback({ ...progress });
    } catch (error) {
      note('onProgress threw', error);
    }
  }
  if (!options.printProgress) return;
  const step = Math.max(1, Math.ceil(progress.total / 10));
  if (progress.done % step === 0 || progress.done === progress.total) {
    const errors = progress.errors === 0 ? '' : ` (${progress.errors} failed)`;
    process.stderr.write(`experiment ${name}: ${progress.done}/${progress.total} items${errors}\n`);
  }
}
