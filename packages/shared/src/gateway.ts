/**
 * Wire types of the gateway (`/gateway/v1/*`, `/gateway/anthropic/v1/messages`) and its settings
 * API (`/api/v1/gateway/*`): per-project settings, model aliases, per-key limits and the status the
 * console's Gateway page shows.
 */

/** How the gateway of a project behaves. Every field has a default; a PUT may send any subset. */
export interface GatewaySettings {
  /** Connection for models no connection lists (none = such a model is refused with 404). */
  defaultConnectionId?: string;
  /** Callers may send their own provider key in `x-argus-provider-key` instead of the sealed one. */
  allowProviderKeys: boolean;
  /** Time limit for a provider's answer to start (headers), per attempt, ms. */
  timeoutMs: number;
  /** Most attempts per call, across connections (1 = no retry, no fallback). */
  maxAttempts: number;
  /** First wait before trying a connection again, doubled per retry, ms. */
  backoffMs: number;
  /** How long a connection that failed (429, 5xx, timeout) is skipped while others remain, ms. */
  cooldownMs: number;
  /** Interval of SSE keep-alive comments while a stream waits for its first token, ms. */
  keepAliveMs: number;
  /** Response cache: off unless a call (`x-argus-cache: true`) or its key turns it on, or `enabled`. */
  cache: { enabled: boolean; ttlSeconds: number; maxEntries: number };
  /** Share of chat calls (0–1) sent upstream with `logprobs: true`; stripped unless the caller asked. */
  logprobSampleRate: number;
}

/** One place an alias sends calls to. */
export interface GatewayAliasTarget {
  connectionId: string;
  /** The model name the connection is called with. */
  model: string;
  /** Share of traffic relative to the other targets (> 0). */
  weight: number;
}

/** A model alias (`fast` → a model on a connection), balanced by weight; the others are fallbacks. */
export interface GatewayAlias {
  name: string;
  targets: GatewayAliasTarget[];
  updatedAt: string;
}

/** Limits of one API key on the gateway; absent = unlimited. */
export interface GatewayKeyLimits {
  keyId: string;
  requestsPerMinute?: number;
  tokensPerMinute?: number;
  usdPerDay?: number;
  usdPerMonth?: number;
  /** Cache every call of this key (as if each sent `x-argus-cache: true`). */
  cache?: boolean;
  updatedAt: string;
}

/** A connection as the gateway sees it now. */
export interface GatewayConnectionHealth {
  id: string;
  name: string;
  provider: string;
  models: string[];
  /** Calls answered (any status) and failures (429, 5xx, timeouts, network) since the start. */
  requests: number;
  failures: number;
  /** Set while the connection is skipped after a failure (ISO time it ends). */
  coolingDownUntil?: string;
  lastError?: string;
}

/** Spend of one key (the current UTC day and month). */
export interface GatewayKeySpend {
  keyId: string;
  /** `anonymous` calls (authentication off) are listed under the key id `-`. */
  requestsToday: number;
  tokensToday: number;
  usdToday: number;
  usdMonth: number;
  limits?: Omit<GatewayKeyLimits, 'keyId' | 'updatedAt'>;
}

/** What `GET /api/v1/gateway/status` answers. */
export interface GatewayStatus {
  settings: GatewaySettings;
  aliases: GatewayAlias[];
  connections: GatewayConnectionHealth[];
  cache: { hits: number; misses: number; entries: number; hitRate: number };
  keys: GatewayKeySpend[];
  /** Added latency per call since the start: histogram (upper bounds in ms, counts) and quantiles. */
  overhead: { calls: number; bucketsMs: number[]; counts: number[]; p50Ms: number; p99Ms: number };
  /** Shadow configurations with their experiments and counters since the start. */
  shadows: GatewayShadowStatus[];
}

/** Where shadow calls go: a model (routed like a caller's, aliases included) or a model on one connection. */
export interface GatewayShadowCandidate {
  /** The connection to call (absent: the candidate model is routed like a caller's model). */
  connectionId?: string;
  model: string;
}

/** The body of `PUT /api/v1/gateway/shadows/{name}`. */
export interface GatewayShadowWrite {
  /** The model callers send that is shadowed: a model name, an alias or a glob (`gpt-4o*`). */
  model: string;
  candidate: GatewayShadowCandidate;
  /** Share of matching calls (0–1) also sent to the candidate. */
  share: number;
  /** Evaluator ids run on both answers of each pair. */
  evaluators?: string[];
  /** Pairs recorded before the shadow stops (its experiments complete), default 1,000. */
  maxPairs?: number;
  /** Candidate calls in flight at once for this shadow, default 4. */
  concurrency?: number;
  /** Pairs waiting for a free slot before new ones are dropped, default 100. */
  queue?: number;
}

/**
 * A shadow: a share of the calls for `model` is sent again, off the caller's path, to a candidate;
 * each pair of answers is recorded in two experiments on one dataset (primary and candidate).
 */
export interface GatewayShadow extends Required<Omit<GatewayShadowWrite, 'candidate'>> {
  name: string;
  candidate: GatewayShadowCandidate;
  /** The dataset whose items are the shadowed inputs (expected output: the primary's answer). */
  datasetId: string;
  /** The experiment of the primary's answers (the baseline of a comparison). */
  primaryExperimentId: string;
  /** The experiment of the candidate's answers. */
  candidateExperimentId: string;
  createdAt: string;
  updatedAt: string;
}

/** A shadow with what it did since the server started. */
export interface GatewayShadowStatus extends GatewayShadow {
  /** Candidate calls sent, failed (error or timeout) and dropped (queue full) since the start. */
  sent: number;
  failed: number;
  dropped: number;
  /** Pairs recorded so far (the experiments' progress). */
  pairs: number;
  /** `running` while it shadows; `completed` (maxPairs reached) or `cancelled` (its experiment was). */
  state: 'running' | 'completed' | 'cancelled';
}
