/**
 * Settings → Audit log (project admins): who did what and when, filtered by action, actor and
 * time, newest first with "load more"; instance administrators also see instance-wide entries
 * (sign-ins, users, projects) and can verify the hash chain.
 */
import { type FormEvent, useState } from 'react';
import { type AuditEntry, fetchAudit, verifyAudit } from '../../api-governance.ts';
import { LoadMore } from '../../components/LoadMore.tsx';
import { Empty, ErrorBox, Loading } from '../../components/States.tsx';
import { formatCount, formatTime } from '../../lib/format.ts';
import { useRefresh } from '../../lib/refresh.ts';
import { usePaged } from '../../lib/use-paged.ts';
import { useAuth } from '../account/auth-context.ts';
import { SettingsPanel } from './SettingsPanel.tsx';

/** Action filters offered (`key.` = every key action). */
const ACTIONS: readonly [string, string][] = [
  ['', 'All actions'],
  ['auth.', 'Sign-ins and sign-outs'],
  ['key.', 'API keys'],
  ['member.', 'Members'],
  ['invite.', 'Invitations'],
  ['user.', 'Users'],
  ['project.', 'Projects'],
  ['settings.update', 'Settings changes'],
  ['retention.sweep', 'Retention sweeps'],
  ['data.erase', 'Erasures'],
  ['data.export', 'Exports'],
];

interface Filters {
  action: string;
  actor: string;
  from: string;
  to: string;
  scope: 'project' | 'all';
}

const NO_FILTERS: Filters = { action: '', actor: '', from: '', to: '', scope: 'project' };

/** A `datetime-local` value as ISO 8601 (undefined when empty or invalid). */
function localToIso(value: string): string | undefined {
  if (!value) return undefined;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : undefined;
}

function detailsText(details: Record<string, unknown>): string {
  const text = JSON.stringify(details);
  return text === '{}' ? '' : text;
}

function VerifyChain() {
  const [state, setState] = useState<
    { ok: boolean; checked: number; brokenAt?: number } | Error | 'running' | undefined
  >();
  const run = async () => {
    setState('running');
    try {
      setState(await verifyAudit());
    } catch (e) {
      setState(e as Error);
    }
  };
  return (
    <span className="row nowrap">
      {state instanceof Error ? (
        <span className="error-text">{state.message}</span>
      ) : state && state !== 'running' ? (
        <span className={state.ok ? 'ok-text' : 'error-text'} role="status" data-testid="audit-verify">
          {state.ok
            ? `Chain intact: ${formatCount(state.checked)} entries checked`
            : `Chain broken at entry #${state.brokenAt} (${formatCount(state.checked)} checked): the log was edited`}
        </span>
      ) : null}
      <button type="button" className="btn small" disabled={state === 'running'} onClick={() => void run()}>
        {state === 'running' ? 'Verifying…' : 'Verify hash chain'}
      </button>
    </span>
  );
}

