/**
 * The sign-in gate around the console: reads the session (`/auth/me`), shows the sign-in page
 * when there is none or it ended (any request answering 401), and provides the session, the
 * selected project and the caller's role to the pages. The URL is left alone, so signing in
 * again returns to the page the user was on.
 */

import type { Me } from '@argus/shared';
import { type ReactNode, Suspense, useCallback, useEffect, useMemo, useState } from 'react';
import { setCsrfToken, setRequestProject, setUnauthorizedHandler } from '../../api.ts';
import { fetchMe, signOut as requestSignOut } from '../../api-account.ts';
import { ErrorBox, Loading } from '../../components/States.tsx';
import { lazyNamed } from '../../lib/lazy.ts';
import {
  AuthContext,
  type AuthValue,
  markSignedIn,
  pickProject,
  storedProject,
  storeProject,
  wasSignedIn,
} from './auth-context.ts';
import { NoProjectPage } from './NoProjectPage.tsx';
import type { SignInNotice } from './SignInPage.tsx';

const SignInPage = lazyNamed(() => import('./SignInPage.tsx'), 'SignInPage');

type GateState =
  | { status: 'loading' }
  | { status: 'error'; error: Error }
  | { status: 'signed-out'; notice: SignInNotice | undefined }
  | { status: 'ready'; me: Me; projectId: string | undefined };

let pending: Promise<Me | null> | undefined;

/** Starts reading the session before React renders (the first page load waits on it). */
export function prefetchSession(): void {
  pending ??= fetchMe();
  pending.catch(() => {});
}

function takeSession(): Promise<Me | null> {
  const promise = pending ?? fetchMe();
  pending = promise;
  const clear = () => {
    if (pending === promise) pending = undefined;
  };
  promise.then(clear, clear);
  return promise;
}

/** The sign-in page when there is no session: "expired" when this browser had signed in, else a first visit. */
function sessionGone(): GateState {
  return { status: 'signed-out', notice: wasSignedIn() ? 'expired' : undefined };
}

/** The gate. */
export function AuthGate({ children }: { children: ReactNode }) {
  const [state, setState] = useState<GateState>({ status: 'loading' });

  const apply = useCallback((me: Me) => {
    setCsrfToken(me.csrfToken ?? undefined);
    const projectId = pickProject(me, storedProject());
    setRequestProject(projectId);
    setState({ status: 'ready', me, projectId });
  }, []);

  const load = useCallback(
    async (read: () => Promise<Me | null> = fetchMe) => {
      try {
        const me = await read();
        if (me) apply(me);
        else {
          setCsrfToken(undefined);
          setState(sessionGone());
        }
      } catch (error) {
        if ((error as Error).name !== 'AbortError') setState({ status: 'error', error: error as Error });
      }
    },
    [apply],
  );

  useEffect(() => {
    void load(takeSession);
    setUnauthorizedHandler(() => {
      setCsrfToken(undefined);
      setState((s) => (s.status === 'signed-out' ? s : sessionGone()));
    });
    return () => setUnauthorizedHandler(undefined);
  }, [load]);

  const signOut = useCallback(() => {
    markSignedIn(false);
    requestSignOut()
      .catch(() => undefined)
      .finally(() => {
        setCsrfToken(undefined);
        setState({ status: 'signed-out', notice: 'signed-out' });
      });
  }, []);

  const value = useMemo<AuthValue | undefined>(() => {
    if (state.status !== 'ready' || state.projectId === undefined) return undefined;
    const { me, projectId } = state;
    const project = me.projects.find((p) => p.id === projectId);
    return {
      me,
      projectId,
      project,
      standing: { role: project?.role, instanceAdmin: me.instanceAdmin },
      selectProject: (id: string) => {
        storeProject(id);
        setRequestProject(id);
        setState({ status: 'ready', me, projectId: id });
      },
      reload: (select?: string) => {
        if (select) storeProject(select);
        return load();
      },
      signOut,
    };
  }, [state, load, signOut]);

  if (state.status === 'loading') return <Loading label="Loading Argus…" />;
  if (state.status === 'error')
    return (
      <div className="gate-error">
        <ErrorBox error={state.error} onRetry={() => void load()} />
      </div>
    );
  if (state.status === 'signed-out')
    return (
      <Suspense fallback={<Loading />}>
        <SignInPage
          notice={state.notice}
          onSignedIn={(csrfToken) => {
            markSignedIn(true);
            setCsrfToken(csrfToken);
            void load();
          }}
        />
      </Suspense>
    );
  if (!value) return <NoProjectPage me={state.me} onSignOut={signOut} />;
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}
