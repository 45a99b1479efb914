/**
 * Online evaluation rules as the API and the CLI handle them: create and change with every
 * reference checked (evaluators, dataset, annotation queue, filter), read with the worker's
 * status, dry-run on recent spans, start a backfill.
 */
import type {
  EvaluationRule,
  EvaluationRuleStatus,
  Evaluator,
  RuleDryRun,
  RuleDryRunResult,
} from '@argus/shared';
import { ArgusError } from '../errors.ts';
import { runEvaluator } from '../quality/evaluators/run.ts';
import type { Quality } from '../quality/service.ts';
import { parseTime } from '../query/filters.ts';
import type { ClickhouseDriver } from '../store/clickhouse/driver.ts';
import { backfillStatus, type CursorStore } from './cursors.ts';
import type { EvaluateDeps } from './evaluate.ts';
import { checkRuleFilter, ruleSpanFilters } from './filter.ts';
import type { RuleDefinition, RuleRepository } from './repository.ts';
import { sampleOf } from './sample.ts';
import type { RuleCreate, RulePatch, RuleValidate } from './schemas.ts';
import { countMatching, readNewest } from './span-feed.ts';

/** What the service needs. */
export interface RuleServiceDeps {
  repo: RuleRepository;
  cursors: CursorStore;
  quality: Quality;
  driver: ClickhouseDriver;
  evaluate: EvaluateDeps;
  /** Whether an annotation queue exists (undefined: the server has no annotation queues). */
  queueExists?: (projectId: string, queueId: string) => Promise<boolean>;
  /** Largest backfill window. */
  maxWindowMs: number;
}

const notFound = (what: string, id: string) =>
  new ArgusError('NOT_FOUND', `Cannot find ${what} '${id.slice(0, 100)}': no such ${what} in this project`);

/** The rules API's logic. */
export class RuleService {
  readonly #deps: RuleServiceDeps;

  constructor(deps: RuleServiceDeps) {
    this.#deps = deps;
  }

