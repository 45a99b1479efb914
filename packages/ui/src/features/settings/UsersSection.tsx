/** Settings → Users (instance administrators): create, grant or withdraw instance admin, reset passwords, delete. */

import type { Account } from '@argus/shared';
import { type FormEvent, useState } from 'react';
import {
  createAccount,
  deleteAccount,
  fetchAccounts,
  resetPassword,
  updateAccount,
} from '../../api-governance.ts';
import { AcknowledgeDialog } from '../../components/AcknowledgeDialog.tsx';
import { type ConfirmText, useConfirmedActions } from '../../components/ConfirmDialog.tsx';
import { ActionsCell, RowButton } from '../../components/DataTable.tsx';
import { SubmitButton, TextField } from '../../components/FormControls.tsx';
import { CopyableCode } from '../../components/Snippet.tsx';
import { Empty, ErrorBox } from '../../components/States.tsx';
import { formatTime } from '../../lib/format.ts';
import { useRefresh } from '../../lib/refresh.ts';
import { useAction } from '../../lib/use-action.ts';
import { useApi } from '../../lib/use-api.ts';
import { useSelfId } from '../account/auth-context.ts';
import { SettingsPanel, TablePanel } from './SettingsPanel.tsx';
import { UserCell } from './UserCell.tsx';

function PasswordDialog({
  username,
  password,
  onClose,
}: {
  username: string;
  password: string;
  onClose: () => void;
}) {
  return (
    <AcknowledgeDialog
      title={`Password of ${username}`}
      label="New password"
      buttonLabel="I have passed it on"
      warning={
        <>
          Give this password to {username} over a safe channel: it is shown only now. They can change it under
          their account menu → Change password.
        </>
      }
      onClose={onClose}
    >
      <div className="row nowrap">
        <CopyableCode text={password} label="Copy password" testId="generated-password" isSecret />
      </div>
    </AcknowledgeDialog>
  );
}

function NewUserForm({ onCreated }: { onCreated: (user: Account, password?: string) => void }) {
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [isAdmin, setAdmin] = useState(false);
  const { isBusy, error, run } = useAction();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    await run(async () => {
      const created = await createAccount({
        username: username.trim(),
        displayName: displayName.trim() || undefined,
        isAdmin,
      });
      setUsername('');
      setDisplayName('');
      setAdmin(false);
      onCreated(created.user, created.password);
    });
  };
  return (
    <form className="stack" aria-label="New user" onSubmit={(e) => void submit(e)}>
      <div className="row form-row">
        <TextField
          label="Username"
          width="grow"
          name="newUsername"
          required
          maxLength={64}
          value={username}
          onValue={setUsername}
        />
        <TextField
          label="Display name (optional)"
          width="grow"
          name="newDisplayName"
          maxLength={100}
          value={displayName}
          onValue={setDisplayName}
        />
        <label className="check">
          <input type="checkbox" checked={isAdmin} onChange={(e) => setAdmin(e.target.checked)} />
          Instance administrator
        </label>
        <SubmitButton isBusy={isBusy} busyLabel="Creating…" isDisabled={!username.trim()}>
          Create user
        </SubmitButton>
      </div>
      <span className="faint">
        A random password is generated and shown once. To give someone access to a project, invite them from
        that project's Members &amp; invites page instead: they choose their own password.
      </span>
      {error && <ErrorBox error={error} />}
    </form>
  );
}

/** What resetting a password and deleting a user ask before they run. */
const CONFIRMS: Record<'reset' | 'delete', (user: Account) => ConfirmText> = {
  reset: (user) => ({
    title: `Reset the password of ${user.username}?`,
    confirmLabel: 'Reset password',
    message: 'A new random password replaces the current one, and every session of this user ends.',
  }),
  delete: (user) => ({
    title: `Delete ${user.username}?`,
    confirmLabel: 'Delete user',
    isDanger: true,
    message:
      'The account, its project memberships and its sessions are deleted. Audit entries naming it stay.',
  }),
};

/** The section. */
export function UsersSection() {
  const selfId = useSelfId();
  const { tick } = useRefresh();
  const users = useApi(`users:${tick}`, (signal) => fetchAccounts(signal));
  const { error, run } = useAction();
  const [password, setPassword] = useState<{ username: string; password: string } | undefined>();
  const confirmed = useConfirmedActions({
    texts: CONFIRMS,
    run: async (user: Account, action) => {
      if (action === 'reset') {
        const result = await resetPassword(user.id);
        setPassword({ username: user.username, password: result.password });
      } else {
        await deleteAccount(user.id);
      }
    },
    onDone: users.reload,
  });
  const toggleAdmin = async (user: Account) => {
    await run(() => updateAccount(user.id, { isAdmin: !user.isAdmin }));
    users.reload();
  };
  return (
    <>
      <SettingsPanel title="New user">
        <NewUserForm
          onCreated={(user, generated) => {
            if (generated) setPassword({ username: user.username, password: generated });
            users.reload();
          }}
        />
      </SettingsPanel>
      <TablePanel
        title="Users of this instance"
        label="Users"
        state={users}
        loading="Loading users…"
        empty={<Empty title="No users">Create one above.</Empty>}
        notice={error && <ErrorBox error={error} />}
        table="Users table"
        columns={['Username', 'Display name', 'Instance admin', 'Created', '']}
      >
        {(u) => (
          <tr key={u.id} data-user={u.username}>
            <UserCell username={u.username} isSelf={u.id === selfId} />
            <td>{u.displayName || '—'}</td>
            <td>
              <label className="check">
                <input
                  type="checkbox"
                  checked={u.isAdmin}
                  disabled={u.id === selfId}
                  title={u.id === selfId ? 'You cannot withdraw your own administrator rights' : undefined}
                  aria-label={`${u.username} is an instance administrator`}
                  onChange={() => void toggleAdmin(u)}
                />
                {u.isAdmin ? 'yes' : 'no'}
              </label>
            </td>
            <td>{formatTime(u.createdAt)}</td>
            <ActionsCell>
              <RowButton onClick={() => confirmed.ask(u, 'reset')}>Reset password</RowButton>
              {u.id !== selfId && (
                <RowButton isDanger onClick={() => confirmed.ask(u, 'delete')}>
                  Delete
                </RowButton>
              )}
            </ActionsCell>
          </tr>
        )}
      </TablePanel>
      {confirmed.dialog}
      {password && (
        <PasswordDialog
          username={password.username}
          password={password.password}
          onClose={() => setPassword(undefined)}
        />
      )}
    </>
  );
}
