/**
 * Explain (`/explain`): feature importance over the page's window — which span properties explain
 * latency, cost, errors, perplexity or output tokens, ranked, with direction, interval and partial
 * dependence — and the project's concepts with their held-out accuracy.
 */
import type { ImportanceTarget } from '@argus/shared';
import { useState } from 'react';
import { fetchConcepts, fetchImportance } from '../../api-explain.ts';
import { SelectField } from '../../components/FormControls.tsx';
import { GlobalFilters } from '../../components/GlobalFilters.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { ErrorBox, Loading } from '../../components/States.tsx';
import { TimeRangePicker } from '../../components/TimeRangePicker.tsx';
import { navigate } from '../../lib/navigation.ts';
import { useTimeWindow } from '../../lib/refresh.ts';
import { patchParams, type Route, type ViewParams } from '../../lib/url-state.ts';
import { useApi } from '../../lib/use-api.ts';
import { filterOf } from '../drift/ComparePanel.tsx';
import { ImportanceTable } from './ImportanceTable.tsx';
import '../../styles/explain.css';

const TARGETS: readonly [ImportanceTarget, string][] = [
  ['latency', 'Latency'],
  ['cost', 'Cost'],
  ['error', 'Errors'],
  ['outputTokens', 'Output tokens'],
  ['perplexity', 'Perplexity'],
];

function Concepts() {
  const concepts = useApi('concepts', (signal) => fetchConcepts(signal));
  const list = concepts.data?.data ?? [];
  return (
    <section className="panel" aria-label="Concepts">
      <div className="panel-head">Concepts</div>
      <div className="panel-body">
        {concepts.error && <ErrorBox error={concepts.error} onRetry={concepts.reload} />}
        {list.length === 0 ? (
          <p className="muted">
            No concepts yet. Learn one with <code>POST /api/v1/concepts</code> or{' '}
            <code>argus explain concept</code> from a few example texts; its held-out accuracy says whether it
            is learnable.
          </p>
        ) : (
          <table className="table">
            <thead>
              <tr>
                <th>Name</th>
                <th>Field</th>
                <th>Held-out accuracy</th>
                <th>Examples</th>
                <th>Embedding</th>
              </tr>
            </thead>
            <tbody>
              {list.map((c) => (
                <tr key={c.id}>
                  <td>{c.name}</td>
                  <td>{c.field}</td>
                  <td title={`${c.heldOutCount} held-out examples`}>{(c.accuracy * 100).toFixed(0)} %</td>
                  <td>
                    {c.positives} positive · {c.negatives} {c.randomNegatives ? 'random ' : ''}negative
                  </td>
                  <td>{c.embedding}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </section>
  );
}

/** The page. */
export function ExplainPage({ route }: { route: Route }) {
  const { params } = route;
  const timeWindow = useTimeWindow(params);
  const update = (patch: Partial<ViewParams>) => navigate({ ...route, params: patchParams(params, patch) });
  const [target, setTarget] = useState<ImportanceTarget>('latency');
  const body = {
    target,
    from: new Date(timeWindow.fromMs).toISOString(),
    to: new Date(timeWindow.toMs).toISOString(),
    filter: filterOf(params),
  };
  const importance = useApi(JSON.stringify(body), (signal) => fetchImportance(body, signal));
  return (
    <>
      <PageHeader title="Explain">
        <TimeRangePicker params={params} onChange={update} />
      </PageHeader>
      <GlobalFilters params={params} timeWindow={timeWindow} onChange={update} />
      <div className="content stack">
        <section className="panel" aria-label="Feature importance">
          <div className="panel-head row" style={{ gap: 12 }}>
            <span>Feature importance</span>
            <SelectField label="Target" options={TARGETS} value={target} onValue={setTarget} />
          </div>
          <div className="panel-body">
            {importance.error ? (
              <ErrorBox error={importance.error} onRetry={importance.reload} />
            ) : importance.data ? (
              <ImportanceTable report={importance.data.data} />
            ) : (
              <Loading />
            )}
          </div>
        </section>
        <Concepts />
      </div>
    </>
  );
}
