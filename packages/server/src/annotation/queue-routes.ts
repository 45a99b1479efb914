/**
 * `/api/v1/annotation-queues`: queues with their progress, items (by hand, by a filter, from the
 * trace view), `next` (hands a reviewer an item and locks it), `complete`, `release` (skip).
 */
import type { IncomingMessage } from 'node:http';
import { QUEUE_ITEM_STATUSES, type QueueItemStatus } from '@argus/shared';
import { requestAuth } from '../auth/context.ts';
import { ArgusError } from '../errors.ts';
import { readJsonBody } from '../http/json-body.ts';
import { noStore } from '../http/respond.ts';
import type { Router } from '../http/router.ts';
import { notFound } from '../quality/not-found.ts';
import { invalidParameter, rejectUnknown, single } from '../query/params.ts';
import type { AnnotationRouteDeps } from './routes.ts';
import {
  queueCompleteSchema,
  queueCreateSchema,
  queueItemsAddSchema,
  queueNextSchema,
  queuePatchSchema,
  queueReleaseSchema,
} from './schemas.ts';

const PATH = '/api/v1/annotation-queues';
/** Item bodies are larger than other management bodies (1,000 items). */
const ITEMS_BODY_BYTES = 4 * 1024 * 1024;

/**
 * Who reviews: a signed-in user always as themselves; an API key or the open mode as the
 * reviewer the body names, else as the key (`key:<name>`) or `anonymous`.
 */
export function reviewerOf(request: IncomingMessage, asked: string | undefined): string {
  const { principal } = requestAuth(request);
  if (principal.kind === 'user') {
    if (asked !== undefined && asked !== principal.username)
      throw new ArgusError(
        'FORBIDDEN',
        `Cannot review as '${asked.slice(0, 100)}': signed-in users review as themselves ('${principal.username}')`,
      );
    return principal.username;
  }
  return asked ?? (principal.kind === 'key' ? `key:${principal.name}` : 'anonymous');
}

function intParam(params: URLSearchParams, name: string, fallback: number, max: number): number {
  const raw = single(params, name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > max)
    throw invalidParameter(name, `'${raw.slice(0, 40)}' is not an integer from 0 to ${max}`);
  return value;
}

/** Registers the queue routes. */
export function registerQueueRoutes(router: Router, deps: AnnotationRouteDeps): void {
  const { service } = deps;
  const project = (request: IncomingMessage) => deps.projectOf(request);
  const queueOf = async (projectId: string, id: string) => {
    const queue = await service.queues.get(projectId, id);
    if (!queue) throw notFound('annotation queue', id);
    return queue;
  };

  router.on('GET', PATH, 'read', async ({ request, url }) => {
    rejectUnknown(url.searchParams, []);
    return noStore({ data: await service.queues.list(project(request)) });
  });
  router.on('POST', PATH, 'write', async ({ request }) => {
    const input = await readJsonBody(request, queueCreateSchema, 'annotation queue');
    const projectId = project(request);
    await service.configsOf(projectId, input.scoreConfigIds);
    const queue = await service.queues.create(projectId, input);
    await deps.audit(request, {
      action: 'annotation-queue.create',
      target: queue.id,
      details: { name: queue.name },
    });
    return noStore({ data: queue }, 201);
  });
  router.on('GET', `${PATH}/:id`, 'read', async ({ request, url, params }) => {
    rejectUnknown(url.searchParams, []);
    return noStore({ data: await queueOf(project(request), params.id ?? '') });
  });
  router.on('PATCH', `${PATH}/:id`, 'write', async ({ request, params }) => {
    const patch = await readJsonBody(request, queuePatchSchema, 'annotation queue');
    const projectId = project(request);
    if (patch.scoreConfigIds) await service.configsOf(projectId, patch.scoreConfigIds);
    const queue = await service.queues.update(projectId, params.id ?? '', patch);
    if (!queue) throw notFound('annotation queue', params.id ?? '');
    await deps.audit(request, {
      action: 'annotation-queue.update',
      target: queue.id,
      details: { changed: Object.keys(patch) },
    });
    return noStore({ data: queue });
  });
  router.on('DELETE', `${PATH}/:id`, 'write', async ({ request, params }) => {
    if (!(await service.queues.delete(project(request), params.id ?? '')))
      throw notFound('annotation queue', params.id ?? '');
    await deps.audit(request, { action: 'annotation-queue.delete', target: params.id ?? '' });
    return { status: 204 };
  });
  registerItemRoutes(router, deps, queueOf);
}

