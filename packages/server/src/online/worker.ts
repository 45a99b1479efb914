/**
 * The online worker: every `intervalMs`, the server holding the `online-evaluator` lease (the
 * same lease mechanism as the alert evaluator, alerts/lease.ts) walks each enabled rule's feed
 * from its saved cursor, runs running backfills, and runs the output-health checks of every
 * project that has them on. Servers without the lease only renew their bid, so with several
 * servers sharing one metadata database exactly one evaluates. A failing rule records its error
 * and never stops the others.
 */
import type { EvaluationRule, Evaluator } from '@argus/shared';
import type { Lease } from '../alerts/lease.ts';
import { type LeasedLoop, leasedLoop } from '../alerts/leased-loop.ts';
import type { Logger } from '../logger.ts';
import type { CursorStore, FeedCursor } from './cursors.ts';
import { ruleSpanFilters } from './filter.ts';
import type { HealthRunner } from './health/health-runner.ts';
import { cursorAfter, MinuteCounter, type RuleRunnerDeps, runBatch } from './rule-runner.ts';
import { readAfter, readBackfill } from './span-feed.ts';

/** The lease the online worker holds. */
export const ONLINE_LEASE = 'online-evaluator';
/** How long after its insert a span is read: inserts still committing are visible by then. */
export const SETTLE_MS = 2_000;
/** How far before its insert a span may have started and still be read by the live feed. */
export const LOOKBACK_MS = 24 * 3600_000;
/** Spans per batch of a rule that calls a model. */
const MODEL_BATCH = 50;
/** Most spans one rule reads per tick (others wait for the next tick). */
const MAX_SPANS_PER_TICK = 5_000;

/** What the worker needs. */
export interface WorkerDeps extends RuleRunnerDeps {
  cursors: CursorStore;
  health: HealthRunner;
  loadEvaluators(projectId: string, ids: readonly string[]): Promise<Evaluator[]>;
  logger: Logger;
  intervalMs: number;
  /** Spans read per query for rules with code evaluators only; rules that call a model read at most 50. */
  batchSize: number;
  holderId?: string;
}

/** What one tick did. */
export interface WorkerTick {
  isLeader: boolean;
  evaluated: number;
  failed: number;
}

/** Runs online evaluation on a timer under a lease. */
export class OnlineWorker {
  readonly #deps: WorkerDeps;
  readonly #lease: Lease;
  readonly #minute = new MinuteCounter();
  readonly #loop: LeasedLoop;

