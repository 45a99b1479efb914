/**
 * One rule applied to one subject (a span, or a trace through its root span): every evaluator
 * of the rule runs on the sample the rule's variables pick; each result becomes a score with
 * `source: 'online'` on the span (or the trace); each failure becomes a run record with its
 * reason; the rule's actions (dataset, annotation queue) follow when their condition holds.
 * Score ids derive from (rule, evaluator, trace, span), so writing a batch twice (a crash
 * between writing scores and saving the cursor) is recognised and skipped by the worker.
 */
import { createHash } from 'node:crypto';
import type {
  EvaluationResult,
  EvaluationRule,
  EvaluationRuleRun,
  Evaluator,
  RuleCondition,
  Span,
} from '@argus/shared';
import type { EvaluatorContext } from '../quality/evaluators/context.ts';
import { runEvaluator } from '../quality/evaluators/run.ts';
import type { ScoreRow } from '../store/signal-rows.ts';
import { sampleOf, type TraceSubject } from './sample.ts';

/** A run record before it is stored. */
export type RunDraft = Omit<EvaluationRuleRun, 'id' | 'ruleId' | 'time'>;

/** Adds a span or trace to an annotation queue. @throws ArgusError NOT_FOUND for an unknown queue. */
export type QueueSink = (
  projectId: string,
  queueId: string,
  item: { objectType: 'span' | 'trace'; objectId: string; traceId: string },
) => Promise<void>;

/** What evaluating needs. */
export interface EvaluateDeps {
  /** The context model evaluators run in; `spend` collects the cost of their traced calls. */
  contextFor(projectId: string, spend: { usd: number }): EvaluatorContext;
  /** Adds a span as a dataset item (its id the span id). */
  addToDataset(projectId: string, datasetId: string, span: Span): Promise<void>;
  /** Annotation queues, when the server has them. */
  addToQueue?: QueueSink;
}

/** What one subject gave. */
export interface SubjectOutcome {
  scores: ScoreRow[];
  runs: RunDraft[];
  spendUsd: number;
  failed: boolean;
}

/** The score id of a rule's evaluator on a span (or a trace, `spanId` empty), as a UUID. */
export function onlineScoreId(ruleId: string, evaluatorId: string, traceId: string, spanId: string): string {
  const hex = createHash('sha256')
    .update(`${ruleId}\u0000${evaluatorId}\u0000${traceId}\u0000${spanId}`)
    .digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** True when a result meets a condition (no condition: always). */
export function meets(
  condition: RuleCondition | undefined,
  evaluatorId: string,
  result: EvaluationResult,
): boolean {
  if (!condition) return true;
  if (condition.evaluatorId !== undefined && condition.evaluatorId !== evaluatorId) return false;
  if (condition.scoreBelow !== undefined && !(result.score < condition.scoreBelow)) return false;
  if (condition.scoreAbove !== undefined && !(result.score > condition.scoreAbove)) return false;
  if (condition.label !== undefined && result.label !== condition.label) return false;
  return true;
}

function scoreRow(
  rule: EvaluationRule,
  evaluator: Evaluator,
  span: Span,
  result: EvaluationResult,
  nowMs: number,
): ScoreRow {
  const spanId = rule.target === 'trace' ? '' : span.spanId;
  return {
    projectId: rule.projectId,
    scoreId: onlineScoreId(rule.id, evaluator.id, span.traceId, spanId),
    traceId: span.traceId,
    spanId,
    name: evaluator.name,
    value: result.score,
    // Labels go to metadata so the value stays numeric for means and alerts.
    stringValue: '',
    comment: result.explanation ?? '',
    source: 'online',
    author: '',
    timeUnixNano: BigInt(nowMs) * 1_000_000n,
    metadata: {
      ruleId: rule.id,
      evaluatorId: evaluator.id,
      ...(result.label ? { label: result.label } : {}),
      ...(result.traceId ? { evaluatorTraceId: result.traceId } : {}),
    },
  };
}

/** Runs a rule's evaluators on a subject; never throws (failures are outcomes). */
export async function evaluateSubject(
  deps: EvaluateDeps,
  rule: EvaluationRule,
  evaluators: readonly Evaluator[],
  subject: Span | TraceSubject,
  nowMs = Date.now(),
): Promise<SubjectOutcome> {
  const spend = { usd: 0 };
  const context = deps.contextFor(rule.projectId, spend);
  const sample = sampleOf(subject, rule.variables);
  const spanId = rule.target === 'trace' ? '' : subject.spanId;
  const outcome: SubjectOutcome = { scores: [], runs: [], spendUsd: 0, failed: false };
  let acted = false;
  for (const evaluator of evaluators) {
    let result: EvaluationResult;
    try {
      result = await runEvaluator(evaluator, sample, context);
    } catch (error) {
      outcome.failed = true;
      outcome.runs.push({
        kind: 'failure',
        traceId: subject.traceId,
        spanId,
        evaluatorId: evaluator.id,
        reason: `Evaluator '${evaluator.name}' failed: ${(error as Error).message}`,
      });
      continue;
    }
    outcome.scores.push(scoreRow(rule, evaluator, subject, result, nowMs));
    if (!acted && rule.actions && meets(rule.actions.when, evaluator.id, result)) {
      acted = true;
      outcome.runs.push(...(await runActions(deps, rule, subject)));
    }
  }
  outcome.spendUsd = spend.usd;
  return outcome;
}

/** The rule's actions on a subject; what failed comes back as run records. */
async function runActions(deps: EvaluateDeps, rule: EvaluationRule, subject: Span): Promise<RunDraft[]> {
  const { addToDatasetId, addToQueueId } = rule.actions ?? {};
  const spanId = rule.target === 'trace' ? '' : subject.spanId;
  const failed = (reason: string): RunDraft => ({
    kind: 'action_failed',
    traceId: subject.traceId,
    spanId,
    evaluatorId: '',
    reason,
  });
  const runs: RunDraft[] = [];
  if (addToDatasetId) {
    try {
      await deps.addToDataset(rule.projectId, addToDatasetId, subject);
    } catch (error) {
      runs.push(failed(`Cannot add to dataset '${addToDatasetId}': ${(error as Error).message}`));
    }
  }
  if (addToQueueId) {
    if (!deps.addToQueue) {
      runs.push(
        failed(`Cannot add to annotation queue '${addToQueueId}': annotation queues are not available`),
      );
    } else {
      try {
        await deps.addToQueue(rule.projectId, addToQueueId, {
          objectType: rule.target,
          objectId: rule.target === 'trace' ? subject.traceId : subject.spanId,
          traceId: subject.traceId,
        });
      } catch (error) {
        runs.push(failed(`Cannot add to annotation queue '${addToQueueId}': ${(error as Error).message}`));
      }
    }
  }
  return runs;
}
