/** Projects: list mine, create (instance administrators), rename (project admins). */
import { ArgusError } from '../errors.ts';
import { readJsonBody } from '../http/json-body.ts';
import { noStore } from '../http/respond.ts';
import type { Router } from '../http/router.ts';
import { rejectUnknown } from '../query/index.ts';
import { requestAuth } from './context.ts';
import { type AuthRouteDeps, auditRequest } from './routes.ts';
import { projectCreateSchema, projectRenameSchema } from './schemas.ts';
import { whoAmI } from './session-routes.ts';

/** Registers /api/v1/projects routes. */
export function registerProjectRoutes(router: Router, deps: AuthRouteDeps): void {
  const { auth } = deps;

  router.on('GET', '/api/v1/projects', 'session', async ({ request, url }) => {
    rejectUnknown(url.searchParams, []);
    return noStore({ data: (await whoAmI(deps, request)).projects });
  });

  router.on('POST', '/api/v1/projects', 'instance', async ({ request }) => {
    const body = await readJsonBody(request, projectCreateSchema, 'project');
    const project = await auth.repos.projects.create(body.id, body.name);
    const { principal } = requestAuth(request);
    // The creator administers the new project (instance admins do anyway).
    if (principal.kind === 'user') await auth.repos.memberships.set(principal.id, project.id, 'admin');
    await auditRequest(auth, request, {
      projectId: project.id,
      action: 'project.create',
      target: project.id,
      details: { name: project.name },
    });
    return noStore(project, 201);
  });

  router.on('PATCH', '/api/v1/projects/:projectId', 'admin', async ({ request, params }) => {
    const body = await readJsonBody(request, projectRenameSchema, 'project');
    const id = params.projectId ?? '';
    // Project admins rename their own project (the one the request acts on); instance admins any.
    const caller = requestAuth(request);
    if (!caller.instanceAdmin && caller.projectId !== id) {
      throw new ArgusError(
        'FORBIDDEN',
        `Cannot rename project '${id}' while acting on project '${caller.projectId}': send x-argus-project: ${id}`,
      );
    }
    await auth.repos.projects.rename(id, body.name);
    await auditRequest(auth, request, {
      projectId: id,
      action: 'project.update',
      target: id,
      details: { name: body.name },
    });
    return noStore({ id, name: body.name });
  });
}
