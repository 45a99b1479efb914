/**
 * The retention policy of a project: how long its telemetry (spans, logs, scores, metric points)
 * is kept, and, separately and no longer, how long prompt and completion content is kept. The
 * instance's `--retention-days` (the tables' TTL) is the outer bound of both.
 */
import type { RetentionPolicy, RetentionSettings } from '@argus/shared';
import { ArgusError } from '../errors.ts';
import type { MetadataStore } from '../store/metadata/metadata-store.ts';
import { retentionInputSchema } from './schemas.ts';

/** Metadata setting key (per project) holding the policy. */
export const RETENTION_SETTING = 'retention';

/** The policy as it applies to a project, for the API. */
export type EffectiveRetention = RetentionSettings;
export type { RetentionPolicy };

/**
 * Checks a policy against the instance's bound.
 * @throws ArgusError INVALID_PARAMETER naming the field and the limit.
 */
export function checkPolicy(policy: RetentionPolicy, maxDays: number): RetentionPolicy {
  if (policy.telemetryDays > maxDays) {
    throw new ArgusError(
      'INVALID_PARAMETER',
      `Invalid retention field 'telemetryDays': ${policy.telemetryDays} is over this instance's limit of ${maxDays} days (--retention-days); lower it, or start the server with a larger --retention-days (ARGUS_RETENTION_DAYS)`,
    );
  }
  if (policy.contentDays > policy.telemetryDays) {
    throw new ArgusError(
      'INVALID_PARAMETER',
      `Invalid retention field 'contentDays': ${policy.contentDays} is over telemetryDays ${policy.telemetryDays}; content cannot outlive the spans that hold it`,
    );
  }
  return policy;
}

/** Reads a project's policy; a stored one beyond a since-lowered `--retention-days` is capped. */
export async function readRetention(
  metadata: Pick<MetadataStore, 'getSetting'>,
  projectId: string,
  maxDays: number,
): Promise<EffectiveRetention> {
  const stored = retentionInputSchema.safeParse(await metadata.getSetting(projectId, RETENTION_SETTING));
  if (!stored.success) return { telemetryDays: maxDays, contentDays: maxDays, maxDays, source: 'default' };
  const telemetryDays = Math.min(stored.data.telemetryDays, maxDays);
  const contentDays = Math.min(stored.data.contentDays, telemetryDays);
  return { telemetryDays, contentDays, maxDays, source: 'project' };
}

/** True when the policy removes something the tables' TTL would still keep. */
export function isShorter(policy: RetentionPolicy, maxDays: number): boolean {
  return policy.telemetryDays < maxDays || policy.contentDays < maxDays;
}
