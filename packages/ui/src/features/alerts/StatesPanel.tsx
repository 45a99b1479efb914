/** The current state of every rule, firing and pending first (then by severity). */

import type { AlertRule, RuleState } from '@argus/shared';
import { DataTable, num } from '../../components/DataTable.tsx';
import { Link } from '../../components/Link.tsx';
import { Async, Empty } from '../../components/States.tsx';
import { formatAgo, metricFormatter } from '../../lib/format.ts';
import { formatRoute } from '../../lib/url-state.ts';
import type { ApiState } from '../../lib/use-api.ts';

const STATE_ORDER: Record<string, number> = { firing: 0, pending: 1, resolved: 2, ok: 3 };
const SEVERITY_ORDER: Record<string, number> = { critical: 0, warning: 1, info: 2 };

/** States sorted for the page: firing, pending, then the rest; severity within. */
function sortStates(states: RuleState[], rules: Map<string, AlertRule>): RuleState[] {
  return [...states].sort(
    (a, b) =>
      (STATE_ORDER[a.state] ?? 9) - (STATE_ORDER[b.state] ?? 9) ||
      (SEVERITY_ORDER[rules.get(a.ruleId)?.severity ?? ''] ?? 9) -
        (SEVERITY_ORDER[rules.get(b.ruleId)?.severity ?? ''] ?? 9) ||
      a.ruleId.localeCompare(b.ruleId),
  );
}

/** The states panel. */
export function StatesPanel({
  states,
  ruleById,
}: {
  states: ApiState<{ data: RuleState[] }>;
  ruleById: Map<string, AlertRule>;
}) {
  return (
    <section className="panel" aria-label="Current states">
      <div className="panel-head">Current states</div>
      <div className="panel-body">
        <Async state={states} label="Loading states…">
          {(data) =>
            data.data.length === 0 ? (
              <Empty title="No states yet">Rules get a state after their first evaluation.</Empty>
            ) : (
              <DataTable
                label="States"
                className="table"
                columns={['State', 'Rule', 'Severity', num('Value'), num('Threshold / band'), 'Since']}
              >
                {sortStates(data.data, ruleById).map((s) => {
                  const rule = ruleById.get(s.ruleId);
                  const format = metricFormatter(
                    rule?.source.kind === 'series' ? rule.source.metric : 'value',
                  );
                  return (
                    <tr key={s.ruleId} data-rule={rule?.name} data-state={s.state}>
                      <td>
                        <span className={`alert-state ${s.state}`}>{s.state}</span>
                        {s.lastError && (
                          <span className="error-text" title={s.lastError}>
                            {' '}
                            error
                          </span>
                        )}
                      </td>
                      <td>
                        <Link to={formatRoute({ page: 'alert', id: s.ruleId, params: {} })}>
                          {rule?.name ?? s.ruleId}
                        </Link>
                      </td>
                      <td>
                        <span className={`severity ${rule?.severity ?? ''}`}>{rule?.severity}</span>
                      </td>
                      <td className="num">{format(s.value)}</td>
                      <td className="num">
                        {s.threshold !== undefined
                          ? format(s.threshold)
                          : s.lower !== undefined
                            ? `${format(s.lower)} – ${format(s.upper)}`
                            : '—'}
                      </td>
                      <td title={s.activeSince ?? s.since}>{formatAgo(s.activeSince ?? s.since)}</td>
                    </tr>
                  );
                })}
              </DataTable>
            )
          }
        </Async>
      </div>
    </section>
  );
}
