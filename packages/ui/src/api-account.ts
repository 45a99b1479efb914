/**
 * The account API: the session (who am I, sign-in, sign-out, password, invitation acceptance)
 * and projects. Part of the console's first load; the rest of governance (keys, members, users,
 * redaction, retention, audit) is in `api-governance.ts`, loaded with Settings.
 */
import type { AuthConfig, Me, ProjectAccess, SignedIn } from '@argus/shared';
import { ApiError, requestJson } from './api.ts';

const id = encodeURIComponent;
const json = <T>(path: string, method: string, body?: unknown) => requestJson<T>(path, { method, body });

// Sign-in and sessions ----------------------------------------------------------------------

/** Authentication mode and session limits (public). */
export function fetchAuthConfig(signal?: AbortSignal): Promise<AuthConfig> {
  return requestJson('/api/v1/auth/config', { signal, isSignIn: true });
}

/**
 * Who the caller is, or null when there is no session: never signed in (the server answers
 * `principal: null`) or a session that ended (401, answered here rather than to the gate).
 */
export async function fetchMe(signal?: AbortSignal): Promise<Me | null> {
  try {
    const me = await requestJson<Me | (Omit<Me, 'principal'> & { principal: null })>('/api/v1/auth/me', {
      signal,
      isSignIn: true,
    });
    return me.principal === null ? null : (me as Me);
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return null;
    throw error;
  }
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

/** Creates a project (instance administrators). */
export function createProject(project: { id: string; name: string }): Promise<ProjectAccess> {
  return json('/api/v1/projects', 'POST', project);
}

/** Renames a project. */
export function renameProject(projectId: string, name: string): Promise<{ id: string; name: string }> {
  return json(`/api/v1/projects/${id(projectId)}`, 'PATCH', { name });
}