function registerItemRoutes(
  router: Router,
  deps: AnnotationRouteDeps,
  queueOf: (projectId: string, id: string) => Promise<{ id: string }>,
): void {
  const { service } = deps;
  router.on('GET', `${PATH}/:id/items`, 'read', async ({ request, url, params }) => {
    rejectUnknown(url.searchParams, ['status', 'reviewer', 'limit', 'offset']);
    const queue = await queueOf(deps.projectOf(request), params.id ?? '');
    const status = single(url.searchParams, 'status');
    if (status !== undefined && !(QUEUE_ITEM_STATUSES as readonly string[]).includes(status))
      throw invalidParameter(
        'status',
        `'${status.slice(0, 40)}' is not one of ${QUEUE_ITEM_STATUSES.join(', ')}`,
      );
    const reviewer = single(url.searchParams, 'reviewer');
    const items = await service.items.list(queue.id, {
      ...(status ? { status: status as QueueItemStatus } : {}),
      ...(reviewer ? { reviewer } : {}),
      limit: intParam(url.searchParams, 'limit', 100, 1000),
      offset: intParam(url.searchParams, 'offset', 0, 1_000_000),
    });
    return noStore({ data: items });
  });
  router.on('POST', `${PATH}/:id/items`, 'write', async ({ request, params }) => {
    const body = await readJsonBody(request, queueItemsAddSchema, 'queue items', {
      maxBytes: ITEMS_BODY_BYTES,
    });
    return noStore(
      { data: await service.addFromRequest(deps.projectOf(request), params.id ?? '', body) },
      201,
    );
  });
  router.on('GET', `${PATH}/:id/items/:itemId`, 'read', async ({ request, url, params }) => {
    rejectUnknown(url.searchParams, []);
    const queue = await queueOf(deps.projectOf(request), params.id ?? '');
    const item = await service.items.get(queue.id, params.itemId ?? '');
    if (!item) throw notFound('queue item', params.itemId ?? '');
    return noStore({ data: item });
  });
  router.on('DELETE', `${PATH}/:id/items/:itemId`, 'write', async ({ request, params }) => {
    const queue = await queueOf(deps.projectOf(request), params.id ?? '');
    if (!(await service.items.delete(queue.id, params.itemId ?? '')))
      throw notFound('queue item', params.itemId ?? '');
    return { status: 204 };
  });
  router.on('POST', `${PATH}/:id/next`, 'write', async ({ request, params }) => {
    const body = await readJsonBody(request, queueNextSchema, 'next item', { isEmptyAnObject: true });
    const reviewer = reviewerOf(request, body.reviewer);
    const item = await service.next(deps.projectOf(request), params.id ?? '', reviewer);
    return noStore({ data: item ?? null, reviewer });
  });
  router.on('POST', `${PATH}/:id/items/:itemId/complete`, 'write', async ({ request, params }) => {
    const body = await readJsonBody(request, queueCompleteSchema, 'review');
    const reviewer = reviewerOf(request, body.reviewer);
    const ids = { queueId: params.id ?? '', itemId: params.itemId ?? '' };
    const done = await service.complete(deps.projectOf(request), ids, reviewer, body);
    return noStore({ data: done });
  });
  router.on('POST', `${PATH}/:id/items/:itemId/release`, 'write', async ({ request, params }) => {
    const body = await readJsonBody(request, queueReleaseSchema, 'release', { isEmptyAnObject: true });
    const queue = await queueOf(deps.projectOf(request), params.id ?? '');
    const released = await service.items.release(
      queue.id,
      params.itemId ?? '',
      reviewerOf(request, body.reviewer),
    );
    return noStore({ data: { released } });
  });
}
