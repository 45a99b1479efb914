/**
 * What one drifting feature looks like up close: characteristic words and typical spans of each
 * side (text), the projection and clusters ranked by growth (embeddings), value shares
 * (categorical) and summaries (numeric).
 */
import type { DriftFeatureResult, DriftSpanRef, DriftWord } from '@argus/shared';
import { DataTable, num } from '../../components/DataTable.tsx';
import { Link } from '../../components/Link.tsx';
import { formatPercent } from '../../lib/format.ts';
import { formatRoute } from '../../lib/url-state.ts';
import { Projection } from './Projection.tsx';

function Words({ title, words }: { title: string; words: DriftWord[] }) {
  return (
    <div>
      <strong>{title}</strong>
      {words.length === 0 ? (
        <p className="faint">No word stands out.</p>
      ) : (
        <ol aria-label={title}>
          {words.map((w) => (
            <li
              key={w.word}
              title={`z ${w.z}; in ${formatPercent(w.referenceShare)} → ${formatPercent(w.currentShare)} of texts`}
            >
              {w.word}{' '}
              <span className="faint">
                ({formatPercent(w.referenceShare)} → {formatPercent(w.currentShare)})
              </span>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}

function Examples({ title, examples }: { title: string; examples: DriftSpanRef[] }) {
  return (
    <div>
      <strong>{title}</strong>
      <ul aria-label={title} style={{ margin: '4px 0 0', paddingLeft: 18 }}>
        {examples.map((e) => (
          <li key={e.spanId}>
            <Link to={formatRoute({ page: 'trace', id: e.traceId, params: { span: e.spanId } })}>
              {e.text || e.spanId}
            </Link>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** The detail of one feature's comparison. */
export function FeatureDetail({ result: f }: { result: DriftFeatureResult }) {
  if (f.kind === 'text' && f.words && f.examples)
    return (
      <section className="drift-detail" aria-label={`Detail of ${f.feature}`}>
        <div className="drift-words">
          <Words title="Reference words" words={f.words.reference} />
          <Words title="Current words" words={f.words.current} />
        </div>
        <div className="stack">
          <Examples title="Typical of the reference" examples={f.examples.reference} />
          <Examples title="Typical of the current window" examples={f.examples.current} />
        </div>
      </section>
    );
  if (f.kind === 'embedding' && f.embedding) {
    const e = f.embedding;
    return (
      <section className="drift-detail" aria-label={`Detail of ${f.feature}`}>
        <Projection points={e.projection.points} />
        <div className="stack">
          <p className="muted" style={{ margin: 0 }}>
            {e.source === 'connection'
              ? `Embedded by ${e.model ?? 'the connection'}`
              : 'Embedded by the built-in featuriser'}
            {' · '}centroid distance {e.centroid.statistic.toFixed(3)} (threshold{' '}
            {e.centroid.threshold.toFixed(3)}) · MMD² {e.mmd.statistic.toFixed(4)} (threshold{' '}
            {e.mmd.threshold.toFixed(4)})
          </p>
          <DataTable
            label="Clusters by growth"
            columns={['Cluster', 'Words', num('Reference'), num('Current'), num('Growth')]}
          >
            {e.clusters.map((c) => (
              <tr key={c.id}>
                <td>{c.id}</td>
                <td>{c.words.join(', ') || '–'}</td>
                <td className="num">{formatPercent(c.referenceShare)}</td>
                <td className="num">{formatPercent(c.currentShare)}</td>
                <td className={`num ${c.growth > 0.1 ? 'error-text' : ''}`}>
                  {c.growth > 0 ? '+' : ''}
                  {(c.growth * 100).toFixed(0)} pts
                </td>
              </tr>
            ))}
          </DataTable>
        </div>
      </section>
    );
  }
  if (f.categories)
    return (
      <div className="drift-detail">
        <DataTable label={`Values of ${f.feature}`} columns={['Value', num('Reference'), num('Current')]}>
          {f.categories.map((c) => (
            <tr key={c.value}>
              <td>{c.value}</td>
              <td className="num">{formatPercent(c.referenceShare)}</td>
              <td className="num">{formatPercent(c.currentShare)}</td>
            </tr>
          ))}
        </DataTable>
      </div>
    );
  if (f.summary)
    return (
      <p className="muted" style={{ padding: '8px 12px', margin: 0 }}>
        mean {f.summary.reference.mean} → {f.summary.current.mean} · p50 {f.summary.reference.p50} →{' '}
        {f.summary.current.p50} · p95 {f.summary.reference.p95} → {f.summary.current.p95} · PSI {f.psi}
      </p>
    );
  return null;
}
