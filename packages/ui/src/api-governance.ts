/**
 * The governance API: API keys, members and invites, users, redaction, retention, erasure and
 * the audit log (the session and projects are in `api-account.ts`). Every call goes through the
 * one fetch wrapper of `api.ts` (project and CSRF headers, 401 handling).
 */

import type {
  Account,
  ApiKey,
  AuditEntry,
  ErasureReceipt,
  ErasureSubject,
  Invite,
  InviteResult,
  KeyWithSecret,
  Member,
  RateLimits,
  RedactionPolicy,
  RedactionSettings,
  RetentionPolicy,
  RetentionSettings,
  Role,
  SweepReport,
} from '@argus/shared';
import { type Query, requestJson, toSearch } from './api.ts';

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

// API keys ------------------------------------------------------------------------------------

/** The project's keys, revoked ones included. */
export async function fetchKeys(signal?: AbortSignal): Promise<ApiKey[]> {
  return (await requestJson<List<ApiKey>>('/api/v1/keys', { signal })).data;
}

/** Creates a key; the answer holds its secret, shown once. */
export function createKey(input: {
  name: string;
  role: Role;
  rateLimits?: RateLimits;
}): Promise<KeyWithSecret> {
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
export function updateAccount(
  userId: string,
  changes: { displayName?: string; isAdmin?: boolean },
): Promise<unknown> {
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
export async function saveRetention(policy: RetentionPolicy): Promise<RetentionSettings> {
  return unwrap(await json('/api/v1/settings/retention', 'PUT', policy));
}

/** Applies the retention policy now. */
export async function sweepRetention(): Promise<SweepReport> {
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
export function verifyAudit(
  signal?: AbortSignal,
): Promise<{ ok: boolean; checked: number; brokenAt?: number }> {
  return requestJson('/api/v1/audit/verify', { signal });
}
