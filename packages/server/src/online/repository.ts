/**
 * Evaluation rules in the metadata store (table `evaluation_rules`, migration 7), with the run
 * records of each rule (failures and skips, with their reasons) and its per-day usage. The
 * definition is JSON validated by the API (online/schemas.ts).
 */
import { randomUUID } from 'node:crypto';
import type { EvaluationRule, EvaluationRuleRun, RuleRunKind } from '@argus/shared';
import { ArgusError } from '../errors.ts';
import type { SqlClient } from '../store/metadata/sql-client.ts';

/** A rule as saved (what the API validated). */
export type RuleDefinition = Omit<EvaluationRule, 'id' | 'projectId' | 'createdAt' | 'updatedAt' | 'status'>;

/** Today's counts of a rule. */
export interface RuleUsage {
  evaluated: number;
  failed: number;
  skipped: number;
  spendUsd: number;
}

interface Row {
  id: string;
  project_id: string;
  name: string;
  enabled: number | boolean;
  definition: string;
  created_at: string;
  updated_at: string;
}

/** Most run records kept per rule; older ones are dropped as new ones come. */
export const MAX_RUNS_PER_RULE = 1000;

const COLUMNS = 'id, project_id, name, enabled, definition, created_at, updated_at';

function toRule(row: Row): EvaluationRule {
  const definition = JSON.parse(row.definition) as Omit<RuleDefinition, 'name' | 'enabled'>;
  return {
    id: row.id,
    projectId: row.project_id,
    name: row.name,
    enabled: Boolean(Number(row.enabled)),
    ...definition,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function definitionOf(rule: RuleDefinition): string {
  const { name: _name, enabled: _enabled, ...rest } = rule;
  return JSON.stringify(rest);
}

/** The UTC day of an epoch-ms time, `YYYY-MM-DD`. */
export function dayOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Evaluation rules, their run records and usage. */
export class RuleRepository {
  readonly sql: SqlClient;

  constructor(sql: SqlClient) {
    this.sql = sql;
  }

  /** Rules of a project by name, or of every project (the worker) when `projectId` is undefined. */
  async list(
    projectId: string | undefined,
    options: { enabledOnly?: boolean } = {},
  ): Promise<EvaluationRule[]> {
    const where: string[] = [];
    const params: string[] = [];
    if (projectId !== undefined) {
      params.push(projectId);
      where.push(`project_id = $${params.length}`);
    }
    if (options.enabledOnly) where.push('enabled = 1');
    const rows = await this.sql.all<Row>(
      `SELECT ${COLUMNS} FROM evaluation_rules${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY project_id, name`,
      params,
    );
    return rows.map(toRule);
  }

  async get(projectId: string, id: string): Promise<EvaluationRule | undefined> {
    const rows = await this.sql.all<Row>(
      `SELECT ${COLUMNS} FROM evaluation_rules WHERE project_id = $1 AND id = $2`,
      [projectId, id],
    );
    return rows[0] ? toRule(rows[0]) : undefined;
  }

  /** @throws ArgusError CONFLICT when another rule of the project has the name. */
  async create(projectId: string, rule: RuleDefinition): Promise<EvaluationRule> {
    await this.#assertNameFree(projectId, rule.name);
    const id = `rule_${randomUUID().replace(/-/g, '').slice(0, 20)}`;
    const now = new Date().toISOString();
    await this.sql.run(`INSERT INTO evaluation_rules (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $6)`, [
      id,
      projectId,
      rule.name,
      rule.enabled ? 1 : 0,
      definitionOf(rule),
      now,
    ]);
    return (await this.get(projectId, id))!;
  }

  /** @throws ArgusError CONFLICT when another rule of the project has the name. */
  async update(projectId: string, id: string, rule: RuleDefinition): Promise<EvaluationRule | undefined> {
    await this.#assertNameFree(projectId, rule.name, id);
    const { changes } = await this.sql.run(
      'UPDATE evaluation_rules SET name = $3, enabled = $4, definition = $5, updated_at = $6 WHERE project_id = $1 AND id = $2',
      [projectId, id, rule.name, rule.enabled ? 1 : 0, definitionOf(rule), new Date().toISOString()],
    );
    return changes > 0 ? this.get(projectId, id) : undefined;
  }

  /** Deletes a rule with its records, cursor and backfill. */
  async delete(projectId: string, id: string): Promise<boolean> {
    return this.sql.transaction(async (tx) => {
      const { changes } = await tx.run('DELETE FROM evaluation_rules WHERE project_id = $1 AND id = $2', [
        projectId,
        id,
      ]);
      if (changes === 0) return false;
      // Children are deleted explicitly too: SQLite enforces ON DELETE CASCADE only with foreign keys on.
      for (const table of ['evaluation_rule_runs', 'evaluation_rule_usage', 'evaluation_rule_backfills'])
        await tx.run(`DELETE FROM ${table} WHERE rule_id = $1`, [id]);
      await tx.run('DELETE FROM online_cursors WHERE name = $1', [`rule:${id}`]);
      return true;
    });
  }

  /** Records outcomes of a rule (failures, skips), keeping the newest {@link MAX_RUNS_PER_RULE}. */
  async addRuns(
    rule: Pick<EvaluationRule, 'id' | 'projectId'>,
    runs: readonly Omit<EvaluationRuleRun, 'id' | 'ruleId' | 'time'>[],
    nowMs = Date.now(),
  ): Promise<void> {
    if (runs.length === 0) return;
    const time = new Date(nowMs).toISOString();
    await this.sql.transaction(async (tx) => {
      for (const run of runs.slice(-MAX_RUNS_PER_RULE)) {
        await tx.run(
          `INSERT INTO evaluation_rule_runs (id, rule_id, project_id, kind, trace_id, span_id, evaluator_id, reason, time)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
          [
            randomUUID(),
            rule.id,
            rule.projectId,
            run.kind,
            run.traceId,
            run.spanId,
            run.evaluatorId,
            run.reason.slice(0, 2000),
            time,
          ],
        );
      }
      await tx.run(
        `DELETE FROM evaluation_rule_runs WHERE rule_id = $1 AND id NOT IN (
           SELECT id FROM evaluation_rule_runs WHERE rule_id = $1 ORDER BY time DESC, id DESC LIMIT ${MAX_RUNS_PER_RULE})`,
        [rule.id],
      );
    });
  }

  /** The newest run records of a rule, newest first. */
  async listRuns(
    ruleId: string,
    options: { limit: number; kind?: RuleRunKind },
  ): Promise<EvaluationRuleRun[]> {
    const params: (string | number)[] = [ruleId];
    let where = 'rule_id = $1';
    if (options.kind) {
      params.push(options.kind);
      where += ' AND kind = $2';
    }
    const rows = await this.sql.all<Record<string, string>>(
      `SELECT id, rule_id, kind, trace_id, span_id, evaluator_id, reason, time FROM evaluation_rule_runs
       WHERE ${where} ORDER BY time DESC, id DESC LIMIT ${Math.floor(options.limit)}`,
      params,
    );
    return rows.map((r) => ({
      id: String(r.id),
      ruleId: String(r.rule_id),
      kind: r.kind as RuleRunKind,
      traceId: String(r.trace_id),
      spanId: String(r.span_id),
      evaluatorId: String(r.evaluator_id),
      reason: String(r.reason),
      time: String(r.time),
    }));
  }

  /** Adds to a rule's counts of the day of `nowMs`. */
  async addUsage(ruleId: string, delta: RuleUsage, nowMs = Date.now()): Promise<void> {
    if (!delta.evaluated && !delta.failed && !delta.skipped && !delta.spendUsd) return;
    await this.sql.run(
      `INSERT INTO evaluation_rule_usage (rule_id, day, evaluated, failed, skipped, spend_usd) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (rule_id, day) DO UPDATE SET evaluated = evaluation_rule_usage.evaluated + excluded.evaluated,
         failed = evaluation_rule_usage.failed + excluded.failed, skipped = evaluation_rule_usage.skipped + excluded.skipped,
         spend_usd = evaluation_rule_usage.spend_usd + excluded.spend_usd`,
      [ruleId, dayOf(nowMs), delta.evaluated, delta.failed, delta.skipped, delta.spendUsd],
    );
  }

  /** A rule's counts on the UTC day of `nowMs` (zeros when none). */
  async usage(ruleId: string, nowMs = Date.now()): Promise<RuleUsage> {
    const rows = await this.sql.all<Record<string, number | string>>(
      'SELECT evaluated, failed, skipped, spend_usd FROM evaluation_rule_usage WHERE rule_id = $1 AND day = $2',
      [ruleId, dayOf(nowMs)],
    );
    const row = rows[0];
    return {
      evaluated: Number(row?.evaluated ?? 0),
      failed: Number(row?.failed ?? 0),
      skipped: Number(row?.skipped ?? 0),
      spendUsd: Number(row?.spend_usd ?? 0),
    };
  }

  async #assertNameFree(projectId: string, name: string, exceptId?: string): Promise<void> {
    const rows = await this.sql.all<{ id: string }>(
      'SELECT id FROM evaluation_rules WHERE project_id = $1 AND name = $2',
      [projectId, name],
    );
    if (rows.some((r) => r.id !== exceptId))
      throw new ArgusError(
        'CONFLICT',
        `Cannot save evaluation rule '${name}': another evaluation rule of this project has that name`,
      );
  }
}
