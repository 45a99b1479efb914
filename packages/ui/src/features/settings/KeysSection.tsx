/** Settings → API keys (project admins): create with a role and rate limits, rotate, revoke. */

import { type ApiKey, type KeyWithSecret, ROLES, type Role } from '@argus/shared';
import { type FormEvent, useState } from 'react';
import { createKey, fetchKeys, revokeKey, rotateKey } from '../../api-governance.ts';
import { type ConfirmText, useConfirmedActions } from '../../components/ConfirmDialog.tsx';
import { ActionsCell, RowButton } from '../../components/DataTable.tsx';
import { FieldError, SelectField, SubmitButton, TextField } from '../../components/FormControls.tsx';
import { Empty, ErrorBox } from '../../components/States.tsx';
import { formatAgo } from '../../lib/format.ts';
import { useRefresh } from '../../lib/refresh.ts';
import { useAction } from '../../lib/use-action.ts';
import { useApi } from '../../lib/use-api.ts';
import { useAuth } from '../account/auth-context.ts';
import { SecretDialog } from './SecretDialog.tsx';
import { SettingsPanel, TablePanel } from './SettingsPanel.tsx';
import { KEY_ROLE_HELP, parseRate } from './snippets.ts';

function limitsText(key: ApiKey): string {
  const limits = key.rateLimits;
  if (!limits || (limits.ingest === undefined && limits.api === undefined)) return 'server default';
  return [
    limits.ingest !== undefined ? `ingest ${limits.ingest}/s` : '',
    limits.api !== undefined ? `API ${limits.api}/s` : '',
  ]
    .filter(Boolean)
    .join(', ');
}

function NewKeyForm({ onCreated }: { onCreated: (key: KeyWithSecret) => void }) {
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('ingest');
  const [ingest, setIngest] = useState('');
  const [api, setApi] = useState('');
  const { isBusy, error, run } = useAction();
  const ingestRate = parseRate(ingest);
  const apiRate = parseRate(api);
  const problem = ingestRate.error ?? apiRate.error;
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (problem) return;
    await run(async () => {
      const hasLimits = ingestRate.value !== undefined || apiRate.value !== undefined;
      const created = await createKey({
        name: name.trim(),
        role,
        rateLimits: hasLimits ? { ingest: ingestRate.value, api: apiRate.value } : undefined,
      });
      setName('');
      setIngest('');
      setApi('');
      onCreated(created);
    });
  };
  return (
    <form className="stack" aria-label="New API key" onSubmit={(e) => void submit(e)}>
      <div className="row form-row">
        <TextField
          label="Name"
          width="grow"
          name="keyName"
          placeholder="e.g. checkout-service production"
          required
          maxLength={100}
          value={name}
          onValue={setName}
        />
        <SelectField label="Role" name="keyRole" options={ROLES} value={role} onValue={setRole} />
        {(
          [
            ['Ingest req/s', 'ingestRate', ingest, setIngest, ingestRate.error],
            ['API req/s', 'apiRate', api, setApi, apiRate.error],
          ] as const
        ).map(([label, field, value, setValue, rateError]) => (
          <TextField
            key={field}
            label={label}
            width="narrow"
            name={field}
            inputMode="numeric"
            placeholder="default"
            value={value}
            aria-invalid={rateError !== undefined}
            onValue={setValue}
          />
        ))}
        <SubmitButton
          isBusy={isBusy}
          busyLabel="Creating…"
          isDisabled={!name.trim() || problem !== undefined}
        >
          Create key
        </SubmitButton>
      </div>
      <span className="faint">
        {role}: {KEY_ROLE_HELP[role]}. Rate limits are requests per second (bursts of twice that); empty = the
        server's default, 0 = unlimited.
      </span>
      {problem && <FieldError>Rate limit: {problem}</FieldError>}
      {error && <ErrorBox error={error} />}
    </form>
  );
}

