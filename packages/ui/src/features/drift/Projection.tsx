/**
 * The 2-D projection of an embedding comparison: one dot per sampled span (PCA then t-SNE),
 * coloured by window; each dot links to its span, and its tooltip names its cluster.
 */
import type { DriftPoint } from '@argus/shared';
import { isModifiedClick, navigate } from '../../lib/navigation.ts';
import { formatRoute } from '../../lib/url-state.ts';

/** The scatter. */
export function Projection({ points }: { points: DriftPoint[] }) {
  const r = 0.022;
  return (
    <figure className="stack" style={{ margin: 0, gap: 6 }}>
      <svg
        className="drift-projection"
        viewBox="-1.1 -1.1 2.2 2.2"
        role="img"
        aria-label={`Projection of ${points.length} sampled spans`}
      >
        {points.map((p) => {
          const dot = (
            <circle
              cx={p.x}
              cy={-p.y}
              r={r}
              className={p.window}
              data-window={p.window}
              data-cluster={p.cluster}
            >
              <title>{`${p.window} · cluster ${p.cluster}`}</title>
            </circle>
          );
          if (!p.traceId) return <g key={`d${p.x},${p.y},${p.window}`}>{dot}</g>;
          const href = formatRoute({
            page: 'trace',
            id: p.traceId,
            params: p.spanId ? { span: p.spanId } : {},
          });
          return (
            <a
              key={p.spanId ?? `${p.x},${p.y}`}
              href={href}
              aria-label={`${p.window} span ${p.spanId ?? ''}`}
              onClick={(event) => {
                if (isModifiedClick(event)) return;
                event.preventDefault();
                navigate(href);
              }}
            >
              {dot}
            </a>
          );
        })}
      </svg>
      <figcaption className="row muted" style={{ gap: 12, fontSize: 12 }}>
        <span>
          <span className="drift-swatch reference" />
          reference
        </span>
        <span>
          <span className="drift-swatch current" />
          current
        </span>
        <span className="faint">PCA to 10 dimensions, then t-SNE; a dot opens its span</span>
      </figcaption>
    </figure>
  );
}
