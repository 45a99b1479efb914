/** API keys of a project: list, create, rotate and revoke (project admins). */
import { readJsonBody } from '../http/json-body.ts';
import { noStore } from '../http/respond.ts';
import type { Router } from '../http/router.ts';
import { rejectUnknown } from '../query/index.ts';
import { actorOf, requestAuth } from './context.ts';
import { type AuthRouteDeps, auditRequest } from './routes.ts';
import { keyCreateSchema } from './schemas.ts';

/** Registers /api/v1/keys routes. */
export function registerKeyRoutes(router: Router, deps: AuthRouteDeps): void {
  const { auth } = deps;

  router.on('GET', '/api/v1/keys', 'admin', async ({ request, url }) => {
    rejectUnknown(url.searchParams, []);
    return noStore({ data: await auth.repos.keys.list(requestAuth(request).projectId) });
  });

  router.on('POST', '/api/v1/keys', 'admin', async ({ request }) => {
    const body = await readJsonBody(request, keyCreateSchema, 'API key');
    const { projectId } = requestAuth(request);
    const actor = actorOf(request);
    const created = await auth.repos.keys.create({
      projectId,
      name: body.name,
      role: body.role,
      createdBy: actor.name,
      rateLimits: body.rateLimits,
    });
    await auditRequest(auth, request, {
      action: 'key.create',
      target: created.key.id,
      details: { name: body.name, role: body.role, rateLimits: body.rateLimits ?? null },
    });
    return noStore({ ...created.key, secretKey: created.secret, publicKey: created.key.id }, 201);
  });

  router.on('POST', '/api/v1/keys/:keyId/rotate', 'admin', async ({ request, params }) => {
    request.resume();
    const { projectId, principal } = requestAuth(request);
    const id = params.keyId ?? '';
    const rotated = await auth.repos.keys.rotate(projectId, id);
    await auditRequest(auth, request, {
      action: 'key.rotate',
      target: id,
      details: { name: rotated.key.name, self: principal.kind === 'key' && principal.id === id },
    });
    return noStore({ ...rotated.key, secretKey: rotated.secret, publicKey: rotated.key.id });
  });

  router.on('DELETE', '/api/v1/keys/:keyId', 'admin', async ({ request, params }) => {
    request.resume();
    const { projectId } = requestAuth(request);
    const id = params.keyId ?? '';
    const revoked = await auth.repos.keys.revoke(projectId, id);
    await auditRequest(auth, request, { action: 'key.revoke', target: id, details: { name: revoked.name } });
    return noStore(revoked);
  });
}
