/**
 * How far an evaluator (an LLM judge or any automatic scorer) can be trusted: its scores against
 * people's (`source = 'human'`) on the same trace or span. Labels (categorical and boolean score
 * configs, or people's scores that all carry a label) get the confusion matrix, accuracy,
 * precision/recall/F1 per label and Cohen's κ; numbers get Pearson, Spearman and the mean
 * absolute difference. Where two people scored the same object, their κ (or r) is the ceiling a
 * judge can be held to. The statistics are the pure functions of quality/stats.
 */
import type { JudgeAgreement, ScoreConfig, ScoreDataType } from '@argus/shared';
import { cohensKappa, meanAbsoluteDifference, pearson, spearman } from '../quality/stats/agreement.ts';
import { classify } from '../quality/stats/labels.ts';
import type { ClickhouseDriver } from '../store/clickhouse/driver.ts';
import { HUMAN_SOURCE } from './service.ts';

/** One score as read for agreement (the latest per object and author). */
export interface AgreementScore {
  traceId: string;
  spanId: string;
  author: string;
  value: number;
  stringValue: string;
}

/** Most scores read per side. */
const MAX_SCORES = 100_000;

interface Row {
  trace_id: string;
  span_id: string;
  author: string;
  value: number;
  string_value: string;
}

/** The latest score per object (and author, for people) of a name in a window. */
export async function readScores(
  driver: ClickhouseDriver,
  query: { projectId: string; name: string; human: boolean; fromMs: number; toMs: number },
): Promise<AgreementScore[]> {
  const rows = await driver.query<Row>(
    `SELECT trace_id, span_id, ${query.human ? 'author' : "'' AS author"},
       argMax(value, time) AS value, argMax(string_value, time) AS string_value
     FROM scores
     WHERE project_id = {projectId:String} AND name = {name:String}
       AND ${query.human ? 'source = {human:String}' : 'source != {human:String}'}
       AND time BETWEEN fromUnixTimestamp64Milli({fromMs:Int64}) AND fromUnixTimestamp64Milli({toMs:Int64})
     GROUP BY trace_id, span_id${query.human ? ', author' : ''}
     ORDER BY trace_id, span_id${query.human ? ', author' : ''}
     LIMIT {limit:UInt32}`,
    { ...query, human: HUMAN_SOURCE, limit: MAX_SCORES },
  );
  return rows.map((r) => ({
    traceId: r.trace_id,
    spanId: r.span_id,
    author: r.author,
    value: Number(r.value),
    stringValue: r.string_value,
  }));
}

/** A score's label under a config: its own label, the category of its value, or the value as text. */
function labelOf(score: AgreementScore, config: ScoreConfig | undefined): string {
  const categories = config?.categories ?? [];
  if (score.stringValue && (categories.length === 0 || categories.some((c) => c.label === score.stringValue)))
    return score.stringValue;
  const category = categories.find((c) => c.value === score.value);
  if (category) return category.label;
  // A judge's pass/fail score against a boolean config: 1 is true, 0 false, halfway rounds up.
  if (config?.dataType === 'boolean') return score.value >= 0.5 ? 'true' : 'false';
  return score.stringValue || String(score.value);
}

/** The data type to compare in: the config's, else labels when every person's score has one. */
function dataTypeOf(config: ScoreConfig | undefined, human: readonly AgreementScore[]): ScoreDataType {
  if (config) return config.dataType;
  return human.length > 0 && human.every((s) => s.stringValue !== '') ? 'categorical' : 'numeric';
}

/** People's scores paired with the judge's: same span, or the trace's judge score for a trace-level one. */
function pairUp(judge: readonly AgreementScore[], human: readonly AgreementScore[]) {
  const bySpan = new Map(judge.map((s) => [`${s.traceId}/${s.spanId}`, s]));
  const byTrace = new Map<string, AgreementScore>();
  for (const s of judge) if (!byTrace.has(s.traceId)) byTrace.set(s.traceId, s);
  const pairs: { judge: AgreementScore; human: AgreementScore }[] = [];
  const seen = new Set<string>();
  for (const h of human) {
    const key = `${h.traceId}/${h.spanId}`;
    // One person per object: the first by author name, so double-reviewed items count once.
    if (seen.has(key)) continue;
    const j = bySpan.get(key) ?? (h.spanId === '' ? byTrace.get(h.traceId) : undefined);
    if (!j) continue;
    seen.add(key);
    pairs.push({ judge: j, human: h });
  }
  return pairs;
}

/** Pairs of two different people on one object (the first two authors by name). */
function humanPairs(human: readonly AgreementScore[]): [AgreementScore, AgreementScore][] {
  const byObject = new Map<string, AgreementScore[]>();
  for (const h of human) {
    const key = `${h.traceId}/${h.spanId}`;
    byObject.set(key, [...(byObject.get(key) ?? []), h]);
  }
  const out: [AgreementScore, AgreementScore][] = [];
  for (const scores of byObject.values()) {
    const sorted = [...scores].sort((a, b) => a.author.localeCompare(b.author));
    if (sorted.length >= 2) out.push([sorted[0]!, sorted[1]!]);
  }
  return out;
}

const finite = (v: number) => (Number.isFinite(v) ? v : undefined);
const estimate = (e: { value: number; low?: number; high?: number }) => ({
  value: finite(e.value) ?? Number.NaN,
  ...(e.low === undefined ? {} : { low: e.low }),
  ...(e.high === undefined ? {} : { high: e.high }),
});

/** The agreement report of a judge's scores against people's (pure). */
export function agreementOf(
  judge: readonly AgreementScore[],
  human: readonly AgreementScore[],
  config: ScoreConfig | undefined,
): Omit<JudgeAgreement, 'evaluator' | 'against'> {
  const dataType = dataTypeOf(config, human);
  const pairs = pairUp(judge, human);
  const people = humanPairs(human);
  if (dataType === 'numeric') {
    const x = pairs.map((p) => p.human.value);
    const y = pairs.map((p) => p.judge.value);
    return {
      dataType,
      pairs: pairs.length,
      numeric: {
        pearson: estimate(pearson(x, y)),
        spearman: estimate(spearman(x, y)),
        meanAbsoluteDifference: meanAbsoluteDifference(x, y),
      },
      humanVsHuman: {
        pairs: people.length,
        ...(people.length > 0
          ? {
              pearson: estimate(
                pearson(
                  people.map((p) => p[0].value),
                  people.map((p) => p[1].value),
                ),
              ),
            }
          : {}),
      },
    };
  }
  const report = classify(
    pairs.map((p) => ({ expected: labelOf(p.human, config), predicted: labelOf(p.judge, config) })),
  );
  return {
    dataType,
    pairs: pairs.length,
    categorical: {
      labels: report.labels,
      confusionMatrix: report.confusionMatrix,
      accuracy: report.accuracy,
      perLabel: report.perLabel.map((l) => ({
        label: l.label,
        support: l.support,
        ...(l.precision === undefined ? {} : { precision: l.precision }),
        ...(l.recall === undefined ? {} : { recall: l.recall }),
        ...(l.f1 === undefined ? {} : { f1: l.f1 }),
      })),
      kappa: estimate(
        cohensKappa(pairs.map((p) => ({ a: labelOf(p.human, config), b: labelOf(p.judge, config) }))),
      ),
    },
    humanVsHuman: {
      pairs: people.length,
      ...(people.length > 0
        ? {
            kappa: estimate(
              cohensKappa(people.map(([a, b]) => ({ a: labelOf(a, config), b: labelOf(b, config) }))),
            ),
          }
        : {}),
    },
  };
}
