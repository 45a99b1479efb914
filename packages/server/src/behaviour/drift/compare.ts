/**
 * `POST /api/v1/drift/compare`: samples the reference (a window or a dataset) and the current
 * window of the spans a filter selects, and runs each feature's default test. The span filter
 * is the one `GET /api/v1/spans` takes; without a `kind` it compares LLM spans.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { DriftFeatureName, DriftFeatureResult, DriftFilter, DriftReport } from '@argus/shared';
import { ArgusError } from '../../errors.ts';
import { parseSpanFilters, type SpanFilters } from '../../query/filters.ts';
import type { ClickhouseDriver } from '../../store/clickhouse/driver.ts';
import { type Embedder, embeddingResult } from './embedding-result.ts';
import { columnOf, isTextual, kindOf } from './features.ts';
import { categoricalResult, numericResult, type Side, skipped, textResult } from './results.ts';
import { hasPerplexity, sampleWindow, type WindowSample } from './sample.ts';

/** A comparison, validated. */
export interface CompareInput {
  filter: DriftFilter;
  reference: { fromMs: number; toMs: number } | { datasetId: string };
  current: { fromMs: number; toMs: number };
  features: DriftFeatureName[];
  sampleSize: number;
  embeddingConnectionId?: string;
}

/** Texts of a dataset's items: inputs and expected outputs. */
export interface DatasetTexts {
  input: string[];
  output: string[];
}

/** What a comparison needs. */
export interface CompareDeps {
  driver: ClickhouseDriver;
  maxWindowMs: number;
  /** @throws ArgusError NOT_FOUND for an unknown dataset. */
  datasetTexts(projectId: string, datasetId: string): Promise<DatasetTexts>;
  /** @throws ArgusError NOT_FOUND for an unknown connection, INVALID_PARAMETER without an embedding model. */
  embedder(projectId: string, connectionId: string): Promise<Embedder>;
}

/**
 * The span filters of a window.
 * @throws ArgusError INVALID_PARAMETER naming the bad filter field.
 */
export function windowFilters(
  filter: DriftFilter,
  window: { fromMs: number; toMs: number },
  maxWindowMs: number,
): SpanFilters {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filter)) {
    if (key === 'from' || key === 'to')
      throw new ArgusError(
        'INVALID_PARAMETER',
        `Invalid field 'filter.${key}': the window is set by 'reference' and 'current'`,
      );
    for (const item of Array.isArray(value) ? value : [value]) params.append(key, String(item));
  }
  if (!params.has('kind')) params.set('kind', 'llm');
  params.set('from', String(window.fromMs));
  params.set('to', String(window.toMs));
  try {
    return parseSpanFilters(params, { maxWindowMs });
  } catch (error) {
    if (error instanceof ArgusError && error.code === 'INVALID_PARAMETER')
      throw new ArgusError('INVALID_PARAMETER', `Invalid field 'filter': ${error.message}`);
    throw error;
  }
}

function sideOf(sample: WindowSample, feature: DriftFeatureName): Side<string | number> {
  const values = sample.values.get(feature) ?? [];
  const kept: number[] = [];
  values.forEach((v, i) => {
    if (v !== null && v !== '' && !(typeof v === 'number' && Number.isNaN(v))) kept.push(i);
  });
  return { values: kept.map((i) => values[i]!), refs: kept.map((i) => sample.refs[i]) };
}

async function featureResult(
  feature: DriftFeatureName,
  reference: Side<string | number>,
  current: Side<string | number>,
  embed: Embedder | undefined,
): Promise<DriftFeatureResult> {
  const kind = kindOf(feature);
  if (kind === 'numeric')
    return numericResult(
      feature,
      reference.values.map(Number).filter(Number.isFinite),
      current.values.map(Number).filter(Number.isFinite),
    );
  if (kind === 'categorical')
    return categoricalResult(feature, reference.values.map(String), current.values.map(String));
  const texts = (side: Side<string | number>): Side<string> => ({
    values: side.values.map(String),
    ...(side.refs ? { refs: side.refs } : {}),
  });
  if (kind === 'text') return textResult(feature, texts(reference), texts(current));
  return embeddingResult(feature, texts(reference), texts(current), embed ? { embed } : {});
}

/** Runs a comparison in a project. */
export async function compareDrift(
  deps: CompareDeps,
  projectId: string,
  input: CompareInput,
): Promise<DriftReport> {
  const started = performance.now();
  for (const feature of input.features) kindOf(feature);
  const embed = input.embeddingConnectionId
    ? await deps.embedder(projectId, input.embeddingConnectionId)
    : undefined;
  const currentFilters = windowFilters(input.filter, input.current, deps.maxWindowMs);
  const perplexityReady = !input.features.includes('perplexity') || (await hasPerplexity(deps.driver));
  const spanFeatures = input.features.filter((f) => f !== 'perplexity' || perplexityReady);
  const current = await sampleWindow(deps.driver, projectId, currentFilters, spanFeatures, input.sampleSize);
  let referenceSample: WindowSample | undefined;
  let datasetTexts: DatasetTexts | undefined;
  if ('datasetId' in input.reference) {
    datasetTexts = await deps.datasetTexts(projectId, input.reference.datasetId);
  } else {
    const filters = windowFilters(input.filter, input.reference, deps.maxWindowMs);
    referenceSample = await sampleWindow(deps.driver, projectId, filters, spanFeatures, input.sampleSize);
  }
  const features: DriftFeatureResult[] = [];
  for (const feature of input.features) {
    const currentSide = current.scores.has(feature)
      ? { values: current.scores.get(feature)! }
      : sideOf(current, feature);
    if (feature === 'perplexity' && !perplexityReady) {
      features.push(
        skipped(
          feature,
          'numeric',
          [0, 0],
          'spans carry no perplexity here: it comes from token logprobs (docs/behaviour.md#confidence)',
        ),
      );
      continue;
    }
    let referenceSide: Side<string | number>;
    if (datasetTexts) {
      if (!isTextual(feature)) {
        features.push(
          skipped(
            feature,
            kindOf(feature),
            [0, currentSide.values.length],
            `a dataset reference has no '${feature}': compare it against a window`,
          ),
        );
        continue;
      }
      const output = columnOf(feature) === 'output_preview';
      referenceSide = {
        values: (output ? datasetTexts.output : datasetTexts.input).slice(0, input.sampleSize),
      };
    } else {
      referenceSide = referenceSample!.scores.has(feature)
        ? { values: referenceSample!.scores.get(feature)! }
        : sideOf(referenceSample!, feature);
    }
    features.push(await featureResult(feature, referenceSide, currentSide, embed));
    // Let requests waiting on the event loop through between features.
    await nextTurn();
  }
  const iso = (ms: number) => new Date(ms).toISOString();
  return {
    drifted: features.some((f) => f.drifted),
    reference:
      'datasetId' in input.reference
        ? {
            datasetId: input.reference.datasetId,
            count: Math.max(datasetTexts!.input.length, datasetTexts!.output.length),
          }
        : {
            from: iso(input.reference.fromMs),
            to: iso(input.reference.toMs),
            count: referenceSample!.refs.length,
          },
    current: { from: iso(input.current.fromMs), to: iso(input.current.toMs), count: current.refs.length },
    features,
    tookMs: Math.round(performance.now() - started),
  };
}
