/**
 * Scores on `/metrics`, for Grafana and Prometheus alerting: per project, score name and source,
 * the mean and the count of the scores of the last hour (`argus_score_mean`, `argus_scores`).
 * Read from the scores table at scrape time, at most every 15 s; a name without scores in the
 * last hour reads count 0 and mean NaN until the server restarts. Bounded like every labelled
 * family (500 label sets per project, then `other`).
 */
import type { MetricsRegistry } from '../metrics/registry.ts';
import { PROJECT_LABEL } from '../metrics/registry.ts';
import type { ClickhouseDriver } from '../store/clickhouse/driver.ts';

const REFRESH_MS = 15_000;
const MAX_ROWS = 5_000;

interface Row {
  project_id: string;
  name: string;
  source: string;
  mean: number;
  n: number | string;
}

/** Registers the score gauges and their scrape-time refresh. */
export function registerScoreMetrics(
  registry: MetricsRegistry,
  driver: ClickhouseDriver,
  now: () => number = Date.now,
): void {
  const labelNames = [PROJECT_LABEL, 'score_name', 'source'];
  const common = { labelNames, partitionLabel: PROJECT_LABEL };
  const mean = registry.gauge({
    ...common,
    name: 'argus_score_mean',
    help: 'Mean value of the scores of the last hour, by project, score name and source (online, human, sdk, api, eval).',
  });
  const count = registry.gauge({
    ...common,
    name: 'argus_scores',
    help: 'Scores recorded in the last hour, by project, score name and source.',
  });
  let fetchedAt = Number.NEGATIVE_INFINITY;
  let pending: Promise<void> | undefined;
  const seen = new Map<string, readonly string[]>();
  const refresh = async () => {
    try {
      const rows = await driver.query<Row>(
        `SELECT project_id, name, source, avg(value) AS mean, count() AS n
FROM scores WHERE time >= now64(3) - INTERVAL 1 HOUR
GROUP BY project_id, name, source ORDER BY project_id, name, source LIMIT {limit:UInt32}`,
        { limit: MAX_ROWS },
      );
      const fresh = new Set<string>();
      for (const row of rows) {
        const values = [row.project_id, row.name, row.source];
        const key = values.join('\u0000');
        fresh.add(key);
        seen.set(key, values);
        mean.child(values).set(Number(row.mean));
        count.child(values).set(Number(row.n));
      }
      for (const [key, values] of seen)
        if (!fresh.has(key)) {
          mean.child(values).set(Number.NaN);
          count.child(values).set(0);
        }
      fetchedAt = now();
    } finally {
      pending = undefined;
    }
  };
  registry.onCollect(() => {
    if (now() - fetchedAt < REFRESH_MS) return;
    pending ??= refresh();
    return pending;
  });
}
