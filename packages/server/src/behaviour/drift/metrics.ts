/**
 * Drift on `/metrics`: the newest run of every monitor as `argus_drift_detected` (0/1) and
 * `argus_drift_score` per feature, read from the metadata store at each scrape.
 */
import { type MetricsRegistry, PROJECT_LABEL } from '../../metrics/registry.ts';
import type { DriftRepository } from './repository.ts';

/** Registers the drift gauges. */
export function registerDriftMetrics(registry: MetricsRegistry, repo: DriftRepository): void {
  const detected = registry.gauge({
    name: 'argus_drift_detected',
    help: 'Whether the newest run of a drift monitor found drift (1) or not (0).',
    labelNames: [PROJECT_LABEL, 'monitor'],
    partitionLabel: PROJECT_LABEL,
  });
  const score = registry.gauge({
    name: 'argus_drift_score',
    help: "The statistic of a feature's drift test in the newest run of a drift monitor (see the test label).",
    labelNames: [PROJECT_LABEL, 'monitor', 'feature', 'test'],
    partitionLabel: PROJECT_LABEL,
  });
  registry.onCollect(async () => {
    for (const { monitor, result } of await repo.latest()) {
      detected.labels(monitor.projectId, monitor.name).set(result.drifted ? 1 : 0);
      for (const f of result.features)
        if (f.statistic !== undefined)
          score.labels(monitor.projectId, monitor.name, f.feature, f.test ?? '').set(f.statistic);
    }
  });
}
