/**
 * Model update impact: when a request model starts answering with a new response model (a
 * provider's version update: `gpt-4o` → `gpt-4o-2024-11-20`), the first time it was seen is a
 * change point. Change points are recorded in the metadata store (so they outlive the spans)
 * and compared before/after on outputs, latency, cost, perplexity and scores.
 */
import type { DriftFeatureName, ModelChange } from '@argus/shared';
import { FROM, TO } from '../../query/sql.ts';
import type { SqlClient } from '../../store/metadata/sql-client.ts';
import { type CompareDeps, compareDrift } from './compare.ts';
import type { ComparisonGate } from './gate.ts';

const HOUR = 3_600_000;
/** Length of the before and after windows compared around a change point (at most). */
export const IMPACT_WINDOW_MS = 24 * HOUR;
/** Spans a response model must have answered before a change, so a one-off is not a "previous" model. */
export const MIN_SPANS_BEFORE = 10;
const MAX_CHANGES = 5;
const IMPACT_SAMPLE = 1_000;
const BASE_FEATURES: DriftFeatureName[] = ['output', 'outputTokens', 'latency', 'cost', 'perplexity'];

interface ModelSpan {
  request_model: string;
  response_model: string;
  first_ms: string | number;
  n: string | number;
}

/** A change point: a request model's new response model and when it was first seen. */
export interface ChangePoint {
  requestModel: string;
  previousModel: string;
  newModel: string;
  changedAtMs: number;
}

/** Change points in a list of (request, response, first seen, spans) rows. Pure. */
export function changePointsOf(
  rows: readonly { requestModel: string; responseModel: string; firstMs: number; spans: number }[],
  fromMs: number,
): ChangePoint[] {
  const byRequest = new Map<string, typeof rows>();
  for (const row of rows) byRequest.set(row.requestModel, [...(byRequest.get(row.requestModel) ?? []), row]);
  const points: ChangePoint[] = [];
  for (const [requestModel, list] of byRequest) {
    const ordered = [...list].sort((a, b) => a.firstMs - b.firstMs);
    for (let i = 1; i < ordered.length; i++) {
      const previous = ordered[i - 1]!;
      const next = ordered[i]!;
      if (next.firstMs < fromMs || previous.spans < MIN_SPANS_BEFORE) continue;
      points.push({
        requestModel,
        previousModel: previous.responseModel,
        newModel: next.responseModel,
        changedAtMs: next.firstMs,
      });
    }
  }
  return points.sort((a, b) => b.changedAtMs - a.changedAtMs);
}

/** Finds, records and compares model change points. */
export class ModelChanges {
  readonly #deps: CompareDeps & { sql: SqlClient; gate: ComparisonGate };

  constructor(deps: CompareDeps & { sql: SqlClient; gate: ComparisonGate }) {
    this.#deps = deps;
  }

  /** Detects change points first seen in [fromMs, toMs] and records new ones. */
  async detect(
    projectId: string,
    range: { fromMs: number; toMs: number; model?: string | undefined },
  ): Promise<ChangePoint[]> {
    const rows = await this.#deps.driver.query<ModelSpan>(
      `SELECT request_model, response_model, toUnixTimestamp64Milli(min(start_time)) AS first_ms, count() AS n
FROM spans WHERE project_id = {projectId:String} AND kind = 'llm' AND request_model != '' AND response_model != ''
  AND start_time >= ${FROM} AND start_time <= ${TO}${range.model ? ' AND request_model = {model:String}' : ''}
GROUP BY request_model, response_model ORDER BY request_model, first_ms LIMIT 1000`,
      {
        projectId,
        fromMs: range.fromMs - IMPACT_WINDOW_MS,
        toMs: range.toMs,
        ...(range.model ? { model: range.model } : {}),
      },
    );
    const points = changePointsOf(
      rows.map((r) => ({
        requestModel: r.request_model,
        responseModel: r.response_model,
        firstMs: Number(r.first_ms),
        spans: Number(r.n),
      })),
      range.fromMs,
    );
    const now = new Date().toISOString();
    for (const p of points)
      await this.#deps.sql.run(
        `INSERT INTO model_changes (project_id, request_model, previous_model, new_model, changed_at, detected_at)
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (project_id, request_model, new_model) DO NOTHING`,
        [projectId, p.requestModel, p.previousModel, p.newModel, new Date(p.changedAtMs).toISOString(), now],
      );
    return points;
  }

  /** Change points in the range (detected now and recorded earlier), newest first, with before/after drift. */
  async list(
    projectId: string,
    range: { fromMs: number; toMs: number; model?: string | undefined },
  ): Promise<ModelChange[]> {
    await this.detect(projectId, range);
    const recorded = await this.#deps.sql.all<{
      request_model: string;
      previous_model: string;
      new_model: string;
      changed_at: string;
    }>(
      `SELECT request_model, previous_model, new_model, changed_at FROM model_changes
       WHERE project_id = $1 AND changed_at >= $2 AND changed_at <= $3${range.model ? ' AND request_model = $4' : ''}
       ORDER BY changed_at DESC LIMIT ${MAX_CHANGES}`,
      [
        projectId,
        new Date(range.fromMs).toISOString(),
        new Date(range.toMs).toISOString(),
        ...(range.model ? [range.model] : []),
      ],
    );
    const changes: ModelChange[] = [];
    for (const row of recorded) changes.push(await this.#impact(projectId, row, range.toMs));
    return changes;
  }

  async #impact(
    projectId: string,
    row: { request_model: string; previous_model: string; new_model: string; changed_at: string },
    toMs: number,
  ): Promise<ModelChange> {
    const changedAtMs = Date.parse(row.changed_at);
    const after = {
      fromMs: changedAtMs,
      toMs: Math.max(changedAtMs + 1, Math.min(toMs, changedAtMs + IMPACT_WINDOW_MS)),
    };
    const before = { fromMs: changedAtMs - IMPACT_WINDOW_MS, toMs: changedAtMs - 1 };
    const scores = await this.#deps.driver.query<{ name: string }>(
      `SELECT DISTINCT name FROM scores WHERE project_id = {projectId:String} AND string_value = ''
  AND time >= ${FROM} AND time <= ${TO} ORDER BY name LIMIT 5`,
      { projectId, fromMs: before.fromMs, toMs: after.toMs },
    );
    const report = await this.#deps.gate.run(() =>
      compareDrift(this.#deps, projectId, {
        filter: { model: row.request_model },
        reference: before,
        current: after,
        features: [...BASE_FEATURES, ...scores.map((s) => `score:${s.name}` as DriftFeatureName)],
        sampleSize: IMPACT_SAMPLE,
      }),
    );
    return {
      requestModel: row.request_model,
      previousModel: row.previous_model,
      newModel: row.new_model,
      changedAt: row.changed_at,
      before: { ...report.reference, from: report.reference.from!, to: report.reference.to! },
      after: report.current,
      drifted: report.drifted,
      features: report.features,
    };
  }
}
