/**
 * Turns the creates and updates of one request into spans: an update is merged into its held
 * create, a finished run (end time present) is normalized and written through the same
 * enrich → group-commit path as OTLP spans, an unfinished one waits in {@link PendingRuns}.
 * A request is all-or-nothing: every run is normalized before anything is written or held, and
 * the held map changes only after the write was acknowledged, so a retried request (after a 503)
 * finds the same state.
 */
import type { Span } from '@argus/shared';
import { ArgusError } from '../errors.ts';
import { normalizeContextOf, type WriteDeps, writeSpans } from '../ingest/ingest-signal.ts';
import type { Logger } from '../logger.ts';
import type { NormalizeContext } from '../normalize/types.ts';
import { isBeyondRetention, Rejections } from '../normalize/validate.ts';
import { isRecord } from '../normalize/values.ts';
import { normalizeRun } from './normalize-run.ts';
import { type HeldRun, type PendingLimits, PendingRuns } from './pending-runs.ts';
import { type LangsmithRun, uuidHexDashed } from './run.ts';
import { runTimeNs } from './run-fields.ts';

/** The runs of one request, already checked. */
export interface RunBatch {
  posts: LangsmithRun[];
  patches: LangsmithRun[];
}

/** What one request did. */
export interface RunIngestResult {
  /** Spans the store took (finished runs, plus held runs pushed out as incomplete). */
  written: number;
  /** Creates of runs already held or already stored. */
  duplicates: number;
  /** Runs now waiting for their update. */
  held: number;
  /** Updates of runs not held that lack a start time, so cannot become a span. */
  ignored: number;
  /** Runs not stored: older than the retention, or values the store could not read. */
  rejected: number;
  /** Up to 10 distinct reasons for `rejected`. */
  errors: string[];
}

/** Lifetime counters of the run API. */
export interface RunCounters {
  written: number;
  incomplete: number;
  duplicates: number;
  ignoredUpdates: number;
}

/** Defaults: 10,000 runs, 64 MiB, one hour. */
export const DEFAULT_PENDING_LIMITS: Readonly<PendingLimits> = Object.freeze({
  maxRuns: 10_000,
  maxBytes: 64 * 1024 * 1024,
  ttlMs: 60 * 60 * 1000,
});

/** An update's defined fields over the create; `extra.metadata` merged key by key. */
export function mergeRun(base: LangsmithRun, update: LangsmithRun): LangsmithRun {
  const merged: LangsmithRun = { ...base };
  for (const [key, value] of Object.entries(update)) {
    // A JSON '__proto__' key is data, never a prototype.
    if (value !== undefined && value !== null && key !== '__proto__') merged[key] = value;
  }
  if (isRecord(base.extra) && isRecord(update.extra)) {
    const meta = (e: Record<string, unknown>) => (isRecord(e.metadata) ? e.metadata : {});
    merged.extra = {
      ...base.extra,
      ...update.extra,
      metadata: { ...meta(base.extra), ...meta(update.extra) },
    };
  }
  return merged;
}

function isFinished(run: LangsmithRun): boolean {
  return runTimeNs(run.end_time) !== undefined;
}

/** Approximate memory of a held run: its JSON size. */
function sizeOf(run: LangsmithRun): number {
  try {
    return JSON.stringify(run)?.length ?? 0;
  } catch {
    return 0;
  }
}

/** The run API's state: held runs and counters. */
export class RunIngestor {
  readonly #deps: WriteDeps & { logger: Logger };
  readonly #pending: PendingRuns;
  readonly counters: RunCounters = { written: 0, incomplete: 0, duplicates: 0, ignoredUpdates: 0 };

  constructor(deps: WriteDeps & { logger: Logger }, limits: PendingLimits = DEFAULT_PENDING_LIMITS) {
    this.#deps = deps;
    this.#pending = new PendingRuns(limits);
  }

  /** Runs held now. */
  get heldRuns(): number {
    return this.#pending.size;
  }

  #ctx(projectId: string): NormalizeContext {
    return normalizeContextOf(this.#deps.config, projectId);
  }

