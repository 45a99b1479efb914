/**
 * Drift monitors: the list with each one's last verdict, run now and delete, and the picked
 * monitor's series (each feature's statistic per run) with its runs.
 */
import type { DriftMonitor, DriftMonitorResult } from '@argus/shared';
import { useState } from 'react';
import {
  deleteDriftMonitor,
  fetchDriftMonitors,
  fetchDriftResults,
  runDriftMonitor,
} from '../../api-drift.ts';
import { ChartPanel } from '../../components/ChartPanel.tsx';
import { DataTable, num } from '../../components/DataTable.tsx';
import { GatedButton } from '../../components/ReadOnlyNote.tsx';
import { Empty, ErrorBox, Loading } from '../../components/States.tsx';
import { formatAgo, formatTime } from '../../lib/format.ts';
import type { ChartData } from '../../lib/series.ts';
import type { TimeWindow } from '../../lib/time-range.ts';
import type { ViewParams } from '../../lib/url-state.ts';
import { useApi } from '../../lib/use-api.ts';
import { useCan } from '../account/auth-context.ts';
import { NewMonitorDialog } from './NewMonitorDialog.tsx';

/** Each feature's statistic as a line, one point per run. */
export function seriesOf(results: DriftMonitorResult[]): ChartData {
  const features = [...new Set(results.flatMap((r) => r.features.map((f) => f.feature)))];
  const times = results.map((r) => Date.parse(r.time));
  return {
    times,
    stepMs: times.length > 1 ? times[1]! - times[0]! : 3_600_000,
    series: features.map((feature) => ({
      name: feature,
      values: results.map((r) => r.features.find((f) => f.feature === feature)?.statistic),
    })),
  };
}

function state(m: DriftMonitor) {
  if (m.lastError)
    return (
      <span className="chip error" title={m.lastError}>
        failed
      </span>
    );
  if (m.lastDrifted === undefined) return <span className="chip">not run</span>;
  return m.lastDrifted ? (
    <span className="chip error">drifted</span>
  ) : (
    <span className="chip ok">stable</span>
  );
}

function Series({ monitor, timeWindow }: { monitor: DriftMonitor; timeWindow: TimeWindow }) {
  // Up to now (the server's default), so a run made after the page loaded is in the series.
  const query = { from: new Date(timeWindow.fromMs).toISOString() };
  const results = useApi(`${monitor.id}|${monitor.lastRunAt}|${query.from}`, (s) =>
    fetchDriftResults(monitor.id, query, s),
  );
  if (results.error) return <ErrorBox error={results.error} onRetry={results.reload} />;
  if (!results.data) return <Loading />;
  const runs = results.data.data;
  if (runs.length === 0)
    return (
      <Empty title="No runs in this window">Runs appear on the monitor's schedule, or press Run now.</Empty>
    );
  return (
    <div className="stack">
      <ChartPanel
        title={`${monitor.name}: statistic per feature`}
        data={seriesOf(runs)}
        format={(n) => (n === undefined ? '' : n.toFixed(2))}
      />
      <section className="panel">
        <DataTable
          label="Runs"
          columns={['Window end', 'Verdict', 'Drifted features', num('Spans (reference / current)')]}
        >
          {[...runs].reverse().map((r) => (
            <tr key={r.time}>
              <td>{formatTime(r.time)}</td>
              <td>
                {r.drifted ? (
                  <span className="chip error">drifted</span>
                ) : (
                  <span className="chip ok">stable</span>
                )}
              </td>
              <td>
                {r.features
                  .filter((f) => f.drifted)
                  .map((f) => f.feature)
                  .join(', ') || '–'}
              </td>
              <td className="num">
                {r.referenceCount} / {r.currentCount}
              </td>
            </tr>
          ))}
        </DataTable>
      </section>
    </div>
  );
}

/** The monitors panel. */
export function MonitorsPanel({ params, timeWindow }: { params: ViewParams; timeWindow: TimeWindow }) {
  const canWrite = useCan('write');
  const [nonce, setNonce] = useState(0);
  const monitors = useApi(`monitors|${nonce}`, fetchDriftMonitors);
  const [picked, setPicked] = useState<string>();
  const [isCreating, setCreating] = useState(false);
  const [busy, setBusy] = useState<string>();
  const [error, setError] = useState<Error>();
  const reload = () => setNonce((n) => n + 1);
  const act = async (id: string, action: () => Promise<unknown>) => {
    setBusy(id);
    setError(undefined);
    try {
      await action();
    } catch (e) {
      setError(e as Error);
    }
    setBusy(undefined);
    reload();
  };
  const list = monitors.data?.data ?? [];
  const shown = list.find((m) => m.id === picked);
  return (
    <div className="stack">
      <section className="panel" aria-label="Drift monitors">
        <div className="panel-head">
          Monitors
          <span className="spacer" />
          <GatedButton can={canWrite} className="btn small" onClick={() => setCreating(true)}>
            New monitor
          </GatedButton>
        </div>
        {monitors.error && <ErrorBox error={monitors.error} onRetry={monitors.reload} />}
        {error && <ErrorBox error={error} />}
        {!monitors.data ? (
          !monitors.error && <Loading />
        ) : list.length === 0 ? (
          <Empty title="No drift monitors">
            A monitor compares each new window with the one before it, on a schedule.
          </Empty>
        ) : (
          <DataTable
            label="Monitors"
            columns={['Name', 'Features', 'Window / every', 'Last run', 'State', '']}
          >
            {list.map((m) => (
              <tr
                key={m.id}
                className={`clickable ${m.id === picked ? 'selected' : ''}`}
                tabIndex={0}
                onClick={() => setPicked(m.id)}
                onKeyDown={(e) => e.key === 'Enter' && setPicked(m.id)}
              >
                <td>{m.name}</td>
                <td className="muted">{m.features.join(', ')}</td>
                <td>
                  {m.window} / {m.schedule}
                  {!m.enabled && <span className="faint"> (paused)</span>}
                </td>
                <td>{m.lastRunAt ? formatAgo(m.lastRunAt) : '–'}</td>
                <td>{state(m)}</td>
                <td
                  className="row nowrap"
                  onClick={(e) => e.stopPropagation()}
                  onKeyDown={(e) => e.stopPropagation()}
                >
                  <GatedButton
                    can={canWrite}
                    className="btn small"
                    onClick={() => act(m.id, () => runDriftMonitor(m.id))}
                  >
                    {busy === m.id ? 'Running…' : 'Run now'}
                  </GatedButton>
                  <GatedButton
                    can={canWrite}
                    className="btn small ghost"
                    onClick={() => act(m.id, () => deleteDriftMonitor(m.id))}
                  >
                    Delete
                  </GatedButton>
                </td>
              </tr>
            ))}
          </DataTable>
        )}
      </section>
      {shown && <Series monitor={shown} timeWindow={timeWindow} />}
      {isCreating && (
        <NewMonitorDialog
          params={params}
          onClose={() => setCreating(false)}
          onCreated={(id) => {
            setCreating(false);
            setPicked(id);
            reload();
          }}
        />
      )}
    </div>
  );
}