  async list(projectId: string): Promise<EvaluationRule[]> {
    const rules = await this.#deps.repo.list(projectId);
    return Promise.all(rules.map((rule) => this.#withStatus(rule)));
  }

  /** @throws ArgusError NOT_FOUND. */
  async get(projectId: string, id: string): Promise<EvaluationRule> {
    const rule = await this.#deps.repo.get(projectId, id);
    if (!rule) throw notFound('evaluation rule', id);
    return this.#withStatus(rule);
  }

  /** @throws ArgusError INVALID_PARAMETER, NOT_FOUND (an evaluator, dataset or queue), CONFLICT (the name). */
  async create(projectId: string, input: RuleCreate): Promise<EvaluationRule> {
    const definition = definitionOf(input);
    await this.#check(projectId, definition);
    return this.#withStatus(await this.#deps.repo.create(projectId, definition));
  }

  async update(projectId: string, id: string, patch: RulePatch): Promise<EvaluationRule> {
    const current = await this.#deps.repo.get(projectId, id);
    if (!current) throw notFound('evaluation rule', id);
    const merged: RuleDefinition = { ...definitionOf(current) };
    for (const [key, value] of Object.entries(patch)) {
      if (value === undefined) continue;
      if (value === null) delete (merged as unknown as Record<string, unknown>)[key];
      else (merged as unknown as Record<string, unknown>)[key] = value;
    }
    await this.#check(projectId, merged);
    const saved = await this.#deps.repo.update(projectId, id, merged);
    if (!saved) throw notFound('evaluation rule', id);
    return this.#withStatus(saved);
  }

  async delete(projectId: string, id: string): Promise<void> {
    if (!(await this.#deps.repo.delete(projectId, id))) throw notFound('evaluation rule', id);
  }

  /** Starts a backfill over [from, to] (to: now). @throws ArgusError INVALID_PARAMETER for a bad window. */
  async backfill(
    projectId: string,
    id: string,
    window: { from: string | number; to?: string | number | undefined },
  ) {
    const rule = await this.get(projectId, id);
    const fromMs = parseTime('from', String(window.from));
    const toMs = window.to === undefined ? Date.now() : parseTime('to', String(window.to));
    if (fromMs >= toMs)
      throw new ArgusError(
        'INVALID_PARAMETER',
        `Invalid backfill field 'from': ${new Date(fromMs).toISOString()} is not before 'to'`,
      );
    if (toMs - fromMs > this.#deps.maxWindowMs)
      throw new ArgusError(
        'INVALID_PARAMETER',
        `Invalid backfill field 'from': the window is ${Math.ceil((toMs - fromMs) / 86_400_000)} days; the most is ${Math.floor(this.#deps.maxWindowMs / 86_400_000)}`,
      );
    const backfill = await this.#deps.cursors.startBackfill(rule.id, { fromMs, toMs });
    return backfillStatus(backfill);
  }

  /** Dry run: the rule's evaluators on the newest matching spans; nothing is stored but judge traces. */
  async validate(projectId: string, input: RuleValidate): Promise<RuleDryRun> {
    const definition = definitionOf(input);
    const evaluators = await this.#check(projectId, definition);
    const toMs = Date.now();
    const filters = ruleSpanFilters(definition.filter, {
      fromMs: toMs - input.lookbackHours * 3600_000,
      toMs,
    });
    const query = {
      filters,
      target: definition.target,
      samplingRate: definition.samplingRate,
      limit: input.limit,
    };
    const [matched, spans] = await Promise.all([
      countMatching(this.#deps.driver, projectId, query),
      readNewest(this.#deps.driver, projectId, query),
    ]);
    const results: RuleDryRunResult[] = [];
    for (const { span } of spans) {
      const sample = sampleOf(span, definition.variables);
      for (const evaluator of evaluators) {
        const base = { traceId: span.traceId, spanId: span.spanId, evaluatorId: evaluator.id };
        try {
          const result = await runEvaluator(
            evaluator,
            sample,
            this.#deps.evaluate.contextFor(projectId, { usd: 0 }),
          );
          results.push({
            ...base,
            score: result.score,
            ...(result.label ? { label: result.label } : {}),
            ...(result.explanation ? { explanation: result.explanation } : {}),
          });
        } catch (error) {
          results.push({ ...base, error: (error as Error).message });
        }
      }
    }
    return { matched, sampled: spans.length, results };
  }

  /** Checks a definition's references; answers its evaluators. */
  async #check(projectId: string, rule: RuleDefinition): Promise<Evaluator[]> {
    checkRuleFilter(rule.filter);
    const evaluators = await this.#deps.quality.evaluators.getMany(projectId, rule.evaluators);
    const { addToDatasetId, addToQueueId, when } = rule.actions ?? {};
    if (when?.evaluatorId !== undefined && !rule.evaluators.includes(when.evaluatorId))
      throw new ArgusError(
        'INVALID_PARAMETER',
        `Invalid rule field 'actions.when.evaluatorId': '${when.evaluatorId}' is not one of the rule's evaluators`,
      );
    if (addToDatasetId !== undefined && !(await this.#deps.quality.datasets.get(projectId, addToDatasetId)))
      throw notFound('dataset', addToDatasetId);
    // Without annotation queues on this server the id cannot be checked now: adding fails at run time, recorded as a run.
    if (
      addToQueueId !== undefined &&
      this.#deps.queueExists &&
      !(await this.#deps.queueExists(projectId, addToQueueId))
    )
      throw notFound('annotation queue', addToQueueId);
    return evaluators;
  }

  async #withStatus(rule: EvaluationRule): Promise<EvaluationRule> {
    const [cursor, today, backfill] = await Promise.all([
      this.#deps.cursors.get(`rule:${rule.id}`),
      this.#deps.repo.usage(rule.id),
      this.#deps.cursors.backfill(rule.id),
    ]);
    const status: EvaluationRuleStatus = {
      today,
      ...(cursor
        ? {
            cursorAt: new Date(cursor.insertedMs).toISOString(),
            lagSeconds: Math.max(0, Math.round((Date.now() - cursor.insertedMs) / 1000)),
          }
        : {}),
      ...(backfill ? { backfill: backfillStatus(backfill) } : {}),
    };
    return { ...rule, status };
  }
}

/** The saved fields of a rule (input or stored). */
function definitionOf(rule: RuleCreate | EvaluationRule | RuleValidate): RuleDefinition {
  return {
    name: rule.name,
    enabled: rule.enabled,
    filter: rule.filter,
    target: rule.target,
    samplingRate: rule.samplingRate,
    evaluators: rule.evaluators,
    variables: rule.variables,
    delaySeconds: rule.delaySeconds,
    ...(rule.maxPerMinute !== undefined ? { maxPerMinute: rule.maxPerMinute } : {}),
    ...(rule.dailyBudgetUsd !== undefined ? { dailyBudgetUsd: rule.dailyBudgetUsd } : {}),
    ...(rule.actions !== undefined ? { actions: rule.actions } : {}),
  };
}