  /**
   * Ingests one request's creates and updates; resolves once its finished runs are stored.
   * @throws ArgusError INVALID_RUN / INVALID_SPAN (nothing written), or the writer's 503 errors.
   */
  async ingest(projectId: string, batch: RunBatch): Promise<RunIngestResult> {
    const key = (id: string) => `${projectId}/${uuidHexDashed(id)}`;
    const touched = new Map<string, LangsmithRun>();
    let duplicates = 0;
    for (const post of batch.posts) {
      const k = key(post.id);
      if (touched.has(k) || this.#pending.has(k)) duplicates++;
      else touched.set(k, post);
    }
    let ignored = 0;
    for (const patch of batch.patches) {
      const k = key(patch.id);
      const base = touched.get(k) ?? this.#pending.get(k)?.run;
      // An update whose create is not held: the create finished earlier, or was lost (a crash,
      // another instance). Updates repeat the run's identity and times, so it can still become a span.
      if (base === undefined && runTimeNs(patch.start_time) === undefined && !patch.dotted_order) ignored++;
      else touched.set(k, base === undefined ? patch : mergeRun(base, patch));
    }
    const ctx = this.#ctx(projectId);
    const spans: Span[] = [];
    const toHold: [string, LangsmithRun, number][] = [];
    // A run older than the retention is skipped alone (it would never be readable); any other
    // invalid run still refuses the request (the run API has no per-run answer).
    const rejections = new Rejections();
    for (const [k, run] of touched) {
      try {
        if (isFinished(run)) spans.push(normalizeRun(run, ctx));
        else {
          normalizeRun(run, ctx, { incomplete: true }); // checks now what a later flush would reject
          toHold.push([k, run, sizeOf(run)]);
        }
      } catch (error) {
        if (!isBeyondRetention(error)) throw error;
        rejections.add(error);
      }
    }
    // The pending map changes before the write is awaited: a request arriving meanwhile (the update
    // of a run this one creates) must find the run held, or it would become a span of its own
    // without the create's inputs. A failed write gives the taken runs back for the retry.
    const taken: [string, HeldRun][] = [];
    for (const k of touched.keys()) {
      const held = this.#pending.take(k);
      if (held !== undefined) taken.push([k, held]);
    }
    const evicted: HeldRun[] = [];
    for (const [k, run, bytes] of toHold) evicted.push(...this.#pending.put(k, { projectId, run }, bytes));
    let written: Awaited<ReturnType<typeof writeSpans>>;
    try {
      written = await writeSpans(spans, this.#deps);
    } catch (error) {
      for (const [k, held] of taken) if (!this.#pending.has(k)) this.#pending.put(k, held, sizeOf(held.run));
      throw error;
    }
    if (written.rejected) {
      rejections.add(
        new ArgusError('INVALID_SPAN', written.rejected.message),
        written.rejected.indexes.length,
      );
    }
    const flushed = await this.#writeIncomplete(evicted, 'evicted from the pending map');
    this.counters.written += written.inserted;
    this.counters.duplicates += duplicates + written.duplicates;
    this.counters.ignoredUpdates += ignored;
    return {
      written: written.inserted + flushed,
      duplicates: duplicates + written.duplicates,
      held: toHold.length,
      ignored,
      rejected: rejections.count,
      errors: rejections.errors,
    };
  }

  /** Writes held runs whose time is up as incomplete spans. */
  async sweep(now = Date.now()): Promise<number> {
    return this.#writeIncomplete(this.#pending.expire(now), 'waited past the pending TTL');
  }

  /** Writes every held run as incomplete (graceful shutdown). */
  async drain(): Promise<number> {
    return this.#writeIncomplete(this.#pending.drain(), 'still pending at shutdown');
  }

  /** Never throws: these runs belong to earlier, acknowledged requests. */
  async #writeIncomplete(held: HeldRun[], why: string): Promise<number> {
    if (held.length === 0) return 0;
    const spans: Span[] = [];
    for (const { projectId, run } of held) {
      try {
        spans.push(normalizeRun(run, this.#ctx(projectId), { incomplete: true }));
      } catch (error) {
        this.#deps.logger.warn('cannot write an incomplete LangSmith run', {
          runId: run.id,
          error: String(error),
        });
      }
    }
    try {
      const written = await writeSpans(spans, this.#deps);
      this.counters.incomplete += written.inserted;
      this.#deps.logger.info('wrote incomplete LangSmith runs', { count: written.inserted, why });
      return written.inserted;
    } catch (error) {
      this.#deps.logger.error('lost incomplete LangSmith runs', {
        count: spans.length,
        why,
        error: String(error),
      });
      return 0;
    }
  }
}
