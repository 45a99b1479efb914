/**
 * Settings → Retention & erasure: how long telemetry and content are kept (everyone reads,
 * project admins change), a sweep on demand, and erasure of a trace, user or session with its
 * receipt, plus the receipts so far.
 */
import { type FormEvent, useState } from 'react';
import {
  type ErasureSubject,
  fetchErasures,
  fetchRetention,
  type RetentionSettings,
  type SweepReport,
  saveRetention,
  sweepRetention,
} from '../../api-governance.ts';
import { Async, Empty, ErrorBox } from '../../components/States.tsx';
import { formatCount, formatDuration, formatTime } from '../../lib/format.ts';
import { useRefresh } from '../../lib/refresh.ts';
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
  const [error, setError] = useState<Error | undefined>();
  const [status, setStatus] = useState<'idle' | 'saving' | 'saved'>('idle');
  const [sweep, setSweep] = useState<SweepReport | 'running' | undefined>();
  const problem = retentionProblem(Number(telemetry), Number(content), settings.maxDays);
  const isChanged = Number(telemetry) !== settings.telemetryDays || Number(content) !== settings.contentDays;
  const save = async (event: FormEvent) => {
    event.preventDefault();
    if (problem) return;
    setError(undefined);
    setStatus('saving');
    try {
      await saveRetention({ telemetryDays: Number(telemetry), contentDays: Number(content) });
      setStatus('saved');
      onSaved();
    } catch (e) {
      setError(e as Error);
      setStatus('idle');
    }
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
    <form className="stack" aria-label="Retention" onSubmit={(e) => void save(e)}>
      <p className="muted" style={{ margin: 0 }}>
        Spans, logs, scores and metric points older than the telemetry period are deleted; prompt and
        completion text older than the content period is blanked while the spans stay (tokens, costs and
        timings remain). Aggregated charts outlive both. The sweep runs every hour; this server keeps at most{' '}
        {settings.maxDays} days (<code>--retention-days</code>).
      </p>
      <div className="row form-row">
        <label className="field narrow">
          Telemetry (days)
          <input
            className="input"
            name="telemetryDays"
            type="number"
            min={1}
            max={settings.maxDays}
            value={telemetry}
            disabled={!isAllowed}
            title={reason}
            onChange={(e) => {
              setTelemetry(e.target.value);
              setStatus('idle');
            }}
          />
        </label>
        <label className="field narrow">
          Content (days)
          <input
            className="input"
            name="contentDays"
            type="number"
            min={1}
            max={settings.maxDays}
            value={content}
            disabled={!isAllowed}
            title={reason}
            onChange={(e) => {
              setContent(e.target.value);
              setStatus('idle');
            }}
          />
        </label>
        <button
          type="submit"
          className="btn primary"
          disabled={!isAllowed || problem !== undefined || !isChanged || status === 'saving'}
          title={reason}
        >
          {status === 'saving' ? 'Saving…' : 'Save retention'}
        </button>
        <button
          type="button"
          className="btn"
          disabled={!isAllowed || sweep === 'running'}
          title={reason}
          onClick={() => void runSweep()}
        >
          {sweep === 'running' ? 'Sweeping…' : 'Run the sweep now'}
        </button>
        {status === 'saved' && (
          <span className="ok-text" role="status">
            Saved
          </span>
        )}
      </div>
      <span className="faint">
        {settings.source === 'project'
          ? 'This project has its own retention.'
          : `This project follows the server's default (${settings.maxDays} days for both).`}
        {!isAllowed && ` ${reason}.`}
      </span>
      {problem && isAllowed && (
        <div className="field-error" role="alert">
          {problem}
        </div>
      )}
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
          <label className="field">
            Erase by
            <select
              className="select"
              name="erasureKind"
              value={kind}
              onChange={(e) => setKind(e.target.value as typeof kind)}
            >
              {KINDS.map(([k, label]) => (
                <option key={k} value={k}>
                  {label}
                </option>
              ))}
            </select>
          </label>
          <label className="field grow">
            {KINDS.find(([k]) => k === kind)?.[1]}
            <input
              className={`input mono${isTraceValid ? '' : ' invalid'}`}
              name="erasureValue"
              required
              value={value}
              onChange={(e) => setValue(e.target.value)}
            />
          </label>
          <button type="submit" className="btn primary danger" disabled={!value.trim() || !isTraceValid}>
            Erase…
          </button>
        </div>
        {!isTraceValid && value && (
          <div className="field-error" role="alert">
            A trace id is 32 hexadecimal characters.
          </div>
        )}
      </form>
      <div className="section-title">Receipts</div>
      <Async state={receipts} label="Loading receipts…">
        {(data) =>
          data.data.length === 0 ? (
            <Empty title="No erasures yet">Each erasure leaves a receipt here, without the erased id.</Empty>
          ) : (
            <table className="table auto" aria-label="Erasure receipts">
              <thead>
                <tr>
                  <th>Requested</th>
                  <th>Subject</th>
                  <th>By</th>
                  <th>Status</th>
                  <th>Deleted</th>
                  <th>Receipt</th>
                </tr>
              </thead>
              <tbody>
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
              </tbody>
            </table>
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
