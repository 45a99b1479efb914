/**
 * HTTP routes of drift (docs/behaviour.md#drift): `POST /api/v1/drift/compare`, the model
 * change points, and the monitors with their result series.
 */
import type { IncomingMessage } from 'node:http';
import { ArgusError } from '../../errors.ts';
import { readJsonBody } from '../../http/json-body.ts';
import { parseQuery } from '../../http/query-schema.ts';
import { noStore } from '../../http/respond.ts';
import type { Router } from '../../http/router.ts';
import { parseTime } from '../../query/filters.ts';
import type { ModelChanges } from './model-changes.ts';
import {
  compareSchema,
  modelChangesQuerySchema,
  monitorCreateSchema,
  monitorPatchSchema,
  noQuerySchema,
  resultsQuerySchema,
} from './schemas.ts';
import type { DriftService } from './service.ts';

/** What the routes need. */
export interface DriftRouteDeps {
  service: DriftService;
  modelChanges: ModelChanges;
  projectOf: (request: IncomingMessage) => string;
  audit: (
    request: IncomingMessage,
    entry: { action: string; target: string; details?: Record<string, unknown> },
  ) => Promise<unknown>;
}

/** [from, to] of a query, default the last `defaultMs` before now. */
function rangeOf(query: { from?: string | undefined; to?: string | undefined }, defaultMs: number) {
  const toMs = query.to === undefined ? Date.now() : parseTime('to', query.to);
  const fromMs = query.from === undefined ? toMs - defaultMs : parseTime('from', query.from);
  if (fromMs > toMs) throw new ArgusError('INVALID_PARAMETER', "Invalid parameter 'from': it is after 'to'");
  return { fromMs, toMs };
}

/** Registers `/api/v1/drift*` and `/api/v1/drift-monitors*`. */
export function registerDriftRoutes(router: Router, deps: DriftRouteDeps): void {
  const { service, projectOf, audit } = deps;
  router.on('POST', '/api/v1/drift/compare', 'read', async ({ request }) => {
    const body = await readJsonBody(request, compareSchema, 'drift comparison');
    return noStore({ data: await service.compare(projectOf(request), body) });
  });
  router.on('GET', '/api/v1/drift/model-changes', 'read', async ({ request, url }) => {
    const query = parseQuery(url, modelChangesQuerySchema);
    const range = rangeOf(query, 7 * 86_400_000);
    return noStore({
      data: await deps.modelChanges.list(projectOf(request), { ...range, model: query.model }),
    });
  });
  router.on('GET', '/api/v1/drift-monitors', 'read', async ({ request, url }) => {
    parseQuery(url, noQuerySchema);
    const monitors = await service.repo.list(projectOf(request));
    return noStore({ data: monitors.map(({ projectId: _, ...m }) => m) });
  });
  router.on('POST', '/api/v1/drift-monitors', 'write', async ({ request }) => {
    const body = await readJsonBody(request, monitorCreateSchema, 'drift monitor');
    const { projectId: _, ...monitor } = await service.createMonitor(projectOf(request), body);
    await audit(request, {
      action: 'drift-monitor.create',
      target: monitor.id,
      details: { name: monitor.name },
    });
    return noStore({ data: monitor }, 201);
  });
  router.on('GET', '/api/v1/drift-monitors/:id', 'read', async ({ request, params }) => {
    const { projectId: _, ...monitor } = await service.getMonitor(projectOf(request), params.id ?? '');
    return noStore({ data: monitor });
  });
  router.on('PATCH', '/api/v1/drift-monitors/:id', 'write', async ({ request, params }) => {
    const patch = await readJsonBody(request, monitorPatchSchema, 'drift monitor');
    const { projectId: _, ...monitor } = await service.updateMonitor(
      projectOf(request),
      params.id ?? '',
      patch,
    );
    await audit(request, {
      action: 'drift-monitor.update',
      target: monitor.id,
      details: { fields: Object.keys(patch) },
    });
    return noStore({ data: monitor });
  });
  router.on('DELETE', '/api/v1/drift-monitors/:id', 'write', async ({ request, params }) => {
    await service.repo.delete(projectOf(request), params.id ?? '');
    await audit(request, { action: 'drift-monitor.delete', target: params.id ?? '' });
    return { status: 204 };
  });
  router.on('POST', '/api/v1/drift-monitors/:id/run', 'write', async ({ request, params }) => {
    const monitor = await service.getMonitor(projectOf(request), params.id ?? '');
    return noStore({ data: await service.runMonitor(monitor, Date.now()) });
  });
  router.on('GET', '/api/v1/drift-monitors/:id/results', 'read', async ({ request, url, params }) => {
    const query = parseQuery(url, resultsQuerySchema);
    const monitor = await service.getMonitor(projectOf(request), params.id ?? '');
    const { fromMs, toMs } = rangeOf(query, 7 * 86_400_000);
    const results = await service.repo.results(monitor.id, {
      fromIso: new Date(fromMs).toISOString(),
      toIso: new Date(toMs).toISOString(),
      limit: query.limit,
    });
    return noStore({ data: results });
  });
}
