/** The console frame: navigation sidebar with the project switcher and account menu, the open-mode warning, and the page. */
import type { ReactNode } from 'react';
import { useAuth } from '../features/account/auth-context.ts';
import { OpenModeBanner } from '../features/account/OpenModeBanner.tsx';
import { ProjectSwitcher } from '../features/account/ProjectSwitcher.tsx';
import { StorageFullBanner } from '../features/account/StorageFullBanner.tsx';
import { UserMenu } from '../features/account/UserMenu.tsx';
import { useTheme } from '../lib/theme.ts';
import { formatRoute, type PageId, type Route, sharedParams } from '../lib/url-state.ts';
import { Icons } from './Icons.tsx';
import { Link } from './Link.tsx';

const NAV: { page: PageId; label: string; icon: () => ReactNode; also?: PageId[] }[] = [
  { page: 'overview', label: 'Overview', icon: Icons.overview },
  { page: 'traces', label: 'Traces', icon: Icons.traces, also: ['trace'] },
  { page: 'sessions', label: 'Sessions', icon: Icons.sessions, also: ['session'] },
  { page: 'users', label: 'Users', icon: Icons.users },
  { page: 'models', label: 'Models', icon: Icons.models },
  { page: 'costs', label: 'Costs', icon: Icons.costs },
  { page: 'datasets', label: 'Datasets', icon: Icons.datasets, also: ['dataset'] },
  { page: 'experiments', label: 'Experiments', icon: Icons.experiments, also: ['experiment', 'compare'] },
  { page: 'quality', label: 'Quality', icon: Icons.quality },
  { page: 'queues', label: 'Review', icon: Icons.queues, also: ['queue'] },
  { page: 'rules', label: 'Rules', icon: Icons.rules },
  { page: 'drift', label: 'Drift', icon: Icons.drift },
  { page: 'explain', label: 'Explain', icon: Icons.explain },
  { page: 'gateway', label: 'Gateway', icon: Icons.gateway },
  { page: 'alerts', label: 'Alerts', icon: Icons.alerts, also: ['alert'] },
  { page: 'settings', label: 'Settings', icon: Icons.settings },
];

/** The shell around every page; nav links carry the time range and global filters along. */
export function AppShell({ route, children }: { route: Route; children: ReactNode }) {
  const { theme, toggle } = useTheme();
  const { me } = useAuth();
  const carried = sharedParams(route.params);
  return (
    <div className="shell">
      <nav className="sidebar" aria-label="Main">
        <Link to={formatRoute({ page: 'overview', params: carried })} className="brand">
          <Icons.logo />
          <span>Argus</span>
        </Link>
        <ProjectSwitcher />
        {NAV.map(({ page, label, icon: Icon, also }) => {
          const isCurrent = route.page === page || (also ?? []).includes(route.page);
          return (
            <Link
              key={page}
              to={
                page === 'settings' ||
                page === 'datasets' ||
                page === 'experiments' ||
                page === 'queues' ||
                page === 'rules'
                  ? `/${page}`
                  : formatRoute({ page, params: carried })
              }
              className="nav-link"
              aria-current={isCurrent ? 'page' : undefined}
              title={label}
            >
              <Icon />
              <span>{label}</span>
            </Link>
          );
        })}
        <div className="sidebar-foot">
          <UserMenu />
          <button
            type="button"
            className="btn ghost small"
            onClick={toggle}
            aria-label="Toggle theme"
            title="Toggle theme (t)"
          >
            {theme === 'dark' ? <Icons.sun /> : <Icons.moon />}
            {theme === 'dark' ? 'Light theme' : 'Dark theme'}
          </button>
          <span>Press ? for shortcuts</span>
        </div>
      </nav>
      <main className="main">
        <StorageFullBanner />
        {me.authMode === 'off' && <OpenModeBanner />}
        {children}
      </main>
    </div>
  );
}
