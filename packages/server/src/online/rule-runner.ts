/**
 * One rule's share of a worker tick: read the next spans after the rule's cursor (or its
 * backfill's), drop those whose scores are already stored (a batch written before a crash),
 * apply the rate and budget limits, evaluate the rest a few at a time, write scores, run
 * records and usage, then save the cursor. The cursor moves only after everything before it is
 * written, so a restart repeats nothing and skips nothing.
 */
import type { EvaluationRule, Evaluator, Span } from '@argus/shared';
import { getTrace } from '../query/index.ts';
import type { ClickhouseDriver } from '../store/clickhouse/driver.ts';
import type { ScoreRow } from '../store/signal-rows.ts';
import type { FeedCursor } from './cursors.ts';
import { type EvaluateDeps, evaluateSubject, onlineScoreId, type RunDraft } from './evaluate.ts';
import type { OnlineMetrics } from './metrics.ts';
import type { RuleRepository, RuleUsage } from './repository.ts';
import type { TraceSubject } from './sample.ts';
import type { FeedSpan } from './span-feed.ts';

/** What running a rule needs. */
export interface RuleRunnerDeps extends EvaluateDeps {
  driver: ClickhouseDriver;
  repo: RuleRepository;
  insertScore(score: ScoreRow): Promise<void>;
  metrics?: OnlineMetrics;
  /** Subjects evaluated at once (judges wait on the network). */
  concurrency: number;
}

/** Per-rule evaluations in the current minute (the `maxPerMinute` limit), kept by the worker. */
export class MinuteCounter {
  readonly #counts = new Map<string, { minute: number; n: number }>();

  /** How many more the rule may evaluate in the minute of `nowMs`. */
  room(rule: EvaluationRule, nowMs: number): number {
    if (rule.maxPerMinute === undefined) return Number.POSITIVE_INFINITY;
    const entry = this.#counts.get(rule.id);
    const minute = Math.floor(nowMs / 60_000);
    return rule.maxPerMinute - (entry && entry.minute === minute ? entry.n : 0);
  }

  add(ruleId: string, n: number, nowMs: number): void {
    const minute = Math.floor(nowMs / 60_000);
    const entry = this.#counts.get(ruleId);
    this.#counts.set(ruleId, { minute, n: (entry && entry.minute === minute ? entry.n : 0) + n });
  }
}

/** Score ids among `ids` that are already stored (written by an earlier try of the same batch). */
async function storedScoreIds(
  driver: ClickhouseDriver,
  projectId: string,
  names: string[],
  ids: string[],
): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await driver.query<{ score_id: string }>(
    `SELECT DISTINCT score_id FROM scores
WHERE project_id = {projectId:String} AND name IN {names:Array(String)} AND source = 'online'
  AND time > now64(9) - INTERVAL 7 DAY AND score_id IN {ids:Array(String)}`,
    { projectId, names, ids },
  );
  return new Set(rows.map((r) => r.score_id));
}

/** The subject of a feed span: the span itself, or for a trace rule its root with the trace's spans. */
async function subjectOf(
  driver: ClickhouseDriver,
  rule: EvaluationRule,
  item: FeedSpan,
): Promise<Span | TraceSubject> {
  if (rule.target === 'span') return item.span;
  const trace = await getTrace(driver, rule.projectId, item.span.traceId);
  return { ...item.span, spans: trace.spans.length > 0 ? trace.spans : [item.span] };
}

/** Runs `fn` over items with at most `limit` at once, results in order. */
async function pool<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!);
    }
  });
  await Promise.all(lanes);
  return results;
}

/** What one batch did. */
export interface BatchResult extends RuleUsage {
  scores: number;
}

/**
 * Evaluates one batch of feed spans for a rule and writes everything it produced.
 * @param limits how many may be evaluated (rate) and whether the day's budget is spent.
 */
export async function runBatch(
  deps: RuleRunnerDeps,
  rule: EvaluationRule,
  evaluators: readonly Evaluator[],
  batch: readonly FeedSpan[],
  limits: { room: number; budgetLeftUsd: number },
): Promise<BatchResult> {
  const spanKey = (s: Span) => (rule.target === 'trace' ? '' : s.spanId);
  const ids = batch.flatMap((item) =>
    evaluators.map((e) => onlineScoreId(rule.id, e.id, item.span.traceId, spanKey(item.span))),
  );
  const stored = await storedScoreIds(
    deps.driver,
    rule.projectId,
    evaluators.map((e) => e.name),
    ids,
  );
  const pending = batch.filter(
    (item) =>
      !evaluators.every((e) =>
        stored.has(onlineScoreId(rule.id, e.id, item.span.traceId, spanKey(item.span))),
      ),
  );
  const overBudget = limits.budgetLeftUsd <= 0;
  const allowed = overBudget ? [] : pending.slice(0, Math.max(0, limits.room));
  const skipped = pending.length - allowed.length;
  const runs: RunDraft[] = [];
  if (skipped > 0) {
    const first = pending[allowed.length]!.span;
    runs.push({
      kind: 'skipped',
      traceId: first.traceId,
      spanId: spanKey(first),
      evaluatorId: '',
      reason: overBudget
        ? `${skipped} skipped: the daily budget of ${rule.dailyBudgetUsd} USD is spent`
        : `${skipped} skipped: over maxPerMinute ${rule.maxPerMinute}`,
    });
  }
  const outcomes = await pool(allowed, deps.concurrency, async (item) =>
    evaluateSubject(deps, rule, evaluators, await subjectOf(deps.driver, rule, item)),
  );
  const scores = outcomes.flatMap((o) => o.scores).filter((s) => !stored.has(s.scoreId));
  await Promise.all(scores.map((score) => deps.insertScore(score)));
  runs.push(...outcomes.flatMap((o) => o.runs));
  await deps.repo.addRuns(rule, runs);
  const usage: RuleUsage = {
    evaluated: outcomes.filter((o) => !o.failed).length,
    failed: outcomes.filter((o) => o.failed).length,
    skipped,
    spendUsd: outcomes.reduce((sum, o) => sum + o.spendUsd, 0),
  };
  await deps.repo.addUsage(rule.id, usage);
  const m = deps.metrics;
  if (m) {
    m.evaluations.labels(rule.projectId, rule.id, 'scored').inc(usage.evaluated);
    m.evaluations.labels(rule.projectId, rule.id, 'failed').inc(usage.failed);
    m.evaluations.labels(rule.projectId, rule.id, 'skipped').inc(usage.skipped);
    m.spend.labels(rule.projectId, rule.id).inc(usage.spendUsd);
  }
  return { ...usage, scores: scores.length };
}

/** The cursor after a batch: its last span, or the upper bound when the feed is drained. */
export function cursorAfter(
  batch: readonly FeedSpan[],
  limit: number,
  beforeMs: number,
  current: FeedCursor,
): FeedCursor {
  if (batch.length < limit)
    return { insertedMs: Math.max(current.insertedMs, beforeMs), traceId: '', spanId: '' };
  const last = batch.at(-1)!;
  return { insertedMs: last.insertedMs, traceId: last.span.traceId, spanId: last.span.spanId };
}
