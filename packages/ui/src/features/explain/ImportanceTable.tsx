/**
 * The ranked features of an importance report: a bar per feature (its share of the largest
 * importance), the 95 % interval, the direction, and a small partial-dependence plot.
 */
import type { FeatureImportance, ImportanceReport } from '@argus/shared';

const ARROWS: Record<FeatureImportance['direction'], string> = {
  up: '↑ raises it',
  down: '↓ lowers it',
  mixed: '↕ depends on the value',
  none: '— no effect',
};

/** A partial-dependence sparkline: the model's mean prediction at each value of the feature. */
function PartialDependence({ feature }: { feature: FeatureImportance }) {
  const points = feature.partialDependence;
  if (points.length < 2) return null;
  const ys = points.map((p) => p.prediction);
  const [low, high] = [Math.min(...ys), Math.max(...ys)];
  const width = 160;
  const height = 36;
  const x = (i: number) => (i / (points.length - 1)) * (width - 4) + 2;
  const y = (v: number) => height - 2 - ((v - low) / (high - low || 1)) * (height - 4);
  const path = points
    .map((p, i) => `${i === 0 ? 'M' : 'L'}${x(i).toFixed(1)},${y(p.prediction).toFixed(1)}`)
    .join(' ');
  const label = points.map((p) => `${p.value}: ${p.prediction.toFixed(3)}`).join(', ');
  return (
    <svg
      className="pd-chart"
      width={width}
      height={height}
      role="img"
      aria-label={`Partial dependence of ${feature.feature}: ${label}`}
    >
      <title>{label}</title>
      <path d={path} fill="none" stroke="rgb(255, 153, 0)" strokeWidth={1.5} />
    </svg>
  );
}

/** The table. */
export function ImportanceTable({ report }: { report: ImportanceReport }) {
  const top = Math.max(...report.features.map((f) => f.importance), 0);
  return (
    <div className="stack">
      <p className="muted" style={{ fontSize: 12 }}>
        {report.spans} spans · model R² on held-out spans {report.r2.toFixed(2)} · importance = rise of the
        squared error when the feature is shuffled (an R² near 0 means the features explain little of{' '}
        {report.target}).
      </p>
      <table className="table" aria-label="Ranked features">
        <thead>
          <tr>
            <th>Feature</th>
            <th style={{ width: 180 }}>Importance</th>
            <th>95 % interval</th>
            <th>Direction</th>
            <th>Partial dependence</th>
          </tr>
        </thead>
        <tbody>
          {report.features.map((f) => (
            <tr key={f.feature} data-feature={f.feature} data-significant={f.significant}>
              <td>{f.feature}</td>
              <td>
                <div className="bar" aria-hidden="true">
                  <span style={{ width: `${top > 0 ? Math.max(0, (f.importance / top) * 100) : 0}%` }} />
                </div>
                {f.importance.toPrecision(3)}
              </td>
              <td className={f.significant ? '' : 'muted'}>
                {f.low.toPrecision(3)} – {f.high.toPrecision(3)}
              </td>
              <td>{ARROWS[f.direction]}</td>
              <td>
                <PartialDependence feature={f} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
