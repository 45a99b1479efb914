/**
 * Per-project redaction policies at runtime: stored in the metadata settings (`redaction`),
 * compiled once into redactors and cached in memory, so the ingest path picks its redactor with
 * one map lookup and no I/O. A save rebuilds the project's redactor at once; every 30 s the
 * settings are read again, so instances sharing PostgreSQL pick up each other's changes.
 */
import type { Logger } from '../logger.ts';
import type { MetadataStore } from '../store/metadata/metadata-store.ts';
import {
  compilePolicy,
  EMPTY_POLICY,
  type ParsePolicyOptions,
  type ProjectRedactionPolicy,
  parsePolicy,
  patternKey,
  policySchema,
  REDACTION_SETTING,
} from './policy.ts';
import type { StringRedactor } from './redactor.ts';

/** How often the stored policies are read again (other instances may have changed them). */
export const POLICY_REFRESH_MS = 30_000;
/** Most patterns remembered as probed fast (so re-saving a policy does not probe them again). */
const MAX_KNOWN_FAST = 2_000;

/** A project's policy and where it comes from. */
export interface PolicyOf {
  policy: ProjectRedactionPolicy;
  source: 'project' | 'default';
}

/** The per-project policies. */
export interface ProjectPolicies {
  /** True when `--redaction off`: nothing is redacted whatever the policies say. */
  readonly globallyOff: boolean;
  /** The redactor of a project's ingest; undefined = nothing to redact. Synchronous, cached. */
  redactorFor(projectId: string): StringRedactor | undefined;
  policyOf(projectId: string): PolicyOf;
  /** Validates (probing new patterns) without storing. */
  parse(value: unknown): Promise<ProjectRedactionPolicy>;
  /** A redactor for a policy with this server's hash key (the dry run). */
  compile(policy: ProjectRedactionPolicy): StringRedactor | undefined;
  /** Validates, stores and activates a project's policy; returns it and the previous one. */
  setPolicy(projectId: string, value: unknown): Promise<{ policy: ProjectRedactionPolicy; before: PolicyOf }>;
  /** Reads every stored policy again. */
  refresh(): Promise<void>;
  /** Stops the refresh timer. */
  close(): void;
}

/** Options of {@link createProjectPolicies}. */
export interface ProjectPoliciesOptions {
  metadata: MetadataStore;
  /** HMAC key of the `hash` action. */
  hashKey: string;
  globallyOff: boolean;
  logger: Logger;
  /** Default {@link POLICY_REFRESH_MS}; 0 = no timer. */
  refreshMs?: number;
  probe?: ParsePolicyOptions['probe'];
}

interface Entry {
  /** The stored JSON, to skip recompiling what did not change. */
  raw: string;
  policy: ProjectRedactionPolicy;
  redactor: StringRedactor | undefined;
  /** {@link ProjectPolicies.setPolicy} generation that set it (0 = read by a refresh). */
  generation: number;
}

/** Loads every project's policy and starts the refresh timer. */
export async function createProjectPolicies(options: ProjectPoliciesOptions): Promise<ProjectPolicies> {
  const { metadata, hashKey, logger } = options;
  const defaultRedactor = compilePolicy(EMPTY_POLICY, hashKey);
  const entries = new Map<string, Entry>();
  const knownFast = new Set<string>();
  let generation = 0;

  const remember = (policy: ProjectRedactionPolicy) => {
    for (const c of policy.custom) {
      if (knownFast.size >= MAX_KNOWN_FAST) knownFast.clear();
      knownFast.add(patternKey(c));
    }
  };
  const parseOptions: ParsePolicyOptions = { isKnownFast: (key) => knownFast.has(key), probe: options.probe };
  const parse = async (value: unknown) => {
    const policy = await parsePolicy(value, parseOptions);
    remember(policy);
    return policy;
  };

  /** An entry from a stored value; a value this version cannot read falls back to the default. */
  const entryOf = (projectId: string, raw: string): Entry => {
    const parsed = policySchema.safeParse(JSON.parse(raw));
    if (!parsed.success) {
      logger.warn('redaction: cannot read the stored policy; the default policy applies', {
        projectId,
        error: parsed.error.issues[0]?.message,
      });
      return { raw, policy: EMPTY_POLICY, redactor: defaultRedactor, generation: 0 };
    }
    const policy = parsed.data as ProjectRedactionPolicy;
    // Stored patterns were probed when they were saved (here or by another instance).
    remember(policy);
    return { raw, policy, redactor: compilePolicy(policy, hashKey), generation: 0 };
  };

  const refresh = async () => {
    const startedAt = generation;
    const rows = await metadata.sql.all<{ project_id: string; value: string }>(
      'SELECT project_id, value FROM settings WHERE key = $1',
      [REDACTION_SETTING],
    );
    const seen = new Set<string>();
    for (const row of rows) {
      seen.add(row.project_id);
      const current = entries.get(row.project_id);
      // A save made while this read ran is newer than what the read returned.
      if (current && (current.raw === row.value || current.generation > startedAt)) continue;
      entries.set(row.project_id, entryOf(row.project_id, row.value));
    }
    for (const [projectId, entry] of entries)
      if (!seen.has(projectId) && entry.generation <= startedAt) entries.delete(projectId);
  };
  await refresh();

  const refreshMs = options.refreshMs ?? POLICY_REFRESH_MS;
  let refreshing = false;
  const timer =
    refreshMs > 0
      ? setInterval(() => {
          if (refreshing) return;
          refreshing = true;
          refresh()
            .catch((error) => logger.warn('redaction: cannot refresh the policies', { error: String(error) }))
            .finally(() => {
              refreshing = false;
            });
        }, refreshMs)
      : undefined;
  timer?.unref();

  const policyOf = (projectId: string): PolicyOf => {
    const entry = entries.get(projectId);
    return entry ? { policy: entry.policy, source: 'project' } : { policy: EMPTY_POLICY, source: 'default' };
  };

  return {
    globallyOff: options.globallyOff,
    redactorFor(projectId) {
      const entry = entries.get(projectId);
      return entry ? entry.redactor : defaultRedactor;
    },
    policyOf,
    parse,
    compile: (policy) => compilePolicy(policy, hashKey),
    async setPolicy(projectId, value) {
      const policy = await parse(value);
      const before = policyOf(projectId);
      await metadata.setSetting(projectId, REDACTION_SETTING, policy);
      generation++;
      entries.set(projectId, {
        raw: JSON.stringify(policy),
        policy,
        redactor: compilePolicy(policy, hashKey),
        generation,
      });
      return { policy, before };
    },
    refresh,
    close() {
      if (timer) clearInterval(timer);
    },
  };
}
