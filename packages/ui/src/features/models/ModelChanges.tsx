/**
 * Model updates on the Models page: each time a request model began answering with a new
 * response model in the window, the before/after drift of outputs, latency, cost, perplexity
 * and scores, flagged when any drifted (GET /api/v1/drift/model-changes).
 */
import { fetchModelChanges } from '../../api-drift.ts';
import { ErrorBox } from '../../components/States.tsx';
import { formatTime } from '../../lib/format.ts';
import type { TimeWindow } from '../../lib/time-range.ts';
import { useApi } from '../../lib/use-api.ts';

/** The panel; renders nothing when the window holds no model update. */
export function ModelChanges({ timeWindow }: { timeWindow: TimeWindow }) {
  const query = { from: timeWindow.fromMs, to: timeWindow.toMs };
  const changes = useApi(`changes|${query.from}|${query.to}`, (s) => fetchModelChanges(query, s));
  if (changes.error) return <ErrorBox error={changes.error} onRetry={changes.reload} />;
  const list = changes.data?.data ?? [];
  if (list.length === 0) return null;
  return (
    <section className="panel" aria-label="Model updates">
      <div className="panel-head">Model updates</div>
      <table className="table auto">
        <thead>
          <tr>
            <th>Request model</th>
            <th>Version change</th>
            <th>First seen</th>
            <th>Impact</th>
            <th>Drifted (before → after)</th>
          </tr>
        </thead>
        <tbody>
          {list.map((c) => (
            <tr key={`${c.requestModel}|${c.newModel}`} data-drifted={c.drifted}>
              <td>{c.requestModel}</td>
              <td>
                {c.previousModel} → <strong>{c.newModel}</strong>
              </td>
              <td>{formatTime(c.changedAt)}</td>
              <td>
                {c.drifted ? (
                  <span className="chip error">changed</span>
                ) : (
                  <span className="chip ok">no drift</span>
                )}
              </td>
              <td className="muted">
                {c.features
                  .filter((f) => f.drifted)
                  .map((f) =>
                    f.summary
                      ? `${f.feature} ${f.summary.reference.p50} → ${f.summary.current.p50} (p50)`
                      : f.feature,
                  )
                  .join(' · ') || '–'}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
