/**
 * Enforces per-project retention policies on a timer: shortly after start, then every
 * `retentionSweepIntervalMs`, each round ending with a purge of deleted rows. Of several servers sharing one metadata database only the holder of
 * the `retention-sweeper` lease sweeps (the same lease the alert evaluator uses), so mutations
 * are not issued N times. Every sweep that removed or blanked rows is audited.
 */
import { randomUUID } from 'node:crypto';
import { Lease } from '../alerts/lease.ts';
import type { AuditActor, AuditLog } from '../audit/audit-log.ts';
import type { Logger } from '../logger.ts';
import type { MetadataStore } from '../store/metadata/metadata-store.ts';
import { isShorter, readRetention } from './policy.ts';
import type { Purger } from './purge.ts';
import { type SweepDeps, type SweepReport, sweepProject, sweptAnything } from './retention.ts';

/** The lease name in the metadata `leases` table. */
export const SWEEPER_LEASE = 'retention-sweeper';

/** The audit actor of automatic sweeps. */
export const SWEEPER_ACTOR: AuditActor = { type: 'system', id: 'retention', name: 'retention sweeper' };

/** What the sweeper needs. */
export interface SweeperDeps extends SweepDeps {
  metadata: Pick<MetadataStore, 'getSetting' | 'listProjects' | 'sql'>;
  audit: Pick<AuditLog, 'record'>;
  logger: Logger;
  /** Removes deleted rows from disk after each round. */
  purger: Pick<Purger, 'schedule'>;
  /** Time between sweeps; 0 = never sweep on this server. */
  intervalMs: number;
  /** Delay of the first sweep after start. */
  initialDelayMs?: number;
  holderId?: string;
}

/**
 * Audits a sweep that changed something, under `actor` (the sweeper, or the caller of
 * `POST /api/v1/retention/sweep`).
 */
export async function auditSweep(
  audit: Pick<AuditLog, 'record'>,
  report: SweepReport,
  actor: AuditActor,
  ip = '',
): Promise<void> {
  if (!sweptAnything(report)) return;
  const { projectId, durationMs: _, ...details } = report;
  await audit.record({ actor, projectId, action: 'retention.sweep', target: 'retention', details, ip });
}

/** Runs retention sweeps on a timer under a lease. */
export class RetentionSweeper {
  readonly #deps: SweeperDeps;
  readonly #lease: Lease;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<unknown> | undefined;
  #stopped = true;
  /** Set by stop(): a sweep in progress ends after its current project. */
  #stopRequested = false;

  constructor(deps: SweeperDeps) {
    this.#deps = deps;
    // Sweeps may take minutes; two missed rounds (at least 10 minutes) before another server takes over.
    this.#lease = new Lease(deps.metadata.sql, {
      name: SWEEPER_LEASE,
      holder: deps.holderId ?? randomUUID(),
      ttlMs: Math.max(2 * deps.intervalMs, 600_000),
    });
  }

  /** Starts the loop (a no-op when the interval is 0). */
  start(): void {
    if (this.#deps.intervalMs === 0 || !this.#stopped) return;
    this.#stopped = false;
    this.#stopRequested = false;
    const loop = async () => {
      if (this.#stopped) return;
      this.#running = this.tick().catch((error) =>
        this.#deps.logger.error('retention sweep failed', {
          error: String((error as Error)?.stack ?? error),
        }),
      );
      await this.#running;
      this.#schedule(loop, this.#deps.intervalMs);
    };
    this.#schedule(loop, this.#deps.initialDelayMs ?? 30_000);
  }

  #schedule(loop: () => Promise<void>, delayMs: number): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(loop, delayMs);
    this.#timer.unref();
  }

  /** Stops the loop, waits for a sweep in progress and gives up the lease. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#stopRequested = true;
    clearTimeout(this.#timer);
    await this.#running;
    await this.#lease.release().catch(() => {});
  }

  /**
   * One round: bid for the lease; if held, sweep every project whose policy is shorter than the
   * instance's retention, then purge deleted rows from disk (this round's and any an erasure or
   * an earlier failed purge left). A failing project is logged and the others still swept.
   * @returns the reports, or undefined when another server holds the lease.
   */
  async tick(nowMs = Date.now()): Promise<SweepReport[] | undefined> {
    if (!(await this.#lease.acquire(nowMs))) return undefined;
    const { metadata, logger, maxDays } = this.#deps;
    const reports: SweepReport[] = [];
    for (const project of await metadata.listProjects()) {
      if (this.#stopRequested) break;
      try {
        if (!isShorter(await readRetention(metadata, project.id, maxDays), maxDays)) continue;
        const report = await sweepProject(this.#deps, project.id, nowMs);
        reports.push(report);
        await auditSweep(this.#deps.audit, report, SWEEPER_ACTOR);
        if (sweptAnything(report)) logger.info('retention sweep', { project: project.id, ...report });
      } catch (error) {
        logger.error('retention sweep of a project failed', {
          project: project.id,
          error: String((error as Error)?.message ?? error),
        });
      }
    }
    if (!this.#stopRequested) await this.#deps.purger.schedule();
    return reports;
  }
}
