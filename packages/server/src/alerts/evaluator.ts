/**
 * The alert evaluator: every `intervalMs`, the server holding the evaluator lease reads each
 * enabled rule's value, advances its state, records history and hands notifications to the
 * dispatcher. Servers without the lease only renew their bid, so with N servers sharing one
 * metadata database exactly one evaluates. A failing rule records its error and never stops
 * the others.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from '../logger.ts';
import type { ClickhouseDriver } from '../store/clickhouse/driver.ts';
import type { AlertEvent, AlertRepository } from './alert-repository.ts';
import { parseDurationMs } from './duration.ts';
import { EVALUATOR_LEASE, type Lease } from './lease.ts';
import { type LeasedLoop, leasedLoop } from './leased-loop.ts';
import type { NotificationDispatcher } from './notify/dispatcher.ts';
import { buildMessage } from './notify/message.ts';
import { RuleObserver } from './observe.ts';
import type { AlertRule, Channel, Silence } from './schemas.ts';
import { findSilence } from './silences.ts';
import { advance, NOTIFYING_KINDS, type RuleState } from './state.ts';

/** What the evaluator needs. */
export interface EvaluatorDeps {
  repo: AlertRepository;
  driver: ClickhouseDriver;
  dispatcher: NotificationDispatcher;
  logger: Logger;
  intervalMs: number;
  /** This instance's id in the lease; default a random UUID. */
  holderId?: string;
  /** Server URL for links in notifications. */
  baseUrl: string;
  /** Clock (tests). */
  now?: () => number;
}

/** What one tick did. */
export interface TickResult {
  isLeader: boolean;
  evaluated: number;
  failed: number;
}

/** Runs alert rules on a timer under a lease. */
export class AlertEvaluator {
  readonly #deps: EvaluatorDeps;
  readonly #lease: Lease;
  readonly #observer: RuleObserver;
  readonly #now: () => number;
  readonly #loop: LeasedLoop;
  /** Ticks that evaluated rules (this instance held the lease). */
  leaderTicks = 0;

  constructor(deps: EvaluatorDeps) {
    this.#deps = deps;
    this.#now = deps.now ?? Date.now;
    ({ lease: this.#lease, loop: this.#loop } = leasedLoop(deps.repo.sql, deps, {
      name: EVALUATOR_LEASE,
      failure: 'alert evaluation failed',
      tick: () => this.tick(),
    }));
    this.#observer = new RuleObserver(deps.driver);
  }

  /** This instance's lease holder id. */
  get holderId(): string {
    return this.#lease.holder;
  }

  /** Starts the loop; the first tick runs at once. */
  start(): void {
    this.#loop.start();
  }

  /** Stops the loop, waits for the tick in progress and gives up the lease. */
  async stop(): Promise<void> {
    await this.#loop.stop();
  }

  /** One round: bid for the lease, and if held evaluate every enabled rule. */
  async tick(): Promise<TickResult> {
    const nowMs = this.#now();
    if (!(await this.#lease.acquire(nowMs))) return { isLeader: false, evaluated: 0, failed: 0 };
    this.leaderTicks++;
    const { repo } = this.#deps;
    const rules = await repo.listRules(undefined, { enabledOnly: true });
    this.#observer.retain(new Set(rules.map((r) => r.id)));
    const states = new Map((await repo.listStates()).map((s) => [s.ruleId, s]));
    const projects = [...new Set(rules.map((r) => r.projectId))];
    const silences = new Map<string, Silence[]>();
    const channels = new Map<string, Map<string, Channel>>();
    for (const projectId of projects) {
      silences.set(
        projectId,
        await repo.listSilences(projectId, { activeAt: new Date(nowMs).toISOString() }),
      );
      channels.set(projectId, new Map((await repo.listChannels(projectId)).map((c) => [c.id, c])));
    }
    let failed = 0;
    for (const rule of rules) {
      if (this.#loop.stopped) break;
      const ok = await this.#evaluate(rule, states.get(rule.id), nowMs, {
        silences: silences.get(rule.projectId) ?? [],
        channels: channels.get(rule.projectId) ?? new Map(),
      });
      if (!ok) failed++;
    }
    return { isLeader: true, evaluated: rules.length, failed };
  }

  async #evaluate(
    rule: AlertRule,
    previous: RuleState | undefined,
    nowMs: number,
    context: { silences: Silence[]; channels: Map<string, Channel> },
  ): Promise<boolean> {
    const { repo, dispatcher } = this.#deps;
    const ids = { ruleId: rule.id, projectId: rule.projectId };
    let observation: Awaited<ReturnType<RuleObserver['observe']>>;
    try {
      observation = await this.#observer.observe(rule, nowMs);
    } catch (error) {
      const message = String((error as Error)?.message ?? error).slice(0, 500);
      this.#deps.logger.warn('alert rule evaluation failed', { rule: rule.id, error: message });
      const now = new Date(nowMs).toISOString();
      const state = previous ?? { ...ids, state: 'ok' as const, since: now };
      await repo.saveEvaluation({ ...state, lastEvaluatedAt: now, lastError: message }, []);
      return false;
    }
    const timing = {
      forMs: parseDurationMs(rule.for ?? '0s') ?? 0,
      renotifyMs: rule.renotifyInterval ? parseDurationMs(rule.renotifyInterval) : undefined,
    };
    const { state, events: drafts } = advance(timing, previous, observation, nowMs, ids);
    const silence = drafts.length === 0 ? undefined : await this.#silenceNow(rule, context.silences, nowMs);
    const time = new Date(nowMs).toISOString();
    const events: AlertEvent[] = drafts.map((draft) => ({
      ...draft,
      details: silence ? { ...draft.details, silencedBy: silence.id } : draft.details,
      id: `evt_${randomUUID().replace(/-/g, '').slice(0, 20)}`,
      projectId: rule.projectId,
      ruleId: rule.id,
      ruleName: rule.name,
      time,
      delivery: NOTIFYING_KINDS.has(draft.kind)
        ? dispatcher.plan(rule.channels, context.channels, silence !== undefined)
        : [],
    }));
    await repo.saveEvaluation(state, events);
    for (const event of events) {
      dispatcher.deliver(event, context.channels, buildMessage(rule, event, this.#deps.baseUrl));
    }
    return true;
  }

  /**
   * The silence that mutes a rule's events as they are decided. The round read the silences when it
   * began; a slow round may reach this rule after a silence was saved (and after the spans that make
   * it fire), so the project's silences are read again, at the current time, when there are events.
   */
  async #silenceNow(rule: AlertRule, atRoundStart: Silence[], nowMs: number): Promise<Silence | undefined> {
    const decidedMs = Math.max(nowMs, this.#now());
    if (decidedMs === nowMs) return findSilence(rule, atRoundStart, nowMs);
    const current = await this.#deps.repo.listSilences(rule.projectId, {
      activeAt: new Date(decidedMs).toISOString(),
    });
    return findSilence(rule, current, decidedMs);
  }
}
