/**
 * The gateway's routes. Provider-compatible endpoints under `/gateway` (an API key of any role
 * that may send telemetry — `ingest` and above — may call them: a gateway key lives in application
 * config like an ingest key, and it can neither read traces nor change settings), and its settings
 * API under `/api/v1/gateway` (viewers read, project admins change).
 */
import type { IncomingMessage } from 'node:http';
import type { GatewayConnectionHealth, GatewayStatus } from '@argus/shared';
import type { RecordAudit } from '../audit/audit-log.ts';
import { ArgusError } from '../errors.ts';
import { readJsonBody } from '../http/json-body.ts';
import { noStore } from '../http/respond.ts';
import type { Router } from '../http/router.ts';
import type { SqlClient } from '../store/metadata/sql-client.ts';
import type { ProxyDeps } from './proxy.ts';
import { type Endpoint, proxyCall } from './proxy.ts';
import type { GatewayRepository } from './repository.ts';
import { speaks } from './routing.ts';
import {
  aliasNameSchema,
  aliasSchema,
  keyLimitsSchema,
  nameFromPath,
  settingsPatchSchema,
} from './schemas.ts';
import type { ShadowAdmin } from './shadow-admin.ts';
import { registerShadowRoutes } from './shadow-routes.ts';

/** The provider-compatible endpoints: path → what they do. */
export const GATEWAY_ENDPOINTS: Readonly<Record<string, Endpoint>> = {
  '/gateway/v1/chat/completions': { operation: 'chat', dialect: 'openai', path: 'chat/completions' },
  '/gateway/v1/completions': { operation: 'text_completion', dialect: 'openai', path: 'completions' },
  '/gateway/v1/embeddings': { operation: 'embeddings', dialect: 'openai', path: 'embeddings' },
  '/gateway/v1/responses': { operation: 'responses', dialect: 'openai', path: 'responses' },
  '/gateway/anthropic/v1/messages': { operation: 'messages', dialect: 'anthropic', path: 'messages' },
};

/** What the routes need. */
export interface GatewayRouteDeps {
  proxy: ProxyDeps;
  repo: GatewayRepository;
  sql: SqlClient;
  projectOf: (request: IncomingMessage) => string;
  audit: RecordAudit;
  shadows: ShadowAdmin;
}

/** Registers the provider-compatible endpoints. */
export function registerProxyRoutes(router: Router, deps: GatewayRouteDeps): void {
  for (const [path, endpoint] of Object.entries(GATEWAY_ENDPOINTS))
    router.on('POST', path, 'ingest', ({ request }) => proxyCall(request, endpoint, deps.proxy));
  // The models the project's OpenAI-family connections list (globs left out) and its aliases.
  router.on('GET', '/gateway/v1/models', 'ingest', async ({ request }) => {
    const routes = await deps.proxy.routes.routes(deps.projectOf(request));
    const ids = new Map<string, string>();
    for (const c of routes.connections)
      if (speaks(c.provider, 'openai')) for (const m of c.models) if (!/[*?]/.test(m)) ids.set(m, c.name);
    for (const alias of routes.aliases.keys()) ids.set(alias, 'argus-alias');
    const data = [...ids].map(([id, owner]) => ({ id, object: 'model', created: 0, owned_by: owner }));
    return noStore({ object: 'list', data });
  });
}

/** Registers the settings API. */
export function registerGatewayApi(router: Router, deps: GatewayRouteDeps): void {
  const { repo, proxy } = deps;
  const BASE = '/api/v1/gateway';
  const changed = (projectId: string) => {
    proxy.routes.invalidate(projectId);
    proxy.limiter.invalidate(projectId);
  };
  router.on('GET', `${BASE}/settings`, 'read', async ({ request }) =>
    noStore({ data: await repo.settings(deps.projectOf(request)) }),
  );
  router.on('PUT', `${BASE}/settings`, 'admin', async ({ request }) => {
    const projectId = deps.projectOf(request);
    const patch = await readJsonBody(request, settingsPatchSchema, 'gateway settings');
    if (patch.defaultConnectionId) await requireConnection(deps, projectId, patch.defaultConnectionId);
    const settings = await repo.updateSettings(projectId, patch);
    changed(projectId);
    await deps.audit(request, 'gateway.settings.update', projectId, patch);
    return noStore({ data: settings });
  });
  router.on('GET', `${BASE}/aliases`, 'read', async ({ request }) =>
    noStore({ data: await repo.aliases(deps.projectOf(request)) }),
  );
  router.on('PUT', `${BASE}/aliases/:name`, 'admin', async ({ request, params }) => {
    const projectId = deps.projectOf(request);
    const name = aliasNameOf(params.name);
    const { targets } = await readJsonBody(request, aliasSchema, 'alias');
    for (const t of targets) await requireConnection(deps, projectId, t.connectionId);
    const alias = await repo.putAlias(projectId, name, targets);
    changed(projectId);
    await deps.audit(request, 'gateway.alias.put', name, { targets });
    return noStore({ data: alias });
  });
  router.on('DELETE', `${BASE}/aliases/:name`, 'admin', async ({ request, params }) => {
    const projectId = deps.projectOf(request);
    const name = aliasNameOf(params.name);
    if (!(await repo.deleteAlias(projectId, name)))
      throw new ArgusError('NOT_FOUND', `Cannot find gateway alias '${name}'`);
    changed(projectId);
    await deps.audit(request, 'gateway.alias.delete', name, {});
    return { status: 204 };
  });
  registerKeyLimitRoutes(router, deps, changed);
  registerShadowRoutes(router, { admin: deps.shadows, projectOf: deps.projectOf, audit: deps.audit });
  router.on('GET', `${BASE}/status`, 'read', async ({ request }) =>
    noStore({ data: await statusOf(deps, deps.projectOf(request)) }),
  );
}

