/**
 * Shadow calls off the caller's path. A call is picked for a shadow on its way in (a random draw
 * against the shadow's share, nothing else); once its answer has ended and its span is written,
 * the pair is handed here. Each shadow has its own lane: at most `concurrency` candidate calls at
 * once and `queue` waiting; past that the pair is dropped and counted. Nothing here is awaited by
 * a caller's request, and a candidate never changes connection health, key spend or limits.
 */

import type { IncomingHttpHeaders } from 'node:http';
import type { GatewayShadow, Span } from '@argus/shared';
import type { Logger } from '../logger.ts';
import { type MetricsRegistry, PROJECT_LABEL } from '../metrics/registry.ts';
import { servesModel } from '../quality/connection-repository.ts';
import type { Call } from './finish.ts';
import { callCandidate, type ShadowCallDeps, type ShadowJob } from './shadow-call.ts';
import type { ShadowRecorder } from './shadow-record.ts';

/** Candidate calls in flight across every shadow of this server, whatever their own bounds. */
export const MAX_SHADOW_IN_FLIGHT = 64;
/** How long a stop lets candidate calls in flight finish before it aborts them, ms. */
const STOP_GRACE_MS = 2_000;

/** Counters of one shadow since the start. */
export interface ShadowCounters {
  sent: number;
  failed: number;
  dropped: number;
}

interface Lane extends ShadowCounters {
  active: number;
  queue: ShadowJob[];
}

/** The shadows a call is picked for: those matching its model whose draw falls under their share. */
export function pickShadows(
  shadows: readonly GatewayShadow[] | undefined,
  call: Pick<Call, 'projectId' | 'facts' | 'endpoint'>,
  random: () => number,
  isOpen: (shadow: GatewayShadow) => boolean,
): GatewayShadow[] | undefined {
  if (!shadows || shadows.length === 0 || call.endpoint.operation === 'embeddings') return undefined;
  const picked = shadows.filter(
    (s) => s.share > 0 && servesModel([s.model], call.facts.model) && random() < s.share && isOpen(s),
  );
  return picked.length > 0 ? picked : undefined;
}

function laneKey(projectId: string, shadow: GatewayShadow): string {
  return `${projectId}\u0000${shadow.name}\u0000${shadow.primaryExperimentId}`;
}

/** Sends candidate calls and hands their pairs to the recorder. */
export class ShadowSender {
  readonly #deps: ShadowCallDeps;
  readonly #recorder: ShadowRecorder;
  readonly #logger: Logger;
  readonly #lanes = new Map<string, Lane>();
  readonly #abort = new AbortController();
  readonly #metric;
  readonly #running = new Set<Promise<void>>();
  /** Pairs waiting for their batch to be stored. */
  readonly #recording = new Set<Promise<void>>();
  #inFlight = 0;
  #stopping = false;

  constructor(deps: ShadowCallDeps, recorder: ShadowRecorder, registry: MetricsRegistry) {
    this.#deps = deps;
    this.#recorder = recorder;
    this.#logger = deps.logger;
    this.#metric = registry.counter({
      name: 'argus_gateway_shadow_calls_total',
      help: 'Shadow calls to candidate models by shadow and result: sent (every call made), failed (of those sent: an error, a timeout or no connection), dropped (its queue was full).',
      labelNames: [PROJECT_LABEL, 'shadow', 'result'],
      boundedLabels: ['result'],
      partitionLabel: PROJECT_LABEL,
    });
  }

  get recorder(): ShadowRecorder {
    return this.#recorder;
  }

  /** Whether a shadow still takes pairs (sync, for the pick). */
  isOpen(projectId: string, shadow: GatewayShadow): boolean {
    return !this.#stopping && this.#recorder.isOpen(projectId, shadow);
  }

  /** Counters of a shadow since the start (a shadow made again under its name starts at 0). */
  countersOf(projectId: string, shadow: GatewayShadow): ShadowCounters {
    const lane = this.#lanes.get(laneKey(projectId, shadow));
    return { sent: lane?.sent ?? 0, failed: lane?.failed ?? 0, dropped: lane?.dropped ?? 0 };
  }

  /** Hands over a finished call picked for shadows (its span written); never throws, never waits. */
  submit(call: Call, headers: IncomingHttpHeaders, shadows: readonly GatewayShadow[], primary: Span): void {
    if (this.#stopping) return;
    for (const shadow of shadows) {
      const key = laneKey(call.projectId, shadow);
      let lane = this.#lanes.get(key);
      if (!lane) {
        lane = { active: 0, queue: [], sent: 0, failed: 0, dropped: 0 };
        this.#lanes.set(key, lane);
      }
      const job: ShadowJob = { shadow, call, headers, primary };
      if (lane.active < shadow.concurrency && this.#inFlight < MAX_SHADOW_IN_FLIGHT) this.#run(lane, job);
      else if (lane.queue.length < shadow.queue) lane.queue.push(job);
      else {
        lane.dropped++;
        this.#metric.labels(call.projectId, shadow.name, 'dropped').inc();
      }
    }
  }

  #run(lane: Lane, job: ShadowJob): void {
    lane.active++;
    this.#inFlight++;
    const running = this.#send(lane, job)
      .catch((error: unknown) =>
        this.#logger.warn('gateway: cannot record a shadow pair', {
          shadow: job.shadow.name,
          error: String(error),
        }),
      )
      .finally(() => {
        lane.active--;
        this.#inFlight--;
        this.#running.delete(running);
        const next = this.#stopping ? undefined : lane.queue.shift();
        if (next) this.#run(lane, next);
      });
    this.#running.add(running);
  }

  async #send(lane: Lane, job: ShadowJob): Promise<void> {
    const projectId = job.call.projectId;
    if (!(await this.#recorder.reserve(projectId, job.shadow))) return;
    if (this.#abort.signal.aborted) {
      this.#recorder.release(projectId, job.shadow);
      return;
    }
    const outcome = await callCandidate(job, this.#deps, this.#abort.signal);
    if (this.#abort.signal.aborted && outcome.error !== undefined) {
      // Cut off by a stop: not a failure of the candidate, and not recorded.
      this.#recorder.release(projectId, job.shadow);
      return;
    }
    lane.sent++;
    this.#metric.labels(projectId, job.shadow.name, 'sent').inc();
    if (outcome.error !== undefined) {
      lane.failed++;
      this.#metric.labels(projectId, job.shadow.name, 'failed').inc();
    }
    // The lane's slot is free once the candidate answered: the pair is stored with its batch.
    const recording: Promise<void> = this.#recorder
      .record(job, outcome)
      .catch((error: unknown) =>
        this.#logger.warn('gateway: cannot record a shadow pair', {
          shadow: job.shadow.name,
          error: String(error),
        }),
      )
      .finally(() => this.#recording.delete(recording));
    this.#recording.add(recording);
  }

  /** Stops: queued pairs are dropped, calls in flight get a short grace, then are aborted. */
  async stop(): Promise<void> {
    this.#stopping = true;
    for (const lane of this.#lanes.values()) lane.queue.length = 0;
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, STOP_GRACE_MS);
    });
    await Promise.race([Promise.all(this.#running), grace]);
    clearTimeout(timer);
    this.#abort.abort();
    await Promise.all(this.#running);
    await Promise.all(this.#recording);
  }
}
