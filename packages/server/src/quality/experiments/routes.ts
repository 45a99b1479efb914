/**
 * HTTP routes of experiments (docs/api.md#experiments). `compare` is registered before
 * `/:id` so it is never read as an experiment id.
 */
import type { IncomingMessage } from 'node:http';
import { ArgusError } from '../../errors.ts';
import { readJsonBody } from '../../http/json-body.ts';
import { parseQuery } from '../../http/query-schema.ts';
import { noStore } from '../../http/respond.ts';
import type { Router } from '../../http/router.ts';
import type { QualityRouteDeps } from '../routes.ts';
import {
  compareQuerySchema,
  experimentCreateSchema,
  itemsQuerySchema,
  listQuerySchema,
  resultsPostSchema,
} from './schemas.ts';
import type { ExperimentService } from './service.ts';

/** What the routes need. */
export interface ExperimentRouteDeps {
  service: ExperimentService;
  projectOf: (request: IncomingMessage) => string;
  /** Records a change in the audit log. */
  audit: QualityRouteDeps['audit'];
}

function noQuery(url: URL): void {
  const first = [...url.searchParams.keys()][0];
  if (first !== undefined)
    throw new ArgusError('INVALID_PARAMETER', `Invalid parameter '${first}': unknown parameter`);
}

/** Registers `/api/v1/experiments*`. */
export function registerExperimentRoutes(router: Router, deps: ExperimentRouteDeps): void {
  const { service, projectOf, audit } = deps;
  router.on('GET', '/api/v1/experiments/compare', 'read', async ({ request, url }) => {
    const query = parseQuery(url, compareQuerySchema);
    return noStore({ data: await service.compare(projectOf(request), query) });
  });
  router.on('GET', '/api/v1/experiments', 'read', async ({ request, url }) => {
    const page = await service.list(projectOf(request), parseQuery(url, listQuerySchema));
    return noStore({ data: page.data, nextCursor: page.nextCursor ?? null });
  });
  router.on('POST', '/api/v1/experiments', 'write', async ({ request }) => {
    const body = await readJsonBody(request, experimentCreateSchema, 'experiment');
    const experiment = await service.create(projectOf(request), body);
    await audit(request, 'experiment.create', experiment.id, {
      name: experiment.name,
      target: experiment.target.type,
    });
    return noStore({ data: experiment }, 201);
  });
  router.on('GET', '/api/v1/experiments/:id', 'read', async ({ request, url, params }) => {
    noQuery(url);
    return noStore({ data: await service.get(projectOf(request), params.id ?? '') });
  });
  router.on('DELETE', '/api/v1/experiments/:id', 'write', async ({ request, params }) => {
    await service.delete(projectOf(request), params.id ?? '');
    await audit(request, 'experiment.delete', params.id ?? '');
    return { status: 204 };
  });
  router.on('GET', '/api/v1/experiments/:id/items', 'read', async ({ request, url, params }) => {
    const page = await service.items(projectOf(request), params.id ?? '', parseQuery(url, itemsQuerySchema));
    return noStore({ data: page.data, nextCursor: page.nextCursor ?? null });
  });
  router.on('POST', '/api/v1/experiments/:id/results', 'write', async ({ request, params }) => {
    const posts = await readJsonBody(request, resultsPostSchema, 'result');
    return noStore({ data: await service.postResults(projectOf(request), params.id ?? '', posts) });
  });
  router.on('POST', '/api/v1/experiments/:id/cancel', 'write', async ({ request, params }) => {
    const experiment = await service.cancel(projectOf(request), params.id ?? '');
    await audit(request, 'experiment.cancel', experiment.id);
    return noStore({ data: experiment });
  });
}
