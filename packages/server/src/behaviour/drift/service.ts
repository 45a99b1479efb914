/**
 * The drift services: ad hoc comparisons, monitors (CRUD, one run, the result series) and the
 * points each run writes (`argus.drift.*` metric points, so rules and charts read them like any
 * OTLP metric). The routes and the scheduler call these.
 */
import type { DriftFeatureName, DriftMonitorResult, DriftReport } from '@argus/shared';
import { parseDurationMs } from '../../alerts/duration.ts';
import { ArgusError } from '../../errors.ts';
import type { MetricPointRow } from '../../normalize/types.ts';
import { parseTime } from '../../query/filters.ts';
import { type CompareDeps, type CompareInput, compareDrift } from './compare.ts';
import { DEFAULT_FEATURES, kindOf } from './features.ts';
import type { ComparisonGate } from './gate.ts';
import type { DriftRepository, StoredMonitor } from './repository.ts';
import type { CompareBody, MonitorCreateBody, MonitorPatchBody } from './schemas.ts';

/** What the service needs besides the comparison's deps. */
export interface DriftServiceDeps extends CompareDeps {
  repo: DriftRepository;
  /** Bounds the comparisons running at once (shared with model changes). */
  gate: ComparisonGate;
  /** Writes metric points (the store's insertMetricPoints). */
  writePoints(points: MetricPointRow[]): Promise<unknown>;
  /** @throws ArgusError NOT_FOUND when the project has no such connection. */
  checkConnection(projectId: string, id: string): Promise<void>;
  /** @throws ArgusError NOT_FOUND when the project has no such dataset. */
  checkDataset(projectId: string, id: string): Promise<void>;
}

const toMs = (field: string, value: string | number) =>
  typeof value === 'number' ? value : parseTime(field, value);

/** Drift comparisons and monitors. */
export class DriftService {
  readonly #deps: DriftServiceDeps;

  constructor(deps: DriftServiceDeps) {
    this.#deps = deps;
  }

  get repo(): DriftRepository {
    return this.#deps.repo;
  }

  /** Runs `POST /api/v1/drift/compare`. */
  compare(projectId: string, body: CompareBody): Promise<DriftReport> {
    const window = (name: string, w: { from: string | number; to: string | number }) => {
      const fromMs = toMs(`${name}.from`, w.from);
      const toMsValue = toMs(`${name}.to`, w.to);
      if (fromMs >= toMsValue)
        throw new ArgusError('INVALID_PARAMETER', `Invalid field '${name}': 'from' is not before 'to'`);
      return { fromMs, toMs: toMsValue };
    };
    const input: CompareInput = {
      filter: body.filter,
      reference:
        'datasetId' in body.reference
          ? { datasetId: body.reference.datasetId }
          : window('reference', body.reference),
      current: window('current', body.current),
      features: (body.features ?? [...DEFAULT_FEATURES]) as DriftFeatureName[],
      sampleSize: body.sampleSize,
      ...(body.embeddingConnectionId ? { embeddingConnectionId: body.embeddingConnectionId } : {}),
    };
    return this.#deps.gate.run(() => compareDrift(this.#deps, projectId, input));
  }