/** What rotating and revoking a key ask before they run. */
const CONFIRMS: Record<'rotate' | 'revoke', (key: ApiKey) => ConfirmText> = {
  rotate: (key) => ({
    title: `Rotate ${key.name}?`,
    confirmLabel: 'Rotate secret',
    message:
      'A new secret replaces the current one, which stops working at once. Update every app that uses this key with the new secret.',
  }),
  revoke: (key) => ({
    title: `Revoke ${key.name}?`,
    confirmLabel: 'Revoke key',
    isDanger: true,
    message:
      'Requests with this key are refused from now on. The key stays listed, marked revoked, for the record; this cannot be undone.',
  }),
};

/** Live keys first, then the revoked ones, each in the server's order. */
const revokedLast = (keys: ApiKey[]) => [
  ...keys.filter((k) => !k.revokedAt),
  ...keys.filter((k) => k.revokedAt),
];

const KEY_COLUMNS = ['Name', 'Public key', 'Role', 'Secret', 'Rate limits', 'Created', 'Last used', ''];

/** The section. */
export function KeysSection() {
  const { project, projectId } = useAuth();
  const { tick } = useRefresh();
  const keys = useApi(`keys:${tick}`, (signal) => fetchKeys(signal));
  const [shown, setShown] = useState<{ key: KeyWithSecret; isRotated: boolean } | undefined>();
  const confirmed = useConfirmedActions({
    texts: CONFIRMS,
    run: async (key: ApiKey, action) => {
      if (action === 'rotate') setShown({ key: await rotateKey(key.id), isRotated: true });
      else await revokeKey(key.id);
    },
    onDone: keys.reload,
  });
  return (
    <>
      <SettingsPanel title="New API key">
        <NewKeyForm
          onCreated={(key) => {
            setShown({ key, isRotated: false });
            keys.reload();
          }}
        />
      </SettingsPanel>
      <TablePanel
        title={`Keys of ${project?.name ?? projectId}`}
        label="API keys"
        state={{ ...keys, data: keys.data && revokedLast(keys.data) }}
        loading="Loading keys…"
        empty={
          <Empty title="No API keys yet">
            Create one above: your apps send telemetry with it (role <code>ingest</code>), scripts and the CLI
            read with <code>viewer</code> or above.
          </Empty>
        }
        table="Keys"
        columns={KEY_COLUMNS}
      >
        {(k) => (
          <tr key={k.id} data-key={k.name} className={k.revokedAt ? 'is-revoked' : undefined}>
            <td title={k.name} style={{ maxWidth: 220 }}>
              {k.name}{' '}
              {k.revokedAt ? (
                <span className="chip error" title={k.revokedAt}>
                  revoked {formatAgo(k.revokedAt)}
                </span>
              ) : (
                k.rotatedAt && (
                  <span className="chip" title={`rotated ${k.rotatedAt}`}>
                    rotated
                  </span>
                )
              )}
            </td>
            <td className="mono" title={k.id} style={{ maxWidth: 150 }}>
              {k.id}
            </td>
            <td>{k.role}</td>
            <td className="mono" data-testid="secret-prefix">
              {k.secretPrefix.replace(/…$/, '')}…
            </td>
            <td>{limitsText(k)}</td>
            <td title={`${k.createdAt} by ${k.createdBy}`}>{formatAgo(k.createdAt)}</td>
            <td>{k.lastUsedAt ? formatAgo(k.lastUsedAt) : 'never'}</td>
            <ActionsCell>
              {!k.revokedAt && (
                <>
                  <RowButton onClick={() => confirmed.ask(k, 'rotate')}>Rotate</RowButton>
                  <RowButton isDanger onClick={() => confirmed.ask(k, 'revoke')}>
                    Revoke
                  </RowButton>
                </>
              )}
            </ActionsCell>
          </tr>
        )}
      </TablePanel>
      {confirmed.dialog}
      {shown && (
        <SecretDialog
          keyWithSecret={shown.key}
          isRotated={shown.isRotated}
          onClose={() => setShown(undefined)}
        />
      )}
    </>
  );
}
