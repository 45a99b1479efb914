/**
 * HTTP routes of explainability (docs/explainability.md): attribution and counterfactual jobs
 * (`POST` answers the plan and `{ id, status }`, 202; `dryRun` answers the plan alone), a job's
 * progress and result, cancel, and the explanations kept with a span.
 */
import type { IncomingMessage } from 'node:http';
import type { ImportanceReport } from '@argus/shared';
import { ArgusError } from '../../errors.ts';
import { readJsonBody } from '../../http/json-body.ts';
import { noStore } from '../../http/respond.ts';
import type { Router } from '../../http/router.ts';
import { parseTraceId } from '../../query/index.ts';
import type { ExplainJobs } from './jobs.ts';
import {
  attributionSchema,
  biasSchema,
  counterfactualSchema,
  type ImportanceBody,
  importanceSchema,
} from './schemas.ts';
import type { ExplainService, Submitted } from './service.ts';

/** What the routes need. */
export interface ExplainRouteDeps {
  service: ExplainService;
  jobs: ExplainJobs;
  projectOf: (request: IncomingMessage) => string;
  importance: (projectId: string, body: ImportanceBody) => Promise<ImportanceReport>;
}

function submitted({ plan, job }: Submitted) {
  if (!job) return noStore({ data: { plan } });
  return noStore({ data: { id: job.id, status: job.status, plan } }, 202);
}

/** Registers `/api/v1/explain/attribution*`, `/api/v1/explain/counterfactuals*` and the span listing. */
export function registerExplainJobRoutes(router: Router, deps: ExplainRouteDeps): void {
  const { service, jobs, projectOf } = deps;
  router.on('POST', '/api/v1/explain/attribution', 'write', async ({ request }) => {
    const body = await readJsonBody(request, attributionSchema, 'attribution request');
    return submitted(await service.attribution(projectOf(request), body));
  });
  router.on('POST', '/api/v1/explain/counterfactuals', 'write', async ({ request }) => {
    const body = await readJsonBody(request, counterfactualSchema, 'counterfactual request');
    return submitted(await service.counterfactuals(projectOf(request), body));
  });
  router.on('POST', '/api/v1/explain/importance', 'read', async ({ request }) => {
    const body = await readJsonBody(request, importanceSchema, 'importance request');
    return noStore({ data: await deps.importance(projectOf(request), body) });
  });
  router.on('POST', '/api/v1/explain/bias', 'write', async ({ request }) => {
    const body = await readJsonBody(request, biasSchema, 'bias request');
    return submitted(await service.bias(projectOf(request), body));
  });
  for (const kind of ['attribution', 'counterfactuals', 'bias'] as const) {
    router.on('GET', `/api/v1/explain/${kind}/:id`, 'read', async ({ request, params }) => {
      const job = await service.repo.require(projectOf(request), params.id ?? '');
      if (job.kind !== kind)
        throw new ArgusError('NOT_FOUND', `Cannot find ${kind} job '${job.id}': it is a ${job.kind} job`);
      return noStore({ data: job });
    });
    router.on('POST', `/api/v1/explain/${kind}/:id/cancel`, 'write', async ({ request, params }) => {
      return noStore({ data: await jobs.cancel(projectOf(request), params.id ?? '') });
    });
  }
  router.on('GET', '/api/v1/explain/spans/:traceId/:spanId', 'read', async ({ request, params }) => {
    const traceId = parseTraceId(params.traceId ?? '');
    const spanId = (params.spanId ?? '').toLowerCase();
    if (!/^[0-9a-f]{16}$/.test(spanId))
      throw new ArgusError(
        'INVALID_PARAMETER',
        `Invalid parameter 'spanId': '${params.spanId}' is not 16 hex characters`,
      );
    return noStore({ data: await service.repo.forSpan(projectOf(request), traceId, spanId) });
  });
}
