/** Changing the signed-in user's password: current one, new one twice; other sessions end. */
import { type FormEvent, useState } from 'react';
import { changePassword } from '../../api-account.ts';
import { AcknowledgeDialog } from '../../components/AcknowledgeDialog.tsx';
import { Dialog } from '../../components/Dialog.tsx';
import { SubmitButton, TextField } from '../../components/FormControls.tsx';
import { ErrorBox } from '../../components/States.tsx';
import { useAction } from '../../lib/use-action.ts';
import { NewPasswordFields, useNewPassword } from './NewPasswordFields.tsx';

/** The dialog. */
export function ChangePasswordDialog({ onClose }: { onClose: () => void }) {
  const [current, setCurrent] = useState('');
  const next = useNewPassword();
  const [done, setDone] = useState<number | undefined>();
  const { isBusy, error, setError, run } = useAction();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    if (!next.check()) return;
    await run(async () => {
      const result = await changePassword(current, next.password);
      setDone(result.otherSessionsEnded ?? 0);
    });
  };
  if (done !== undefined)
    return (
      <AcknowledgeDialog title="Password changed" onClose={onClose}>
        <p role="status">
          Your password is changed.{' '}
          {done > 0
            ? `${done} other session${done === 1 ? '' : 's'} of yours ended; sign in there again.`
            : 'You had no other sessions.'}
        </p>
      </AcknowledgeDialog>
    );
  return (
    <Dialog title="Change password" onClose={onClose}>
      <form className="stack" aria-label="Change password" onSubmit={(e) => void submit(e)}>
        <TextField
          label="Current password"
          type="password"
          name="currentPassword"
          autoComplete="current-password"
          required
          value={current}
          onValue={setCurrent}
        />
        <NewPasswordFields state={next} label="New password" name="newPassword" />
        {error && <ErrorBox error={error} />}
        <p className="faint small-print">Your other signed-in sessions end when the password changes.</p>
        <div className="row end">
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <SubmitButton isBusy={isBusy} busyLabel="Changing…">
            Change password
          </SubmitButton>
        </div>
      </form>
    </Dialog>
  );
}
