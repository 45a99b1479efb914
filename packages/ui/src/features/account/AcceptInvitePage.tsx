/**
 * `/accept-invite#token=…`: the invited person chooses a password (and a display name) and is
 * signed in. The token travels in the fragment, so it never reaches server logs or referrers.
 */
import { type FormEvent, useEffect, useState } from 'react';
import { setCsrfToken } from '../../api.ts';
import { acceptInvite } from '../../api-account.ts';
import { SubmitButton, TextField } from '../../components/FormControls.tsx';
import { Link } from '../../components/Link.tsx';
import { ErrorBox, ProblemBox } from '../../components/States.tsx';
import { navigate } from '../../lib/navigation.ts';
import { useAction } from '../../lib/use-action.ts';
import { AuthCard } from './AuthCard.tsx';
import { inviteToken } from './account-forms.ts';
import { markSignedIn } from './auth-context.ts';
import { NewPasswordFields, useNewPassword } from './NewPasswordFields.tsx';

/** The page. */
export function AcceptInvitePage() {
  const [token] = useState(() => inviteToken(window.location.hash));
  const [displayName, setDisplayName] = useState('');
  const newPassword = useNewPassword();
  // Signed in, the page goes: the button stays busy until then.
  const { isBusy, error, setError, run } = useAction({ shouldStayBusy: true });
  useEffect(() => {
    document.title = 'Accept invitation · Argus';
  }, []);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    if (!newPassword.check() || !token) return;
    await run(async () => {
      const result = await acceptInvite({
        token,
        password: newPassword.password,
        displayName: displayName.trim() || undefined,
      });
      markSignedIn(true);
      setCsrfToken(result.csrfToken);
      navigate('/', { replace: true });
    });
  };
  return (
    <AuthCard title="Accept your invitation" label="Accept invitation" onSubmit={submit}>
      {!token ? (
        <ProblemBox title="This invitation link is incomplete">
          It has no token. Open the full link you were sent, or ask the project's administrator for a new
          invitation.
        </ProblemBox>
      ) : (
        <>
          <p className="muted">
            Choose a password to finish creating your account; you are signed in right after.
          </p>
          <TextField
            label="Display name (optional)"
            name="displayName"
            autoComplete="name"
            value={displayName}
            onValue={setDisplayName}
          />
          <NewPasswordFields state={newPassword} label="Password" name="password" />
          {error && <ErrorBox error={error} />}
          {error && (
            <p className="faint small-print">
              Invitation links work once and expire; if this one is used up, ask for a new invitation.
            </p>
          )}
          <SubmitButton isBusy={isBusy} busyLabel="Creating your account…">
            Accept and sign in
          </SubmitButton>
        </>
      )}
      <p className="faint small-print">
        Already have an account? <Link to="/">Sign in</Link>
      </p>
    </AuthCard>
  );
}
