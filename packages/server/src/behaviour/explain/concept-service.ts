/**
 * Concepts of a project: learns one from example texts (given, a dataset's, or spans matching a
 * filter; random traffic as negatives when none are given), embedded by a connection's embedding
 * model or drift's featuriser, and scores span previews on it over a window — the series, and
 * the spans over a score (the filter `concept:<name> > 0.8`).
 */
import type { Concept, ConceptScorePoint, ConceptScores, ConceptSpanScore } from '@argus/shared';
import type { z } from 'zod';
import { ArgusError } from '../../errors.ts';
import type { Quality } from '../../quality/service.ts';
import { parseTime } from '../../query/filters.ts';
import { FROM, spanConditions, TO } from '../../query/sql.ts';
import type { ClickhouseDriver } from '../../store/clickhouse/driver.ts';
import { connectionEmbedder, datasetTexts } from '../drift/adapters.ts';
import { windowFilters } from '../drift/compare.ts';
import { type Embedder, featuriserEmbedder } from '../drift/embedding-result.ts';
import type { ConceptRepository, StoredConcept } from './concept-repository.ts';
import { conceptScore, learnConcept } from './concepts.ts';
import type {
  ConceptBody,
  conceptScoresQuerySchema,
  conceptSpansQuerySchema,
  ExamplesBody,
} from './schemas.ts';

const DAY_MS = 86_400_000;
/** Random negatives drawn from traffic: this many per positive, at least {@link MIN_RANDOM}. */
const RANDOM_PER_POSITIVE = 2;
const MIN_RANDOM = 20;
const BUCKET_MS = { minute: 60_000, hour: 3_600_000, day: DAY_MS } as const;

type ScoresQuery = z.output<typeof conceptScoresQuerySchema>;
type SpansQuery = z.output<typeof conceptSpansQuerySchema>;

const COMPARE: Record<string, (a: number, b: number) => boolean> = {
  '>': (a, b) => a > b,
  '>=': (a, b) => a >= b,
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
};

/** What the concept service needs. */
export interface ConceptDeps {
  driver: ClickhouseDriver;
  quality: Quality;
  repo: ConceptRepository;
  maxWindowMs: number;
}

interface SpanText {
  traceId: string;
  spanId: string;
  startMs: number;
  text: string;
}

/** Concepts of every project. */
export class ConceptService {
  readonly #deps: ConceptDeps;

  constructor(deps: ConceptDeps) {
    this.#deps = deps;
  }

  get repo(): ConceptRepository {
    return this.#deps.repo;
  }

