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

/** The compiled policy of every project that stored one, and the patterns already probed fast. */
class PolicyCache {
  /** The redactor of a project without a stored policy. */
  readonly defaultRedactor: StringRedactor | undefined;
  readonly #metadata: MetadataStore;
  readonly #hashKey: string;
  readonly #logger: Logger;
  readonly #parseOptions: ParsePolicyOptions;
  readonly #entries = new Map<string, Entry>();
  readonly #knownFast = new Set<string>();
  #generation = 0;

  constructor(options: ProjectPoliciesOptions) {
    this.#metadata = options.metadata;
    this.#hashKey = options.hashKey;
    this.#logger = options.logger;
    this.defaultRedactor = compilePolicy(EMPTY_POLICY, options.hashKey);
    this.#parseOptions = { isKnownFast: (key) => this.#knownFast.has(key), probe: options.probe };
  }

  redactorFor(projectId: string): StringRedactor | undefined {
    const entry = this.#entries.get(projectId);
    return entry ? entry.redactor : this.defaultRedactor;
  }

  policyOf(projectId: string): PolicyOf {
    const entry = this.#entries.get(projectId);
    return entry ? { policy: entry.policy, source: 'project' } : { policy: EMPTY_POLICY, source: 'default' };
  }

  async parse(value: unknown): Promise<ProjectRedactionPolicy> {
    const policy = await parsePolicy(value, this.#parseOptions);
    this.#remember(policy);
    return policy;
  }

  /** Stores a parsed policy and activates it at once (newer than any refresh in progress). */
  async save(projectId: string, policy: ProjectRedactionPolicy): Promise<void> {
    await this.#metadata.setSetting(projectId, REDACTION_SETTING, policy);
    this.#generation++;
    this.#entries.set(projectId, {
      raw: JSON.stringify(policy),
      policy,
      redactor: compilePolicy(policy, this.#hashKey),
      generation: this.#generation,
    });
  }

  /** Reads every stored policy again, recompiling only what changed. */
  async refresh(): Promise<void> {
    const startedAt = this.#generation;
    const rows = await this.#metadata.sql.all<{ project_id: string; value: string }>(
      'SELECT project_id, value FROM settings WHERE key = $1',
      [REDACTION_SETTING],
    );
    const seen = new Set<string>();
    for (const row of rows) {
      seen.add(row.project_id);
      const current = this.#entries.get(row.project_id);
      // A save made while this read ran is newer than what the read returned.
      if (current && (current.raw === row.value || current.generation > startedAt)) continue;
      this.#entries.set(row.project_id, this.#entryOf(row.project_id, row.value));
    }
    for (const [projectId, entry] of this.#entries)
      if (!seen.has(projectId) && entry.generation <= startedAt) this.#entries.delete(projectId);
  }

  #remember(policy: ProjectRedactionPolicy): void {
    for (const c of policy.custom) {
      if (this.#knownFast.size >= MAX_KNOWN_FAST) this.#knownFast.clear();
      this.#knownFast.add(patternKey(c));
    }
  }

  /** An entry from a stored value; a value this version cannot read falls back to the default. */
  #entryOf(projectId: string, raw: string): Entry {
    const parsed = policySchema.safeParse(JSON.parse(raw));
    if (!parsed.success) {
      this.#logger.warn('redaction: cannot read the stored policy; the default policy applies', {
        projectId,
        error: parsed.error.issues[0]?.message,
      });
      return { raw, policy: EMPTY_POLICY, redactor: this.defaultRedactor, generation: 0 };
    }
    const policy = parsed.data as ProjectRedactionPolicy;
    // Stored patterns were probed when they were saved (here or by another instance).
    this.#remember(policy);
    return { raw, policy, redactor: compilePolicy(policy, this.#hashKey), generation: 0 };
  }
}

/** Refreshes the cache every `refreshMs` (none at 0), one refresh at a time. */
function startRefreshing(cache: PolicyCache, refreshMs: number, logger: Logger): NodeJS.Timeout | undefined {
  if (refreshMs <= 0) return undefined;
  let refreshing = false;
  const timer = setInterval(() => {
    if (refreshing) return;
    refreshing = true;
    cache
      .refresh()
      .catch((error) => logger.warn('redaction: cannot refresh the policies', { error: String(error) }))
      .finally(() => {
        refreshing = false;
      });
  }, refreshMs);
  timer.unref();
  return timer;
}

/** Loads every project's policy and starts the refresh timer. */
export async function createProjectPolicies(options: ProjectPoliciesOptions): Promise<ProjectPolicies> {
  const cache = new PolicyCache(options);
  await cache.refresh();
  const timer = startRefreshing(cache, options.refreshMs ?? POLICY_REFRESH_MS, options.logger);
  // Plain functions, not methods: callers pass redactorFor around on its own.
  return {
    globallyOff: options.globallyOff,
    redactorFor: (projectId) => cache.redactorFor(projectId),
    policyOf: (projectId) => cache.policyOf(projectId),
    parse: (value) => cache.parse(value),
    compile: (policy) => compilePolicy(policy, options.hashKey),
    async setPolicy(projectId, value) {
      const policy = await cache.parse(value);
      const before = cache.policyOf(projectId);
      await cache.save(projectId, policy);
      return { policy, before };
    },
    refresh: () => cache.refresh(),
    close() {
      if (timer) clearInterval(timer);
    },
  };
}
