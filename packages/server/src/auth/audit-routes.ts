/** The audit log: read it (project admins: their project; instance administrators: all) and verify its chain. */
import { ArgusError } from '../errors.ts';
import { validate } from '../http/json-body.ts';
import { noStore } from '../http/respond.ts';
import type { Router } from '../http/router.ts';
import { rejectUnknown } from '../query/index.ts';
import { requestAuth } from './context.ts';
import type { AuthRouteDeps } from './routes.ts';
import { auditQuerySchema } from './schemas.ts';

/** Registers /api/v1/audit routes. */
export function registerAuditRoutes(router: Router, deps: AuthRouteDeps): void {
  const { auth } = deps;

  router.on('GET', '/api/v1/audit', 'admin', async ({ request, url }) => {
    rejectUnknown(url.searchParams, ['action', 'actor', 'from', 'to', 'cursor', 'limit', 'scope']);
    const q = validate(auditQuerySchema, Object.fromEntries(url.searchParams), 'audit query');
    const { projectId, instanceAdmin } = requestAuth(request);
    if (q.scope === 'all' && !instanceAdmin) {
      throw new ArgusError(
        'FORBIDDEN',
        'Only instance administrators can read the whole audit log (scope=all)',
      );
    }
    const page = await auth.audit.list({
      projects: q.scope === 'all' ? 'all' : [projectId],
      action: q.action,
      actorId: q.actor,
      from: q.from ? new Date(q.from).toISOString() : undefined,
      to: q.to ? new Date(q.to).toISOString() : undefined,
      beforeSeq: q.cursor,
      limit: q.limit,
    });
    return noStore(page);
  });

  router.on('GET', '/api/v1/audit/verify', 'admin', async ({ request, url }) => {
    rejectUnknown(url.searchParams, []);
    if (!requestAuth(request).instanceAdmin) {
      throw new ArgusError('FORBIDDEN', 'Only instance administrators can verify the audit chain');
    }
    return noStore(await auth.audit.verify());
  });
}
