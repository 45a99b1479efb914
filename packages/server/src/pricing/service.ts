/**
 * Pricing at runtime: the bundled catalog, per-project overrides kept in the metadata store
 * (cached in memory, so enrichment on the ingest path does no I/O), the enricher built on both,
 * and the API routes to read the catalog and edit overrides.
 */
import type { IncomingMessage } from 'node:http';
import type { Span } from '@argus/shared';
import { z } from 'zod';
import {
  createEnricher,
  findPrice,
  loadPricingCatalog,
  type PriceOverride,
  type PricingCatalog,
} from '../enrich/index.ts';
import { ArgusError } from '../errors.ts';
import { readBody } from '../http/body.ts';
import type { Router } from '../http/router.ts';
import type { MetadataStore } from '../store/metadata/metadata-store.ts';

const SETTING = 'priceOverrides';
const price = z.number().finite().min(0);
const overridesSchema = z
  .array(
    z
      .object({
        model: z.string().min(1).max(200),
        provider: z.string().max(100).optional(),
        inputPerMTok: price,
        outputPerMTok: price,
        cacheReadPerMTok: price.optional(),
        cacheWritePerMTok: price.optional(),
      })
      .strict(),
  )
  .max(1000);

/** Runtime pricing. */
export interface PricingService {
  readonly catalog: PricingCatalog;
  /** Enriches a span in place (cost, token estimates). */
  enrichSpan: (span: Span) => Span;
  overridesOf(projectId: string): readonly PriceOverride[];
  /** Validates, stores and activates a project's overrides. */
  setOverrides(projectId: string, overrides: unknown): Promise<readonly PriceOverride[]>;
  registerRoutes(
    router: Router,
    projectOf: (request: IncomingMessage) => string,
    audit?: (
      request: IncomingMessage,
      entry: { action: string; target: string; details?: Record<string, unknown> },
    ) => Promise<unknown>,
  ): void;
}

/** Loads the catalog and every project's overrides. */
export async function createPricingService(metadata: MetadataStore): Promise<PricingService> {
  const catalog = loadPricingCatalog();
  const overrides = new Map<string, readonly PriceOverride[]>();
  for (const project of await metadata.listProjects()) {
    const stored = await metadata.getSetting<PriceOverride[]>(project.id, SETTING);
    if (stored) overrides.set(project.id, Object.freeze(stored));
  }
  const enricher = createEnricher({ catalog, overridesFor: (projectId) => overrides.get(projectId) });
  const service: PricingService = {
    catalog,
    enrichSpan: (span) => enricher.enrichSpan(span),
    overridesOf: (projectId) => overrides.get(projectId) ?? [],
    async setOverrides(projectId, value) {
      const parsed = overridesSchema.safeParse(value);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        throw new ArgusError(
          'INVALID_PARAMETER',
          `Invalid price override at '${issue.path.join('.')}': ${issue.message}`,
        );
      }
      const list = Object.freeze(parsed.data as PriceOverride[]);
      // Resolve once so a malformed override fails here, not on the ingest path.
      for (const o of list)
        findPrice(catalog, { provider: o.provider, model: o.model.replace(/\*$/, 'x') }, list);
      await metadata.setSetting(projectId, SETTING, list);
      overrides.set(projectId, list);
      return list;
    },
    registerRoutes(router, projectOf, audit) {
      router.on('GET', '/api/v1/pricing', 'read', ({ url, request }) => {
        const model = url.searchParams.get('model');
        if (model !== null) {
          const provider = url.searchParams.get('provider') ?? undefined;
          const match = findPrice(catalog, { provider, model }, overrides.get(projectOf(request)));
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
        body: { data: overrides.get(projectOf(request)) ?? [] },
      }));
      router.on('PUT', '/api/v1/pricing/overrides', 'admin', async ({ request }) => {
        const body = await readBody(request, {
          maxBodyBytes: 1024 * 1024,
          maxDecompressedBytes: 1024 * 1024,
        });
        let json: unknown;
        try {
          json = JSON.parse(body.toString('utf8'));
        } catch {
          throw new ArgusError(
            'BAD_REQUEST',
            'Cannot parse body: it is not JSON; expected { "data": [ … ] }',
          );
        }
        const projectId = projectOf(request);
        const before = (overrides.get(projectId) ?? []).length;
        const list = await service.setOverrides(projectId, (json as { data?: unknown })?.data);
        await audit?.(request, {
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
    },
  };
  return service;
}
