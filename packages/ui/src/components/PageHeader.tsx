/** The top bar of a page: title, page controls, refresh. */
import type { ReactNode } from 'react';
import { useRefresh } from '../lib/refresh.ts';
import { Icons } from './Icons.tsx';

/** A page's top bar. */
export function PageHeader({
  title,
  children,
  isRefreshable = true,
}: {
  title: ReactNode;
  children?: ReactNode;
  isRefreshable?: boolean;
}) {
  const { refresh } = useRefresh();
  return (
    <header className="topbar">
      <h1>{title}</h1>
      {children}
      {isRefreshable && (
        <button type="button" className="btn" onClick={refresh} title="Refresh (r)" aria-label="Refresh">
          <Icons.refresh />
        </button>
      )}
    </header>
  );
}
