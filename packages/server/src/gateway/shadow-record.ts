/**
 * Shadow pairs recorded as experiments (docs/gateway.md, "Shadow traffic"). A shadow owns a dataset
 * and two experiments on it, `primary` and `candidate`: each pair adds one dataset item (the
 * call's input, the primary's answer as its expected output, the primary's trace as its source) and
 * one result in each experiment, scored by the shadow's evaluators through the experiments' own
 * `scoreOutput`. The experiments API then reads, summarises and compares them like any other
 * (item by item: same dataset, same item ids). The first `maxPairs` pairs are recorded; then both
 * experiments complete. Cancelling or deleting either experiment stops the shadow.
 */
import type { DatasetItem, Evaluator, GatewayShadow, ItemWrite, Message, Span } from '@argus/shared';
import type { Logger } from '../logger.ts';
import type { DatasetRepository } from '../quality/dataset-repository.ts';
import type { ExperimentRecord, ExperimentRepository } from '../quality/experiments/repository.ts';
import type { ResultRow, ResultsStore } from '../quality/experiments/results-store.ts';
import { type OutputToScore, scoreOutput } from '../quality/experiments/run-item.ts';
import type { ExperimentServices } from '../quality/experiments/services.ts';
import { summarize } from '../quality/experiments/summary.ts';
import type { CandidateOutcome, ShadowJob } from './shadow-call.ts';

/** How long a shadow's experiment status is trusted before it is read again, ms. */
const STATUS_TTL_MS = 2_000;
/** Pairs are stored together every this many ms (or at {@link MAX_BATCH}): each store is a metadata transaction. */
const BATCH_MS = 250;
const MAX_BATCH = 200;

/** A scored pair waiting for its batch. */
interface Pending {
  item: ItemWrite;
  rows: ResultRow[];
  resolve(): void;
  reject(error: unknown): void;
}

/** What the recorder needs. */
export interface ShadowRecorderDeps {
  experiments: ExperimentRepository;
  results: ResultsStore;
  services: Pick<ExperimentServices, 'evaluate' | 'insertScore' | 'loadEvaluators' | 'writeSpans'>;
  datasets: DatasetRepository;
  logger: Logger;
}

/** Where a shadow stands. */
export type ShadowState = 'running' | 'completed' | 'cancelled';

interface Progress {
  loading: Promise<void> | undefined;
  checkedAt: number;
  state: ShadowState;
  /** Pairs whose candidate call was allowed (recorded or in flight). */
  started: number;
  recorded: number;
  primary: ExperimentRecord | undefined;
  candidate: ExperimentRecord | undefined;
  evaluators: Evaluator[];
  batch: Pending[];
  timer: NodeJS.Timeout | undefined;
}

/** The text of an answer's messages (a tool call's parts when there is no text), for scoring. */
export function answerText(output: unknown): unknown {
  if (!Array.isArray(output)) return output;
  const messages = output as Message[];
  const text = messages
    .flatMap((m) => (Array.isArray(m.parts) ? m.parts : []))
    .flatMap((p) => (p.type === 'text' ? [p.content] : []))
    .join('');
  return text !== '' ? text : messages.flatMap((m) => m.parts ?? []);
}

/**
 * A call's input as a dataset item holds it: the text of a lone user message, else the messages as
 * `{role, content}` (text parts joined; other parts kept), the shape datasets and judges read best.
 */
export function itemInput(input: unknown): unknown {
  if (!Array.isArray(input)) return input;
  const messages = (input as Message[]).map((m) => {
    const parts = Array.isArray(m.parts) ? m.parts : [];
    const isText = parts.every((p) => p.type === 'text');
    const content = isText ? parts.map((p) => (p.type === 'text' ? p.content : '')).join('') : parts;
    return { role: m.role, content };
  });
  const only = messages[0];
  return messages.length === 1 && only?.role === 'user' && typeof only.content === 'string'
    ? only.content
    : messages;
}

function stateOf(
  primary: ExperimentRecord | undefined,
  candidate: ExperimentRecord | undefined,
): ShadowState {
  const statuses = [primary?.status, candidate?.status];
  if (statuses.includes(undefined) || statuses.includes('cancelled') || statuses.includes('failed'))
    return 'cancelled';
  return statuses.includes('completed') ? 'completed' : 'running';
}

/** Records shadow pairs; one instance per server. */
export class ShadowRecorder {
  readonly #d: ShadowRecorderDeps;
  readonly #progress = new Map<string, Progress>();

