/**
 * Alerts: current states (firing and pending first), rules with the editor, history with
 * delivery status, silences, and notification channels. `tab` and `rule` (the rule being
 * edited, or `new`) live in the URL.
 */

import { useEffect } from 'react';
import { fetchAlertEvents, fetchAlertRules, fetchAlertStates, fetchChannels } from '../../api.ts';
import { PageHeader } from '../../components/PageHeader.tsx';
import { Async } from '../../components/States.tsx';
import { navigate } from '../../lib/navigation.ts';
import { useRefresh } from '../../lib/refresh.ts';
import { patchParams, type Route, type ViewParams } from '../../lib/url-state.ts';
import { useApi } from '../../lib/use-api.ts';
import { ChannelsPanel } from './ChannelsPanel.tsx';
import { EventsTable } from './EventsTable.tsx';
import { RulesSection } from './RulesSection.tsx';
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

/** The section tabs; choosing one closes the rule editor. */
function AlertsTabs({ tab, onSelect }: { tab: string; onSelect: (tab: string) => void }) {
  return (
    <div className="seg" role="tablist" aria-label="Alerts sections">
      {TABS.map(([id, label]) => (
        <button
          key={id}
          type="button"
          role="tab"
          aria-selected={tab === id}
          className={tab === id ? 'active' : undefined}
          onClick={() => onSelect(id)}
        >
          {label}
        </button>
      ))}
    </div>
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
  return (
    <>
      <PageHeader title="Alerts">
        <AlertsTabs
          tab={tab ?? 'rules'}
          onSelect={(id) => update({ tab: id === 'rules' ? undefined : id, rule: undefined })}
        />
      </PageHeader>
      <div className="content stack">
        {tab === 'rules' && (
          <>
            <StatesPanel states={states} ruleById={ruleById} />
            <RulesSection
              rules={rules}
              channels={channels.data?.data ?? []}
              channelName={channelName}
              editing={params.rule}
              onEdit={(rule) => update({ rule })}
              onChanged={() => {
                rules.reload();
                states.reload();
              }}
            />
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
