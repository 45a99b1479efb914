/**
 * Settings → Retention & erasure: how long telemetry and content are kept (everyone reads,
 * project admins change), a sweep on demand, and erasure of a trace, user or session with its
 * receipt, plus the receipts so far.
 */
import type { ErasureSubject, RetentionSettings, SweepReport } from '@argus/shared';
import { type FormEvent, useState } from 'react';
import { fetchErasures, fetchRetention, saveRetention, sweepRetention } from '../../api-governance.ts';
import { DataTable } from '../../components/DataTable.tsx';
import {
  FieldError,
  SavedNote,
  SelectField,
  SubmitButton,
  TextField,
} from '../../components/FormControls.tsx';
import { Async, Empty, ErrorBox } from '../../components/States.tsx';
import { formatCount, formatDuration, formatTime } from '../../lib/format.ts';
import { useRefresh } from '../../lib/refresh.ts';
import { useSave } from '../../lib/use-action.ts';
import { useApi } from '../../lib/use-api.ts';
import { useCan } from '../account/auth-context.ts';
import { EraseDialog } from '../erasure/EraseDialog.tsx';
import { deletedSummary } from '../erasure/erasure-text.ts';
import { retentionProblem } from './retention-form.ts';
import { SettingsPanel } from './SettingsPanel.tsx';

function RetentionForm({ settings, onSaved }: { settings: RetentionSettings; onSaved: () => void }) {
  const { isAllowed, reason } = useCan('admin');
  const [telemetry, setTelemetry] = useState(String(settings.telemetryDays));
  const [content, setContent] = useState(String(settings.contentDays));
  const { status, error, setError, save, edited } = useSave();
  const [sweep, setSweep] = useState<SweepReport | 'running' | undefined>();
  const problem = retentionProblem(Number(telemetry), Number(content), settings.maxDays);
  const isChanged = Number(telemetry) !== settings.telemetryDays || Number(content) !== settings.contentDays;
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (problem) return;
    await save(async () => {
      await saveRetention({ telemetryDays: Number(telemetry), contentDays: Number(content) });
      onSaved();
    });
  };
  const runSweep = async () => {
    setError(undefined);
    setSweep('running');
    try {
      setSweep(await sweepRetention());
    } catch (e) {
      setError(e as Error);
      setSweep(undefined);
    }
  };
  return (
    <form className="stack" aria-label="Retention" onSubmit={(e) => void submit(e)}>
      <p className="muted" style={{ margin: 0 }}>
        Spans, logs, scores and metric points older than the telemetry period are deleted; prompt and
        completion text older than the content period is blanked while the spans stay (tokens, costs and
        timings remain). Aggregated charts outlive both. The sweep runs every hour; this server keeps at most{' '}
        {settings.maxDays} days (<code>--retention-days</code>).
      </p>
      <div className="row form-row">
        {(
          [
            ['Telemetry (days)', 'telemetryDays', telemetry, setTelemetry],
            ['Content (days)', 'contentDays', content, setContent],
          ] as const
        ).map(([label, name, value, setValue]) => (
          <TextField
            key={name}
            label={label}
            width="narrow"
            name={name}
            type="number"
            min={1}
            max={settings.maxDays}
            value={value}
            disabled={!isAllowed}
            title={reason}
            onValue={(next) => {
              setValue(next);
              edited();
            }}
          />
        ))}
        <SubmitButton
          isBusy={status === 'saving'}
          busyLabel="Saving…"
          isDisabled={!isAllowed || problem !== undefined || !isChanged}
          title={reason}
        >
          Save retention
        </SubmitButton>
        <button
          type="button"
          className="btn"
          disabled={!isAllowed || sweep === 'running'}
          title={reason}
          onClick={() => void runSweep()}
        >
          {sweep === 'running' ? 'Sweeping…' : 'Run the sweep now'}
        </button>
        <SavedNote status={status} />
      </div>
      <span className="faint">
        {settings.source === 'project'
          ? 'This project has its own retention.'
          : `This project follows the server's default (${settings.maxDays} days for both).`}
        {!isAllowed && ` ${reason}.`}
      </span>
      {problem && isAllowed && <FieldError>{problem}</FieldError>}
      {error && <ErrorBox error={error} />}
      {sweep && sweep !== 'running' && (
        <div className="notice" role="status" data-testid="sweep-report">
          Swept in {formatDuration(sweep.durationMs)}: deleted {formatCount(sweep.deleted.spans)} spans,{' '}
          {formatCount(sweep.deleted.logs)} log records, {formatCount(sweep.deleted.scores)} scores and{' '}
          {formatCount(sweep.deleted.metricPoints)} metric points older than{' '}
          {formatTime(sweep.telemetryCutoff)}; blanked the content of {formatCount(sweep.blanked.spans)} spans
          and {formatCount(sweep.blanked.logs)} log records older than {formatTime(sweep.contentCutoff)}.
        </div>
      )}
    </form>
  );
}

