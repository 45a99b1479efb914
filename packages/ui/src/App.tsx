/** The console: routes the URL to a page inside the shell, and the global shortcuts. */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { AppShell } from './components/AppShell.tsx';
import { ShortcutHelp } from './components/ShortcutHelp.tsx';
import { Empty } from './components/States.tsx';
import { AlertRulePage } from './features/alerts/AlertRulePage.tsx';
import { AlertsPage } from './features/alerts/AlertsPage.tsx';
import { CostsPage } from './features/costs/CostsPage.tsx';
import { ExplorerPage } from './features/explorer/ExplorerPage.tsx';
import { ModelsPage } from './features/models/ModelsPage.tsx';
import { OverviewPage } from './features/overview/OverviewPage.tsx';
import { SessionPage } from './features/sessions/SessionPage.tsx';
import { SessionsPage } from './features/sessions/SessionsPage.tsx';
import { TracePage } from './features/trace/TracePage.tsx';
import { UsersPage } from './features/users/UsersPage.tsx';
import { isTyping } from './lib/keyboard.ts';
import { useRoute } from './lib/navigation.ts';
import { RefreshContext } from './lib/refresh.ts';
import type { Route } from './lib/url-state.ts';

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
      return <AlertsPage route={route} />;
    case 'alert':
      return <AlertRulePage key={route.id} route={route} />;
    default:
      return <Empty title="Page not found">This address is not a page of the console.</Empty>;
  }
}

/** The app. */
export function App() {
  const route = useRoute();
  const [tick, setTick] = useState(0);
  const [isHelpOpen, setHelpOpen] = useState(false);
  const refresh = useCallback(() => setTick((t) => t + 1), []);
  const refreshValue = useMemo(() => ({ tick, refresh }), [tick, refresh]);
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (isTyping(event.target) || event.metaKey || event.ctrlKey || event.altKey) return;
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
    };
    const name = titles[route.page] ?? route.page.charAt(0).toUpperCase() + route.page.slice(1);
    document.title = `${name} · Argus`;
  }, [route.page]);
  return (
    <RefreshContext.Provider value={refreshValue}>
      <AppShell route={route}>
        <Page route={route} />
      </AppShell>
      {isHelpOpen && <ShortcutHelp onClose={() => setHelpOpen(false)} />}
    </RefreshContext.Provider>
  );
}
