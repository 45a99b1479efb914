/** Changing the signed-in user's password: current one, new one twice; other sessions end. */
import { type FormEvent, useState } from 'react';
import { changePassword } from '../../api-account.ts';
import { Dialog } from '../../components/Dialog.tsx';
import { ErrorBox } from '../../components/States.tsx';
import { MIN_PASSWORD_CHARS, passwordProblem } from './account-forms.ts';

/** The dialog. */
export function ChangePasswordDialog({ onClose }: { onClose: () => void }) {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const [problem, setProblem] = useState<string | undefined>();
  const [error, setError] = useState<Error | undefined>();
  const [done, setDone] = useState<number | undefined>();
  const [isBusy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const found = passwordProblem(next, confirmation);
    setProblem(found);
    setError(undefined);
    if (found) return;
    setBusy(true);
    try {
      const result = await changePassword(current, next);
      setDone(result.otherSessionsEnded ?? 0);
    } catch (e) {
      setError(e as Error);
    }
    setBusy(false);
  };
  if (done !== undefined)
    return (
      <Dialog
        title="Password changed"
        onClose={onClose}
        footer={
          <button type="button" className="btn primary" onClick={onClose}>
            Done
          </button>
        }
      >
        <p role="status">
          Your password is changed.{' '}
          {done > 0
            ? `${done} other session${done === 1 ? '' : 's'} of yours ended; sign in there again.`
            : 'You had no other sessions.'}
        </p>
      </Dialog>
    );
  return (
    <Dialog title="Change password" onClose={onClose}>
      <form className="stack" aria-label="Change password" onSubmit={(e) => void submit(e)}>
        <label className="field">
          Current password
          <input
            className="input"
            type="password"
            name="currentPassword"
            autoComplete="current-password"
            required
            value={current}
            onChange={(e) => setCurrent(e.target.value)}
          />
        </label>
        <label className="field">
          New password (at least {MIN_PASSWORD_CHARS} characters)
          <input
            className="input"
            type="password"
            name="newPassword"
            autoComplete="new-password"
            required
            value={next}
            onChange={(e) => {
              setNext(e.target.value);
              setProblem(undefined);
            }}
          />
        </label>
        <label className="field">
          New password again
          <input
            className="input"
            type="password"
            name="confirmation"
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
        <p className="faint small-print">Your other signed-in sessions end when the password changes.</p>
        <div className="row end">
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="btn primary" disabled={isBusy}>
            {isBusy ? 'Changing…' : 'Change password'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
