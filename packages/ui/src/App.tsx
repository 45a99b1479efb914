/**
 * The console: the sign-in gate, then the URL routed to a page inside the shell, and the global
 * shortcuts. Pages remount when the project changes, so every view reloads for the new project.
 */
import { Fragment, Suspense, useCallback, useEffect, useMemo, useState } from 'react';
import { AppShell } from './components/AppShell.tsx';
import { ShortcutHelp } from './components/ShortcutHelp.tsx';
import { Empty, Loading } from './components/States.tsx';
import { AuthGate } from './features/account/AuthGate.tsx';
import { useAuth } from './features/account/auth-context.ts';
import { CostsPage } from './features/costs/CostsPage.tsx';
import { ExplorerPage } from './features/explorer/ExplorerPage.tsx';
import { ModelsPage } from './features/models/ModelsPage.tsx';
import { OverviewPage } from './features/overview/OverviewPage.tsx';
import { SessionPage } from './features/sessions/SessionPage.tsx';
import { SessionsPage } from './features/sessions/SessionsPage.tsx';
import { TracePage } from './features/trace/TracePage.tsx';
import { UsersPage } from './features/users/UsersPage.tsx';
import { isTyping } from './lib/keyboard.ts';
import { lazyNamed } from './lib/lazy.ts';
import { useRoute } from './lib/navigation.ts';
import { RefreshContext } from './lib/refresh.ts';
import type { Route } from './lib/url-state.ts';

// Settings, invitations and alerts are not what the console opens on: their code loads on first
// visit, keeping the first load of the data pages small.
const AlertsPage = lazyNamed(() => import('./features/alerts/AlertsPage.tsx'), 'AlertsPage');
const AlertRulePage = lazyNamed(() => import('./features/alerts/AlertRulePage.tsx'), 'AlertRulePage');
const SettingsPage = lazyNamed(() => import('./features/settings/SettingsPage.tsx'), 'SettingsPage');
const DatasetsPage = lazyNamed(() => import('./features/datasets/DatasetsPage.tsx'), 'DatasetsPage');
const DatasetPage = lazyNamed(() => import('./features/datasets/DatasetPage.tsx'), 'DatasetPage');
const ExperimentsPage = lazyNamed(
  () => import('./features/experiments/ExperimentsPage.tsx'),
  'ExperimentsPage',
);
const ExperimentPage = lazyNamed(() => import('./features/experiments/ExperimentPage.tsx'), 'ExperimentPage');
const ComparePage = lazyNamed(() => import('./features/experiments/ComparePage.tsx'), 'ComparePage');
const QualityPage = lazyNamed(() => import('./features/review/QualityPage.tsx'), 'QualityPage');
const QueuesPage = lazyNamed(() => import('./features/review/QueuesPage.tsx'), 'QueuesPage');
const ReviewPage = lazyNamed(() => import('./features/review/ReviewPage.tsx'), 'ReviewPage');
const DriftPage = lazyNamed(() => import('./features/drift/DriftPage.tsx'), 'DriftPage');
const ExplainPage = lazyNamed(() => import('./features/explain/ExplainPage.tsx'), 'ExplainPage');
const GatewayPage = lazyNamed(() => import('./features/gateway/GatewayPage.tsx'), 'GatewayPage');
const RulesPage = lazyNamed(() => import('./features/rules/RulesPage.tsx'), 'RulesPage');
const AcceptInvitePage = lazyNamed(
  () => import('./features/account/AcceptInvitePage.tsx'),
  'AcceptInvitePage',
);

