/**
 * The Quality page's reads: the score names of a window (with their sources, counts and means)
 * and the lowest-scored traces of one name. The series themselves are
 * `GET /api/v1/metrics/series?score=<name>` (query/score-series.ts).
 */
import { noStore } from '../http/respond.ts';
import type { Router } from '../http/router.ts';
import { parseTime } from '../query/filters.ts';
import { invalidParameter, rejectUnknown, single } from '../query/params.ts';
import { lowestScored, parseScoreSeriesParams } from '../query/score-series.ts';
import type { AnnotationRouteDeps } from './routes.ts';

const DAY_MS = 86_400_000;
const MAX_NAMES = 500;

/** Registers `GET /api/v1/quality/scores` and `GET /api/v1/quality/lowest`. */
export function registerQualityViewRoutes(router: Router, deps: AnnotationRouteDeps): void {
  router.on('GET', '/api/v1/quality/scores', 'read', async ({ request, url }) => {
    rejectUnknown(url.searchParams, ['from', 'to']);
    const rawTo = single(url.searchParams, 'to');
    const rawFrom = single(url.searchParams, 'from');
    const toMs = rawTo === undefined ? Date.now() : parseTime('to', rawTo);
    const fromMs = rawFrom === undefined ? toMs - 7 * DAY_MS : parseTime('from', rawFrom);
    if (fromMs > toMs || toMs - fromMs > deps.maxWindowMs)
      throw invalidParameter(
        'from',
        `must be before to, at most ${Math.round(deps.maxWindowMs / DAY_MS)} days`,
      );
    const rows = await deps.driver.query<{
      name: string;
      n: number | string;
      mean: number;
      sources: string[];
    }>(
      `SELECT name, count() AS n, avg(value) AS mean, arraySort(groupUniqArray(20)(source)) AS sources
FROM scores
WHERE project_id = {projectId:String}
  AND time BETWEEN fromUnixTimestamp64Milli({fromMs:Int64}) AND fromUnixTimestamp64Milli({toMs:Int64})
GROUP BY name ORDER BY n DESC, name LIMIT {limit:UInt32}`,
      { projectId: deps.projectOf(request), fromMs, toMs, limit: MAX_NAMES },
    );
    return noStore({
      data: rows.map((r) => ({ name: r.name, count: Number(r.n), mean: Number(r.mean), sources: r.sources })),
    });
  });
  router.on('GET', '/api/v1/quality/lowest', 'read', async ({ request, url }) => {
    const limitRaw = single(url.searchParams, 'limit');
    const limit = limitRaw === undefined ? 20 : Number(limitRaw);
    if (!Number.isInteger(limit) || limit < 1 || limit > 200)
      throw invalidParameter('limit', `'${String(limitRaw).slice(0, 40)}' is not an integer from 1 to 200`);
    const params = new URLSearchParams(url.searchParams);
    params.delete('limit');
    const parsed = parseScoreSeriesParams(params, deps.maxWindowMs);
    return noStore({ data: await lowestScored(deps.driver, deps.projectOf(request), parsed, limit) });
  });
}
