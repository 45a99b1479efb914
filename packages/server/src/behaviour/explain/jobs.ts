/**
 * Runs explain jobs in the background, two at a time (the rest wait in order): progress goes to
 * the job's row as calls complete, `cancel` aborts the job's calls, and the job's own calls are
 * written into the project as one evaluator trace whatever the outcome.
 */
import type { ExplainJob } from '@argus/shared';
import type { Logger } from '../../logger.ts';
import type { TracesRequest } from '../../otlp/types.ts';
import type { ExplainJobRepository } from './repository.ts';

/** Jobs running at once in one server. */
export const MAX_RUNNING_JOBS = 2;
const PROGRESS_EVERY_MS = 250;

/** The trace of a job's calls, given how it ended. */
export type JobTrace = (error?: string) => { request: TracesRequest; traceId: string } | undefined;

/** What a job's body gets: its abort signal, a call counter, and where to say how to trace it. */
export interface JobContext {
  readonly signal: AbortSignal;
  onCall(): void;
  /** Sets how the job's calls become a trace (written when the job ends, failed or not). */
  traceWith(trace: JobTrace): void;
}

/** A job's body: answers its result. */
export type JobBody = (ctx: JobContext) => Promise<unknown>;

/** What the runner needs. */
export interface JobDeps {
  repo: ExplainJobRepository;
  logger: Logger;
  writeTraces(projectId: string, request: TracesRequest): Promise<void>;
}

interface Queued {
  job: ExplainJob;
  projectId: string;
  body: JobBody;
  controller: AbortController;
}

/** The job runner of one server. */
export class ExplainJobs {
  readonly #deps: JobDeps;
  readonly #controllers = new Map<string, AbortController>();
  readonly #queue: Queued[] = [];
  readonly #running = new Set<Promise<void>>();

  constructor(deps: JobDeps) {
    this.#deps = deps;
  }

  /** Queues a created job; it starts when fewer than {@link MAX_RUNNING_JOBS} run. */
  submit(projectId: string, job: ExplainJob, body: JobBody): void {
    const controller = new AbortController();
    this.#controllers.set(job.id, controller);
    this.#queue.push({ job, projectId, body, controller });
    this.#pump();
  }

  /** Cancels a queued or running job; a finished one is answered as it is. @throws ArgusError NOT_FOUND. */
  async cancel(projectId: string, id: string): Promise<ExplainJob> {
    const job = await this.#deps.repo.require(projectId, id);
    if (job.status === 'queued' || job.status === 'running') {
      this.#controllers.get(id)?.abort(new Error('cancelled'));
      await this.#deps.repo.finish(id, {
        status: 'cancelled',
        done: job.progress.done,
        error: 'cancelled by a user',
      });
    }
    return this.#deps.repo.require(projectId, id);
  }

  /** Aborts every job and waits for them to end (shutdown). */
  async stop(): Promise<void> {
    this.#queue.length = 0;
    for (const controller of this.#controllers.values()) controller.abort(new Error('server stopping'));
    await Promise.allSettled([...this.#running]);
  }

  #pump(): void {
    while (this.#running.size < MAX_RUNNING_JOBS && this.#queue.length > 0) {
      const next = this.#queue.shift()!;
      const running: Promise<void> = this.#run(next).finally(() => {
        this.#running.delete(running);
        this.#controllers.delete(next.job.id);
        this.#pump();
      });
      this.#running.add(running);
    }
  }

  async #run({ job, projectId, body, controller }: Queued): Promise<void> {
    const { repo, logger } = this.#deps;
    if (controller.signal.aborted) return;
    let done = 0;
    let writtenAt = 0;
    const onCall = () => {
      done++;
      if (Date.now() - writtenAt < PROGRESS_EVERY_MS) return;
      writtenAt = Date.now();
      void repo
        .progress(job.id, done)
        .catch((error) => logger.warn('explain progress not saved', { job: job.id, error: String(error) }));
    };
    await repo.progress(job.id, 0);
    let trace: JobTrace | undefined;
    try {
      const result = await body({ signal: controller.signal, onCall, traceWith: (t) => (trace = t) });
      const traceId = await this.#writeTrace(projectId, trace);
      await repo.finish(job.id, {
        status: 'succeeded',
        result: { ...(result as object), ...(traceId ? { traceId } : {}) },
        // The plan's total is an upper bound (a repeated prompt or text is answered once): done is done.
        done: Math.max(done, job.progress.total),
      });
    } catch (error) {
      const cancelled = controller.signal.aborted;
      const message = cancelled ? 'cancelled' : (error as Error).message;
      if (!cancelled) logger.warn('explain job failed', { job: job.id, error: message });
      await this.#writeTrace(projectId, trace, message);
      await repo.finish(job.id, { status: cancelled ? 'cancelled' : 'failed', error: message, done });
    }
  }

  async #writeTrace(projectId: string, traceOf: JobTrace | undefined, error?: string) {
    const trace = traceOf?.(error);
    if (!trace) return undefined;
    try {
      await this.#deps.writeTraces(projectId, trace.request);
      return trace.traceId;
    } catch (failure) {
      this.#deps.logger.warn('explain trace not written', { error: String(failure) });
      return undefined;
    }
  }
}
