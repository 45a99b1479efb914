/**
 * HTTP routes of concepts (docs/explainability.md#concepts): learn, list, read, delete, scores
 * over time, and the span filter `concept:<name> > 0.8`.
 */
import type { IncomingMessage } from 'node:http';
import { readJsonBody } from '../../http/json-body.ts';
import { parseQuery } from '../../http/query-schema.ts';
import { noStore } from '../../http/respond.ts';
import type { Router } from '../../http/router.ts';
import type { ConceptRecorder } from './concept-recorder.ts';
import type { StoredConcept } from './concept-repository.ts';
import type { ConceptService } from './concept-service.ts';
import { conceptSchema, conceptScoresQuerySchema, conceptSpansQuerySchema } from './schemas.ts';

/** What the routes need. */
export interface ConceptRouteDeps {
  concepts: ConceptService;
  recorder: ConceptRecorder;
  projectOf: (request: IncomingMessage) => string;
  audit: (
    request: IncomingMessage,
    entry: { action: string; target: string; details?: Record<string, unknown> },
  ) => Promise<unknown>;
}

/** The concept as the API shows it (without its weights). */
const shown = ({ model: _, ...concept }: StoredConcept) => concept;

/** Registers `/api/v1/concepts*` and `/api/v1/explain/concept-spans`. */
export function registerConceptRoutes(router: Router, deps: ConceptRouteDeps): void {
  const { concepts, projectOf, audit } = deps;
  router.on('POST', '/api/v1/concepts', 'write', async ({ request }) => {
    const body = await readJsonBody(request, conceptSchema, 'concept');
    const concept = await concepts.create(projectOf(request), body);
    await audit(request, { action: 'concept.create', target: concept.id, details: { name: concept.name } });
    return noStore({ data: shown(concept) }, 201);
  });
  router.on('GET', '/api/v1/concepts', 'read', async ({ request }) => {
    return noStore({ data: (await concepts.repo.list(projectOf(request))).map(shown) });
  });
  router.on('GET', '/api/v1/explain/concept-spans', 'read', async ({ request, url }) => {
    const query = parseQuery(url, conceptSpansQuerySchema);
    return noStore({ data: await concepts.filterSpans(projectOf(request), query) });
  });
  router.on('GET', '/api/v1/concepts/:id', 'read', async ({ request, params }) => {
    return noStore({ data: shown(await concepts.repo.require(projectOf(request), params.id ?? '')) });
  });
  router.on('DELETE', '/api/v1/concepts/:id', 'write', async ({ request, params }) => {
    await concepts.repo.delete(projectOf(request), params.id ?? '');
    await audit(request, { action: 'concept.delete', target: params.id ?? '' });
    return { status: 204 };
  });
  router.on('POST', '/api/v1/concepts/:id/record', 'write', async ({ request, params }) => {
    const projectId = projectOf(request);
    const concept = await concepts.repo.require(projectId, params.id ?? '');
    const endMs = Date.now();
    const summary = await deps.recorder.record(projectId, concept, endMs);
    return noStore({ data: { ...summary, time: new Date(endMs).toISOString() } });
  });
  router.on('GET', '/api/v1/concepts/:id/scores', 'read', async ({ request, url, params }) => {
    const query = parseQuery(url, conceptScoresQuerySchema);
    return noStore({ data: await concepts.scores(projectOf(request), params.id ?? '', query) });
  });
}