  constructor(deps: WorkerDeps) {
    this.#deps = deps;
    ({ lease: this.#lease, loop: this.#loop } = leasedLoop(deps.repo.sql, deps, {
      name: ONLINE_LEASE,
      failure: 'online evaluation failed',
      tick: () => this.tick(),
    }));
  }

  /** Starts the loop; the first tick runs at once. */
  start(): void {
    this.#loop.start();
  }

  /** Stops the loop, waits for the tick in progress and gives up the lease. */
  async stop(): Promise<void> {
    await this.#loop.stop();
  }

  /** One round: bid for the lease, and if held run rules, backfills and health checks. */
  async tick(): Promise<WorkerTick> {
    if (!(await this.#lease.acquire())) return { isLeader: false, evaluated: 0, failed: 0 };
    const [clock] = await this.#deps.driver.query<{ now_ms: string | number }>(
      'SELECT toUnixTimestamp64Milli(now64(3)) AS now_ms',
    );
    const nowMs = Number(clock?.now_ms ?? Date.now());
    const total = { isLeader: true, evaluated: 0, failed: 0 };
    for (const rule of await this.#deps.repo.list(undefined, { enabledOnly: true })) {
      if (this.#loop.stopped) break;
      try {
        const done = await this.#runRule(rule, nowMs);
        total.evaluated += done.evaluated;
        total.failed += done.failed;
      } catch (error) {
        await this.#recordRuleError(rule, error);
      }
    }
    for (const backfill of await this.#deps.cursors.runningBackfills()) {
      if (this.#loop.stopped) break;
      await this.#runBackfill(backfill.ruleId, nowMs);
    }
    if (!this.#loop.stopped) await this.#deps.health.tick(nowMs, () => this.#loop.stopped);
    return total;
  }

  /**
   * Spans per batch: many for code evaluators (the per-batch writes dominate), few for rules that
   * call a model, so a batch (and a graceful stop waiting for it) stays short.
   */
  #batchSizeOf(evaluators: readonly Evaluator[]): number {
    const callsModel = evaluators.some((e) => e.type === 'llm_judge' || e.type === 'embedding_similarity');
    return callsModel ? Math.min(MODEL_BATCH, this.#deps.batchSize) : this.#deps.batchSize;
  }

  /** Evaluators of a rule; a missing one fails the rule with a clear reason. */
  #evaluators(rule: EvaluationRule): Promise<Evaluator[]> {
    return this.#deps.loadEvaluators(rule.projectId, rule.evaluators);
  }

  async #runRule(rule: EvaluationRule, nowMs: number): Promise<{ evaluated: number; failed: number }> {
    const { cursors, repo } = this.#deps;
    const name = `rule:${rule.id}`;
    let cursor: FeedCursor = (await cursors.get(name)) ?? {
      insertedMs: Date.parse(rule.createdAt),
      traceId: '',
      spanId: '',
    };
    const beforeMs = nowMs - Math.max(SETTLE_MS, rule.delaySeconds * 1000);
    const done = { evaluated: 0, failed: 0 };
    let read = 0;
    const evaluators = await this.#evaluators(rule);
    const batchSize = this.#batchSizeOf(evaluators);
    while (cursor.insertedMs < beforeMs && read < MAX_SPANS_PER_TICK && !this.#loop.stopped) {
      const filters = ruleSpanFilters(rule.filter, {
        fromMs: cursor.insertedMs - LOOKBACK_MS,
        toMs: beforeMs + LOOKBACK_MS,
      });
      const query = { filters, target: rule.target, samplingRate: rule.samplingRate, limit: batchSize };
      const batch = await readAfter(this.#deps.driver, rule.projectId, query, { cursor, beforeMs });
      read += batch.length;
      if (batch.length > 0) {
        const usage = rule.dailyBudgetUsd === undefined ? undefined : await repo.usage(rule.id);
        const room = this.#minute.room(rule, Date.now());
        const result = await runBatch(this.#deps, rule, evaluators, batch, {
          room,
          budgetLeftUsd:
            rule.dailyBudgetUsd === undefined
              ? Number.POSITIVE_INFINITY
              : rule.dailyBudgetUsd - (usage?.spendUsd ?? 0),
        });
        this.#minute.add(rule.id, result.evaluated + result.failed, Date.now());
        done.evaluated += result.evaluated;
        done.failed += result.failed;
      }
      cursor = cursorAfter(batch, batchSize, beforeMs, cursor);
      await cursors.save(name, rule.projectId, cursor);
    }
    this.#deps.metrics?.lag
      .labels(rule.projectId, rule.id)
      .set(Math.max(0, (nowMs - cursor.insertedMs) / 1000));
    return done;
  }

  async #runBackfill(ruleId: string, nowMs: number): Promise<void> {
    const { cursors, repo } = this.#deps;
    const backfill = await cursors.backfill(ruleId);
    if (backfill?.status !== 'running') return;
    const rule = (await repo.list(undefined)).find((r) => r.id === ruleId);
    if (!rule) return;
    try {
      const evaluators = await this.#evaluators(rule);
      const batchSize = this.#batchSizeOf(evaluators);
      const filters = ruleSpanFilters(rule.filter, {
        fromMs: backfill.fromMs,
        toMs: Math.min(backfill.toMs, nowMs),
      });
      const query = { filters, target: rule.target, samplingRate: rule.samplingRate, limit: batchSize };
      let read = 0;
      while (read < MAX_SPANS_PER_TICK && !this.#loop.stopped) {
        const batch = await readBackfill(this.#deps.driver, rule.projectId, query, {
          startNs: backfill.cursorNs,
          key: backfill.cursorKey,
        });
        read += batch.length;
        if (batch.length > 0)
          await runBatch(this.#deps, rule, evaluators, batch, {
            room: batch.length,
            budgetLeftUsd: Number.POSITIVE_INFINITY,
          });
        backfill.scanned += batch.length;
        const last = batch.at(-1);
        if (last) {
          backfill.cursorNs = last.startNs;
          backfill.cursorKey = `${last.span.traceId}:${last.span.spanId}`;
        }
        if (batch.length < batchSize) {
          backfill.status = 'done';
          backfill.finishedAt = new Date().toISOString();
        }
        await cursors.saveBackfill(backfill);
        if (backfill.status !== 'running') break;
      }
    } catch (error) {
      backfill.status = 'failed';
      backfill.error = String((error as Error)?.message ?? error).slice(0, 500);
      backfill.finishedAt = new Date().toISOString();
      await cursors.saveBackfill(backfill);
    }
  }

  readonly #lastErrors = new Map<string, string>();

  /** Records a rule-level failure (a missing evaluator, a bad filter) once until it changes. */
  async #recordRuleError(rule: EvaluationRule, error: unknown): Promise<void> {
    const reason = String((error as Error)?.message ?? error).slice(0, 500);
    this.#deps.logger.warn('online rule failed', { rule: rule.id, error: reason });
    if (this.#lastErrors.get(rule.id) === reason) return;
    this.#lastErrors.set(rule.id, reason);
    await this.#deps.repo
      .addRuns(rule, [
        { kind: 'failure', traceId: '', spanId: '', evaluatorId: '', reason: `Rule cannot run: ${reason}` },
      ])
      .catch(() => {});
  }
}
