/**
 * The shadows API under `/api/v1/gateway/shadows` (viewers read, project admins change): a share
 * of the calls for a model sent again to a candidate and recorded as experiments (shadow-admin.ts).
 */
import type { IncomingMessage } from 'node:http';
import type { RecordAudit } from '../audit/audit-log.ts';
import { readJsonBody } from '../http/json-body.ts';
import { noStore } from '../http/respond.ts';
import type { Router } from '../http/router.ts';
import { nameFromPath, shadowNameSchema, shadowSchema } from './schemas.ts';
import type { ShadowAdmin } from './shadow-admin.ts';

/** What the shadow routes need. */
export interface ShadowRouteDeps {
  admin: ShadowAdmin;
  projectOf: (request: IncomingMessage) => string;
  audit: RecordAudit;
}

function nameOf(raw: string | undefined): string {
  return nameFromPath(shadowNameSchema, raw, 'shadow');
}

/** Registers the shadows API. */
export function registerShadowRoutes(router: Router, deps: ShadowRouteDeps): void {
  const PATH = '/api/v1/gateway/shadows';
  router.on('GET', PATH, 'read', async ({ request }) =>
    noStore({ data: await deps.admin.list(deps.projectOf(request)) }),
  );
  router.on('PUT', `${PATH}/:name`, 'admin', async ({ request, params }) => {
    const projectId = deps.projectOf(request);
    const name = nameOf(params.name);
    const body = await readJsonBody(request, shadowSchema, 'shadow');
    const { shadow, created } = await deps.admin.put(projectId, name, body);
    await deps.audit(request, created ? 'gateway.shadow.create' : 'gateway.shadow.update', name, body);
    return noStore({ data: shadow }, created ? 201 : 200);
  });
  router.on('DELETE', `${PATH}/:name`, 'admin', async ({ request, params }) => {
    const projectId = deps.projectOf(request);
    const name = nameOf(params.name);
    await deps.admin.delete(projectId, name);
    await deps.audit(request, 'gateway.shadow.delete', name, {});
    return { status: 204 };
  });
}
