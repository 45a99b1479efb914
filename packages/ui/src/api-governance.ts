/**
 * The governance API: sign-in and sessions, projects, API keys, members and invites, users,
 * redaction, retention, erasure and the audit log. Every call goes through the one fetch
 * wrapper of `api.ts` (project and CSRF headers, 401 handling).
 */
import { type Query, requestJson, toSearch } from './api.ts';

/** Roles on a project, weakest first; `ingest` is for API keys that only send telemetry. */
export const ROLES = ['ingest', 'viewer', 'member', 'admin'] as const;
/** A role on a project. */
export type Role = (typeof ROLES)[number];

/** `GET /api/v1/auth/config` (public). */
export interface AuthConfig {
  authMode: 'on' | 'off';
  open: boolean;
  loopback: boolean;
  sessionTtlSeconds: number;
  sessionIdleSeconds: number;
}

/** Who is calling. */
export type Principal =
  | { kind: 'user'; id: string; username: string; isAdmin: boolean }
  | { kind: 'key'; id: string; name: string; projectId: string; role: Role }
  | { kind: 'anonymous' };

/** A project the caller can see, with their role there. */
export interface ProjectAccess {
  id: string;
  name: string;
  role: Role;
  createdAt?: string;
}

/** `GET /api/v1/auth/me`. */
export interface Me {
  authMode: 'on' | 'off';
  principal: Principal;
  instanceAdmin: boolean;
  currentProject: string;
  projects: ProjectAccess[];
  csrfToken: string | null;
}

/** A console user. */
export interface Account {
  id: string;
  username: string;
  displayName: string;
  isAdmin: boolean;
  createdAt: string;
}

/** The answer of sign-in and invite acceptance. */
export interface SignedIn {
  user: Account;
  csrfToken: string;
  expiresAt: string;
}

/** Per-key rate limits, requests per second. */
export interface RateLimits {
  ingest?: number;
  api?: number;
}

