/**
 * The loop of a background job that only the holder of a lease runs (the alert evaluator, the
 * online evaluation worker): the first round runs at once, the next `intervalMs` after the
 * previous one ends; a failing round is logged and the loop goes on. `stop` waits for the round
 * in progress and gives up the lease.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from '../logger.ts';
import type { SqlClient } from '../store/metadata/sql-client.ts';
import { Lease } from './lease.ts';

/** What the loop runs and how it reports a failed round. */
export interface LeasedLoopOptions {
  lease: Lease;
  intervalMs: number;
  logger: Logger;
  /** The message a failed round is logged with. */
  failure: string;
  tick: () => Promise<unknown>;
}

/** A start/stop loop over one job's rounds. */
export class LeasedLoop {
  readonly #options: LeasedLoopOptions;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<unknown> | undefined;
  #stopped = false;
  #looping = false;

  constructor(options: LeasedLoopOptions) {
    this.#options = options;
  }

  /** True from `stop()` until the next `start()`: a round checks it to end early. */
  get stopped(): boolean {
    return this.#stopped;
  }

  /** Starts the loop (a no-op while it runs); the first round runs at once. */
  start(): void {
    if (this.#looping) return;
    this.#looping = true;
    this.#stopped = false;
    const { tick, logger, failure, intervalMs } = this.#options;
    const loop = async () => {
      if (this.#stopped) return;
      this.#running = tick().catch((error) =>
        logger.error(failure, { error: String((error as Error)?.stack ?? error) }),
      );
      await this.#running;
      if (!this.#stopped) this.#timer = setTimeout(loop, intervalMs);
    };
    void loop();
  }

  /** Stops the loop, waits for the round in progress and gives up the lease. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#looping = false;
    clearTimeout(this.#timer);
    await this.#running;
    await this.#options.lease.release().catch(() => {});
  }
}

/**
 * A job's lease (`name`, held by `holderId` or a random id) and its loop. Three missed rounds (at
 * least 10 s) before another server takes the lease over.
 */
export function leasedLoop(
  sql: SqlClient,
  deps: { holderId?: string; intervalMs: number; logger: Logger },
  job: { name: string; failure: string; tick: () => Promise<unknown> },
): { lease: Lease; loop: LeasedLoop } {
  const lease = new Lease(sql, {
    name: job.name,
    holder: deps.holderId ?? randomUUID(),
    ttlMs: Math.max(3 * deps.intervalMs, 10_000),
  });
  const loop = new LeasedLoop({ lease, intervalMs: deps.intervalMs, logger: deps.logger, ...job });
  return { lease, loop };
}