  async #checkRefs(
    projectId: string,
    fields: {
      reference?: StoredMonitor['reference'];
      embeddingConnectionId?: string | null;
      features?: string[];
    },
  ) {
    for (const feature of fields.features ?? []) kindOf(feature);
    if (fields.reference?.type === 'dataset')
      await this.#deps.checkDataset(projectId, fields.reference.datasetId);
    if (fields.embeddingConnectionId)
      await this.#deps.checkConnection(projectId, fields.embeddingConnectionId);
  }

  async createMonitor(projectId: string, body: MonitorCreateBody): Promise<StoredMonitor> {
    const features = body.features ?? [...DEFAULT_FEATURES];
    await this.#checkRefs(projectId, { ...body, features });
    return this.#deps.repo.create(projectId, { ...body, features });
  }

  async updateMonitor(projectId: string, id: string, patch: MonitorPatchBody): Promise<StoredMonitor> {
    await this.#checkRefs(projectId, patch);
    return this.#deps.repo.update(projectId, id, patch);
  }

  async getMonitor(projectId: string, id: string): Promise<StoredMonitor> {
    const monitor = await this.#deps.repo.get(projectId, id);
    if (!monitor)
      throw new ArgusError('NOT_FOUND', `Cannot find drift monitor '${id}': no such monitor in this project`);
    return monitor;
  }

  /** The windows of a monitor's run ending at `endMs`. */
  windowsOf(monitor: StoredMonitor, endMs: number): Pick<CompareInput, 'reference' | 'current'> {
    const windowMs = parseDurationMs(monitor.window) ?? 3_600_000;
    const current = { fromMs: endMs - windowMs, toMs: endMs - 1 };
    const reference = monitor.reference;
    if (reference.type === 'dataset') return { reference: { datasetId: reference.datasetId }, current };
    if (reference.type === 'fixed')
      return { reference: { fromMs: Date.parse(reference.from), toMs: Date.parse(reference.to) }, current };
    return { reference: { fromMs: endMs - 2 * windowMs, toMs: endMs - windowMs - 1 }, current };
  }

  /** Runs a monitor for the window ending at `endMs`, records the result and its metric points. */
  async runMonitor(monitor: StoredMonitor, endMs: number): Promise<DriftMonitorResult> {
    const report = await this.#deps.gate.run(() =>
      compareDrift(this.#deps, monitor.projectId, {
        filter: monitor.filter,
        ...this.windowsOf(monitor, endMs),
        features: monitor.features,
        sampleSize: monitor.sampleSize,
        ...(monitor.embeddingConnectionId ? { embeddingConnectionId: monitor.embeddingConnectionId } : {}),
      }),
    );
    const result: DriftMonitorResult = {
      monitorId: monitor.id,
      time: new Date(endMs).toISOString(),
      from: report.current.from,
      to: report.current.to,
      drifted: report.drifted,
      referenceCount: report.reference.count,
      currentCount: report.current.count,
      features: report.features.map((f) => ({
        feature: f.feature,
        drifted: f.drifted,
        ...(f.test ? { test: f.test } : {}),
        ...(f.statistic === undefined ? {} : { statistic: f.statistic }),
        ...(f.pValue === undefined ? {} : { pValue: f.pValue }),
        ...(f.threshold === undefined ? {} : { threshold: f.threshold }),
      })),
    };
    await this.#deps.repo.recordRun(monitor, result);
    await this.#deps.writePoints(pointsOf(monitor, result, endMs));
    return result;
  }
}

/** The metric points of a run: `argus.drift.detected` (0/1) and `argus.drift.score` per feature. */
export function pointsOf(
  monitor: StoredMonitor,
  result: DriftMonitorResult,
  endMs: number,
): MetricPointRow[] {
  const time = BigInt(endMs) * 1_000_000n;
  const base = {
    projectId: monitor.projectId,
    description: '',
    unit: '',
    metricType: 'gauge' as const,
    temporality: 0,
    isMonotonic: false,
    serviceName: 'argus',
    scope: 'argus.drift',
    timeUnixNano: time,
    startTimeUnixNano: time,
    resourceAttributes: {},
    count: 0,
    sum: 0,
    bucketCounts: [],
    explicitBounds: [],
    quantiles: [],
  };
  const attributes = { monitor: monitor.id, monitor_name: monitor.name };
  return [
    { ...base, metricName: 'argus.drift.detected', attributes, value: result.drifted ? 1 : 0 },
    ...result.features
      .filter((f) => f.statistic !== undefined)
      .map((f) => ({
        ...base,
        metricName: 'argus.drift.score',
        attributes: { ...attributes, feature: f.feature, test: f.test ?? '' },
        value: f.statistic!,
      })),
  ];
}
