/**
 * The online-evaluation API: `/api/v1/evaluation-rules` (create, list, read, change, delete),
 * `POST …/validate` (dry run), `GET …/{id}/runs` (failures and skips with their reasons),
 * `POST …/{id}/backfill`, and `/api/v1/output-health/settings` (the built-in checks, per project).
 */
import type { IncomingMessage } from 'node:http';
import { RULE_RUN_KINDS, type RuleRunKind } from '@argus/shared';
import type { z } from 'zod';
import type { RecordAudit } from '../audit/audit-log.ts';
import { ArgusError } from '../errors.ts';
import { readJsonBody } from '../http/json-body.ts';
import { noStore } from '../http/respond.ts';
import type { Router } from '../http/router.ts';
import { rejectUnknown } from '../query/index.ts';
import type { HealthSettings } from './health/settings.ts';
import type { RuleRepository } from './repository.ts';
import {
  backfillSchema,
  outputHealthSettingsSchema,
  ruleCreateSchema,
  rulePatchSchema,
  ruleValidateSchema,
} from './schemas.ts';
import type { RuleService } from './service.ts';

/** What the routes need. */
export interface OnlineRouteDeps {
  service: RuleService;
  repo: RuleRepository;
  settings: HealthSettings;
  projectOf: (request: IncomingMessage) => string;
  /** Records a change in the audit log. */
  audit: RecordAudit;
}

const PATH = '/api/v1/evaluation-rules';
/** Reads a JSON body (empty = `{}`) validated by `schema`. */
function read<S extends z.ZodType>(request: IncomingMessage, schema: S, what: string): Promise<z.output<S>> {
  return readJsonBody(request, schema, what, { isEmptyAnObject: true });
}

function runsQuery(params: URLSearchParams): { limit: number; kind?: RuleRunKind } {
  rejectUnknown(params, ['limit', 'kind']);
  const rawLimit = params.get('limit');
  const limit = rawLimit === null ? 100 : Number(rawLimit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
    throw new ArgusError(
      'INVALID_PARAMETER',
      `Invalid parameter 'limit': '${rawLimit}' is not an integer from 1 to 1000`,
    );
  const kind = params.get('kind');
  if (kind !== null && !(RULE_RUN_KINDS as readonly string[]).includes(kind))
    throw new ArgusError(
      'INVALID_PARAMETER',
      `Invalid parameter 'kind': '${kind}' is not one of ${RULE_RUN_KINDS.join(', ')}`,
    );
  return { limit, ...(kind ? { kind: kind as RuleRunKind } : {}) };
}

/** Registers the online-evaluation routes. */
export function registerOnlineRoutes(router: Router, deps: OnlineRouteDeps): void {
  const { service, projectOf } = deps;
  router.on('GET', PATH, 'read', async ({ request, url }) => {
    rejectUnknown(url.searchParams, []);
    return noStore({ data: await service.list(projectOf(request)) });
  });
  router.on('POST', PATH, 'write', async ({ request }) => {
    const input = await read(request, ruleCreateSchema, 'rule');
    const rule = await service.create(projectOf(request), input);
    await deps.audit(request, 'evaluation_rule.create', rule.id, { name: rule.name });
    return noStore({ data: rule }, 201);
  });
  router.on('POST', `${PATH}/validate`, 'write', async ({ request }) => {
    const input = await read(request, ruleValidateSchema, 'rule');
    return noStore({ data: await service.validate(projectOf(request), input) });
  });
  router.on('GET', `${PATH}/:id`, 'read', async ({ request, url, params }) => {
    rejectUnknown(url.searchParams, []);
    return noStore({ data: await service.get(projectOf(request), params.id ?? '') });
  });
  router.on('PATCH', `${PATH}/:id`, 'write', async ({ request, params }) => {
    const patch = await read(request, rulePatchSchema, 'rule');
    const rule = await service.update(projectOf(request), params.id ?? '', patch);
    await deps.audit(request, 'evaluation_rule.update', rule.id, { fields: Object.keys(patch) });
    return noStore({ data: rule });
  });
  router.on('DELETE', `${PATH}/:id`, 'write', async ({ request, params }) => {
    await service.delete(projectOf(request), params.id ?? '');
    await deps.audit(request, 'evaluation_rule.delete', params.id ?? '');
    return { status: 204 };
  });
  router.on('GET', `${PATH}/:id/runs`, 'read', async ({ request, url, params }) => {
    const query = runsQuery(url.searchParams);
    const rule = await service.get(projectOf(request), params.id ?? '');
    return noStore({ data: await deps.repo.listRuns(rule.id, query) });
  });
  router.on('POST', `${PATH}/:id/backfill`, 'write', async ({ request, params }) => {
    const body = await read(request, backfillSchema, 'backfill');
    const backfill = await service.backfill(projectOf(request), params.id ?? '', body);
    await deps.audit(request, 'evaluation_rule.backfill', params.id ?? '', {
      from: backfill.from,
      to: backfill.to,
    });
    return noStore({ data: backfill }, 202);
  });
  router.on('GET', '/api/v1/output-health/settings', 'read', async ({ request, url }) => {
    rejectUnknown(url.searchParams, []);
    return noStore({ data: await deps.settings.get(projectOf(request)) });
  });
  router.on('PUT', '/api/v1/output-health/settings', 'admin', async ({ request }) => {
    const body = await read(request, outputHealthSettingsSchema, 'output-health settings');
    const saved = await deps.settings.set(projectOf(request), body);
    await deps.audit(request, 'output_health.settings', projectOf(request), { enabled: saved.enabled });
    return noStore({ data: saved });
  });
}
