/**
 * The per-span pipeline of the ingest path: redaction (when on, with the span's project's
 * policy) then enrichment (pricing, token estimates). Every ingest path calls it through
 * `WriteDeps.enrichSpan`.
 */
import { randomBytes } from 'node:crypto';
import type { Span } from '@argus/shared';
import type { LogRow } from '../normalize/types.ts';
import type { MetadataStore } from '../store/metadata/metadata-store.ts';
import { createStringRedactor, type RedactionPolicy, type StringRedactor } from './redactor.ts';
import { redactLog, redactSpan } from './span.ts';

/** Metadata setting (project `default`) holding the generated HMAC key of the `hash` action. */
export const HASH_KEY_SETTING = 'redactionHashKey';

/** The span and log stages. */
export interface SpanPipeline {
  /** Redacts then enriches a span in place; returns it. */
  enrichSpan(span: Span): Span;
  /** Redacts a log record in place (no-op when redaction is off). */
  redactLog(row: LogRow): LogRow;
}

/** Options of {@link createSpanPipeline}. */
export interface SpanPipelineOptions {
  /** One policy for every project (undefined, with no `redactorFor`, = redaction off). */
  policy?: RedactionPolicy;
  hashKey?: string;
  /**
   * The redactor of each project (per-project policies, see project-policies.ts); undefined for
   * a project = nothing to redact there. Wins over `policy`.
   */
  redactorFor?: (projectId: string) => StringRedactor | undefined;
  enrich: (span: Span) => Span;
}

/** Builds the pipeline; with no policy it is the enricher alone. */
export function createSpanPipeline(options: SpanPipelineOptions): SpanPipeline {
  const { enrich, policy, redactorFor } = options;
  if (redactorFor !== undefined) {
    return {
      enrichSpan(span) {
        const redactor = redactorFor(span.projectId);
        return enrich(redactor ? redactSpan(span, redactor) : span);
      },
      redactLog(row) {
        const redactor = redactorFor(row.projectId);
        return redactor ? redactLog(row, redactor) : row;
      },
    };
  }
  if (policy === undefined) return { enrichSpan: enrich, redactLog: (row) => row };
  const redactor = createStringRedactor({ policy, hashKey: options.hashKey });
  return {
    enrichSpan: (span) => enrich(redactSpan(span, redactor)),
    redactLog: (row) => redactLog(row, redactor),
  };
}

/**
 * The HMAC key: the configured one, else the one stored in the metadata settings, else a new
 * random key stored there (so hashes stay stable across restarts).
 */
export async function resolveHashKey(
  configured: string | undefined,
  metadata: MetadataStore,
): Promise<string> {
  if (configured) return configured;
  const stored = await metadata.getSetting<string>('default', HASH_KEY_SETTING);
  if (typeof stored === 'string' && stored.length > 0) return stored;
  const key = randomBytes(32).toString('hex');
  await metadata.setSetting('default', HASH_KEY_SETTING, key);
  return key;
}