function Page({ route }: { route: Route }) {
  switch (route.page) {
    case 'overview':
      return <OverviewPage route={route} />;
    case 'traces':
      return <ExplorerPage route={route} />;
    case 'trace':
      return <TracePage key={route.id} route={route} />;
    case 'sessions':
      return <SessionsPage route={route} />;
    case 'session':
      return <SessionPage key={route.id} route={route} />;
    case 'users':
      return <UsersPage route={route} />;
    case 'models':
      return <ModelsPage route={route} />;
    case 'costs':
      return <CostsPage route={route} />;
    case 'alerts':
      return (
        <Suspense fallback={<Loading />}>
          <AlertsPage route={route} />
        </Suspense>
      );
    case 'alert':
      return (
        <Suspense fallback={<Loading />}>
          <AlertRulePage key={route.id} route={route} />
        </Suspense>
      );
    case 'settings':
      return (
        <Suspense fallback={<Loading label="Loading settings…" />}>
          <SettingsPage route={route} />
        </Suspense>
      );
    case 'datasets':
      return (
        <Suspense fallback={<Loading />}>
          <DatasetsPage route={route} />
        </Suspense>
      );
    case 'dataset':
      return (
        <Suspense fallback={<Loading />}>
          <DatasetPage key={route.id} route={route} />
        </Suspense>
      );
    case 'experiments':
      return (
        <Suspense fallback={<Loading />}>
          <ExperimentsPage route={route} />
        </Suspense>
      );
    case 'experiment':
      return (
        <Suspense fallback={<Loading />}>
          <ExperimentPage key={route.id} route={route} />
        </Suspense>
      );
    case 'compare':
      return (
        <Suspense fallback={<Loading />}>
          <ComparePage route={route} />
        </Suspense>
      );
    case 'quality':
      return (
        <Suspense fallback={<Loading />}>
          <QualityPage route={route} />
        </Suspense>
      );
    case 'queues':
      return (
        <Suspense fallback={<Loading />}>
          <QueuesPage route={route} />
        </Suspense>
      );
    case 'queue':
      return (
        <Suspense fallback={<Loading />}>
          <ReviewPage key={route.id} route={route} />
        </Suspense>
      );
    case 'drift':
      return (
        <Suspense fallback={<Loading />}>
          <DriftPage route={route} />
        </Suspense>
      );
    case 'explain':
      return (
        <Suspense fallback={<Loading />}>
          <ExplainPage route={route} />
        </Suspense>
      );
    case 'gateway':
      return (
        <Suspense fallback={<Loading />}>
          <GatewayPage />
        </Suspense>
      );
    case 'rules':
      return (
        <Suspense fallback={<Loading />}>
          <RulesPage route={route} />
        </Suspense>
      );
    default:
      return <Empty title="Page not found">This address is not a page of the console.</Empty>;
  }
}

/** The app. */
export function App() {
  const route = useRoute();
  if (route.page === 'accept-invite')
    return (
      <Suspense fallback={<Loading />}>
        <AcceptInvitePage />
      </Suspense>
    );
  return (
    <AuthGate>
      <Console route={route} />
    </AuthGate>
  );
}

/** The signed-in console. */
function Console({ route }: { route: Route }) {
  const { projectId } = useAuth();
  const [tick, setTick] = useState(0);
  const [isHelpOpen, setHelpOpen] = useState(false);
  const refresh = useCallback(() => setTick((t) => t + 1), []);
  const refreshValue = useMemo(() => ({ tick, refresh }), [tick, refresh]);
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (isTyping(event.target) || event.metaKey || event.ctrlKey || event.altKey) return;
      if (document.querySelector('[aria-modal="true"]')) return;
      if (event.key === '?') setHelpOpen((open) => !open);
      else if (event.key === 'Escape') setHelpOpen(false);
      else if (event.key === 'r') refresh();
      else if (event.key === 't')
        document.querySelector<HTMLButtonElement>('[aria-label="Toggle theme"]')?.click();
      else if (event.key === '/') {
        const search = document.querySelector<HTMLInputElement>('input[type="search"]');
        if (search) {
          event.preventDefault();
          search.focus();
        }
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [refresh]);
  useEffect(() => {
    const titles: Record<string, string> = {
      trace: 'Trace',
      session: 'Session',
      traces: 'Traces',
      alert: 'Alert rule',
      settings: 'Settings',
      dataset: 'Dataset',
      experiment: 'Experiment',
      compare: 'Compare experiments',
      queues: 'Annotation queues',
      queue: 'Review',
    };
    const name = titles[route.page] ?? route.page.charAt(0).toUpperCase() + route.page.slice(1);
    document.title = `${name} · Argus`;
  }, [route.page]);
  return (
    <RefreshContext.Provider value={refreshValue}>
      <AppShell route={route}>
        <Fragment key={projectId}>
          <Page route={route} />
        </Fragment>
      </AppShell>
      {isHelpOpen && <ShortcutHelp onClose={() => setHelpOpen(false)} />}
    </RefreshContext.Provider>
  );
}
