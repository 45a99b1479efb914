/**
 * The pricing API: `GET /api/v1/pricing` (the built-in catalog, or the price that applies to one
 * model) and `GET|PUT /api/v1/pricing/overrides` (the project's overrides; a save is audited).
 */
import type { IncomingMessage } from 'node:http';
import { findPrice } from '../enrich/index.ts';
import { ArgusError } from '../errors.ts';
import { readJsonValue } from '../http/json-body.ts';
import type { Router } from '../http/router.ts';
import type { PricingService } from './service.ts';

/** What the pricing routes need. */
export interface PricingRouteDeps {
  pricing: PricingService;
  projectOf: (request: IncomingMessage) => string;
  /** Records a change in the audit log; absent in unit tests. */
  audit?: (
    request: IncomingMessage,
    entry: { action: string; target: string; details?: Record<string, unknown> },
  ) => Promise<unknown>;
}

/** Registers the /api/v1/pricing routes. */
export function registerPricingRoutes(router: Router, deps: PricingRouteDeps): void {
  const { pricing, projectOf } = deps;
  const { catalog } = pricing;
  router.on('GET', '/api/v1/pricing', 'read', ({ url, request }) => {
    const model = url.searchParams.get('model');
    if (model !== null) {
      const provider = url.searchParams.get('provider') ?? undefined;
      const match = findPrice(catalog, { provider, model }, pricing.overridesOf(projectOf(request)));
      if (!match) throw new ArgusError('NOT_FOUND', `Cannot find a price for model '${model}'`);
      return { status: 200, body: match };
    }
    return {
      status: 200,
      body: { version: catalog.version, updatedAt: catalog.updatedAt, data: catalog.models },
    };
  });
  router.on('GET', '/api/v1/pricing/overrides', 'read', ({ request }) => ({
    status: 200,
    body: { data: pricing.overridesOf(projectOf(request)) },
  }));
  router.on('PUT', '/api/v1/pricing/overrides', 'admin', async ({ request }) => {
    const json = await readJsonValue(request, 'price overrides');
    const projectId = projectOf(request);
    const before = pricing.overridesOf(projectId).length;
    const list = await pricing.setOverrides(projectId, (json as { data?: unknown })?.data);
    await deps.audit?.(request, {
      action: 'settings.update',
      target: 'pricing',
      details: {
        overridesBefore: before,
        overridesAfter: list.length,
        models: list.map((o) => o.model).slice(0, 50),
      },
    });
    return { status: 200, body: { data: list } };
  });
}
