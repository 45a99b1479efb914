/**
 * Settings → Redaction: what each detector does with a match, custom regex detectors, and a live
 * "try it" box that redacts sample text with the policy being edited. Everyone reads; project
 * admins change and try.
 */
import type { RedactionSettings } from '@argus/shared';
import { useEffect, useState } from 'react';
import { fetchRedaction, saveRedaction, testRedaction } from '../../api-governance.ts';
import { DataTable, RowButton } from '../../components/DataTable.tsx';
import { FieldError, OptionSelect, SavedNote } from '../../components/FormControls.tsx';
import { Async, ErrorBox } from '../../components/States.tsx';
import { useRefresh } from '../../lib/refresh.ts';
import { useSave } from '../../lib/use-action.ts';
import { useApi } from '../../lib/use-api.ts';
import { useCan } from '../account/auth-context.ts';
import {
  ACTION_HELP,
  ACTIONS,
  builtinAction,
  type CustomDraft,
  type CustomProblem,
  customProblems,
  draftOf,
  isChanged,
  policyOf,
  type RedactionDraft,
  SAMPLE_TEXT,
} from './redaction-draft.ts';
import { SettingsPanel } from './SettingsPanel.tsx';

function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const id = window.setTimeout(() => setSettled(value), ms);
    return () => window.clearTimeout(id);
  }, [value, ms]);
  return settled;
}

function TryIt({ draft, isValid }: { draft: RedactionDraft; isValid: boolean }) {
  const { isAllowed, reason } = useCan('admin');
  const [text, setText] = useState(SAMPLE_TEXT);
  const request = useDebounced(JSON.stringify({ text, policy: policyOf(draft) }), 300);
  const result = useApi(isAllowed && isValid ? request : undefined, (signal) => {
    const { text: sample, policy } = JSON.parse(request);
    return testRedaction(sample, policy, signal);
  });
  return (
    <SettingsPanel title="Try it" label="Try redaction">
      <p className="muted" style={{ margin: 0 }}>
        Sample text is redacted with the policy as edited above, before you save; nothing is stored.
      </p>
      <div className="grid cols-2">
        <label className="field">
          Text
          <textarea
            className="input textarea"
            name="redactionSample"
            rows={6}
            value={text}
            disabled={!isAllowed}
            title={reason}
            onChange={(e) => setText(e.target.value)}
          />
        </label>
        <div className="field">
          Stored as
          <pre className="json-pre redacted-output" data-testid="redacted-output" aria-live="polite">
            {!isAllowed
              ? `Trying the policy ${reason?.replace(/^Needs/, 'needs') ?? ''}.`
              : !isValid
                ? 'Fix the custom detectors above to try the policy.'
                : (result.data?.redacted ?? (result.error ? '' : 'Redacting…'))}
          </pre>
        </div>
      </div>
      {result.error && <ErrorBox error={result.error} />}
      {result.data && (
        <div className="row" data-testid="redaction-counts">
          {Object.keys(result.data.counts).length === 0 ? (
            <span className="faint">Nothing redacted.</span>
          ) : (
            Object.entries(result.data.counts).map(([id, n]) => (
              <span key={id} className="chip accent">
                {id}: {n}
              </span>
            ))
          )}
        </div>
      )}
    </SettingsPanel>
  );
}

/** The built-in detectors, each with the action it takes on a match. */
function BuiltinDetectors({
  settings,
  draft,
  onEdit,
}: {
  settings: RedactionSettings;
  draft: RedactionDraft;
  onEdit: (next: RedactionDraft) => void;
}) {
  const { isAllowed, reason } = useCan('admin');
  return (
    <SettingsPanel
      title="Detectors"
      actions={
        <span className="faint" style={{ fontWeight: 400 }}>
          {settings.source === 'project' ? 'This project has its own policy' : 'Default policy'}
        </span>
      }
    >
      {settings.globallyOff && (
        <div className="notice warn" role="status">
          Redaction is off for this whole server (<code>--redaction off</code>): everything is stored as sent,
          whatever this policy says. Restart without that flag to apply it.
        </div>
      )}
      <p className="muted" style={{ margin: 0 }}>
        Spans and logs are redacted before they are stored; a change applies to data that arrives after
        saving. Actions: {ACTIONS.map((a) => `${a} — ${ACTION_HELP[a]}`).join('; ')}.
      </p>
      <DataTable
        label="Built-in detectors"
        columns={[{ label: 'Detector', width: 130 }, 'Finds', { label: 'Action', width: 110 }]}
      >
        {settings.effective
          .filter((d) => d.builtin)
          .map((d) => (
            <tr key={d.id} data-detector={d.id}>
              <td className="mono">{d.id}</td>
              <td title={d.description}>{d.description}</td>
              <td style={{ maxWidth: 'none' }}>
                <OptionSelect
                  className="select small"
                  aria-label={`Action of ${d.id}`}
                  options={ACTIONS}
                  value={builtinAction(draft, settings, d.id)}
                  disabled={!isAllowed}
                  title={reason}
                  onValue={(action) =>
                    onEdit({ ...draft, detectors: { ...draft.detectors, [d.id]: action } })
                  }
                />
              </td>
            </tr>
          ))}
      </DataTable>
    </SettingsPanel>
  );
}

