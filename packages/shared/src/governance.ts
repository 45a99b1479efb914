/**
 * Governance shapes of the API (docs/security.md): the audit log, erasure receipts, the retention
 * policy and its sweeps as the API answers them.
 */

/** Who acted. `system` is Argus itself (retention sweeps); `anonymous` is open mode. */
export interface AuditActor {
  type: 'user' | 'key' | 'system' | 'anonymous';
  id: string;
  name: string;
}

/** A stored audit entry; `hash` chains it to the previous entry. */
export interface AuditEntry {
  seq: number;
  time: string;
  actor: AuditActor;
  /** The project acted on; '' for instance-wide actions (logins, users, projects). */
  projectId: string;
  /** Dotted verb, e.g. `key.create`, `auth.login`, `data.erase` (docs/security.md lists them). */
  action: string;
  /** What was acted on (a key id, a user name, a setting). */
  target: string;
  details: Record<string, unknown>;
  ip: string;
  outcome: 'success' | 'failure';
  hash: string;
}

/** What an erasure names: one trace, or everything of one user or one session. */
export type SubjectKind = 'trace' | 'user' | 'session';

/** The body of `POST /api/v1/erasures`. */
export type ErasureSubject = { traceId: string } | { userId: string } | { sessionId: string };

/** Rows an erasure deleted, per table (`traces`: distinct traces that had rows). */
export interface ErasureCounts {
  traces: number;
  spans: number;
  logs: number;
  scores: number;
  traceIndex: number;
}

/** An erasure receipt as stored and listed (no raw value). */
export interface ErasureReceipt {
  id: string;
  projectId: string;
  subject: { kind: SubjectKind; value?: string };
  /** HMAC-SHA256 (hex) of `kind` and value under the instance's hash key. */
  subjectHash: string;
  /** The audit actor who asked, `type:name`. */
  requestedBy: string;
  requestedAt: string;
  completedAt: string | null;
  status: 'running' | 'completed' | 'failed';
  deleted: ErasureCounts;
  /** Why a failed erasure failed; repeating the request finishes it. */
  error?: string;
}

/** Days a project's telemetry and, separately, its prompt and completion content are kept (the PUT body). */
export interface RetentionPolicy {
  telemetryDays: number;
  contentDays: number;
}

/** `GET /api/v1/settings/retention`: the policy as it applies to the project. */
export interface RetentionSettings extends RetentionPolicy {
  /** `--retention-days`: neither value can exceed it. */
  maxDays: number;
  /** `project` when the project set a policy, `default` when it follows `--retention-days`. */
  source: 'project' | 'default';
}

/** Rows a retention sweep removed or blanked. */
export interface SweepCounts {
  deleted: { spans: number; logs: number; scores: number; metricPoints: number; traceIndex: number };
  blanked: { spans: number; logs: number };
}

/** The outcome of sweeping one project (`POST /api/v1/settings/retention/sweep`). */
export interface SweepReport extends SweepCounts {
  projectId: string;
  telemetryDays: number;
  contentDays: number;
  /** Telemetry that started before this was deleted (ISO 8601). */
  telemetryCutoff: string;
  /** Content of spans and logs before this was blanked (ISO 8601). */
  contentCutoff: string;
  durationMs: number;
}