/** The section. */
export function AuditSection() {
  const { me } = useAuth();
  const { tick } = useRefresh();
  const [draft, setDraft] = useState<Filters>(NO_FILTERS);
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const query = {
    action: filters.action || undefined,
    actor: filters.actor.trim() || undefined,
    from: localToIso(filters.from),
    to: localToIso(filters.to),
    scope: filters.scope === 'all' ? 'all' : undefined,
  };
  const list = usePaged(`${JSON.stringify(query)}:${tick}`, async (cursor, signal) => {
    const page = await fetchAudit({ ...query, cursor, limit: 100 }, signal);
    return { data: page.data, nextCursor: page.nextCursor == null ? undefined : String(page.nextCursor) };
  });
  const apply = (event: FormEvent) => {
    event.preventDefault();
    setFilters(draft);
  };
  const byActor = (entry: AuditEntry) => {
    const next = { ...draft, actor: entry.actor.id };
    setDraft(next);
    setFilters(next);
  };
  const isFiltered = JSON.stringify(filters) !== JSON.stringify(NO_FILTERS);
  return (
    <SettingsPanel title="Audit log" actions={me.instanceAdmin && <VerifyChain />}>
      <form className="row form-row" aria-label="Audit filters" onSubmit={apply}>
        <label className="field">
          Action
          <select
            className="select"
            name="auditAction"
            value={draft.action}
            onChange={(e) => setDraft({ ...draft, action: e.target.value })}
          >
            {ACTIONS.map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          Actor id
          <input
            className="input"
            name="auditActor"
            placeholder="click an actor below"
            value={draft.actor}
            onChange={(e) => setDraft({ ...draft, actor: e.target.value })}
          />
        </label>
        <label className="field">
          From
          <input
            className="input"
            type="datetime-local"
            name="auditFrom"
            value={draft.from}
            onChange={(e) => setDraft({ ...draft, from: e.target.value })}
          />
        </label>
        <label className="field">
          To
          <input
            className="input"
            type="datetime-local"
            name="auditTo"
            value={draft.to}
            onChange={(e) => setDraft({ ...draft, to: e.target.value })}
          />
        </label>
        {me.instanceAdmin && (
          <label className="field">
            Scope
            <select
              className="select"
              name="auditScope"
              value={draft.scope}
              onChange={(e) => setDraft({ ...draft, scope: e.target.value as Filters['scope'] })}
            >
              <option value="project">This project</option>
              <option value="all">Whole instance</option>
            </select>
          </label>
        )}
        <button type="submit" className="btn primary">
          Apply
        </button>
        {isFiltered && (
          <button
            type="button"
            className="btn ghost"
            onClick={() => {
              setDraft(NO_FILTERS);
              setFilters(NO_FILTERS);
            }}
          >
            Clear
          </button>
        )}
      </form>
      {!me.instanceAdmin && (
        <span className="faint">
          Entries of this project. Sign-ins, users and projects are instance-wide: instance administrators see
          them.
        </span>
      )}
      {list.error && <ErrorBox error={list.error} onRetry={list.reload} />}
      {list.rows.length === 0 && list.isLoading ? (
        <Loading label="Loading the audit log…" />
      ) : list.rows.length === 0 && !list.error ? (
        <Empty title={isFiltered ? 'No entries match these filters' : 'No entries yet'}>
          {isFiltered
            ? 'Widen the time range, or clear the filters.'
            : 'Changes to keys, members, settings and data show here as they happen.'}
        </Empty>
      ) : (
        <>
          <table className="table auto audit" aria-label="Audit entries">
            <thead>
              <tr>
                <th style={{ width: 140 }}>Time</th>
                <th style={{ width: 150 }}>Actor</th>
                <th style={{ width: 130 }}>Action</th>
                <th style={{ width: 180 }}>Target</th>
                {filters.scope === 'all' && <th style={{ width: 90 }}>Project</th>}
                <th style={{ width: 80 }}>Outcome</th>
                <th style={{ width: 100 }}>Address</th>
                <th>Details</th>
              </tr>
            </thead>
            <tbody>
              {list.rows.map((e) => (
                <tr key={e.seq} data-action={e.action}>
                  <td title={`#${e.seq} · ${e.time}`}>{formatTime(e.time)}</td>
                  <td title={`${e.actor.type} ${e.actor.id}`}>
                    <button type="button" className="link-button" onClick={() => byActor(e)}>
                      {e.actor.name}
                    </button>
                    {e.actor.type !== 'user' && <span className="faint"> ({e.actor.type})</span>}
                  </td>
                  <td className="mono">{e.action}</td>
                  <td title={e.target}>{e.target}</td>
                  {filters.scope === 'all' && <td>{e.projectId || 'instance'}</td>}
                  <td>
                    <span className={`chip ${e.outcome === 'failure' ? 'error' : 'ok'}`}>{e.outcome}</span>
                  </td>
                  <td className="mono">{e.ip || '—'}</td>
                  <td className="mono faint" title={detailsText(e.details)}>
                    {detailsText(e.details)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <LoadMore
            count={list.rows.length}
            hasMore={list.hasMore}
            isLoading={list.isLoading}
            onMore={list.loadMore}
          />
        </>
      )}
    </SettingsPanel>
  );
}