/** The custom detectors' rows, edited in place; a field with a problem is marked and titled with it. */
function CustomDetectorsTable({
  draft,
  problems,
  onEdit,
}: {
  draft: RedactionDraft;
  problems: CustomProblem[];
  onEdit: (next: RedactionDraft) => void;
}) {
  const { isAllowed, reason } = useCan('admin');
  const editCustom = (row: number, patch: Partial<CustomDraft>) =>
    onEdit({ ...draft, custom: draft.custom.map((c, n) => (n === row ? { ...c, ...patch } : c)) });
  const problemOf = (row: number, field: string) => problems.find((p) => p.row === row && p.field === field);
  return (
    <DataTable
      label="Custom detectors"
      className="table auto custom-detectors"
      columns={[
        { label: 'Name', width: 160 },
        'Pattern (JavaScript regex)',
        { label: 'Flags', width: 70 },
        { label: 'Action', width: 110 },
        { label: '', width: 80 },
      ]}
    >
      {draft.custom.map((c, row) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: rows are edited in place; their index is their identity
        <tr key={row}>
          {(['name', 'pattern', 'flags'] as const).map((field) => {
            const problem = problemOf(row, field);
            return (
              <td key={field} style={{ maxWidth: 'none' }}>
                <input
                  className={`input mono${problem ? ' invalid' : ''}`}
                  aria-label={`Custom detector ${row + 1} ${field}`}
                  aria-invalid={problem ? true : undefined}
                  title={problem ? `${field}: ${problem.message}` : reason}
                  disabled={!isAllowed}
                  value={c[field]}
                  onChange={(e) => editCustom(row, { [field]: e.target.value })}
                />
              </td>
            );
          })}
          <td style={{ maxWidth: 'none' }}>
            <OptionSelect
              className="select small"
              aria-label={`Custom detector ${row + 1} action`}
              options={ACTIONS}
              value={c.action}
              disabled={!isAllowed}
              title={reason}
              onValue={(action) => editCustom(row, { action })}
            />
          </td>
          <td>
            <RowButton
              disabled={!isAllowed}
              title={reason}
              onClick={() => onEdit({ ...draft, custom: draft.custom.filter((_, n) => n !== row) })}
            >
              Remove
            </RowButton>
          </td>
        </tr>
      ))}
    </DataTable>
  );
}

function PolicyEditor({ settings, onSaved }: { settings: RedactionSettings; onSaved: () => void }) {
  const { isAllowed, reason } = useCan('admin');
  const [draft, setDraft] = useState(() => draftOf(settings));
  const { status, error, save, edited } = useSave();
  const problems = customProblems(
    draft.custom,
    settings.effective.filter((d) => d.builtin).map((d) => d.id),
  );
  const edit = (next: RedactionDraft) => {
    setDraft(next);
    edited();
  };
  const savePolicy = () =>
    save(async () => {
      setDraft(draftOf(await saveRedaction(policyOf(draft))));
      onSaved();
    });
  return (
    <>
      <BuiltinDetectors settings={settings} draft={draft} onEdit={edit} />
      <SettingsPanel title="Custom detectors">
        {draft.custom.length === 0 ? (
          <p className="muted" style={{ margin: 0 }}>
            None yet. Add a regex for identifiers of your own (ticket numbers, customer ids); it runs on every
            string after the built-ins.
          </p>
        ) : (
          <CustomDetectorsTable draft={draft} problems={problems} onEdit={edit} />
        )}
        {problems.length > 0 && (
          <FieldError>
            {problems.map((p) => `Custom detector ${p.row + 1}, ${p.field}: ${p.message}`).join('. ')}
          </FieldError>
        )}
        {error && <ErrorBox error={error} />}
        <div className="row">
          <button
            type="button"
            className="btn"
            disabled={!isAllowed}
            title={reason}
            onClick={() =>
              edit({
                ...draft,
                custom: [...draft.custom, { name: '', pattern: '', flags: '', action: 'mask' }],
              })
            }
          >
            Add custom detector
          </button>
          <button
            type="button"
            className="btn primary"
            disabled={!isAllowed || problems.length > 0 || status === 'saving' || !isChanged(draft, settings)}
            title={reason}
            onClick={() => void savePolicy()}
          >
            {status === 'saving' ? 'Saving…' : 'Save policy'}
          </button>
          <SavedNote status={status}>Saved; it applies to data arriving from now on</SavedNote>
          {!isAllowed && <span className="faint">{reason}.</span>}
        </div>
      </SettingsPanel>
      <TryIt draft={draft} isValid={problems.length === 0} />
    </>
  );
}

/** The section. */
export function RedactionSection() {
  const { tick } = useRefresh();
  const settings = useApi(`redaction:${tick}`, (signal) => fetchRedaction(signal));
  return (
    <Async state={settings} label="Loading the redaction policy…">
      {(data) => <PolicyEditor key={tick} settings={data} onSaved={settings.reload} />}
    </Async>
  );
}