const KINDS = [
  ['trace', 'Trace id'],
  ['user', 'User id'],
  ['session', 'Session id'],
] as const;

function subjectOf(kind: (typeof KINDS)[number][0], value: string): ErasureSubject {
  if (kind === 'trace') return { traceId: value };
  if (kind === 'user') return { userId: value };
  return { sessionId: value };
}

function Erasure() {
  const { tick } = useRefresh();
  const receipts = useApi(`erasures:${tick}`, (signal) => fetchErasures({ limit: 50 }, signal));
  const [kind, setKind] = useState<(typeof KINDS)[number][0]>('user');
  const [value, setValue] = useState('');
  const [subject, setSubject] = useState<ErasureSubject | undefined>();
  const isTraceValid = kind !== 'trace' || /^[0-9a-fA-F]{32}$/.test(value.trim());
  return (
    <SettingsPanel title="Erasure (right to be forgotten)" label="Erasure">
      <form
        className="stack"
        aria-label="Erase data"
        onSubmit={(e) => {
          e.preventDefault();
          if (value.trim() && isTraceValid) setSubject(subjectOf(kind, value.trim()));
        }}
      >
        <p className="muted" style={{ margin: 0 }}>
          Deletes every span, log record and score of a trace, or of every trace carrying a user or session
          id, in this project. It also works from a trace's page, the Users list and a session's page.
        </p>
        <div className="row form-row">
          <SelectField label="Erase by" name="erasureKind" options={KINDS} value={kind} onValue={setKind} />
          <TextField
            label={KINDS.find(([k]) => k === kind)?.[1]}
            width="grow"
            className={`input mono${isTraceValid ? '' : ' invalid'}`}
            name="erasureValue"
            required
            value={value}
            onValue={setValue}
          />
          <button type="submit" className="btn primary danger" disabled={!value.trim() || !isTraceValid}>
            Erase…
          </button>
        </div>
        {!isTraceValid && value && <FieldError>A trace id is 32 hexadecimal characters.</FieldError>}
      </form>
      <div className="section-title">Receipts</div>
      <Async state={receipts} label="Loading receipts…">
        {(data) =>
          data.data.length === 0 ? (
            <Empty title="No erasures yet">Each erasure leaves a receipt here, without the erased id.</Empty>
          ) : (
            <DataTable
              label="Erasure receipts"
              columns={['Requested', 'Subject', 'By', 'Status', 'Deleted', 'Receipt']}
            >
              {data.data.map((r) => (
                <tr key={r.id}>
                  <td>{formatTime(r.requestedAt)}</td>
                  <td>{r.subject.kind}</td>
                  <td>{r.requestedBy ?? '—'}</td>
                  <td>
                    <span
                      className={`chip ${r.status === 'completed' ? 'ok' : r.status === 'failed' ? 'error' : ''}`}
                    >
                      {r.status}
                    </span>
                  </td>
                  <td title={deletedSummary(r.deleted)}>{deletedSummary(r.deleted)}</td>
                  <td className="mono" title={r.id}>
                    {r.id}
                  </td>
                </tr>
              ))}
            </DataTable>
          )
        }
      </Async>
      {subject && (
        <EraseDialog
          subject={subject}
          onErased={() => {
            setValue('');
            receipts.reload();
          }}
          onClose={() => setSubject(undefined)}
        />
      )}
    </SettingsPanel>
  );
}

/** The section. */
export function RetentionSection() {
  const { tick } = useRefresh();
  const { isAllowed: isAdmin } = useCan('admin');
  const retention = useApi(`retention:${tick}`, (signal) => fetchRetention(signal));
  return (
    <>
      <SettingsPanel title="Retention">
        <Async state={retention} label="Loading retention…">
          {(data) => <RetentionForm key={tick} settings={data} onSaved={retention.reload} />}
        </Async>
      </SettingsPanel>
      {isAdmin ? (
        <Erasure />
      ) : (
        <SettingsPanel title="Erasure (right to be forgotten)" label="Erasure">
          <p className="muted" style={{ margin: 0 }}>
            Erasing a trace, user or session needs the admin role on this project; ask one of its admins.
          </p>
        </SettingsPanel>
      )}
    </>
  );
}
