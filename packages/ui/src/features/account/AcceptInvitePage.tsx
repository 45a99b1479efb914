/**
 * `/accept-invite#token=…`: the invited person chooses a password (and a display name) and is
 * signed in. The token travels in the fragment, so it never reaches server logs or referrers.
 */
import { type FormEvent, useEffect, useState } from 'react';
import { setCsrfToken } from '../../api.ts';
import { acceptInvite } from '../../api-account.ts';
import { Icons } from '../../components/Icons.tsx';
import { Link } from '../../components/Link.tsx';
import { ErrorBox } from '../../components/States.tsx';
import { navigate } from '../../lib/navigation.ts';
import { inviteToken, MIN_PASSWORD_CHARS, passwordProblem } from './account-forms.ts';
import { markSignedIn } from './auth-context.ts';

/** The page. */
export function AcceptInvitePage() {
  const [token] = useState(() => inviteToken(window.location.hash));
  const [displayName, setDisplayName] = useState('');
  const [password, setPassword] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const [problem, setProblem] = useState<string | undefined>();
  const [error, setError] = useState<Error | undefined>();
  const [isBusy, setBusy] = useState(false);
  useEffect(() => {
    document.title = 'Accept invitation · Argus';
  }, []);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const found = passwordProblem(password, confirmation);
    setProblem(found);
    setError(undefined);
    if (found || !token) return;
    setBusy(true);
    try {
      const result = await acceptInvite({ token, password, displayName: displayName.trim() || undefined });
      markSignedIn(true);
      setCsrfToken(result.csrfToken);
      navigate('/', { replace: true });
    } catch (e) {
      setError(e as Error);
      setBusy(false);
    }
  };
  return (
    <div className="auth-page">
      <form className="auth-card panel" aria-label="Accept invitation" onSubmit={(e) => void submit(e)}>
        <div className="auth-brand">
          <Icons.logo />
          <span>Argus</span>
        </div>
        <h1>Accept your invitation</h1>
        {!token ? (
          <div className="error-box" role="alert">
            <div>
              <strong>This invitation link is incomplete</strong>
              <div>
                It has no token. Open the full link you were sent, or ask the project's administrator for a
                new invitation.
              </div>
            </div>
          </div>
        ) : (
          <>
            <p className="muted">
              Choose a password to finish creating your account; you are signed in right after.
            </p>
            <label className="field">
              Display name (optional)
              <input
                className="input"
                name="displayName"
                autoComplete="name"
                value={displayName}
                onChange={(e) => setDisplayName(e.target.value)}
              />
            </label>
            <label className="field">
              Password (at least {MIN_PASSWORD_CHARS} characters)
              <input
                className="input"
                name="password"
                type="password"
                autoComplete="new-password"
                required
                value={password}
                onChange={(e) => {
                  setPassword(e.target.value);
                  setProblem(undefined);
                }}
              />
            </label>
            <label className="field">
              Password again
              <input
                className="input"
                name="confirmation"
                type="password"
                autoComplete="new-password"
                required
                value={confirmation}
                onChange={(e) => {
                  setConfirmation(e.target.value);
                  setProblem(undefined);
                }}
              />
            </label>
            {problem && (
              <div className="field-error" role="alert">
                {problem}
              </div>
            )}
            {error && <ErrorBox error={error} />}
            {error && (
              <p className="faint small-print">
                Invitation links work once and expire; if this one is used up, ask for a new invitation.
              </p>
            )}
            <button type="submit" className="btn primary" disabled={isBusy}>
              {isBusy ? 'Creating your account…' : 'Accept and sign in'}
            </button>
          </>
        )}
        <p className="faint small-print">
          Already have an account? <Link to="/">Sign in</Link>
        </p>
      </form>
    </div>
  );
}
