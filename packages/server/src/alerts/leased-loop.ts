/**
 * The loop of a background job that only the holder of a lease runs (the alert evaluator, the
 * online evaluation worker): the first round runs at once, the next `intervalMs` after the
 * previous one ends; a failing round is logged and the loop goes on. `stop` waits for the round
 * in progress and gives up the lease.
 */
import type { Logger } from '../logger.ts';
import type { Lease } from './lease.ts';

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
