/** The rules table: name (to the rule page), type, metric, condition, channels, edit and delete. */

import type { AlertRule } from '@argus/shared';
import { DataTable } from '../../components/DataTable.tsx';
import { Link } from '../../components/Link.tsx';
import { formatRoute } from '../../lib/url-state.ts';
import { describeCondition, sourceLabel } from './rule-form.ts';

/** Props of {@link RulesTable}. */
export interface RulesTableProps {
  rules: AlertRule[];
  channelName: Map<string, string>;
  canWrite: boolean;
  /** The rule being edited (or `new`). */
  editing: string | undefined;
  /** The rule whose Delete was clicked once (the next click deletes). */
  confirming: string | undefined;
  onEdit: (ruleId: string) => void;
  onRemove: (rule: AlertRule) => void;
}

/** The table. */
export function RulesTable({
  rules,
  channelName,
  canWrite,
  editing,
  confirming,
  onEdit,
  onRemove,
}: RulesTableProps) {
  return (
    <DataTable
      label="Rules table"
      className="table"
      columns={['Name', 'Type', 'Metric', 'Condition', 'For', 'Severity', 'Channels', 'Enabled', '']}
    >
      {rules.map((rule) => (
        <tr key={rule.id} data-rule={rule.name} aria-selected={editing === rule.id}>
          <td>
            <Link to={formatRoute({ page: 'alert', id: rule.id, params: {} })}>{rule.name}</Link>
          </td>
          <td>{rule.type}</td>
          <td className="ellipsis">{sourceLabel(rule.source)}</td>
          <td>{describeCondition(rule)}</td>
          <td>{rule.for}</td>
          <td>
            <span className={`severity ${rule.severity}`}>{rule.severity}</span>
          </td>
          <td>{rule.channels.map((id) => channelName.get(id) ?? id).join(', ') || '—'}</td>
          <td>{rule.enabled ? 'yes' : 'no'}</td>
          <td className="row" style={{ gap: 4 }}>
            {canWrite && (
              <>
                <button type="button" className="btn ghost small" onClick={() => onEdit(rule.id)}>
                  Edit
                </button>
                <button type="button" className="btn ghost small" onClick={() => onRemove(rule)}>
                  {confirming === rule.id ? 'Confirm delete' : 'Delete'}
                </button>
              </>
            )}
          </td>
        </tr>
      ))}
    </DataTable>
  );
}
