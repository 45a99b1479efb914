/** Alert history: event kind, rule, value, and per-channel delivery status. */

import type { AlertEvent } from '@argus/shared';
import { DataTable, num } from '../../components/DataTable.tsx';
import { Link } from '../../components/Link.tsx';
import { Empty } from '../../components/States.tsx';
import { formatTime } from '../../lib/format.ts';
import { formatRoute } from '../../lib/url-state.ts';

const fmt = (n: number | undefined) =>
  n === undefined || n === null ? '—' : Number(n.toPrecision(6)).toString();

/** The history table. */
export function EventsTable({
  events,
  channelName,
  showRule = true,
}: {
  events: AlertEvent[];
  channelName: Map<string, string>;
  showRule?: boolean;
}) {
  if (events.length === 0) return <Empty title="No events">Nothing fired or resolved in this window.</Empty>;
  return (
    <DataTable
      label="Events"
      className="table"
      columns={[
        'Time',
        'Event',
        ...(showRule ? ['Rule'] : []),
        num('Value'),
        num('Threshold / band'),
        'Delivery',
      ]}
    >
      {events.map((e) => (
        <tr key={e.id} data-kind={e.kind}>
          <td>{formatTime(e.time)}</td>
          <td>
            <span className={`alert-state ${e.kind}`}>{e.kind}</span>
          </td>
          {showRule && (
            <td>
              <Link to={formatRoute({ page: 'alert', id: e.ruleId, params: {} })}>{e.ruleName}</Link>
            </td>
          )}
          <td className="num">{fmt(e.value)}</td>
          <td className="num">
            {e.threshold !== undefined
              ? fmt(e.threshold)
              : e.lower !== undefined
                ? `${fmt(e.lower)} – ${fmt(e.upper)}`
                : '—'}
          </td>
          <td>
            {e.delivery.length === 0
              ? '—'
              : e.delivery.map((d) => (
                  <span
                    key={d.channelId}
                    className={`delivery ${d.status}`}
                    title={d.lastError ?? `${d.attempts} attempt(s)`}
                  >
                    {channelName.get(d.channelId) ?? d.channelId}: {d.status}{' '}
                  </span>
                ))}
          </td>
        </tr>
      ))}
    </DataTable>
  );
}
