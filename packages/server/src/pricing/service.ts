/**
 * Pricing at runtime: the bundled catalog, per-project overrides kept in the metadata store
 * (cached in memory, so enrichment on the ingest path does no I/O) and the enricher built on both.
 * The API routes to read the catalog and edit overrides are in routes.ts.
 */
import type { Span } from '@argus/shared';
import {
  createEnricher,
  findPrice,
  loadPricingCatalog,
  type PriceOverride,
  type PricingCatalog,
} from '../enrich/index.ts';
import { ArgusError } from '../errors.ts';
import type { MetadataStore } from '../store/metadata/metadata-store.ts';
import { overridesSchema } from './schemas.ts';

const SETTING = 'priceOverrides';

/** Runtime pricing. */
export interface PricingService {
  readonly catalog: PricingCatalog;
  /** Enriches a span in place (cost, token estimates). */
  enrichSpan: (span: Span) => Span;
  overridesOf(projectId: string): readonly PriceOverride[];
  /** Validates, stores and activates a project's overrides. */
  setOverrides(projectId: string, overrides: unknown): Promise<readonly PriceOverride[]>;
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
  return {
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
  };
}
