/**
 * The human-review API: `/api/v1/score-configs`, `/api/v1/annotation-queues` (queue-routes.ts)
 * and `GET /api/v1/evaluators/{id}/agreement`. The agreement route lives here rather than in
 * quality/ because it reads what this capability owns — people's review scores and the score
 * configs that say how to compare them — while quality/ only lends it the evaluator.
 */
import type { IncomingMessage } from 'node:http';
import { ArgusError } from '../errors.ts';
import { readJsonBody } from '../http/json-body.ts';
import { noStore } from '../http/respond.ts';
import type { Router } from '../http/router.ts';
import { notFound } from '../quality/not-found.ts';
import type { Quality } from '../quality/service.ts';
import { parseTime } from '../query/filters.ts';
import { rejectUnknown, single } from '../query/params.ts';
import type { ClickhouseDriver } from '../store/clickhouse/driver.ts';
import { agreementOf, readScores } from './agreement.ts';
import { registerQualityViewRoutes } from './quality-routes.ts';
import { registerQueueRoutes } from './queue-routes.ts';
import { scoreConfigCreateSchema, scoreConfigPatchSchema } from './schemas.ts';
import type { AnnotationService } from './service.ts';

/** What the human-review routes need. */
export interface AnnotationRouteDeps {
  service: AnnotationService;
  quality: Pick<Quality, 'evaluators' | 'datasets'>;
  driver: ClickhouseDriver;
  projectOf: (request: IncomingMessage) => string;
  /** Records a change in the audit log. */
  audit: (
    request: IncomingMessage,
    entry: { action: string; target: string; details?: Record<string, unknown> },
  ) => Promise<unknown>;
  /** Largest query window. */
  maxWindowMs: number;
}

const CONFIGS = '/api/v1/score-configs';

/** Registers every human-review route. */
export function registerAnnotationRoutes(router: Router, deps: AnnotationRouteDeps): void {
  registerScoreConfigRoutes(router, deps);
  registerQueueRoutes(router, deps);
  registerAgreementRoute(router, deps);
  registerQualityViewRoutes(router, deps);
}

function registerScoreConfigRoutes(router: Router, deps: AnnotationRouteDeps): void {
  const repo = deps.service.configs;
  router.on('GET', CONFIGS, 'read', async ({ request, url }) => {
    rejectUnknown(url.searchParams, ['includeArchived']);
    const includeArchived = single(url.searchParams, 'includeArchived') === 'true';
    return noStore({ data: await repo.list(deps.projectOf(request), { includeArchived }) });
  });
  router.on('POST', CONFIGS, 'write', async ({ request }) => {
    const input = await readJsonBody(request, scoreConfigCreateSchema, 'score config');
    const config = await repo.create(deps.projectOf(request), input);
    await deps.audit(request, {
      action: 'score-config.create',
      target: config.id,
      details: { name: config.name },
    });
    return noStore({ data: config }, 201);
  });
  router.on('GET', `${CONFIGS}/:id`, 'read', async ({ request, url, params }) => {
    rejectUnknown(url.searchParams, []);
    const config = await repo.get(deps.projectOf(request), params.id ?? '');
    if (!config) throw notFound('score config', params.id ?? '');
    return noStore({ data: config });
  });
  router.on('PATCH', `${CONFIGS}/:id`, 'write', async ({ request, params }) => {
    const patch = await readJsonBody(request, scoreConfigPatchSchema, 'score config');
    const config = await repo.update(deps.projectOf(request), params.id ?? '', patch);
    if (!config) throw notFound('score config', params.id ?? '');
    await deps.audit(request, {
      action: 'score-config.update',
      target: config.id,
      details: { changed: Object.keys(patch) },
    });
    return noStore({ data: config });
  });
  router.on('DELETE', `${CONFIGS}/:id`, 'write', async ({ request, params }) => {
    if (!(await repo.delete(deps.projectOf(request), params.id ?? '')))
      throw notFound('score config', params.id ?? '');
    await deps.audit(request, { action: 'score-config.delete', target: params.id ?? '' });
    return { status: 204 };
  });
}

function registerAgreementRoute(router: Router, deps: AnnotationRouteDeps): void {
  router.on('GET', '/api/v1/evaluators/:id/agreement', 'read', async ({ request, url, params }) => {
    rejectUnknown(url.searchParams, ['against', 'from', 'to']);
    const projectId = deps.projectOf(request);
    const against = single(url.searchParams, 'against');
    if (!against || against.length > 200)
      throw new ArgusError(
        'INVALID_PARAMETER',
        "Invalid parameter 'against': give the score name people gave (1 to 200 characters)",
      );
    const evaluator = await deps.quality.evaluators.get(projectId, params.id ?? '');
    if (!evaluator) throw notFound('evaluator', params.id ?? '');
    const rawTo = single(url.searchParams, 'to');
    const rawFrom = single(url.searchParams, 'from');
    const toMs = rawTo === undefined ? Date.now() : parseTime('to', rawTo);
    const fromMs = rawFrom === undefined ? toMs - deps.maxWindowMs : parseTime('from', rawFrom);
    if (fromMs > toMs)
      throw new ArgusError('INVALID_PARAMETER', "Invalid parameter 'from': it is after 'to'");
    const window = { projectId, fromMs, toMs };
    const [judge, human, config] = await Promise.all([
      readScores(deps.driver, { ...window, name: evaluator.name, human: false }),
      readScores(deps.driver, { ...window, name: against, human: true }),
      deps.service.configs.findByName(projectId, against),
    ]);
    return noStore({
      data: {
        evaluator: { id: evaluator.id, name: evaluator.name },
        against,
        ...agreementOf(judge, human, config),
      },
    });
  });
}
