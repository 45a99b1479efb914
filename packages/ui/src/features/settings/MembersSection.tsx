/** Settings → Members & invites (project admins): roles, removal, invitations with a once-shown link. */
import { type FormEvent, useState } from 'react';
import type { Role } from '../../api-account.ts';
import {
  createInvite,
  deleteInvite,
  fetchInvites,
  fetchMembers,
  type Invite,
  type InviteResult,
  type Member,
  removeMember,
  setMemberRole,
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
import { absoluteLink } from './snippets.ts';

/** Roles a person can hold (`ingest` is for API keys). */
const PERSON_ROLES: readonly Role[] = ['viewer', 'member', 'admin'];

function InviteForm({ onDone }: { onDone: (result: InviteResult) => void }) {
  const [username, setUsername] = useState('');
  const [role, setRole] = useState<Role>('viewer');
  const [error, setError] = useState<Error | undefined>();
  const [isBusy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      onDone(await createInvite({ username: username.trim(), role }));
      setUsername('');
    } catch (e) {
      setError(e as Error);
    }
    setBusy(false);
  };
  return (
    <form className="stack" aria-label="Invite" onSubmit={(e) => void submit(e)}>
      <div className="row form-row">
        <label className="field grow">
          Username (login name)
          <input
            className="input"
            name="inviteUsername"
            required
            maxLength={64}
            value={username}
            onChange={(e) => setUsername(e.target.value)}
          />
        </label>
        <label className="field">
          Role
          <select
            className="select"
            name="inviteRole"
            value={role}
            onChange={(e) => setRole(e.target.value as Role)}
          >
            {PERSON_ROLES.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="btn primary" disabled={isBusy || !username.trim()}>
          {isBusy ? 'Inviting…' : 'Invite'}
        </button>
      </div>
      <span className="faint">
        Someone who already has an account is added at once; anyone else gets a link to choose a password.
        Viewers read, members also write alerts and scores, admins manage keys, members and settings.
      </span>
      {error && <ErrorBox error={error} />}
    </form>
  );
}

function MembersTable({ members, onChanged }: { members: Member[]; onChanged: () => void }) {
  const { me } = useAuth();
  const [error, setError] = useState<Error | undefined>();
  const [removing, setRemoving] = useState<Member | undefined>();
  const selfId = me.principal.kind === 'user' ? me.principal.id : undefined;
  const change = async (member: Member, role: Role) => {
    setError(undefined);
    try {
      await setMemberRole(member.userId, role);
    } catch (e) {
      setError(e as Error);
    }
    onChanged();
  };
  return (
    <>
      {error && <ErrorBox error={error} />}
      <table className="table auto" aria-label="Members">
        <thead>
          <tr>
            <th>User</th>
            <th>Display name</th>
            <th>Role</th>
            <th>Member since</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {members.map((m) => (
            <tr key={m.userId} data-member={m.username}>
              <td>
                {m.username}
                {m.userId === selfId && <span className="faint"> (you)</span>}
              </td>
              <td>{m.displayName || '—'}</td>
              <td style={{ maxWidth: 'none' }}>
                <select
                  className="select small"
                  aria-label={`Role of ${m.username}`}
                  value={m.role}
                  onChange={(e) => void change(m, e.target.value as Role)}
                >
                  {PERSON_ROLES.map((r) => (
                    <option key={r} value={r}>
                      {r}
                    </option>
                  ))}
                </select>
              </td>
              <td>{formatTime(m.createdAt)}</td>
              <td className="num">
                <button type="button" className="btn ghost small danger-text" onClick={() => setRemoving(m)}>
                  Remove
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {removing && (
        <ConfirmDialog
          title={`Remove ${removing.username}?`}
          confirmLabel="Remove from project"
          isDanger
          onClose={() => setRemoving(undefined)}
          onConfirm={async () => {
            await removeMember(removing.userId);
            setRemoving(undefined);
            onChanged();
          }}
        >
          <p style={{ margin: 0 }}>
            {removing.username} loses access to this project at once. Their account and other projects stay.
          </p>
        </ConfirmDialog>
      )}
    </>
  );
}

function InvitesTable({ invites, onChanged }: { invites: Invite[]; onChanged: () => void }) {
  const [error, setError] = useState<Error | undefined>();
  const withdraw = async (invite: Invite) => {
    setError(undefined);
    try {
      await deleteInvite(invite.id);
    } catch (e) {
      setError(e as Error);
    }
    onChanged();
  };
  if (invites.length === 0)
    return (
      <Empty title="No pending invitations">Invite someone above; their link shows here until used.</Empty>
    );
  return (
    <>
      {error && <ErrorBox error={error} />}
      <table className="table auto" aria-label="Pending invitations">
        <thead>
          <tr>
            <th>Username</th>
            <th>Role</th>
            <th>Invited by</th>
            <th>Invited</th>
            <th>Expires</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {invites.map((i) => (
            <tr key={i.id} data-invite={i.username}>
              <td>{i.username}</td>
              <td>{i.role}</td>
              <td>{i.createdBy}</td>
              <td>{formatTime(i.createdAt)}</td>
              <td>{formatTime(i.expiresAt)}</td>
              <td className="num">
                <button type="button" className="btn ghost small" onClick={() => void withdraw(i)}>
                  Withdraw
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

function InviteLinkDialog({ result, onClose }: { result: InviteResult; onClose: () => void }) {
  if (result.added)
    return (
      <Dialog
        title="Member added"
        onClose={onClose}
        footer={
          <button type="button" className="btn primary" onClick={onClose}>
            Done
          </button>
        }
      >
        <p role="status">
          {result.member.username} already had an account and is now a {result.member.role} of this project.
        </p>
      </Dialog>
    );
  const link = absoluteLink(result.acceptUrl, window.location.origin);
  return (
    <Dialog
      title={`Invitation for ${result.invite.username}`}
      label="Invitation link"
      isWide
      onClose={onClose}
      footer={
        <button type="button" className="btn primary" onClick={onClose}>
          I have sent the link
        </button>
      }
    >
      <div className="stack">
        <div className="notice warn" role="status">
          Send this link to {result.invite.username}: it is shown only now, works once, and expires{' '}
          {formatTime(result.invite.expiresAt)}. It makes them a {result.invite.role} of this project.
        </div>
        <div className="snippet">
          <pre>
            <code data-testid="accept-url">{link}</code>
          </pre>
          <CopyButton text={link} label="Copy link" className="copy" />
        </div>
      </div>
    </Dialog>
  );
}

/** The section. */
export function MembersSection() {
  const { tick } = useRefresh();
  const members = useApi(`members:${tick}`, (signal) => fetchMembers(signal));
  const invites = useApi(`invites:${tick}`, (signal) => fetchInvites(signal));
  const [result, setResult] = useState<InviteResult | undefined>();
  return (
    <>
      <SettingsPanel title="Invite someone">
        <InviteForm
          onDone={(r) => {
            setResult(r);
            members.reload();
            invites.reload();
          }}
        />
      </SettingsPanel>
      <SettingsPanel title="Members">
        <Async state={members} label="Loading members…">
          {(data) =>
            data.length === 0 ? (
              <Empty title="No members yet">
                Invite people above. Instance administrators can open every project without being members.
              </Empty>
            ) : (
              <MembersTable members={data} onChanged={members.reload} />
            )
          }
        </Async>
      </SettingsPanel>
      <SettingsPanel title="Pending invitations">
        <Async state={invites} label="Loading invitations…">
          {(data) => <InvitesTable invites={data} onChanged={invites.reload} />}
        </Async>
      </SettingsPanel>
      {result && <InviteLinkDialog result={result} onClose={() => setResult(undefined)} />}
    </>
  );
}