  constructor(deps: ShadowRecorderDeps) {
    this.#d = deps;
  }

  #key(projectId: string, shadow: Pick<GatewayShadow, 'name' | 'primaryExperimentId'>): string {
    return `${projectId}\u0000${shadow.name}\u0000${shadow.primaryExperimentId}`;
  }

  /** False once a shadow is known to have stopped or reached its pairs (unknown: true). Sync. */
  isOpen(projectId: string, shadow: GatewayShadow): boolean {
    const p = this.#progress.get(this.#key(projectId, shadow));
    return p === undefined || (p.state === 'running' && p.started < shadow.maxPairs);
  }

  /** Pairs recorded and the state, as last read (undefined before the first pair). */
  progressOf(projectId: string, shadow: GatewayShadow): { pairs: number; state: ShadowState } | undefined {
    const p = this.#progress.get(this.#key(projectId, shadow));
    return p && { pairs: p.recorded, state: p.state };
  }

  /** Forgets a deleted shadow: its queued pairs are not recorded. */
  forget(projectId: string, shadow: GatewayShadow): void {
    const p = this.#progress.get(this.#key(projectId, shadow));
    if (p) p.state = 'cancelled';
  }

  async #refresh(projectId: string, shadow: GatewayShadow, p: Progress): Promise<void> {
    const { experiments, services, logger } = this.#d;
    const [primary, candidate] = await Promise.all([
      experiments.get(projectId, shadow.primaryExperimentId),
      experiments.get(projectId, shadow.candidateExperimentId),
    ]);
    if (p.state === 'running') p.state = stateOf(primary, candidate);
    p.primary = primary;
    p.candidate = candidate;
    p.recorded = Math.max(p.recorded, primary?.done ?? 0);
    p.started = Math.max(p.started, p.recorded);
    if (p.checkedAt === 0)
      p.evaluators = await services.loadEvaluators(projectId, shadow.evaluators).catch((error: unknown) => {
        logger.warn('gateway: shadow evaluators missing; pairs are recorded unscored', {
          shadow: shadow.name,
          error: String(error),
        });
        return [];
      });
    p.checkedAt = Date.now();
  }

  /** Claims a pair of a shadow before its candidate call; false when the shadow takes no more. */
  async reserve(projectId: string, shadow: GatewayShadow): Promise<boolean> {
    const key = this.#key(projectId, shadow);
    let p = this.#progress.get(key);
    if (!p) {
      p = {
        loading: undefined,
        checkedAt: 0,
        state: 'running',
        started: 0,
        recorded: 0,
        primary: undefined,
        candidate: undefined,
        evaluators: [],
        batch: [],
        timer: undefined,
      };
      this.#progress.set(key, p);
    }
    if (Date.now() - p.checkedAt > STATUS_TTL_MS) {
      const progress = p;
      p.loading ??= this.#refresh(projectId, shadow, progress).finally(() => {
        progress.loading = undefined;
      });
      await p.loading;
    }
    if (p.state !== 'running' || p.started >= shadow.maxPairs) return false;
    p.started++;
    return true;
  }

  /** Gives back a claimed pair that will not be recorded. */
  release(projectId: string, shadow: GatewayShadow): void {
    const p = this.#progress.get(this.#key(projectId, shadow));
    if (p) p.started = Math.max(p.recorded, p.started - 1);
  }

  /**
   * Records a pair whose candidate call has ended (a claimed one): scores both answers now, then
   * stores the pair with the others of the next {@link BATCH_MS} (one dataset version, one results
   * insert and one progress update per batch, not per pair); resolves once stored.
   */
  async record(job: ShadowJob, outcome: CandidateOutcome): Promise<void> {
    const projectId = job.call.projectId;
    const p = this.#progress.get(this.#key(projectId, job.shadow));
    if (!p?.primary || !p.candidate || p.state !== 'running') return;
    let pair: Omit<Pending, 'resolve' | 'reject'>;
    try {
      pair = await this.#score(job, outcome, p);
    } catch (error) {
      this.release(projectId, job.shadow);
      throw error;
    }
    await new Promise<void>((resolve, reject) => {
      p.batch.push({ ...pair, resolve, reject });
      if (p.batch.length >= MAX_BATCH) void this.#flush(projectId, job.shadow, p);
      else p.timer ??= setTimeout(() => void this.#flush(projectId, job.shadow, p), BATCH_MS);
    });
  }

  async #flush(projectId: string, shadow: GatewayShadow, p: Progress): Promise<void> {
    clearTimeout(p.timer);
    p.timer = undefined;
    const batch = p.batch;
    p.batch = [];
    if (batch.length === 0) return;
    try {
      await this.#d.datasets.upsertItems(
        projectId,
        shadow.datasetId,
        batch.map((b) => b.item),
      );
      await Promise.all(batch.flatMap((b) => b.rows.map((row) => this.#d.results.write(row))));
      p.recorded += batch.length;
      await this.#progressed(projectId, shadow, p);
      for (const b of batch) b.resolve();
    } catch (error) {
      for (const b of batch) {
        this.release(projectId, shadow);
        b.reject(error);
      }
    }
  }

  /** The dataset item and the two scored result rows of a pair. */
  async #score(
    job: ShadowJob,
    outcome: CandidateOutcome,
    p: Progress,
  ): Promise<Omit<Pending, 'resolve' | 'reject'>> {
    const { services, logger } = this.#d;
    const { primary } = job;
    const expected = answerText(primary.output);
    const metadata = { shadow: job.shadow.name, model: primary.requestModel };
    const item: DatasetItem = {
      id: primary.spanId,
      datasetId: job.shadow.datasetId,
      input: itemInput(primary.input),
      expectedOutput: expected,
      metadata,
      validFrom: '',
    };
    const span = outcome.span;
    const primaryOut: OutputToScore = {
      output: expected,
      // Scores stay in the experiment: none are written onto the caller's trace.
      traceId: undefined,
      rootSpanId: undefined,
      latencyMs: primary.durationMs,
      ...usageOf(primary),
      error: primary.status === 'error' ? primary.statusMessage || 'the primary call failed' : '',
    };
    const candidateOut: OutputToScore = {
      output: span ? answerText(span.output) : undefined,
      traceId: span?.traceId,
      rootSpanId: span?.spanId,
      latencyMs: outcome.latencyMs,
      ...(span ? usageOf(span) : { inputTokens: 0, outputTokens: 0, costUsd: 0 }),
      error: outcome.error ?? (span ? '' : "the candidate's span could not be written"),
    };
    const context = (experiment: ExperimentRecord) => ({
      experiment,
      evaluators: p.evaluators,
      services: services as ExperimentServices,
      logger,
    });
    const [primaryRow, candidateRow] = await Promise.all([
      scoreOutput(context(p.primary!), item, 0, primaryOut),
      scoreOutput(context(p.candidate!), item, 0, candidateOut),
    ]);
    return {
      item: {
        id: item.id,
        input: item.input,
        expectedOutput: expected,
        metadata,
        sourceTraceId: primary.traceId,
        sourceSpanId: primary.spanId,
      },
      rows: [{ ...primaryRow, traceId: primary.traceId }, candidateRow],
    };
  }

  /** Stores progress; the last pair completes both experiments with their statistics. */
  async #progressed(projectId: string, shadow: GatewayShadow, p: Progress): Promise<void> {
    const { experiments, results } = this.#d;
    const ids = [shadow.primaryExperimentId, shadow.candidateExperimentId];
    if (p.recorded < shadow.maxPairs) {
      await Promise.all(ids.map((id) => experiments.setDone(projectId, id, p.recorded)));
      return;
    }
    p.state = 'completed';
    await completeShadow(projectId, shadow, { experiments, results }, p.recorded);
  }
}

function usageOf(span: Span): Pick<OutputToScore, 'inputTokens' | 'outputTokens' | 'costUsd'> {
  return { inputTokens: span.inputTokens, outputTokens: span.outputTokens, costUsd: span.costUsd };
}

/** Completes a shadow's running experiments with their statistics (maxPairs reached, or deleted). */
export async function completeShadow(
  projectId: string,
  shadow: GatewayShadow,
  deps: Pick<ShadowRecorderDeps, 'experiments' | 'results'>,
  done?: number,
): Promise<void> {
  for (const id of [shadow.primaryExperimentId, shadow.candidateExperimentId]) {
    const record = await deps.experiments.get(projectId, id);
    if (record?.status !== 'running') continue;
    const summary = summarize(id, await deps.results.read(projectId, id));
    await deps.experiments.setStatus(projectId, id, {
      status: 'completed',
      summary,
      done: done ?? record.done,
    });
  }
}
