/**
 * Evaluation rules (`/rules`): the project's online evaluation rules with their status, a form
 * (with a dry run) to create or change one, the selected rule's detail (`?rule=<id>`), and the
 * project's switch for the built-in output-health checks.
 */
import type { EvaluationRule } from '@argus/shared';
import { useState } from 'react';
import { fetchOutputHealth, fetchRules, saveOutputHealth } from '../../api-online.ts';
import { fetchEvaluators } from '../../api-quality.ts';
import { DataTable } from '../../components/DataTable.tsx';
import { Link } from '../../components/Link.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { NewButton } from '../../components/ReadOnlyNote.tsx';
import { Empty, ErrorBox, ListStates } from '../../components/States.tsx';
import { navigate } from '../../lib/navigation.ts';
import { useRefresh } from '../../lib/refresh.ts';
import type { Route } from '../../lib/url-state.ts';
import { useAction } from '../../lib/use-action.ts';
import { useApi } from '../../lib/use-api.ts';
import { useCan } from '../account/auth-context.ts';
import { RuleDetail } from './RuleDetail.tsx';
import { RuleDialog } from './RuleDialog.tsx';

const select = (id: string | undefined) => navigate(id ? `/rules?rule=${encodeURIComponent(id)}` : '/rules');

/** The project's output-health switch. */
function OutputHealthPanel() {
  const canAdmin = useCan('admin');
  const [nonce, setNonce] = useState(0);
  const settings = useApi(`output-health:${nonce}`, (signal) => fetchOutputHealth(signal));
  const action = useAction();
  const enabled = settings.data?.data.enabled;
  return (
    <section className="panel row wrap" aria-label="Output health">
      <div style={{ flex: 1 }}>
        <strong>Output health</strong>{' '}
        <span className="muted">
          built-in checks of every LLM answer: truncated, empty, refusal, repetition, other language, invalid
          JSON, undeclared tool.
        </span>{' '}
        <Link to="/traces?view=spans&outputFlag=refusal">Flagged spans</Link>
      </div>
      {enabled !== undefined && (
        <label className="row">
          <input
            type="checkbox"
            name="outputHealth"
            checked={enabled}
            disabled={!canAdmin.isAllowed || action.isBusy}
            onChange={(e) =>
              void action.run(() => saveOutputHealth(e.target.checked).then(() => setNonce((n) => n + 1)))
            }
          />{' '}
          On for this project
        </label>
      )}
      {action.error && <ErrorBox error={action.error} />}
    </section>
  );
}

/** The rules page. */
export function RulesPage({ route }: { route: Route }) {
  const { tick } = useRefresh();
  const canWrite = useCan('write');
  const [nonce, setNonce] = useState(0);
  const [editing, setEditing] = useState<EvaluationRule | 'new' | undefined>();
  const rules = useApi(`rules:${tick}:${nonce}`, (signal) => fetchRules(signal));
  const evaluators = useApi(`evaluators:${tick}`, (signal) => fetchEvaluators(signal));
  const list = { ...rules, rows: rules.data?.data ?? [] };
  const selected = list.rows.find((r) => r.id === route.params.rule);
  const reload = () => setNonce((n) => n + 1);
  const nameOf = (id: string) => evaluators.data?.data.find((e) => e.id === id)?.name ?? id;
  return (
    <>
      <PageHeader title="Evaluation rules">
        <NewButton can={canWrite} what="rule" onClick={() => setEditing('new')} />
      </PageHeader>
      <div className="content stack">
        <OutputHealthPanel />
        <ListStates
          list={list}
          label="Loading rules…"
          empty={
            <Empty title="No evaluation rules yet">
              <p>
                A rule runs evaluators on a sample of the spans your application sends and stores their scores
                as <code>online</code> scores. Create one here or with:
              </p>
              <pre className="code">
                npx argus rules create --name helpful --evaluator &lt;id&gt; --filter kind=llm --sampling 0.1
              </pre>
            </Empty>
          }
        >
          <section className="panel" aria-label="Evaluation rules">
            <DataTable
              label="Evaluation rules"
              columns={['Name', 'On', 'Target', 'Sampling', 'Evaluators', 'Lag', 'Today']}
            >
              {list.rows.map((r) => (
                <tr key={r.id} data-rule={r.name} aria-selected={r.id === selected?.id}>
                  <td>
                    <Link to={`/rules?rule=${encodeURIComponent(r.id)}`}>{r.name}</Link>
                  </td>
                  <td>{r.enabled ? 'yes' : 'no'}</td>
                  <td>{r.target}</td>
                  <td className="num">{Math.round(r.samplingRate * 1000) / 10} %</td>
                  <td>{r.evaluators.map(nameOf).join(', ')}</td>
                  <td className="num">
                    {r.status?.lagSeconds === undefined ? '' : `${r.status.lagSeconds} s`}
                  </td>
                  <td className="num">
                    {r.status?.today.evaluated ?? 0} scored · {r.status?.today.failed ?? 0} failed
                  </td>
                </tr>
              ))}
            </DataTable>
          </section>
        </ListStates>
        {selected && (
          <RuleDetail
            key={selected.id}
            rule={selected}
            evaluators={evaluators.data?.data ?? []}
            onEdit={() => setEditing(selected)}
            onChanged={reload}
            onDeleted={() => {
              select(undefined);
              reload();
            }}
          />
        )}
      </div>
      {editing && (
        <RuleDialog
          evaluators={evaluators.data?.data ?? []}
          {...(editing === 'new' ? {} : { rule: editing })}
          onClose={() => setEditing(undefined)}
          onSaved={(rule) => {
            setEditing(undefined);
            reload();
            select(rule.id);
          }}
        />
      )}
    </>
  );
}