  /** Span previews of a window (newest first). */
  async #spanTexts(
    projectId: string,
    field: 'input' | 'output',
    filter: Record<string, string | number | string[]>,
    window: { fromMs: number; toMs: number; limit: number },
  ): Promise<SpanText[]> {
    const filters = windowFilters(filter, window, this.#deps.maxWindowMs);
    const conditions = spanConditions(filters);
    const column = field === 'input' ? 'input_preview' : 'output_preview';
    const rows = await this.#deps.driver.query<{
      trace_id: string;
      span_id: string;
      t: string;
      text: string;
    }>(
      `SELECT trace_id, span_id, toString(toUnixTimestamp64Milli(start_time)) AS t, ${column} AS text FROM spans
WHERE project_id = {projectId:String} AND start_time >= ${FROM} AND start_time <= ${TO} AND ${column} != ''
${conditions.sql ? `AND ${conditions.sql}` : ''}
ORDER BY start_time DESC LIMIT {conceptLimit:UInt32}`,
      {
        projectId,
        fromMs: window.fromMs,
        toMs: window.toMs,
        conceptLimit: window.limit,
        ...conditions.params,
      },
    );
    return rows.map((r) => ({ traceId: r.trace_id, spanId: r.span_id, startMs: Number(r.t), text: r.text }));
  }

  async #texts(projectId: string, field: 'input' | 'output', examples: ExamplesBody): Promise<string[]> {
    if (Array.isArray(examples)) return examples;
    if ('datasetId' in examples)
      return (await datasetTexts(this.#deps.quality, projectId, examples.datasetId))[field];
    const toMs = examples.to === undefined ? Date.now() : parseTime('to', examples.to);
    const fromMs = examples.from === undefined ? toMs - 7 * DAY_MS : parseTime('from', examples.from);
    const spans = await this.#spanTexts(projectId, field, examples.filter, {
      fromMs,
      toMs,
      limit: examples.limit,
    });
    return spans.map((s) => s.text);
  }

  async #embedder(projectId: string, connectionId: string | undefined): Promise<Embedder> {
    return connectionId
      ? connectionEmbedder(this.#deps.quality, projectId, connectionId)
      : featuriserEmbedder;
  }

  /** Learns and saves a concept. @throws ArgusError INVALID_PARAMETER, NOT_FOUND, CONFLICT. */
  async create(projectId: string, body: ConceptBody): Promise<StoredConcept> {
    const positives = [...new Set(await this.#texts(projectId, body.field, body.positives))];
    let negatives = body.negatives ? await this.#texts(projectId, body.field, body.negatives) : undefined;
    const randomNegatives = negatives === undefined;
    if (!negatives) {
      const drawn = await this.#spanTexts(
        projectId,
        body.field,
        {},
        {
          fromMs: Date.now() - 7 * DAY_MS,
          toMs: Date.now(),
          limit: Math.max(MIN_RANDOM, RANDOM_PER_POSITIVE * positives.length) * 3,
        },
      );
      const known = new Set(positives);
      negatives = drawn.map((s) => s.text).filter((t) => !known.has(t));
      negatives = negatives.slice(0, Math.max(MIN_RANDOM, RANDOM_PER_POSITIVE * positives.length));
      if (negatives.length < 2)
        throw new ArgusError(
          'INVALID_PARAMETER',
          "Invalid field 'negatives': none were given and the last 7 days hold too few spans to draw random negatives",
        );
    }
    const embed = await this.#embedder(projectId, body.connectionId);
    const { vectors, model } = await embed([...positives, ...negatives]);
    const learned = learnConcept(
      vectors.slice(0, positives.length),
      vectors.slice(positives.length),
      body.seed ?? 1,
    );
    const concept: Omit<Concept, 'id' | 'createdAt'> = {
      name: body.name,
      field: body.field,
      accuracy: learned.accuracy,
      trainCount: learned.trainCount,
      heldOutCount: learned.heldOutCount,
      positives: positives.length,
      negatives: negatives.length,
      randomNegatives,
      embedding: body.connectionId ? (model ?? 'connection') : 'featuriser',
      ...(body.connectionId ? { connectionId: body.connectionId } : {}),
      record: body.record,
      threshold: body.threshold,
    };
    return this.#deps.repo.create(projectId, concept, learned.model);
  }

  /** Scores texts on a concept (0–1). */
  async scoreTexts(projectId: string, concept: StoredConcept, texts: string[]): Promise<number[]> {
    if (texts.length === 0) return [];
    const embed = await this.#embedder(projectId, concept.connectionId);
    const { vectors } = await embed(texts);
    return vectors.map((v) => Number(conceptScore(concept.model, v).toFixed(4)));
  }

  /** A concept's scores over a window: per bucket mean and share over the threshold, and the spans. */
  async scores(projectId: string, idOrName: string, query: ScoresQuery): Promise<ConceptScores> {
    const concept = await this.#deps.repo.require(projectId, idOrName);
    const toMs = query.to === undefined ? Date.now() : parseTime('to', query.to);
    const fromMs = query.from === undefined ? toMs - DAY_MS : parseTime('from', query.from);
    if (fromMs > toMs)
      throw new ArgusError('INVALID_PARAMETER', "Invalid parameter 'from': it is after 'to'");
    const filter: Record<string, string> = {};
    if (query.service) filter.service = query.service;
    if (query.model) filter.model = query.model;
    const spans = await this.#spanTexts(projectId, concept.field, filter, {
      fromMs,
      toMs,
      limit: query.limit,
    });
    const scores = await this.scoreTexts(
      projectId,
      concept,
      spans.map((s) => s.text),
    );
    const scored: ConceptSpanScore[] = spans.map((s, i) => ({
      traceId: s.traceId,
      spanId: s.spanId,
      startTime: new Date(s.startMs).toISOString(),
      score: scores[i]!,
      text: s.text,
    }));
    return {
      concept: concept.name,
      threshold: query.threshold,
      points: bucketed(scored, BUCKET_MS[query.bucket], query.threshold),
      spans: scored.filter((s) => query.minScore === undefined || s.score > query.minScore),
    };
  }

  /** The spans of a window that pass `concept:<name> > x` (the schema checked its shape). */
  async filterSpans(projectId: string, query: SpansQuery): Promise<ConceptSpanScore[]> {
    const [, name, op, value] = /^concept:(\S+?)\s*(>=|>|<=|<)\s*(\S+)$/u.exec(query.filter)!;
    const { filter: _, ...window } = query;
    const scored = await this.scores(projectId, name!, { ...window, threshold: 0.5, bucket: 'hour' });
    return scored.spans.filter((s) => COMPARE[op!]!(s.score, Number(value)));
  }
}

/** Mean score and share over the threshold per time bucket, oldest first. */
export function bucketed(
  spans: readonly ConceptSpanScore[],
  bucketMs: number,
  threshold: number,
): ConceptScorePoint[] {
  const buckets = new Map<number, number[]>();
  for (const s of spans) {
    const start = Math.floor(Date.parse(s.startTime) / bucketMs) * bucketMs;
    buckets.set(start, [...(buckets.get(start) ?? []), s.score]);
  }
  return [...buckets.entries()]
    .sort(([a], [b]) => a - b)
    .map(([start, values]) => ({
      time: new Date(start).toISOString(),
      count: values.length,
      mean: Number((values.reduce((s, v) => s + v, 0) / values.length).toFixed(4)),
      share: Number((values.filter((v) => v > threshold).length / values.length).toFixed(4)),
    }));
}
