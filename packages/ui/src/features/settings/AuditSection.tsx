/**
 * Settings → Audit log (project admins): who did what and when, filtered by action, actor and
 * time, newest first with "load more"; instance administrators also see instance-wide entries
 * (sign-ins, users, projects) and can verify the hash chain.
 */

import type { AuditEntry } from '@argus/shared';
import { type FormEvent, useState } from 'react';
import { fetchAudit, verifyAudit } from '../../api-governance.ts';
import { DataTable } from '../../components/DataTable.tsx';
import { SelectField, TextField } from '../../components/FormControls.tsx';
import { LoadMore } from '../../components/LoadMore.tsx';
import { Empty, ListStates } from '../../components/States.tsx';
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

const SCOPES: readonly [Filters['scope'], string][] = [
  ['project', 'This project'],
  ['all', 'Whole instance'],
];

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

/** The filter form: action, actor, time range and (for instance administrators) the scope. */
function AuditFilters({
  draft,
  onDraft,
  isFiltered,
  isAdmin,
  onApply,
  onClear,
}: {
  draft: Filters;
  onDraft: (draft: Filters) => void;
  isFiltered: boolean;
  isAdmin: boolean;
  onApply: (event: FormEvent) => void;
  onClear: () => void;
}) {
  return (
    <form className="row form-row" aria-label="Audit filters" onSubmit={onApply}>
      <SelectField
        label="Action"
        name="auditAction"
        options={ACTIONS}
        value={draft.action}
        onValue={(action) => onDraft({ ...draft, action })}
      />
      <TextField
        label="Actor id"
        name="auditActor"
        placeholder="click an actor below"
        value={draft.actor}
        onValue={(actor) => onDraft({ ...draft, actor })}
      />
      <TextField
        label="From"
        type="datetime-local"
        name="auditFrom"
        value={draft.from}
        onValue={(from) => onDraft({ ...draft, from })}
      />
      <TextField
        label="To"
        type="datetime-local"
        name="auditTo"
        value={draft.to}
        onValue={(to) => onDraft({ ...draft, to })}
      />
      {isAdmin && (
        <SelectField
          label="Scope"
          name="auditScope"
          options={SCOPES}
          value={draft.scope}
          onValue={(scope) => onDraft({ ...draft, scope })}
        />
      )}
      <button type="submit" className="btn primary">
        Apply
      </button>
      {isFiltered && (
        <button type="button" className="btn ghost" onClick={onClear}>
          Clear
        </button>
      )}
    </form>
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
      <AuditFilters
        draft={draft}
        onDraft={setDraft}
        isFiltered={isFiltered}
        isAdmin={me.instanceAdmin}
        onApply={apply}
        onClear={() => {
          setDraft(NO_FILTERS);
          setFilters(NO_FILTERS);
        }}
      />
      {!me.instanceAdmin && (
        <span className="faint">
          Entries of this project. Sign-ins, users and projects are instance-wide: instance administrators see
          them.
        </span>
      )}
      <ListStates
        list={list}
        label="Loading the audit log…"
        empty={
          <Empty title={isFiltered ? 'No entries match these filters' : 'No entries yet'}>
            {isFiltered
              ? 'Widen the time range, or clear the filters.'
              : 'Changes to keys, members, settings and data show here as they happen.'}
          </Empty>
        }
      >
        <DataTable
          label="Audit entries"
          className="table auto audit"
          columns={[
            { label: 'Time', width: 140 },
            { label: 'Actor', width: 150 },
            { label: 'Action', width: 130 },
            { label: 'Target', width: 180 },
            ...(filters.scope === 'all' ? [{ label: 'Project', width: 90 }] : []),
            { label: 'Outcome', width: 80 },
            { label: 'Address', width: 100 },
            'Details',
          ]}
        >
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
        </DataTable>
        <LoadMore list={list} />
      </ListStates>
    </SettingsPanel>
  );
}
