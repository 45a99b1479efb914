/** `argus series`: request metrics of a running server as a table (one row per group, per step). */
import type { MetricName, SeriesResult } from '@argus/shared';
import { FILTER_PARAMS } from '../query/filters.ts';
import { formatTime, METRIC_FORMATS, table } from './format.ts';
import { type ApiTarget, apiCall } from './http.ts';
import type { Print } from './query-commands.ts';
import { toQuery, type Values } from './query-params.ts';

/** The filter flag that selects one group of a `--group-by` dimension. */
const GROUP_FILTER: Readonly<Record<string, string>> = {
  model: 'model',
  provider: 'provider',
  service: 'service',
  environment: 'environment',
  kind: 'kind',
};

/** Runs `argus series` with parsed flags; resolves to the exit code. */
export async function runSeries(values: Values, target: ApiTarget, print: Print): Promise<number> {
  const allowed = [...FILTER_PARAMS, 'metrics', 'groupBy', 'step'];
  const fetchSeries = (v: Values) =>
    apiCall<SeriesResult>(target, 'GET', `/api/v1/metrics/series?${toQuery(v, allowed)}`);
  const answer = await fetchSeries(values);
  const metrics = Object.keys(answer.totals) as MetricName[];
  const groupBy = answer.groupBy ?? undefined;
  const rows: Record<string, unknown>[] = [];
  if (values.step !== undefined) {
    // One row per group per step that had traffic (empty steps would bury the rest).
    for (const { group, points } of answer.series)
      for (const point of points)
        if (metrics.some((m) => Number(point[m]) > 0))
          rows.push({ ...point, ...(groupBy ? { group: group[groupBy] || '(none)' } : {}) });
    rows.sort((a, b) => String(a.time).localeCompare(String(b.time)));
  } else if (groupBy) {
    // The whole window per group: the totals of the same query narrowed to that group, so
    // percentiles are exact (they cannot be summed from the steps).
    for (const { group } of answer.series) {
      const name = group[groupBy] ?? '';
      if (!name) continue;
      const one = await fetchSeries({ ...values, 'group-by': undefined, [GROUP_FILTER[groupBy]!]: [name] });
      rows.push({ group: name, ...one.totals });
    }
  } else {
    rows.push(answer.totals);
  }
  print(answer, () => {
    if (rows.length === 0)
      return 'No requests in the window (default: the last 24 hours). Widen it with --from.\n';
    const columns = [
      ...(values.step !== undefined ? ['time'] : []),
      ...(groupBy ? ['group'] : []),
      ...metrics,
    ];
    const cells = rows.map((row) =>
      Object.fromEntries(
        columns.map((c) => [
          c,
          c === 'time'
            ? formatTime(row.time)
            : c === 'group'
              ? row.group
              : (METRIC_FORMATS[c]?.format(row[c]) ?? row[c]),
        ]),
      ),
    );
    const headers: Record<string, string> = { time: 'Time', group: capitalize(groupBy ?? '') };
    for (const m of metrics) headers[m] = METRIC_FORMATS[m]?.header ?? m;
    return table(cells, columns, { headers, right: metrics, maxWidths: { group: 32 } });
  });
  return 0;
}

const capitalize = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);
