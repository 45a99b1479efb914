/**
 * Runs drift monitors on their schedules. Of several servers sharing one metadata database only
 * the holder of the `drift-monitors` lease runs them (the alert evaluator's lease, under another
 * name). A run's window ends at the last multiple of the monitor's schedule, so a run that is
 * retried or taken over by another server writes the same point instead of a second one.
 */
import { randomUUID } from 'node:crypto';
import { parseDurationMs } from '../../alerts/duration.ts';
import { Lease } from '../../alerts/lease.ts';
import type { Logger } from '../../logger.ts';
import type { StoredMonitor } from './repository.ts';
import type { DriftService } from './service.ts';

/** The lease the drift scheduler holds. */
export const DRIFT_LEASE = 'drift-monitors';

/** The end of the run a monitor is due for at `nowMs`, or undefined when it is not due. */
export function dueRunEnd(monitor: StoredMonitor, nowMs: number): number | undefined {
  if (!monitor.enabled) return undefined;
  const scheduleMs = parseDurationMs(monitor.schedule) ?? 3_600_000;
  const end = Math.floor(nowMs / scheduleMs) * scheduleMs;
  const last = monitor.lastRunAt ? Date.parse(monitor.lastRunAt) : Number.NEGATIVE_INFINITY;
  return last >= end ? undefined : end;
}

/** The scheduler of drift monitors. */
export class DriftScheduler {
  readonly #service: DriftService;
  readonly #logger: Logger;
  readonly #intervalMs: number;
  readonly #lease: Lease;
  readonly #now: () => number;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<unknown> | undefined;
  #stopped = true;

  constructor(options: { service: DriftService; logger: Logger; intervalMs: number; now?: () => number }) {
    this.#service = options.service;
    this.#logger = options.logger;
    this.#intervalMs = options.intervalMs;
    this.#now = options.now ?? Date.now;
    this.#lease = new Lease(options.service.repo.sql, {
      name: DRIFT_LEASE,
      holder: randomUUID(),
      ttlMs: Math.max(3 * options.intervalMs, 60_000),
    });
  }

  /** Starts the loop; the first tick runs at once. */
  start(): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    const loop = async () => {
      if (this.#stopped) return;
      this.#running = this.tick().catch((error) =>
        this.#logger.error('drift monitors failed', { error: String((error as Error)?.stack ?? error) }),
      );
      await this.#running;
      if (!this.#stopped) this.#timer = setTimeout(loop, this.#intervalMs);
    };
    void loop();
  }

  /** Stops the loop, waits for the run in progress and gives up the lease. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#running;
    await this.#lease.release().catch(() => {});
  }

  /** One round: with the lease, run every monitor that is due. Answers how many ran. */
  async tick(): Promise<{ isLeader: boolean; ran: number; failed: number }> {
    const nowMs = this.#now();
    if (!(await this.#lease.acquire(nowMs))) return { isLeader: false, ran: 0, failed: 0 };
    let ran = 0;
    let failed = 0;
    for (const monitor of await this.#service.repo.list()) {
      const end = dueRunEnd(monitor, nowMs);
      if (end === undefined || this.#stopped) continue;
      try {
        await this.#service.runMonitor(monitor, end);
        ran++;
      } catch (error) {
        failed++;
        const message = String((error as Error)?.message ?? error).slice(0, 500);
        this.#logger.warn('drift monitor run failed', { monitor: monitor.id, error: message });
        await this.#service.repo.recordRun(monitor, { error: message, time: new Date(end).toISOString() });
      }
      // Renew the lease between monitors: a run can take seconds.
      await this.#lease.acquire(this.#now());
    }
    return { isLeader: true, ran, failed };
  }
}
