/**
 * `/api/v1/llm-connections`: create, list, read, change, delete and test. Connections make the
 * server call out with a stored key, so changing and testing them is for project admins; any
 * viewer may list them (never with the key or header values).
 */
import type { IncomingMessage } from 'node:http';
import { validate } from '../http/json-body.ts';
import { noStore } from '../http/respond.ts';
import type { Router } from '../http/router.ts';
import { rejectUnknown } from '../query/params.ts';
import { readJson } from './body.ts';
import { notFound } from './not-found.ts';
import type { QualityRouteDeps } from './routes.ts';
import {
  connectionCreateSchema,
  connectionPatchSchema,
  connectionTestSchema,
  NEEDS_BASE_URL,
} from './schemas.ts';

const PATH = '/api/v1/llm-connections';

/** Registers the connection routes. */
export function registerConnectionRoutes(router: Router, deps: QualityRouteDeps): void {
  const { quality } = deps;
  const repo = quality.connections;
  const project = (request: IncomingMessage) => deps.projectOf(request);

  router.on('GET', PATH, 'read', async ({ request, url }) => {
    rejectUnknown(url.searchParams, []);
    return noStore({ data: await repo.list(project(request)) });
  });
  router.on('POST', PATH, 'admin', async ({ request }) => {
    const input = await readJson(request, connectionCreateSchema, 'connection');
    await quality.checkBaseUrl(input.baseUrl);
    const connection = await repo.create(project(request), input);
    await deps.audit(request, 'llm_connection.create', connection.id, {
      name: connection.name,
      provider: connection.provider,
      baseUrl: connection.baseUrl,
    });
    return noStore({ data: connection }, 201);
  });
  router.on('GET', `${PATH}/:id`, 'read', async ({ request, url, params }) => {
    rejectUnknown(url.searchParams, []);
    const connection = await repo.get(project(request), params.id ?? '');
    if (!connection) throw notFound('connection', params.id ?? '');
    return noStore({ data: connection });
  });
  router.on('PATCH', `${PATH}/:id`, 'admin', async ({ request, params }) => {
    const id = params.id ?? '';
    const patch = await readJson(request, connectionPatchSchema, 'connection');
    const current = await repo.get(project(request), id);
    if (!current) throw notFound('connection', id);
    const provider = patch.provider ?? current.provider;
    const baseUrl = patch.baseUrl === null ? undefined : (patch.baseUrl ?? current.baseUrl);
    // The merged connection must still be whole (an openai-compatible one keeps a baseUrl).
    validate(
      connectionCreateSchema,
      { name: current.name, provider, ...(baseUrl ? { baseUrl } : {}) },
      'connection',
    );
    if (patch.baseUrl) await quality.checkBaseUrl(patch.baseUrl);
    const { baseUrl: newBase, embeddingModel, apiVersion, ...rest } = patch;
    const has = (key: string) => Object.hasOwn(patch, key);
    const connection = await repo.update(project(request), id, {
      ...rest,
      ...(has('baseUrl') ? { baseUrl: newBase ?? undefined } : {}),
      ...(has('embeddingModel') ? { embeddingModel: embeddingModel ?? undefined } : {}),
      ...(has('apiVersion') ? { apiVersion: apiVersion ?? undefined } : {}),
    });
    if (!connection) throw notFound('connection', id);
    await deps.audit(request, 'llm_connection.update', id, {
      name: connection.name,
      changed: Object.keys(patch),
      ...(NEEDS_BASE_URL.has(provider) || patch.baseUrl ? { baseUrl: connection.baseUrl } : {}),
    });
    return noStore({ data: connection });
  });
  router.on('DELETE', `${PATH}/:id`, 'admin', async ({ request, params }) => {
    if (!(await repo.delete(project(request), params.id ?? '')))
      throw notFound('connection', params.id ?? '');
    await deps.audit(request, 'llm_connection.delete', params.id ?? '');
    return { status: 204 };
  });
  router.on('POST', `${PATH}/:id/test`, 'admin', async ({ request, params }) => {
    const body = await readJson(request, connectionTestSchema, 'connection test');
    const current = await repo.get(project(request), params.id ?? '');
    if (!current) throw notFound('connection', params.id ?? '');
    await quality.checkBaseUrl(current.baseUrl);
    const result = await quality.testConnection(project(request), current.id, body.model);
    return noStore({ data: result }, result.ok ? 200 : 502);
  });
}
