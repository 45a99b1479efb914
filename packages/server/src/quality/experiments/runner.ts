/**
 * The background job that runs prompt experiments: bounded concurrency, rate-limit backoff,
 * cancel, progress, and resumption after a restart. Progress is the results table itself: a
 * resumed job reads which item runs already have a stored result and never calls them again,
 * so nothing is billed twice. A graceful stop lets calls in flight finish and store their result;
 * after a crash only the calls that were in flight (at most `concurrency`) are made again.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { DatasetItem, PromptTarget } from '@argus/shared';
import { isArgusError } from '../../errors.ts';
import type { Logger } from '../../logger.ts';
import { type ChatRequest, ProviderCallError } from '../connections-client.ts';
import type { ExperimentRepository } from './repository.ts';
import { type ResultsStore, runKey } from './results-store.ts';
import { finishPromptRun, type RunContext, renderMessages } from './run-item.ts';
import type { ExperimentServices } from './services.ts';
import { summarize } from './summary.ts';

/** What the runner needs. */
export interface RunnerDeps {
  repo: ExperimentRepository;
  results: ResultsStore;
  services: ExperimentServices;
  logger: Logger;
  /** Time limit of one provider call, ms (default 60,000). */
  callTimeoutMs?: number;
  /** Pause of the whole experiment after a call still rate-limited after its retries, ms (default 10,000). */
  rateLimitPauseMs?: number;
}

/** A job in progress. */
interface Job {
  cancelled: boolean;
  done: Promise<void>;
}

/** One run of one dataset item (the experiment repeats each item `repetitions` times). */
interface WorkUnit {
  item: DatasetItem;
  repetition: number;
  requeues: number;
}

/** The state of one experiment's job, shared by its workers. */
interface ExperimentRun {
  projectId: string;
  id: string;
  job: Job;
  target: PromptTarget;
  connection: Awaited<ReturnType<ExperimentServices['openConnection']>>;
  ctx: RunContext;
  /** Item runs not yet called. */
  queue: WorkUnit[];
  /** Item runs with a stored result. */
  finished: number;
  /** Workers allowed to call now (additive increase, multiplicative decrease). */
  allowed: number;
  active: number;
  /** No call starts before this time (ms since the epoch). */
  pausedUntil: number;
  /** A failure of Argus itself, which stops every worker. */
  fatal: unknown;
}

/** Times one item run may be put back after exhausting its rate-limit retries. */
const MAX_REQUEUES = 3;

/** Item runs in flight across all experiments of this server, whatever their own concurrency. */
export const MAX_RUNS_IN_FLIGHT = 64;

/** Runs prompt experiments in the background. */
export class ExperimentRunner {
  readonly #deps: RunnerDeps;
  readonly #jobs = new Map<string, Job>();
  /** Aborts calls still waiting when a stop's grace period is over. */
  readonly #abort = new AbortController();
  #stopping = false;
  #inFlight = 0;

  constructor(deps: RunnerDeps) {
    this.#deps = deps;
  }

  /** Resumes every queued or running prompt experiment (at server start). */
  async resumeAll(): Promise<number> {
    const unfinished = await this.#deps.repo.listUnfinished();
    let resumed = 0;
    for (const { projectId, id } of unfinished) {
      const record = await this.#deps.repo.get(projectId, id);
      if (record?.target.type !== 'prompt') continue;
      this.start(projectId, id);
      resumed++;
    }
    if (resumed > 0) this.#deps.logger.info('experiments: resumed', { experiments: resumed });
    return resumed;
  }

