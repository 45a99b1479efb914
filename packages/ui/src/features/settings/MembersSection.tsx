/** Settings → Members & invites (project admins): roles, removal, invitations with a once-shown link. */

import type { Invite, InviteResult, Member, Role } from '@argus/shared';
import { type FormEvent, useState } from 'react';
import {
  createInvite,
  deleteInvite,
  fetchInvites,
  fetchMembers,
  removeMember,
  setMemberRole,
} from '../../api-governance.ts';
import { AcknowledgeDialog } from '../../components/AcknowledgeDialog.tsx';
import { type ConfirmText, useConfirmedActions } from '../../components/ConfirmDialog.tsx';
import { DataTable, RowButton } from '../../components/DataTable.tsx';
import { OptionSelect, SelectField, SubmitButton, TextField } from '../../components/FormControls.tsx';
import { Snippet } from '../../components/Snippet.tsx';
import { Empty, ErrorBox } from '../../components/States.tsx';
import { formatTime } from '../../lib/format.ts';
import { useRefresh } from '../../lib/refresh.ts';
import { useAction } from '../../lib/use-action.ts';
import { useApi } from '../../lib/use-api.ts';
import { useSelfId } from '../account/auth-context.ts';
import { ListPanel, SettingsPanel } from './SettingsPanel.tsx';
import { absoluteLink } from './snippets.ts';
import { UserCell } from './UserCell.tsx';

/** Roles a person can hold (`ingest` is for API keys). */
const PERSON_ROLES: readonly Role[] = ['viewer', 'member', 'admin'];

function InviteForm({ onDone }: { onDone: (result: InviteResult) => void }) {
  const [username, setUsername] = useState('');
  const [role, setRole] = useState<Role>('viewer');
  const { isBusy, error, run } = useAction();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    await run(async () => {
      onDone(await createInvite({ username: username.trim(), role }));
      setUsername('');
    });
  };
  return (
    <form className="stack" aria-label="Invite" onSubmit={(e) => void submit(e)}>
      <div className="row form-row">
        <TextField
          label="Username (login name)"
          width="grow"
          name="inviteUsername"
          required
          maxLength={64}
          value={username}
          onValue={setUsername}
        />
        <SelectField label="Role" name="inviteRole" options={PERSON_ROLES} value={role} onValue={setRole} />
        <SubmitButton isBusy={isBusy} busyLabel="Inviting…" isDisabled={!username.trim()}>
          Invite
        </SubmitButton>
      </div>
      <span className="faint">
        Someone who already has an account is added at once; anyone else gets a link to choose a password.
        Viewers read, members also write alerts and scores, admins manage keys, members and settings.
      </span>
      {error && <ErrorBox error={error} />}
    </form>
  );
}

/** What removing a member asks before it runs. */
const CONFIRMS = {
  remove: (member: Member): ConfirmText => ({
    title: `Remove ${member.username}?`,
    message: `${member.username} loses access to this project at once. Their account and other projects stay.`,
    confirmLabel: 'Remove from project',
    isDanger: true,
  }),
};

function MembersTable({ members, onChanged }: { members: Member[]; onChanged: () => void }) {
  const selfId = useSelfId();
  const { error, run } = useAction();
  const confirmed = useConfirmedActions({
    texts: CONFIRMS,
    run: (member: Member) => removeMember(member.userId),
    onDone: onChanged,
  });
  const change = async (member: Member, role: Role) => {
    await run(() => setMemberRole(member.userId, role));
    onChanged();
  };
  return (
    <>
      {error && <ErrorBox error={error} />}
      <DataTable label="Members" columns={['User', 'Display name', 'Role', 'Member since', '']}>
        {members.map((m) => (
          <tr key={m.userId} data-member={m.username}>
            <UserCell username={m.username} isSelf={m.userId === selfId} />
            <td>{m.displayName || '—'}</td>
            <td style={{ maxWidth: 'none' }}>
              <OptionSelect
                className="select small"
                aria-label={`Role of ${m.username}`}
                options={PERSON_ROLES}
                value={m.role}
                onValue={(role) => void change(m, role)}
              />
            </td>
            <td>{formatTime(m.createdAt)}</td>
            <td className="num">
              <RowButton isDanger onClick={() => confirmed.ask(m, 'remove')}>
                Remove
              </RowButton>
            </td>
          </tr>
        ))}
      </DataTable>
      {confirmed.dialog}
    </>
  );
}

function InvitesTable({ invites, onChanged }: { invites: Invite[]; onChanged: () => void }) {
  const { error, run } = useAction();
  const withdraw = async (invite: Invite) => {
    await run(() => deleteInvite(invite.id));
    onChanged();
  };
  return (
    <>
      {error && <ErrorBox error={error} />}
      <DataTable
        label="Pending invitations"
        columns={['Username', 'Role', 'Invited by', 'Invited', 'Expires', '']}
      >
        {invites.map((i) => (
          <tr key={i.id} data-invite={i.username}>
            <td>{i.username}</td>
            <td>{i.role}</td>
            <td>{i.createdBy}</td>
            <td>{formatTime(i.createdAt)}</td>
            <td>{formatTime(i.expiresAt)}</td>
            <td className="num">
              <RowButton onClick={() => void withdraw(i)}>Withdraw</RowButton>
            </td>
          </tr>
        ))}
      </DataTable>
    </>
  );
}

function InviteLinkDialog({ result, onClose }: { result: InviteResult; onClose: () => void }) {
  if (result.added)
    return (
      <AcknowledgeDialog title="Member added" onClose={onClose}>
        <p role="status">
          {result.member.username} already had an account and is now a {result.member.role} of this project.
        </p>
      </AcknowledgeDialog>
    );
  const link = absoluteLink(result.acceptUrl, window.location.origin);
  return (
    <AcknowledgeDialog
      title={`Invitation for ${result.invite.username}`}
      label="Invitation link"
      isWide
      buttonLabel="I have sent the link"
      warning={
        <>
          Send this link to {result.invite.username}: it is shown only now, works once, and expires{' '}
          {formatTime(result.invite.expiresAt)}. It makes them a {result.invite.role} of this project.
        </>
      }
      onClose={onClose}
    >
      <Snippet text={link} label="Copy link" testId="accept-url" />
    </AcknowledgeDialog>
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
      <ListPanel
        title="Members"
        state={members}
        loading="Loading members…"
        empty={
          <Empty title="No members yet">
            Invite people above. Instance administrators can open every project without being members.
          </Empty>
        }
      >
        {(data) => <MembersTable members={data} onChanged={members.reload} />}
      </ListPanel>
      <ListPanel
        title="Pending invitations"
        state={invites}
        loading="Loading invitations…"
        empty={
          <Empty title="No pending invitations">
            Invite someone above; their link shows here until used.
          </Empty>
        }
      >
        {(data) => <InvitesTable invites={data} onChanged={invites.reload} />}
      </ListPanel>
      {result && <InviteLinkDialog result={result} onClose={() => setResult(undefined)} />}
    </>
  );
}
