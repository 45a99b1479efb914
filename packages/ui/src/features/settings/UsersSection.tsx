/** Settings → Users (instance administrators): create, grant or withdraw instance admin, reset passwords, delete. */
import { type FormEvent, useState } from 'react';
import type { Account } from '../../api-account.ts';
import {
  createAccount,
  deleteAccount,
  fetchAccounts,
  resetPassword,
  updateAccount,
} from '../../api-governance.ts';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { CopyButton } from '../../components/CopyButton.tsx';
import { Dialog } from '../../components/Dialog.tsx';
import { Async, Empty, ErrorBox } from '../../components/States.tsx';
import { formatTime } from '../../lib/format.ts';
import { useRefresh } from '../../lib/refresh.ts';
import { useApi } from '../../lib/use-api.ts';
import { useAuth } from '../account/auth-context.ts';
import { SettingsPanel } from './SettingsPanel.tsx';

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
    <Dialog
      title={`Password of ${username}`}
      label="New password"
      onClose={onClose}
      footer={
        <button type="button" className="btn primary" onClick={onClose}>
          I have passed it on
        </button>
      }
    >
      <div className="stack">
        <div className="notice warn" role="status">
          Give this password to {username} over a safe channel: it is shown only now. They can change it under
          their account menu → Change password.
        </div>
        <div className="row nowrap">
          <code className="secret" data-testid="generated-password">
            {password}
          </code>
          <CopyButton text={password} label="Copy password" />
        </div>
      </div>
    </Dialog>
  );
}

function NewUserForm({ onCreated }: { onCreated: (user: Account, password?: string) => void }) {
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [isAdmin, setAdmin] = useState(false);
  const [error, setError] = useState<Error | undefined>();
  const [isBusy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const created = await createAccount({
        username: username.trim(),
        displayName: displayName.trim() || undefined,
        isAdmin,
      });
      setUsername('');
      setDisplayName('');
      setAdmin(false);
      onCreated(created.user, created.password);
    } catch (e) {
      setError(e as Error);
    }
    setBusy(false);
  };
  return (
    <form className="stack" aria-label="New user" onSubmit={(e) => void submit(e)}>
      <div className="row form-row">
        <label className="field grow">
          Username
          <input
            className="input"
            name="newUsername"
            required
            maxLength={64}
            value={username}
            onChange={(e) => setUsername(e.target.value)}
          />
        </label>
        <label className="field grow">
          Display name (optional)
          <input
            className="input"
            name="newDisplayName"
            maxLength={100}
            value={displayName}
            onChange={(e) => setDisplayName(e.target.value)}
          />
        </label>
        <label className="check">
          <input type="checkbox" checked={isAdmin} onChange={(e) => setAdmin(e.target.checked)} />
          Instance administrator
        </label>
        <button type="submit" className="btn primary" disabled={isBusy || !username.trim()}>
          {isBusy ? 'Creating…' : 'Create user'}
        </button>
      </div>
      <span className="faint">
        A random password is generated and shown once. To give someone access to a project, invite them from
        that project's Members &amp; invites page instead: they choose their own password.
      </span>
      {error && <ErrorBox error={error} />}
    </form>
  );
}

/** The section. */
export function UsersSection() {
  const { me } = useAuth();
  const { tick } = useRefresh();
  const users = useApi(`users:${tick}`, (signal) => fetchAccounts(signal));
  const [error, setError] = useState<Error | undefined>();
  const [password, setPassword] = useState<{ username: string; password: string } | undefined>();
  const [confirm, setConfirm] = useState<{ user: Account; action: 'reset' | 'delete' } | undefined>();
  const selfId = me.principal.kind === 'user' ? me.principal.id : undefined;
  const toggleAdmin = async (user: Account) => {
    setError(undefined);
    try {
      await updateAccount(user.id, { isAdmin: !user.isAdmin });
    } catch (e) {
      setError(e as Error);
    }
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
      <SettingsPanel title="Users of this instance" label="Users">
        {error && <ErrorBox error={error} />}
        <Async state={users} label="Loading users…">
          {(data) =>
            data.length === 0 ? (
              <Empty title="No users">Create one above.</Empty>
            ) : (
              <table className="table auto" aria-label="Users table">
                <thead>
                  <tr>
                    <th>Username</th>
                    <th>Display name</th>
                    <th>Instance admin</th>
                    <th>Created</th>
                    <th />
                  </tr>
                </thead>
                <tbody>
                  {data.map((u) => (
                    <tr key={u.id} data-user={u.username}>
                      <td>
                        {u.username}
                        {u.id === selfId && <span className="faint"> (you)</span>}
                      </td>
                      <td>{u.displayName || '—'}</td>
                      <td>
                        <label className="check">
                          <input
                            type="checkbox"
                            checked={u.isAdmin}
                            disabled={u.id === selfId}
                            title={
                              u.id === selfId
                                ? 'You cannot withdraw your own administrator rights'
                                : undefined
                            }
                            aria-label={`${u.username} is an instance administrator`}
                            onChange={() => void toggleAdmin(u)}
                          />
                          {u.isAdmin ? 'yes' : 'no'}
                        </label>
                      </td>
                      <td>{formatTime(u.createdAt)}</td>
                      <td style={{ maxWidth: 'none' }}>
                        <div className="row nowrap" style={{ gap: 4 }}>
                          <button
                            type="button"
                            className="btn ghost small"
                            onClick={() => setConfirm({ user: u, action: 'reset' })}
                          >
                            Reset password
                          </button>
                          {u.id !== selfId && (
                            <button
                              type="button"
                              className="btn ghost small danger-text"
                              onClick={() => setConfirm({ user: u, action: 'delete' })}
                            >
                              Delete
                            </button>
                          )}
                        </div>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )
          }
        </Async>
      </SettingsPanel>
      {confirm && (
        <ConfirmDialog
          title={
            confirm.action === 'reset'
              ? `Reset the password of ${confirm.user.username}?`
              : `Delete ${confirm.user.username}?`
          }
          confirmLabel={confirm.action === 'reset' ? 'Reset password' : 'Delete user'}
          isDanger={confirm.action === 'delete'}
          onClose={() => setConfirm(undefined)}
          onConfirm={async () => {
            const { user, action } = confirm;
            if (action === 'reset') {
              const result = await resetPassword(user.id);
              setPassword({ username: user.username, password: result.password });
            } else {
              await deleteAccount(user.id);
            }
            setConfirm(undefined);
            users.reload();
          }}
        >
          <p style={{ margin: 0 }}>
            {confirm.action === 'reset'
              ? 'A new random password replaces the current one, and every session of this user ends.'
              : 'The account, its project memberships and its sessions are deleted. Audit entries naming it stay.'}
          </p>
        </ConfirmDialog>
      )}
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
