/**
 * The signed-in state the console shares: who the caller is, the selected project and their
 * role there. The selection is kept in localStorage; the "was signed in" flag tells a session
 * that expired from a first visit.
 */

import type { Me, ProjectAccess } from '@argus/shared';
import { createContext, useContext } from 'react';
import { deniedReason, type Need, type Standing } from '../../lib/roles.ts';

/** What {@link useAuth} gives. */
export interface AuthValue {
  me: Me;
  /** The selected project's id (sent as `x-argus-project`). */
  projectId: string;
  /** The selected project, when the caller can see it. */
  project: ProjectAccess | undefined;
  standing: Standing;
  /** Switches project: every page reloads its data. */
  selectProject: (projectId: string) => void;
  /** Re-reads `/auth/me` (after creating or renaming a project), then selects `projectId` when given. */
  reload: (projectId?: string) => Promise<void>;
  signOut: () => void;
}

/** Provided by the sign-in gate once the session is known. */
export const AuthContext = createContext<AuthValue | undefined>(undefined);

/** The session; only inside the gate. */
export function useAuth(): AuthValue {
  const value = useContext(AuthContext);
  if (!value) throw new Error('Cannot read the session: useAuth() is used outside the sign-in gate');
  return value;
}

/** Whether the caller may use a control, and the tooltip when not. */
export function useCan(need: Need): { isAllowed: boolean; reason: string | undefined } {
  const reason = deniedReason(useAuth().standing, need);
  return { isAllowed: reason === undefined, reason };
}

/** The signed-in user's id; undefined for an API key or open mode. */
export function useSelfId(): string | undefined {
  const { principal } = useAuth().me;
  return principal.kind === 'user' ? principal.id : undefined;
}

const PROJECT_KEY = 'argus-project';
const SIGNED_IN_KEY = 'argus-signed-in';

function storage(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined;
  }
}

/** The project chosen earlier in this browser. */
export function storedProject(): string | undefined {
  return storage()?.getItem(PROJECT_KEY) ?? undefined;
}

/** Remembers the chosen project. */
export function storeProject(projectId: string): void {
  try {
    storage()?.setItem(PROJECT_KEY, projectId);
  } catch {
    // Private mode or a full quota: the choice lasts for this page only.
  }
}

/** True when this browser signed in and did not sign out (a 401 then means the session expired). */
export function wasSignedIn(): boolean {
  return storage()?.getItem(SIGNED_IN_KEY) === '1';
}

/** Records a sign-in (true) or a sign-out (false). */
export function markSignedIn(isSignedIn: boolean): void {
  try {
    if (isSignedIn) storage()?.setItem(SIGNED_IN_KEY, '1');
    else storage()?.removeItem(SIGNED_IN_KEY);
  } catch {
    // Without storage an expired session reads as a first visit.
  }
}

/**
 * The project to act on: the stored choice when the caller can still see it, else the server's
 * default for them, else their first project; undefined when they can see none.
 */
export function pickProject(me: Pick<Me, 'projects' | 'currentProject'>, stored: string | undefined) {
  const visible = (id: string | undefined) => (id ? me.projects.find((p) => p.id === id) : undefined);
  return (visible(stored) ?? visible(me.currentProject) ?? me.projects[0])?.id;
}
