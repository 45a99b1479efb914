/**
 * Concepts over time as metrics: every 5 minutes each concept with `record` scores the spans of
 * the last 5 minutes and writes the metric points `argus.concept.share` (share of spans above its
 * threshold), `argus.concept.mean` (mean score) and `argus.concept.spans`, with the attribute
 * `concept`, so alert rules (OTLP metric source), anomaly detection and charts read a concept's
 * share like any metric. `POST /api/v1/concepts/{id}/record` records one window now.
 */
import type { DriftMonitorResult } from '@argus/shared';
import type { Logger } from '../../logger.ts';
import type { MetricPointRow } from '../../normalize/types.ts';
import type { StoredMonitor } from '../drift/repository.ts';
import { pointsOf } from '../drift/service.ts';
import type { StoredConcept } from './concept-repository.ts';
import type { ConceptService } from './concept-service.ts';

/** The recorded window, and how often it is recorded. */
export const RECORD_WINDOW_MS = 5 * 60_000;
const MAX_SPANS = 1_000;

/** What the recorder needs. */
export interface RecorderDeps {
  concepts: ConceptService;
  writePoints(points: MetricPointRow[]): Promise<unknown>;
  logger: Logger;
}

/**
 * A gauge Argus writes about itself at `endMs` (service `argus`, no unit, no histogram): drift's
 * first point with its name, attributes and value left to the caller, so both write one shape.
 */
function ownGauge(projectId: string, endMs: number): MetricPointRow {
  const monitor = { projectId, id: '', name: '' } as StoredMonitor;
  const run = { drifted: false, features: [] } as unknown as DriftMonitorResult;
  return pointsOf(monitor, run, endMs)[0]!;
}

/** The points of one recorded window. */
export function conceptPoints(
  projectId: string,
  concept: Pick<StoredConcept, 'id' | 'name'>,
  summary: { count: number; mean: number; share: number },
  endMs: number,
): MetricPointRow[] {
  const base = {
    ...ownGauge(projectId, endMs),
    scope: 'argus.explain',
    startTimeUnixNano: BigInt(endMs - RECORD_WINDOW_MS) * 1_000_000n,
    attributes: { concept: concept.name, concept_id: concept.id },
  };
  return [
    { ...base, metricName: 'argus.concept.share', value: summary.share },
    { ...base, metricName: 'argus.concept.mean', value: summary.mean },
    { ...base, metricName: 'argus.concept.spans', value: summary.count },
  ];
}

/** Records concepts on a timer. */
export class ConceptRecorder {
  readonly #deps: RecorderDeps;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;

  constructor(deps: RecorderDeps) {
    this.#deps = deps;
  }

  /** Scores one concept's window ending at `endMs` and writes its points. */
  async record(projectId: string, concept: StoredConcept, endMs: number) {
    const scores = await this.#deps.concepts.scores(projectId, concept.id, {
      from: String(endMs - RECORD_WINDOW_MS),
      to: String(endMs),
      threshold: concept.threshold,
      bucket: 'day',
      limit: MAX_SPANS,
    });
    const count = scores.spans.length;
    const mean = count === 0 ? 0 : scores.spans.reduce((s, x) => s + x.score, 0) / count;
    const share = count === 0 ? 0 : scores.spans.filter((x) => x.score > concept.threshold).length / count;
    const summary = { count, mean: Number(mean.toFixed(4)), share: Number(share.toFixed(4)) };
    await this.#deps.writePoints(conceptPoints(projectId, concept, summary, endMs));
    return summary;
  }

  async #tick(): Promise<void> {
    const endMs = Date.now();
    for (const { projectId, concept } of await this.#deps.concepts.repo.recorded()) {
      try {
        await this.record(projectId, concept, endMs);
      } catch (error) {
        this.#deps.logger.warn('concept not recorded', { concept: concept.id, error: String(error) });
      }
    }
  }

  start(): void {
    this.#timer = setInterval(() => {
      this.#running ??= this.#tick().finally(() => {
        this.#running = undefined;
      });
    }, RECORD_WINDOW_MS);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.#running;
  }
}
