/**
 * Alerts: current states (firing and pending first), rules with the editor, history with
 * delivery status, silences, and notification channels. `tab` and `rule` (the rule being
 * edited, or `new`) live in the URL.
 */

import type { AlertRule } from '@argus/shared';
import { useEffect, useState } from 'react';
import {
  deleteAlertRule,
  fetchAlertEvents,
  fetchAlertRules,
  fetchAlertStates,
  fetchChannels,
} from '../../api.ts';
import { PageHeader } from '../../components/PageHeader.tsx';
import { ReadOnlyNote } from '../../components/ReadOnlyNote.tsx';
import { Async, Empty, ErrorBox } from '../../components/States.tsx';
import { navigate } from '../../lib/navigation.ts';
import { useRefresh } from '../../lib/refresh.ts';
import { patchParams, type Route, type ViewParams } from '../../lib/url-state.ts';
import { useApi } from '../../lib/use-api.ts';
import { useCan } from '../account/auth-context.ts';
import { ChannelsPanel } from './ChannelsPanel.tsx';
import { EventsTable } from './EventsTable.tsx';
import { RuleForm } from './RuleForm.tsx';
import { RulesTable } from './RulesTable.tsx';
import { emptyDraft, ruleToDraft } from './rule-form.ts';
import { SilencesPanel } from './SilencesPanel.tsx';
import { StatesPanel } from './StatesPanel.tsx';

const TABS = [
  ['rules', 'Rules'],
  ['events', 'History'],
  ['silences', 'Silences'],
  ['channels', 'Channels'],
] as const;

/** Reloads `reload` every `ms` and on the global refresh. */
export function usePolling(reload: () => void, ms = 3000) {
  const { tick } = useRefresh();
  // biome-ignore lint/correctness/useExhaustiveDependencies: `tick` is the refresh trigger
  useEffect(() => {
    const id = window.setInterval(reload, ms);
    return () => window.clearInterval(id);
  }, [reload, ms, tick]);
}

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

/** The alerts page. */
export function AlertsPage({ route }: { route: Route }) {
  const { params } = route;
  const tab = TABS.some(([id]) => id === params.tab) ? params.tab : 'rules';
  const update = (patch: Partial<ViewParams>) => navigate({ ...route, params: patchParams(params, patch) });
  const { tick } = useRefresh();
  const rules = useApi(`rules:${tick}`, (s) => fetchAlertRules(s));
  const states = useApi(`states:${tick}`, (s) => fetchAlertStates(s));
  const channels = useApi(`channels:${tick}`, (s) => fetchChannels(s));
  const events = useApi(tab === 'events' ? `events:${tick}` : undefined, (s) =>
    fetchAlertEvents({ limit: 200 }, s),
  );
  usePolling(states.reload);
  usePolling(events.reload);
  const ruleById = new Map((rules.data?.data ?? []).map((r) => [r.id, r]));
  const channelName = new Map((channels.data?.data ?? []).map((c) => [c.id, c.name]));
  const editing = params.rule;
  const editRule = editing && editing !== 'new' ? ruleById.get(editing) : undefined;
  const [confirming, setConfirming] = useState<string | undefined>();
  const [removeError, setRemoveError] = useState<Error | undefined>();
  const { isAllowed: canWrite } = useCan('write');
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
    rules.reload();
    states.reload();
  };
  return (
    <>
      <PageHeader title="Alerts">
        <div className="seg" role="tablist" aria-label="Alerts sections">
          {TABS.map(([id, label]) => (
            <button
              key={id}
              type="button"
              role="tab"
              aria-selected={tab === id}
              className={tab === id ? 'active' : undefined}
              onClick={() => update({ tab: id === 'rules' ? undefined : id, rule: undefined })}
            >
              {label}
            </button>
          ))}
        </div>
      </PageHeader>
      <div className="content stack">
        {tab === 'rules' && (
          <>
            <StatesPanel states={states} ruleById={ruleById} />
            <section className="panel" aria-label="Rules">
              <div className="panel-head row">
                <span style={{ flex: 1 }}>Rules</span>
                {/* With no rules yet the empty state carries the one New rule button. */}
                {canWrite && (rules.data?.data.length ?? 0) > 0 && (
                  <button type="button" className="btn small primary" onClick={() => update({ rule: 'new' })}>
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
                    channels={channels.data?.data ?? []}
                    onSaved={() => {
                      update({ rule: undefined });
                      rules.reload();
                      states.reload();
                    }}
                    onCancel={() => update({ rule: undefined })}
                  />
                )}
                <Async state={rules} label="Loading rules…">
                  {(data) =>
                    data.data.length === 0 ? (
                      editing ? null : (
                        <FirstRuleHint onCreate={canWrite ? () => update({ rule: 'new' }) : undefined} />
                      )
                    ) : (
                      <RulesTable
                        rules={data.data}
                        channelName={channelName}
                        canWrite={canWrite}
                        editing={editing}
                        confirming={confirming}
                        onEdit={(rule) => update({ rule })}
                        onRemove={(rule) => void remove(rule)}
                      />
                    )
                  }
                </Async>
              </div>
            </section>
          </>
        )}
        {tab === 'events' && (
          <section className="panel" aria-label="History">
            <div className="panel-head">History (last 7 days)</div>
            <div className="panel-body">
              <Async state={events} label="Loading history…">
                {(data) => <EventsTable events={data.data} channelName={channelName} />}
              </Async>
            </div>
          </section>
        )}
        {tab === 'silences' && <SilencesPanel rules={rules.data?.data ?? []} />}
        {tab === 'channels' && <ChannelsPanel channels={channels} />}
      </div>
    </>
  );
}
