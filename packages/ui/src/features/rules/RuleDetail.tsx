/**
 * One evaluation rule under the list: its settings, where its worker stands (lag, today's
 * counts and spend, a backfill), the failures and skips recorded with their reasons, and the
 * actions (edit, enable, backfill, delete).
 */
import type { EvaluationRule, Evaluator } from '@argus/shared';
import { useState } from 'react';
import { backfillRule, deleteRule, fetchRuleRuns, updateRule } from '../../api-online.ts';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { DataTable } from '../../components/DataTable.tsx';
import { Link } from '../../components/Link.tsx';
import { GatedButton } from '../../components/ReadOnlyNote.tsx';
import { ErrorBox } from '../../components/States.tsx';
import { formatAgo } from '../../lib/format.ts';
import { useAction } from '../../lib/use-action.ts';
import { useApi } from '../../lib/use-api.ts';
import { useCan } from '../account/auth-context.ts';

/** Props of {@link RuleDetail}. */
export interface RuleDetailProps {
  rule: EvaluationRule;
  evaluators: Evaluator[];
  onEdit: () => void;
  onChanged: () => void;
  onDeleted: () => void;
}

const filterText = (rule: EvaluationRule) =>
  Object.entries(rule.filter)
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('|') : v}`)
    .join(', ') || 'every span';

/** The detail panel of a rule. */
export function RuleDetail({ rule, evaluators, onEdit, onChanged, onDeleted }: RuleDetailProps) {
  const canWrite = useCan('write');
  const [isDeleting, setDeleting] = useState(false);
  const runs = useApi(`rule-runs:${rule.id}:${rule.updatedAt}:${rule.status?.today.failed ?? 0}`, (signal) =>
    fetchRuleRuns(rule.id, signal),
  );
  const action = useAction();
  const status = rule.status;
  const backfill = status?.backfill;
  const toggle = () =>
    void action.run(async () => updateRule(rule.id, { enabled: !rule.enabled }).then(onChanged));
  const backfillDay = () =>
    void action.run(async () =>
      backfillRule(rule.id, new Date(Date.now() - 86_400_000).toISOString()).then(onChanged),
    );
  const nameOf = (id: string) => evaluators.find((e) => e.id === id)?.name ?? id;
  return (
    <section className="panel stack" aria-label={`Rule ${rule.name}`}>
      <div className="row" style={{ justifyContent: 'space-between' }}>
        <h2>{rule.name}</h2>
        <div className="row">
          <GatedButton can={canWrite} onClick={onEdit}>
            Edit
          </GatedButton>
          <GatedButton can={canWrite} onClick={toggle}>
            {rule.enabled ? 'Disable' : 'Enable'}
          </GatedButton>
          <GatedButton
            can={canWrite}
            onClick={backfillDay}
            title="Apply the rule to the spans of the last 24 hours"
          >
            Backfill 24 h
          </GatedButton>
          <GatedButton can={canWrite} className="btn danger" onClick={() => setDeleting(true)}>
            Delete
          </GatedButton>
        </div>
      </div>
      {action.error && <ErrorBox error={action.error} />}
      <dl className="kv-grid">
        <dt>Filter</dt>
        <dd className="mono">{filterText(rule)}</dd>
        <dt>Evaluators</dt>
        <dd>{rule.evaluators.map(nameOf).join(', ')}</dd>
        <dt>Sampling</dt>
        <dd>
          {Math.round(rule.samplingRate * 1000) / 10} % of traces, each {rule.target}
          {rule.delaySeconds > 0 ? `, ${rule.delaySeconds} s after storage` : ''}
        </dd>
        <dt>Limits</dt>
        <dd>
          {rule.maxPerMinute ? `${rule.maxPerMinute}/min` : 'no rate limit'},{' '}
          {rule.dailyBudgetUsd ? `$${rule.dailyBudgetUsd}/day` : 'no budget'}
        </dd>
        <dt>Today</dt>
        <dd data-testid="rule-today">
          {status?.today.evaluated ?? 0} scored, {status?.today.failed ?? 0} failed,{' '}
          {status?.today.skipped ?? 0} skipped, ${(status?.today.spendUsd ?? 0).toFixed(4)} spent
        </dd>
        <dt>Lag</dt>
        <dd>{status?.lagSeconds === undefined ? 'not started' : `${status.lagSeconds} s`}</dd>
        {backfill && (
          <>
            <dt>Backfill</dt>
            <dd>
              {backfill.status}, {backfill.scanned} spans ({formatAgo(backfill.startedAt)})
              {backfill.error ? ` — ${backfill.error}` : ''}
            </dd>
          </>
        )}
      </dl>
      <p>
        <Link to={`/quality?score=${encodeURIComponent(nameOf(rule.evaluators[0] ?? ''))}`}>
          Scores over time
        </Link>
      </p>
      <h3>Failures and skips</h3>
      {runs.error && <ErrorBox error={runs.error} onRetry={runs.reload} />}
      {runs.data && runs.data.data.length === 0 && <p className="muted">None recorded.</p>}
      {runs.data && runs.data.data.length > 0 && (
        <DataTable label="Rule runs" columns={['When', 'Kind', 'Trace', 'Reason']}>
          {runs.data.data.map((r) => (
            <tr key={r.id}>
              <td title={r.time}>{formatAgo(r.time)}</td>
              <td>{r.kind}</td>
              <td className="mono">
                {r.traceId ? <Link to={`/traces/${r.traceId}`}>{r.traceId.slice(0, 12)}…</Link> : ''}
              </td>
              <td>{r.reason}</td>
            </tr>
          ))}
        </DataTable>
      )}
      {isDeleting && (
        <ConfirmDialog
          title={`Delete rule ${rule.name}?`}
          message="Its scores stay; its cursor, failures and usage are removed."
          confirmLabel="Delete rule"
          isDanger
          onConfirm={async () => {
            await deleteRule(rule.id);
            setDeleting(false);
            onDeleted();
          }}
          onClose={() => setDeleting(false)}
        />
      )}
    </section>
  );
}
