/** The slowest and the most expensive traces of the window (among the newest loaded). */
import type { TraceSummary } from '../../api-types.ts';
import { Link } from '../../components/Link.tsx';
import { formatCost, formatDuration, formatTime } from '../../lib/format.ts';
import { formatRoute, type ViewParams } from '../../lib/url-state.ts';

/** Props of {@link TopTraces}. */
export interface TopTracesProps {
  title: string;
  traces: TraceSummary[];
  metric: 'durationMs' | 'costUsd';
  params: ViewParams;
  /** True when the list is a sample (more traces exist than were loaded). */
  isSample: boolean;
}

/** A top-N list of traces by duration or cost. */
export function TopTraces({ title, traces, metric, params, isSample }: TopTracesProps) {
  const top = [...traces]
    .filter((t) => t[metric] > 0)
    .sort((a, b) => b[metric] - a[metric])
    .slice(0, 6);
  return (
    <section className="panel" aria-label={title}>
      <div className="panel-head">
        {title}
        <span className="spacer" />
        {isSample && <span className="faint">among the newest {traces.length}</span>}
      </div>
      {top.length === 0 ? (
        <div className="state">Nothing in this window</div>
      ) : (
        <table className="table">
          <tbody>
            {top.map((t) => (
              <tr key={t.traceId}>
                <td style={{ width: '55%' }}>
                  <span className={`dot ${t.status === 'error' ? 'error' : ''}`} />{' '}
                  <Link
                    to={formatRoute({
                      page: 'trace',
                      id: t.traceId,
                      params: { range: params.range, from: params.from, to: params.to },
                    })}
                  >
                    {t.rootName || t.traceId}
                  </Link>
                </td>
                <td className="muted">{t.serviceName}</td>
                <td className="muted num">{formatTime(t.startTime)}</td>
                <td className="num">
                  {metric === 'durationMs' ? formatDuration(t.durationMs) : formatCost(t.costUsd)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