/** An API key (never its secret). */
export interface ApiKey {
  id: string;
  name: string;
  role: Role;
  secretPrefix: string;
  rateLimits: RateLimits | null;
  createdAt: string;
  createdBy: string;
  rotatedAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** A key just created or rotated: the only time its secret is shown. */
export interface KeyWithSecret extends ApiKey {
  secretKey: string;
}

/** A member of a project. */
export interface Member {
  userId: string;
  username: string;
  displayName: string;
  role: Role;
  createdAt: string;
}

/** A pending invitation. */
export interface Invite {
  id: string;
  username: string;
  role: Role;
  createdBy: string;
  createdAt: string;
  expiresAt: string;
}

/** The answer of an invitation: an existing user is added at once, anyone else gets a link. */
export type InviteResult =
  | { added: true; member: Member }
  | { added: false; invite: Invite; token: string; acceptUrl: string };

/** What a detector does with a match. */
export type RedactionAction = 'mask' | 'hash' | 'drop' | 'off';

/** A custom (regex) detector of a project. */
export interface CustomDetector {
  name: string;
  pattern: string;
  action: RedactionAction;
}

/** A project's redaction policy as stored. */
export interface RedactionPolicy {
  detectors: Record<string, RedactionAction>;
  custom: CustomDetector[];
}

/** `GET /api/v1/settings/redaction`. */
export interface RedactionSettings {
  policy: RedactionPolicy;
  /** `project` when the project set a policy, else where the default comes from. */
  source: string;
  effective: { id: string; description?: string; action: RedactionAction; builtin: boolean }[];
  /** `--redaction off`: nothing is redacted, whatever the policy. */
  globallyOff: boolean;
}

/** `GET /api/v1/settings/retention`. */
export interface RetentionSettings {
  telemetryDays: number;
  contentDays: number;
  maxDays: number;
  source: 'project' | 'default';
}

/** What an erasure names. */
export type ErasureSubject = { traceId: string } | { userId: string } | { sessionId: string };

/** An erasure receipt. */
export interface ErasureReceipt {
  id: string;
  subject: { kind: 'trace' | 'user' | 'session'; value?: string };
  requestedBy?: string;
  requestedAt: string;
  completedAt: string | null;
  status: 'running' | 'completed' | 'failed';
  deleted: { traces: number; spans: number; logs: number; scores: number; traceIndex: number };
  error?: string;
}

/** One audit log entry. */
export interface AuditEntry {
  seq: number;
  time: string;
  actor: { type: string; id: string; name: string };
  projectId: string;
  action: string;
  target: string;
  details: Record<string, unknown>;
  ip: string;
  outcome: 'success' | 'failure';
  hash: string;
}

/** `{ data }` lists of the governance API. */
interface List<T> {
  data: T[];
}

/** Some object answers come as `{ data: … }`, some bare: accept both. */
function unwrap<T>(body: unknown): T {
  const data = (body as { data?: unknown } | undefined)?.data;
  return (data !== undefined && data !== null && !Array.isArray(data) ? data : body) as T;
}

const id = encodeURIComponent;
const json = <T>(path: string, method: string, body?: unknown) => requestJson<T>(path, { method, body });

// Sign-in and sessions ----------------------------------------------------------------------

/** Authentication mode and session limits (public). */
export function fetchAuthConfig(signal?: AbortSignal): Promise<AuthConfig> {
  return requestJson('/api/v1/auth/config', { signal, isSignIn: true });
}

/** Who the caller is; a 401 (no session) is answered to the caller, not to the gate. */
export function fetchMe(signal?: AbortSignal): Promise<Me> {
  return requestJson('/api/v1/auth/me', { signal, isSignIn: true });
}

/** Signs in; sets the session cookie. */
export function signIn(username: string, password: string): Promise<SignedIn> {
  return requestJson('/api/v1/auth/login', {
    method: 'POST',
    body: { username, password },
    isSignIn: true,
  });
}

/** Ends the session. */
export function signOut(): Promise<unknown> {
  return requestJson('/api/v1/auth/logout', { method: 'POST', isSignIn: true });
}

/** Changes the signed-in user's password (their other sessions end). */
export function changePassword(
  currentPassword: string,
  newPassword: string,
): Promise<{ changed: boolean; otherSessionsEnded?: number }> {
  return json('/api/v1/auth/password', 'POST', { currentPassword, newPassword });
}

/** Accepts an invitation: sets the password and signs in. */
export function acceptInvite(input: {
  token: string;
  password: string;
  displayName?: string;
}): Promise<SignedIn> {
  return requestJson('/api/v1/auth/invites/accept', { method: 'POST', body: input, isSignIn: true });
}

// Projects ------------------------------------------------------------------------------------

/** Projects the caller can see, with their role. */
export async function fetchProjects(signal?: AbortSignal): Promise<ProjectAccess[]> {
  return (await requestJson<List<ProjectAccess>>('/api/v1/projects', { signal })).data;
}

/** Creates a project (instance administrators). */
export function createProject(project: { id: string; name: string }): Promise<ProjectAccess> {
  return json('/api/v1/projects', 'POST', project);
}

/** Renames a project. */
export function renameProject(projectId: string, name: string): Promise<{ id: string; name: string }> {
  return json(`/api/v1/projects/${id(projectId)}`, 'PATCH', { name });
}

// API keys ------------------------------------------------------------------------------------

/** The project's keys, revoked ones included. */
export async function fetchKeys(signal?: AbortSignal): Promise<ApiKey[]> {
  return (await requestJson<List<ApiKey>>('/api/v1/keys', { signal })).data;
}

/** Creates a key; the answer holds its secret, shown once. */
export function createKey(input: { name: string; role: Role; rateLimits?: RateLimits }): Promise<KeyWithSecret> {
  return json('/api/v1/keys', 'POST', input);
}

/** Replaces a key's secret; the answer holds the new one, shown once. */
export function rotateKey(keyId: string): Promise<KeyWithSecret> {
  return json(`/api/v1/keys/${id(keyId)}/rotate`, 'POST');
}

/** Revokes a key. */
export function revokeKey(keyId: string): Promise<ApiKey> {
  return json(`/api/v1/keys/${id(keyId)}`, 'DELETE');
}

// Members and invites -------------------------------------------------------------------------

/** The project's members. */
export async function fetchMembers(signal?: AbortSignal): Promise<Member[]> {
  return (await requestJson<List<Member>>('/api/v1/members', { signal })).data;
}

/** Changes a member's role. */
export function setMemberRole(userId: string, role: Role): Promise<unknown> {
  return json(`/api/v1/members/${id(userId)}`, 'PUT', { role });
}

/** Removes a member from the project. */
export function removeMember(userId: string): Promise<unknown> {
  return json(`/api/v1/members/${id(userId)}`, 'DELETE');
}

/** Pending invitations of the project. */
export async function fetchInvites(signal?: AbortSignal): Promise<Invite[]> {
  return (await requestJson<List<Invite>>('/api/v1/invites', { signal })).data;
}

/** Invites someone by login name. */
export function createInvite(input: { username: string; role: Role }): Promise<InviteResult> {
  return json('/api/v1/invites', 'POST', input);
}

/** Withdraws an invitation. */
export function deleteInvite(inviteId: string): Promise<unknown> {
  return json(`/api/v1/invites/${id(inviteId)}`, 'DELETE');
}

// Users (instance administrators) -------------------------------------------------------------

/** Every user of the instance. */
export async function fetchAccounts(signal?: AbortSignal): Promise<Account[]> {
  return (await requestJson<List<Account>>('/api/v1/admin/users', { signal })).data;
}

/** Creates a user; without a password the server generates one (answered once). */
export async function createAccount(input: {
  username: string;
  displayName?: string;
  password?: string;
  isAdmin?: boolean;
}): Promise<{ user: Account; password?: string }> {
  const body = await json<{ user?: Account; password?: string } & Partial<Account>>(
    '/api/v1/admin/users',
    'POST',
    input,
  );
  return { user: (body.user ?? unwrap<Account>(body)) as Account, password: body.password };
}

/** Changes a user's display name or administrator flag. */
export function updateAccount(userId: string, changes: { displayName?: string; isAdmin?: boolean }): Promise<unknown> {
  return json(`/api/v1/admin/users/${id(userId)}`, 'PATCH', changes);
}

/** Sets a new random password for a user; the answer holds it, shown once. */
export function resetPassword(userId: string): Promise<{ password: string }> {
  return json(`/api/v1/admin/users/${id(userId)}/reset-password`, 'POST');
}

/** Deletes a user (their memberships and sessions go with them). */
export function deleteAccount(userId: string): Promise<unknown> {
  return json(`/api/v1/admin/users/${id(userId)}`, 'DELETE');
}

// Redaction -----------------------------------------------------------------------------------

/** The project's redaction policy and what applies. */
export async function fetchRedaction(signal?: AbortSignal): Promise<RedactionSettings> {
  return unwrap(await requestJson('/api/v1/settings/redaction', { signal }));
}

/** Replaces the project's redaction policy. */
export async function saveRedaction(policy: RedactionPolicy): Promise<RedactionSettings> {
  return unwrap(await json('/api/v1/settings/redaction', 'PUT', policy));
}

/** Redacts a sample text with the saved policy, or with `policy` when given. */
export async function testRedaction(
  text: string,
  policy?: RedactionPolicy,
  signal?: AbortSignal,
): Promise<{ redacted: string; counts: Record<string, number> }> {
  return unwrap(
    await requestJson('/api/v1/settings/redaction/test', { method: 'POST', body: { text, policy }, signal }),
  );
}

// Retention and erasure -----------------------------------------------------------------------

/** The project's retention policy. */
export async function fetchRetention(signal?: AbortSignal): Promise<RetentionSettings> {
  return unwrap(await requestJson('/api/v1/settings/retention', { signal }));
}

/** Sets the project's retention policy. */
export async function saveRetention(policy: {
  telemetryDays: number;
  contentDays: number;
}): Promise<RetentionSettings> {
  return unwrap(await json('/api/v1/settings/retention', 'PUT', policy));
}

/** Applies the retention policy now. */
export async function sweepRetention(): Promise<Record<string, unknown>> {
  return unwrap(await json('/api/v1/retention/sweep', 'POST'));
}

/** Erases every record of a trace, user or session in the project. */
export async function requestErasure(subject: ErasureSubject): Promise<ErasureReceipt> {
  return unwrap(await json('/api/v1/erasures', 'POST', subject));
}

/** Erasure receipts, newest first. */
export function fetchErasures(
  query: Query,
  signal?: AbortSignal,
): Promise<{ data: ErasureReceipt[]; nextCursor: string | null }> {
  return requestJson(`/api/v1/erasures${toSearch(query)}`, { signal });
}

// Audit log -----------------------------------------------------------------------------------

/** A page of the audit log, newest first. */
export function fetchAudit(
  query: Query,
  signal?: AbortSignal,
): Promise<{ data: AuditEntry[]; nextCursor: string | number | null }> {
  return requestJson(`/api/v1/audit${toSearch(query)}`, { signal });
}

/** Checks the audit log's hash chain (instance administrators). */
export function verifyAudit(signal?: AbortSignal): Promise<{ ok: boolean; checked: number; brokenAt?: number }> {
  return requestJson('/api/v1/audit/verify', { signal });
}