  /** Starts (or resumes) the job of a prompt experiment; no-op when it already runs. */
  start(projectId: string, id: string): void {
    if (this.#stopping || this.#jobs.has(id)) return;
    const job: Job = { cancelled: false, done: Promise.resolve() };
    job.done = this.#run(projectId, id, job)
      .catch(async (error: unknown) => {
        const message = isArgusError(error)
          ? error.message
          : 'Cannot run the experiment: internal error (see the server log)';
        if (!isArgusError(error))
          this.#deps.logger.error('experiment failed', { experiment: id, error: String(error) });
        await this.#deps.repo.setStatus(projectId, id, { status: 'failed', error: message }).catch(() => {});
      })
      .finally(() => this.#jobs.delete(id));
    this.#jobs.set(id, job);
  }

  /** Asks a running job to stop starting item runs; true when one was running. */
  cancel(id: string): boolean {
    const job = this.#jobs.get(id);
    if (job) job.cancelled = true;
    return job !== undefined;
  }

  /** True while the job of an experiment runs in this process. */
  isRunning(id: string): boolean {
    return this.#jobs.has(id);
  }

  /**
   * Stops every job: calls in flight get `graceMs` to finish and store their result, then the
   * rest (a call waiting out a rate limit) are aborted and not stored. Unfinished experiments
   * resume at the next start.
   */
  async stop(graceMs = 10_000): Promise<void> {
    this.#stopping = true;
    const all = Promise.all([...this.#jobs.values()].map((j) => j.done));
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, graceMs);
    });
    await Promise.race([all, grace]);
    clearTimeout(timer);
    this.#abort.abort();
    await all;
  }

  async #run(projectId: string, id: string, job: Job): Promise<void> {
    const { repo, results } = this.#deps;
    const run = await this.#prepare(projectId, id, job);
    if (!run) return;
    await Promise.all(Array.from({ length: run.ctx.experiment.concurrency }, () => this.#worker(run)));
    if (run.fatal !== undefined) throw run.fatal;
    if (this.#stopping && !job.cancelled) return; // resumes at the next start
    const summary = summarize(id, await results.read(projectId, id));
    await repo.setStatus(projectId, id, {
      status: job.cancelled ? 'cancelled' : 'completed',
      summary,
      done: run.finished,
    });
  }

  /**
   * Marks the experiment running and reads what its run needs: the item runs still without a
   * stored result (the queue), the evaluators and the connection. Undefined when it is not to run.
   */
  async #prepare(projectId: string, id: string, job: Job): Promise<ExperimentRun | undefined> {
    const { repo, results, services } = this.#deps;
    const experiment = await repo.get(projectId, id);
    if (!experiment || (experiment.status !== 'queued' && experiment.status !== 'running')) return undefined;
    await repo.setStatus(projectId, id, { status: 'running' });
    const target = experiment.target as PromptTarget;
    const [items, evaluators, connection, done] = await Promise.all([
      services.readItems(projectId, experiment.datasetId, experiment.datasetVersion),
      services.loadEvaluators(projectId, experiment.evaluators),
      services.openConnection(projectId, target.connectionId),
      results.doneKeys(projectId, id),
    ]);
    const ctx: RunContext = { experiment, evaluators, services, logger: this.#deps.logger };
    const queue: WorkUnit[] = [];
    for (const item of items) {
      for (let repetition = 0; repetition < experiment.repetitions; repetition++) {
        if (!done.has(runKey(item.id, repetition))) queue.push({ item, repetition, requeues: 0 });
      }
    }
    const finished = items.length * experiment.repetitions - queue.length;
    await repo.setDone(projectId, id, finished);
    return {
      projectId,
      id,
      job,
      target,
      connection,
      ctx,
      queue,
      finished,
      allowed: experiment.concurrency,
      active: 0,
      pausedUntil: 0,
      fatal: undefined,
    };
  }

  /** One worker: takes item runs from the queue while the run may call, until it is empty. */
  async #worker(run: ExperimentRun): Promise<void> {
    while (!run.job.cancelled && !this.#stopping && run.fatal === undefined) {
      const wait = run.pausedUntil - Date.now();
      if (wait > 0) {
        await sleep(Math.min(wait, 500));
        continue;
      }
      if (run.active >= Math.floor(run.allowed) || this.#inFlight >= MAX_RUNS_IN_FLIGHT) {
        await sleep(50);
        continue;
      }
      const unit = run.queue.shift();
      if (!unit) return;
      run.active++;
      this.#inFlight++;
      try {
        if ((await this.#runUnit(run, unit)) === 'aborted') return;
      } catch (error) {
        if (isArgusError(error) && error.retryAfterSeconds !== undefined && unit.requeues < MAX_REQUEUES) {
          // The store is overloaded or briefly unavailable: wait, then run the item again (its
          // call is made again: nothing of it was stored).
          run.pausedUntil = Date.now() + Math.min(30, error.retryAfterSeconds) * 1000;
          run.queue.push({ ...unit, requeues: unit.requeues + 1 });
        } else {
          // Any other failure of Argus itself (not of the provider) stops every worker.
          run.fatal ??= error;
        }
      } finally {
        run.active--;
        this.#inFlight--;
      }
    }
  }

  /**
   * Calls the provider for one item run, adapts the allowed concurrency, and stores the result
   * (or puts the item back when it is still rate-limited).
   */
  async #runUnit(run: ExperimentRun, unit: WorkUnit): Promise<'aborted' | 'requeued' | 'stored'> {
    const { repo, results, services } = this.#deps;
    const { target, connection, ctx } = run;
    const experiment = ctx.experiment;
    const messages = renderMessages(target, unit.item);
    const startMs = Date.now();
    let outcome: Awaited<ReturnType<typeof services.chat>> | undefined;
    let failure: Error | undefined;
    try {
      outcome = await services.chat(
        connection,
        { model: target.model, messages, ...chatParams(target) },
        {
          timeoutMs: this.#deps.callTimeoutMs ?? 60_000,
          maxRetries: 4,
          backoffMs: 1_000,
          maxBackoffMs: 60_000,
          signal: this.#abort.signal,
        },
      );
    } catch (error) {
      failure = error as Error;
    }
    // Aborted by a stop: nothing is stored, the item runs after the restart.
    if (this.#abort.signal.aborted && failure) return 'aborted';
    // Additive increase, multiplicative decrease: a rate-limited call halves the workers
    // allowed to call, each clean call adds back a fraction of one, up to the configured bound.
    const rateLimited =
      (outcome !== undefined && outcome.attempts > 1) ||
      (failure instanceof ProviderCallError && failure.providerStatus === 429);
    run.allowed = rateLimited
      ? Math.max(1, run.allowed / 2)
      : Math.min(experiment.concurrency, run.allowed + 1 / Math.max(1, run.allowed));
    if (
      failure instanceof ProviderCallError &&
      failure.providerStatus === 429 &&
      unit.requeues < MAX_REQUEUES
    ) {
      // Still limited after the client's retries: pause the whole experiment, try the item later.
      run.pausedUntil = Date.now() + (this.#deps.rateLimitPauseMs ?? 10_000);
      run.queue.push({ ...unit, requeues: unit.requeues + 1 });
      return 'requeued';
    }
    if (failure && !(failure instanceof ProviderCallError) && !isArgusError(failure)) throw failure;
    const row = await finishPromptRun(ctx, unit.item, unit.repetition, {
      ...(outcome ? { result: outcome } : {}),
      ...(failure ? { error: failure } : {}),
      startMs,
      endMs: Date.now(),
      target: connection,
      messages,
    });
    await results.write(row);
    run.finished++;
    await repo.setDone(run.projectId, run.id, run.finished);
    return 'stored';
  }
}

function chatParams(target: PromptTarget): Omit<ChatRequest, 'model' | 'messages'> {
  const p = target.params ?? {};
  return Object.fromEntries(Object.entries(p).filter(([, v]) => v !== undefined)) as Omit<
    ChatRequest,
    'model' | 'messages'
  >;
}
