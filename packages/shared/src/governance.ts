/**
 * Governance shapes of the API (docs/security.md): the audit log as `GET /api/v1/audit` answers it.
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
