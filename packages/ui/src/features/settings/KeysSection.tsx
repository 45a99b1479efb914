/** Settings → API keys (project admins): create with a role and rate limits, rotate, revoke. */
import { type FormEvent, useState } from 'react';
import { ROLES, type Role } from '../../api-account.ts';
import {
  type ApiKey,
  createKey,
  fetchKeys,
  type KeyWithSecret,
  revokeKey,
  rotateKey,
} from '../../api-governance.ts';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { Async, Empty, ErrorBox } from '../../components/States.tsx';
import { formatAgo, formatTime } from '../../lib/format.ts';
import { useRefresh } from '../../lib/refresh.ts';
import { useApi } from '../../lib/use-api.ts';
import { useAuth } from '../account/auth-context.ts';
import { SecretDialog } from './SecretDialog.tsx';
import { SettingsPanel } from './SettingsPanel.tsx';
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
  const [error, setError] = useState<Error | undefined>();
  const [isBusy, setBusy] = useState(false);
  const ingestRate = parseRate(ingest);
  const apiRate = parseRate(api);
  const problem = ingestRate.error ?? apiRate.error;
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (problem) return;
    setBusy(true);
    setError(undefined);
    try {
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
    } catch (e) {
      setError(e as Error);
    }
    setBusy(false);
  };
  return (
    <form className="stack" aria-label="New API key" onSubmit={(e) => void submit(e)}>
      <div className="row form-row">
        <label className="field grow">
          Name
          <input
            className="input"
            name="keyName"
            placeholder="e.g. checkout-service production"
            required
            maxLength={100}
            value={name}
            onChange={(e) => setName(e.target.value)}
          />
        </label>
        <label className="field">
          Role
          <select
            className="select"
            name="keyRole"
            value={role}
            onChange={(e) => setRole(e.target.value as Role)}
          >
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </label>
        <label className="field narrow">
          Ingest req/s
          <input
            className="input"
            name="ingestRate"
            inputMode="numeric"
            placeholder="default"
            value={ingest}
            aria-invalid={ingestRate.error !== undefined}
            onChange={(e) => setIngest(e.target.value)}
          />
        </label>
        <label className="field narrow">
          API req/s
          <input
            className="input"
            name="apiRate"
            inputMode="numeric"
            placeholder="default"
            value={api}
            aria-invalid={apiRate.error !== undefined}
            onChange={(e) => setApi(e.target.value)}
          />
        </label>
        <button
          type="submit"
          className="btn primary"
          disabled={isBusy || !name.trim() || problem !== undefined}
        >
          {isBusy ? 'Creating…' : 'Create key'}
        </button>
      </div>
      <span className="faint">
        {role}: {KEY_ROLE_HELP[role]}. Rate limits are requests per second (bursts of twice that); empty = the
        server's default, 0 = unlimited.
      </span>
      {problem && (
        <div className="field-error" role="alert">
          Rate limit: {problem}
        </div>
      )}
      {error && <ErrorBox error={error} />}
    </form>
  );
}

/** The section. */
export function KeysSection() {
  const { project, projectId } = useAuth();
  const { tick } = useRefresh();
  const keys = useApi(`keys:${tick}`, (signal) => fetchKeys(signal));
  const [shown, setShown] = useState<{ key: KeyWithSecret; isRotated: boolean } | undefined>();
  const [confirm, setConfirm] = useState<{ key: ApiKey; action: 'rotate' | 'revoke' } | undefined>();
  const live = keys.data?.filter((k) => !k.revokedAt) ?? [];
  const revoked = keys.data?.filter((k) => k.revokedAt) ?? [];
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
      <SettingsPanel title={`Keys of ${project?.name ?? projectId}`} label="API keys">
        <Async state={keys} label="Loading keys…">
          {() =>
            live.length === 0 && revoked.length === 0 ? (
              <Empty title="No API keys yet">
                Create one above: your apps send telemetry with it (role <code>ingest</code>), scripts and the
                CLI read with <code>viewer</code> or above.
              </Empty>
            ) : (
              <table className="table auto" aria-label="Keys">
                <thead>
                  <tr>
                    <th>Name</th>
                    <th>Public key</th>
                    <th>Role</th>
                    <th>Secret</th>
                    <th>Rate limits</th>
                    <th>Created</th>
                    <th>Last used</th>
                    <th>Status</th>
                    <th />
                  </tr>
                </thead>
                <tbody>
                  {[...live, ...revoked].map((k) => (
                    <tr key={k.id} data-key={k.name} className={k.revokedAt ? 'is-revoked' : undefined}>
                      <td title={k.name} style={{ maxWidth: 220 }}>
                        {k.name}
                      </td>
                      <td className="mono" title={k.id} style={{ maxWidth: 190 }}>
                        {k.id}
                      </td>
                      <td>{k.role}</td>
                      <td className="mono" data-testid="secret-prefix">
                        {k.secretPrefix.replace(/…$/, '')}…
                      </td>
                      <td>{limitsText(k)}</td>
                      <td title={`${k.createdAt} by ${k.createdBy}`}>
                        {formatTime(k.createdAt)} · {k.createdBy}
                      </td>
                      <td>{k.lastUsedAt ? formatAgo(k.lastUsedAt) : 'never'}</td>
                      <td>
                        {k.revokedAt ? (
                          <span className="chip error" title={k.revokedAt}>
                            revoked {formatAgo(k.revokedAt)}
                          </span>
                        ) : (
                          <span
                            className="chip ok"
                            title={k.rotatedAt ? `rotated ${k.rotatedAt}` : undefined}
                          >
                            active{k.rotatedAt ? ' · rotated' : ''}
                          </span>
                        )}
                      </td>
                      <td style={{ maxWidth: 'none' }}>
                        <div className="row nowrap" style={{ gap: 4 }}>
                          {!k.revokedAt && (
                            <>
                              <button
                                type="button"
                                className="btn ghost small"
                                onClick={() => setConfirm({ key: k, action: 'rotate' })}
                              >
                                Rotate
                              </button>
                              <button
                                type="button"
                                className="btn ghost small danger-text"
                                onClick={() => setConfirm({ key: k, action: 'revoke' })}
                              >
                                Revoke
                              </button>
                            </>
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
          title={confirm.action === 'rotate' ? `Rotate ${confirm.key.name}?` : `Revoke ${confirm.key.name}?`}
          confirmLabel={confirm.action === 'rotate' ? 'Rotate secret' : 'Revoke key'}
          isDanger={confirm.action === 'revoke'}
          onClose={() => setConfirm(undefined)}
          onConfirm={async () => {
            if (confirm.action === 'rotate') {
              const rotated = await rotateKey(confirm.key.id);
              setShown({ key: rotated, isRotated: true });
            } else {
              await revokeKey(confirm.key.id);
            }
            setConfirm(undefined);
            keys.reload();
          }}
        >
          <p style={{ margin: 0 }}>
            {confirm.action === 'rotate'
              ? 'A new secret replaces the current one, which stops working at once. Update every app that uses this key with the new secret.'
              : 'Requests with this key are refused from now on. The key stays listed, marked revoked, for the record; this cannot be undone.'}
          </p>
        </ConfirmDialog>
      )}
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
