/** The Rules tab of the alerts page: the rule editor, the rules table and the first-rule hint. */

import type { AlertRule, Channel } from '@argus/shared';
import { useState } from 'react';
import { deleteAlertRule } from '../../api.ts';
import { ReadOnlyNote } from '../../components/ReadOnlyNote.tsx';
import { Async, Empty, ErrorBox } from '../../components/States.tsx';
import type { ApiState } from '../../lib/use-api.ts';
import { useCan } from '../account/auth-context.ts';
import { RuleForm } from './RuleForm.tsx';
import { RulesTable } from './RulesTable.tsx';
import { emptyDraft, ruleToDraft } from './rule-form.ts';

/** The CLI hint of the empty state (`onCreate` absent: the caller's role cannot create rules). */
export function FirstRuleHint({ onCreate }: { onCreate?: () => void }) {
  if (!onCreate)
    return (
      <Empty title="No alert rules yet">
        A project member or admin can create rules here or with <code>npx argus alerts create</code>.
      </Empty>
    );
  return (
    <Empty title="No alert rules yet">
      <p>
        Create a rule with the button below, or from the command line with a JSON file (see docs/alerts.md):
      </p>
      <pre className="code">npx argus alerts create --file rule.json</pre>
      <button type="button" className="btn primary" onClick={onCreate}>
        New rule
      </button>
    </Empty>
  );
}

/** Delete with a second click to confirm; `onRemoved` runs after the attempt, whatever its outcome. */
function useRemoveRule(onRemoved: () => void) {
  const [confirming, setConfirming] = useState<string | undefined>();
  const [removeError, setRemoveError] = useState<Error | undefined>();
  const remove = async (rule: AlertRule) => {
    if (confirming !== rule.id) {
      setConfirming(rule.id);
      return;
    }
    setConfirming(undefined);
    setRemoveError(undefined);
    try {
      await deleteAlertRule(rule.id);
    } catch (error) {
      setRemoveError(error as Error);
    }
    onRemoved();
  };
  return { confirming, removeError, remove };
}

/** The rules panel; `editing` is the id of the rule being edited, or `new`. */
export function RulesSection({
  rules,
  channels,
  channelName,
  editing,
  onEdit,
  onChanged,
}: {
  rules: ApiState<{ data: AlertRule[] }>;
  channels: Channel[];
  channelName: Map<string, string>;
  editing: string | undefined;
  /** Opens the editor on a rule id or `new`; undefined closes it. */
  onEdit: (rule: string | undefined) => void;
  /** A rule was saved or removed (rules and states need reloading). */
  onChanged: () => void;
}) {
  const { isAllowed: canWrite } = useCan('write');
  const { confirming, removeError, remove } = useRemoveRule(onChanged);
  const editRule = editing && editing !== 'new' ? rules.data?.data.find((r) => r.id === editing) : undefined;
  return (
    <section className="panel" aria-label="Rules">
      <div className="panel-head row">
        <span style={{ flex: 1 }}>Rules</span>
        {/* With no rules yet the empty state carries the one New rule button. */}
        {canWrite && (rules.data?.data.length ?? 0) > 0 && (
          <button type="button" className="btn small primary" onClick={() => onEdit('new')}>
            New rule
          </button>
        )}
      </div>
      <div className="panel-body stack">
        {!canWrite && <ReadOnlyNote need="write" what="creating and editing alert rules" />}
        {removeError && <ErrorBox error={removeError} />}
        {editing && (editing === 'new' || editRule) && (
          <RuleForm
            key={editing}
            initial={editRule ? ruleToDraft(editRule) : emptyDraft()}
            ruleId={editRule?.id}
            channels={channels}
            onSaved={() => {
              onEdit(undefined);
              onChanged();
            }}
            onCancel={() => onEdit(undefined)}
          />
        )}
        <Async state={rules} label="Loading rules…">
          {(data) =>
            data.data.length === 0 ? (
              editing ? null : (
                <FirstRuleHint onCreate={canWrite ? () => onEdit('new') : undefined} />
              )
            ) : (
              <RulesTable
                rules={data.data}
                channelName={channelName}
                canWrite={canWrite}
                editing={editing}
                confirming={confirming}
                onEdit={onEdit}
                onRemove={(rule) => void remove(rule)}
              />
            )
          }
        </Async>
      </div>
    </section>
  );
}
