/**
 * Physical removal of deleted rows. Erasures and retention sweeps delete with lightweight
 * `DELETE` (rows vanish from every query at once, see sql.ts); the bytes stay in their parts
 * until those are rewritten. Old daily partitions are rarely merged again, so without this step
 * erased prompts could sit on disk until the instance's TTL drops the whole day.
 *
 * The purge rewrites, one partition at a time, the parts that hold deleted rows
 * (`APPLY DELETED MASK IN PARTITION ID`): bounded memory, and a failure (e.g. the engine's
 * memory cap) cancels that mutation and leaves the rows to the next merge or the next purge,
 * never a mutation retried forever. It runs after every erasure and every sweep that deleted
 * rows, in the background, one run at a time per server.
 */
import type { Logger } from '../logger.ts';
import type { ClickhouseDriver } from '../store/clickhouse/driver.ts';
import {
  type GovernedTable,
  type MutationTarget,
  renderApplyDeletedMask,
  renderDeletedPartitions,
  renderKillPurge,
} from './sql.ts';

/** What a purge needs. */
export interface PurgeDeps {
  driver: ClickhouseDriver;
  target: MutationTarget;
  logger: Logger;
}

/** What a purge did. */
export interface PurgeReport {
  /** Partitions rewritten without their deleted rows. */
  partitions: number;
  /** Set when the purge stopped early; the rest waits for the next run or merge. */
  failed?: string;
}

const TABLES: readonly GovernedTable[] = ['spans', 'logs', 'trace_index', 'scores', 'metric_points'];

/** Rewrites every partition holding deleted rows; stops at the first failure or when `shouldStop` says so. */
export async function purgeDeleted(
  deps: PurgeDeps,
  shouldStop: () => boolean = () => false,
): Promise<PurgeReport> {
  const { driver, target, logger } = deps;
  let partitions = 0;
  for (const table of TABLES) {
    let ids: string[];
    try {
      ids = (await driver.query<{ partition_id: string }>(renderDeletedPartitions(table, target))).map(
        (r) => r.partition_id,
      );
    } catch (error) {
      return { partitions, failed: `cannot list the parts of '${table}': ${(error as Error).message}` };
    }
    for (const id of ids) {
      if (shouldStop()) return { partitions, failed: 'stopped (the server is shutting down)' };
      try {
        await driver.exec(renderApplyDeletedMask(table, id, target));
        partitions++;
      } catch (error) {
        await driver.exec(renderKillPurge(table, target)).catch(() => {});
        const failed = `cannot purge partition ${id} of '${table}': ${(error as Error).message.split('\n')[0]}`;
        logger.warn('purge of deleted rows stopped; they stay hidden and go at the next merge or purge', {
          failed,
        });
        return { partitions, failed };
      }
    }
  }
  return { partitions };
}

/** Runs purges one at a time; a request during a run schedules one more run after it. */
export class Purger {
  readonly #deps: PurgeDeps;
  #running: Promise<PurgeReport> | undefined;
  #again = false;
  #stopped = false;

  constructor(deps: PurgeDeps) {
    this.#deps = deps;
  }

  /** Starts a purge (or queues one after the run in progress); resolves with the last run's report. */
  schedule(): Promise<PurgeReport> {
    if (this.#stopped)
      return Promise.resolve({ partitions: 0, failed: 'stopped (the server is shutting down)' });
    if (this.#running) {
      this.#again = true;
      return this.#running;
    }
    this.#running = purgeDeleted(this.#deps, () => this.#stopped)
      .catch(
        (error: unknown): PurgeReport => ({
          partitions: 0,
          failed: String((error as Error)?.message ?? error),
        }),
      )
      .then((report) => {
        this.#running = undefined;
        const again = this.#again && !report.failed;
        this.#again = false;
        return again ? this.schedule() : report;
      });
    return this.#running;
  }

  /** Stops purging after the partition in progress; resolves when no purge runs. */
  async stop(): Promise<void> {
    this.#stopped = true;
    await this.idle();
  }

  /** Resolves when no purge runs. */
  async idle(): Promise<void> {
    while (this.#running) await this.#running.catch(() => undefined);
  }
}
