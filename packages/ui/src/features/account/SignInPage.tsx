/** The sign-in page: username and password, the server's answer in plain words, the rate-limit wait. */
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { ApiError } from '../../api.ts';
import { fetchAuthConfig, signIn } from '../../api-account.ts';
import { SubmitButton, TextField } from '../../components/FormControls.tsx';
import { ProblemBox } from '../../components/States.tsx';
import { formatSeconds } from '../../lib/format.ts';
import { navigate } from '../../lib/navigation.ts';
import { AuthCard } from './AuthCard.tsx';
import { signInError } from './account-forms.ts';
import { ssoErrorMessage, ssoErrorOf, ssoStartHref } from './sso.ts';

/** Why the page is shown, when not a first visit. */
export type SignInNotice = 'expired' | 'signed-out';

/** The page. */
export function SignInPage({
  notice,
  onSignedIn,
}: {
  notice: SignInNotice | undefined;
  onSignedIn: (csrfToken: string) => void;
}) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [isBusy, setBusy] = useState(false);
  const [error, setError] = useState<Error | undefined>();
  const [retryAt, setRetryAt] = useState<number | undefined>();
  const [isNoticeShown, setNoticeShown] = useState(true);
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (retryAt === undefined) return;
    const id = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(id);
  }, [retryAt]);
  const usernameInput = useRef<HTMLInputElement>(null);
  useEffect(() => {
    document.title = 'Sign in · Argus';
    usernameInput.current?.focus();
  }, []);
  // Single sign-on: the button when the server has a provider, and a failed SSO sign-in's reason
  // (the server redirects to /sign-in?error=<code>; the URL is then set back to /).
  const [sso, setSso] = useState<{ name: string } | undefined>();
  const [ssoError] = useState(() => ssoErrorOf(window.location.pathname, window.location.search));
  useEffect(() => {
    if (ssoError) navigate('/', { replace: true });
    const abort = new AbortController();
    fetchAuthConfig(abort.signal)
      .then((config) => setSso(config.sso?.enabled ? { name: config.sso.name } : undefined))
      .catch(() => undefined);
    return () => abort.abort();
  }, [ssoError]);
  const waitSeconds = retryAt === undefined ? 0 : Math.ceil((retryAt - now) / 1000);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    setNoticeShown(false);
    try {
      const result = await signIn(username.trim(), password);
      onSignedIn(result.csrfToken);
    } catch (e) {
      setError(e as Error);
      setPassword('');
      const retry = e instanceof ApiError ? e.retryAfterSeconds : undefined;
      setNow(Date.now());
      setRetryAt(retry ? Date.now() + retry * 1000 : undefined);
      setBusy(false);
    }
  };
  return (
    <AuthCard title="Sign in" label="Sign in" onSubmit={submit}>
      {isNoticeShown && notice === 'expired' && (
        <div className="notice" role="status">
          Your session has expired. Sign in again to continue where you were.
        </div>
      )}
      {isNoticeShown && notice === 'signed-out' && (
        <div className="notice" role="status">
          You have signed out.
        </div>
      )}
      {isNoticeShown && ssoError && (
        <ProblemBox title="Cannot sign in with single sign-on">{ssoErrorMessage(ssoError)}</ProblemBox>
      )}
      <TextField
        label="Username"
        ref={usernameInput}
        name="username"
        autoComplete="username"
        required
        value={username}
        onValue={setUsername}
      />
      <TextField
        label="Password"
        name="password"
        type="password"
        autoComplete="current-password"
        required
        value={password}
        onValue={setPassword}
      />
      {error && (
        <ProblemBox title="Cannot sign in">
          {signInError(error)}
          {waitSeconds > 0 && ` Try again in ${formatSeconds(waitSeconds)}.`}
        </ProblemBox>
      )}
      <SubmitButton isBusy={isBusy} busyLabel="Signing in…" isDisabled={waitSeconds > 0}>
        Sign in
      </SubmitButton>
      {sso && (
        <a
          className="btn sso"
          href={ssoStartHref(window.location.pathname + window.location.search + window.location.hash)}
        >
          Sign in with {sso.name}
        </a>
      )}
      <p className="faint small-print">
        Forgot your password? An instance administrator can reset it under Settings → Users. The first
        administrator's password is printed when the server first starts (or set with ARGUS_ADMIN_PASSWORD).
      </p>
    </AuthCard>
  );
}
