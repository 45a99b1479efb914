/**
 * The Gateway page's shadows: each shadow's model and candidate, share, pairs recorded (of its
 * maximum), candidate calls sent, failed and dropped since the server started, and links to its
 * two experiments and their comparison (docs/gateway.md, "Shadow traffic").
 */
import type { GatewayShadowStatus } from '@argus/shared';
import { DataTable } from '../../components/DataTable.tsx';
import { Link } from '../../components/Link.tsx';
import { formatCount, formatPercent } from '../../lib/format.ts';

const STATE_TONE: Record<GatewayShadowStatus['state'], string> = {
  running: 'chip accent',
  completed: 'chip ok',
  cancelled: 'chip',
};

function compareLink(s: GatewayShadowStatus): string {
  const query = new URLSearchParams({ baseline: s.primaryExperimentId, candidate: s.candidateExperimentId });
  return `/experiments/compare?${query.toString()}`;
}

/** One row per shadow. */
export function ShadowsPanel({ shadows }: { shadows: GatewayShadowStatus[] }) {
  return (
    <section className="panel" aria-label="Shadows">
      <div className="panel-head">Shadow traffic</div>
      {shadows.length === 0 ? (
        <p className="muted panel-body">
          No shadows. `argus gateway shadow set &lt;name&gt; --model &lt;model&gt; --candidate &lt;model&gt;
          --share 0.1` sends a share of the calls for a model to a candidate too, off the callers' path, and
          records each pair of answers as an experiment. Candidate calls are paid.
        </p>
      ) : (
        <DataTable
          label="Shadows"
          columns={[
            'Shadow',
            'Model → candidate',
            'Share',
            'Pairs',
            'Sent',
            'Failed',
            'Dropped',
            'State',
            'Experiment',
          ]}
        >
          {shadows.map((s) => (
            <tr key={s.name} data-shadow={s.name}>
              <td>{s.name}</td>
              <td>
                <code>{s.model}</code> → <code>{s.candidate.model}</code>
              </td>
              <td>{formatPercent(s.share)}</td>
              <td>
                {formatCount(s.pairs)} / {formatCount(s.maxPairs)}
              </td>
              <td>{formatCount(s.sent)}</td>
              <td>{formatCount(s.failed)}</td>
              <td>{formatCount(s.dropped)}</td>
              <td>
                <span className={STATE_TONE[s.state]}>{s.state}</span>
              </td>
              <td>
                <Link to={compareLink(s)} aria-label={`Compare the pairs of ${s.name}`}>
                  Compare
                </Link>{' '}
                · <Link to={`/experiments/${encodeURIComponent(s.primaryExperimentId)}`}>primary</Link> ·{' '}
                <Link to={`/experiments/${encodeURIComponent(s.candidateExperimentId)}`}>candidate</Link>
              </td>
            </tr>
          ))}
        </DataTable>
      )}
    </section>
  );
}