function registerKeyLimitRoutes(
  router: Router,
  deps: GatewayRouteDeps,
  changed: (projectId: string) => void,
): void {
  const PATH = '/api/v1/gateway/keys/:keyId/limits';
  router.on('GET', '/api/v1/gateway/keys/limits', 'read', async ({ request }) =>
    noStore({ data: await deps.repo.keyLimits(deps.projectOf(request)) }),
  );
  router.on('PUT', PATH, 'admin', async ({ request, params }) => {
    const projectId = deps.projectOf(request);
    const keyId = params.keyId ?? '';
    const limits = await readJsonBody(request, keyLimitsSchema, 'key limits');
    const rows = await deps.sql.all<{ id: string }>(
      'SELECT id FROM api_keys WHERE project_id = $1 AND id = $2',
      [projectId, keyId],
    );
    if (rows.length === 0)
      throw new ArgusError('NOT_FOUND', `Cannot find API key '${keyId}' in project '${projectId}'`);
    const saved = await deps.repo.putKeyLimits(projectId, keyId, limits);
    changed(projectId);
    await deps.audit(request, 'gateway.key_limits.put', keyId, limits);
    return noStore({ data: saved });
  });
  router.on('DELETE', PATH, 'admin', async ({ request, params }) => {
    const projectId = deps.projectOf(request);
    const keyId = params.keyId ?? '';
    if (!(await deps.repo.deleteKeyLimits(projectId, keyId)))
      throw new ArgusError('NOT_FOUND', `Cannot find gateway limits of API key '${keyId}'`);
    changed(projectId);
    await deps.audit(request, 'gateway.key_limits.delete', keyId, {});
    return { status: 204 };
  });
}

function aliasNameOf(raw: string | undefined): string {
  return nameFromPath(aliasNameSchema, raw, 'alias');
}

async function requireConnection(deps: GatewayRouteDeps, projectId: string, id: string): Promise<void> {
  const routes = await deps.proxy.routes.routes(projectId);
  if (routes.connections.some((c) => c.id === id)) return;
  deps.proxy.routes.invalidate(projectId);
  const fresh = await deps.proxy.routes.routes(projectId);
  if (!fresh.connections.some((c) => c.id === id))
    throw new ArgusError(
      'INVALID_PARAMETER',
      `Cannot use connection '${id}': the project has no such LLM connection`,
    );
}

/** The Gateway page's data for a project. */
async function statusOf(deps: GatewayRouteDeps, projectId: string): Promise<GatewayStatus> {
  const { proxy } = deps;
  const [routes, limits, shadows] = await Promise.all([
    proxy.routes.routes(projectId),
    deps.repo.keyLimits(projectId),
    deps.shadows.list(projectId),
  ]);
  const connections: GatewayConnectionHealth[] = routes.connections.map((c) => ({
    id: c.id,
    name: c.name,
    provider: c.provider,
    models: c.models,
    ...proxy.health.of(c.id),
  }));
  const spend = proxy.limiter.spendOf(projectId);
  const limitsById = new Map(limits.map(({ keyId, updatedAt: _, ...l }) => [keyId, l]));
  const keys = spend.map(({ projectId: _, ...s }) => ({
    ...s,
    ...(limitsById.has(s.keyId) ? { limits: limitsById.get(s.keyId)! } : {}),
  }));
  for (const [keyId, l] of limitsById)
    if (!keys.some((k) => k.keyId === keyId))
      keys.push({ keyId, requestsToday: 0, tokensToday: 0, usdToday: 0, usdMonth: 0, limits: l });
  const { hits, misses, size } = proxy.cache;
  return {
    settings: routes.settings,
    aliases: [...routes.aliases.values()],
    connections,
    cache: { hits, misses, entries: size, hitRate: hits + misses === 0 ? 0 : hits / (hits + misses) },
    keys,
    overhead: proxy.metrics.overhead(),
    shadows,
  };
}
