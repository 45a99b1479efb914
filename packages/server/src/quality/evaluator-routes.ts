/**
 * `/api/v1/evaluators`: create, list, read, change, delete, the built-in judge templates, and a
 * dry run on one sample (`POST …/{id}/test`; a judge's dry run is traced like any other run).
 */
import type { IncomingMessage } from 'node:http';
import { EVALUATOR_TYPES, type EvaluatorType, JUDGE_TEMPLATES } from '@argus/shared';
import { ArgusError } from '../errors.ts';
import { noStore } from '../http/respond.ts';
import type { Router } from '../http/router.ts';
import { rejectUnknown } from '../query/params.ts';
import { readJson } from './body.ts';
import { servesModel } from './connection-repository.ts';
import { BUILTIN_TEMPLATES } from './evaluators/judge-templates.ts';
import { validateEvaluatorConfig } from './evaluators/validate.ts';
import { notFound } from './not-found.ts';
import type { QualityRouteDeps } from './routes.ts';
import { evaluatorCreateSchema, evaluatorPatchSchema, evaluatorTestSchema } from './schemas.ts';

const PATH = '/api/v1/evaluators';

/** Registers the evaluator routes. */
export function registerEvaluatorRoutes(router: Router, deps: QualityRouteDeps): void {
  const { quality } = deps;
  const repo = quality.evaluators;
  const project = (request: IncomingMessage) => deps.projectOf(request);
  /** Config checks that need the project: a model evaluator's connection must be one of its own. */
  async function checkConfig(projectId: string, type: EvaluatorType, config: unknown) {
    const valid = await validateEvaluatorConfig(type, config, deps.probe);
    if (typeof valid.connectionId !== 'string') return valid;
    const connection = await quality.connections.get(projectId, valid.connectionId);
    if (!connection) throw notFound('connection', valid.connectionId);
    // A judge's (or scorer's) model must be one the connection serves (its `models`, exact or glob; none = any).
    if (
      (type === 'llm_judge' || type === 'perplexity') &&
      typeof valid.model === 'string' &&
      !servesModel(connection.models, valid.model)
    )
      throw new ArgusError(
        'INVALID_PARAMETER',
        `Invalid evaluator field 'config.model': connection '${connection.name}' does not serve '${valid.model}' (it serves ${connection.models.map((m) => `'${m}'`).join(', ')})`,
      );
    return valid;
  }

  router.on('GET', PATH, 'read', async ({ request, url }) => {
    rejectUnknown(url.searchParams, []);
    return noStore({ data: await repo.list(project(request)) });
  });
  router.on('GET', `${PATH}/templates`, 'read', ({ url }) => {
    rejectUnknown(url.searchParams, []);
    return noStore({
      types: EVALUATOR_TYPES,
      data: JUDGE_TEMPLATES.map((name) => ({ name, ...BUILTIN_TEMPLATES[name] })),
    });
  });
  router.on('POST', PATH, 'write', async ({ request }) => {
    const input = await readJson(request, evaluatorCreateSchema, 'evaluator');
    const projectId = project(request);
    const config = await checkConfig(projectId, input.type, input.config);
    const evaluator = await repo.create(projectId, { name: input.name, type: input.type, config });
    await deps.audit(request, 'evaluator.create', evaluator.id, {
      name: evaluator.name,
      type: evaluator.type,
    });
    return noStore({ data: evaluator }, 201);
  });
  router.on('GET', `${PATH}/:id`, 'read', async ({ request, url, params }) => {
    rejectUnknown(url.searchParams, []);
    const evaluator = await repo.get(project(request), params.id ?? '');
    if (!evaluator) throw notFound('evaluator', params.id ?? '');
    return noStore({ data: evaluator });
  });
  router.on('PATCH', `${PATH}/:id`, 'write', async ({ request, params }) => {
    const patch = await readJson(request, evaluatorPatchSchema, 'evaluator');
    const projectId = project(request);
    const current = await repo.get(projectId, params.id ?? '');
    if (!current) throw notFound('evaluator', params.id ?? '');
    const type = patch.type ?? current.type;
    const config = await checkConfig(projectId, type, patch.config ?? current.config);
    const evaluator = await repo.update(projectId, current.id, {
      name: patch.name ?? current.name,
      type,
      config,
    });
    if (!evaluator) throw notFound('evaluator', current.id);
    await deps.audit(request, 'evaluator.update', evaluator.id, {
      name: evaluator.name,
      changed: Object.keys(patch),
    });
    return noStore({ data: evaluator });
  });
  router.on('DELETE', `${PATH}/:id`, 'write', async ({ request, params }) => {
    if (!(await repo.delete(project(request), params.id ?? ''))) throw notFound('evaluator', params.id ?? '');
    await deps.audit(request, 'evaluator.delete', params.id ?? '');
    return { status: 204 };
  });
  router.on('POST', `${PATH}/:id/test`, 'write', async ({ request, params }) => {
    const sample = await readJson(request, evaluatorTestSchema, 'evaluator test');
    const projectId = project(request);
    const evaluator = await repo.get(projectId, params.id ?? '');
    if (!evaluator) throw notFound('evaluator', params.id ?? '');
    const started = performance.now();
    const result = await quality.evaluate(projectId, evaluator, sample);
    return noStore({ data: { ...result, latencyMs: Math.round(performance.now() - started) } });
  });
}
