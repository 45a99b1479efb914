/** The account menu at the foot of the sidebar: who is signed in, change password, sign out. */
import { Suspense, useEffect, useRef, useState } from 'react';
import { Icons } from '../../components/Icons.tsx';
import { Link } from '../../components/Link.tsx';
import { lazyNamed } from '../../lib/lazy.ts';
import { useAuth } from './auth-context.ts';

const ChangePasswordDialog = lazyNamed(() => import('./ChangePasswordDialog.tsx'), 'ChangePasswordDialog');

/** The menu. */
export function UserMenu() {
  const { me, project, signOut } = useAuth();
  const [isOpen, setOpen] = useState(false);
  const [isChanging, setChanging] = useState(false);
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!isOpen) return;
    const onDown = (event: MouseEvent) => {
      if (!box.current?.contains(event.target as Node)) setOpen(false);
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') setOpen(false);
    };
    document.addEventListener('mousedown', onDown);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('mousedown', onDown);
      document.removeEventListener('keydown', onKey);
    };
  }, [isOpen]);
  const principal = me.principal;
  const isUser = principal.kind === 'user';
  const name = isUser ? principal.username : principal.kind === 'key' ? principal.name : 'Open mode';
  return (
    <div className="user-menu relative" ref={box}>
      <button
        type="button"
        className="btn ghost small user-button"
        aria-haspopup="menu"
        aria-expanded={isOpen}
        aria-label="Account menu"
        title={isUser ? `Signed in as ${name}` : 'Authentication is off'}
        onClick={() => setOpen((open) => !open)}
      >
        <Icons.user />
        <span className="ellipsis">{name}</span>
      </button>
      {isOpen && (
        <div className="popover menu" role="menu" aria-label="Account">
          <div className="menu-head">
            {isUser ? (
              <>
                Signed in as <strong>{name}</strong>
                {me.instanceAdmin && <span className="chip accent">instance admin</span>}
                {project && (
                  <div className="faint">
                    Role on {project.name}: {project.role}
                  </div>
                )}
              </>
            ) : (
              <>
                Authentication is off: no sign-in.{' '}
                <Link to="/settings/security" onClick={() => setOpen(false)}>
                  What this means
                </Link>
              </>
            )}
          </div>
          {isUser && (
            <button
              type="button"
              role="menuitem"
              className="menu-item"
              onClick={() => {
                setOpen(false);
                setChanging(true);
              }}
            >
              Change password
            </button>
          )}
          <Link to="/settings" role="menuitem" className="menu-item" onClick={() => setOpen(false)}>
            Settings
          </Link>
          {isUser && (
            <button type="button" role="menuitem" className="menu-item" onClick={signOut}>
              Sign out
            </button>
          )}
        </div>
      )}
      {isChanging && (
        <Suspense fallback={null}>
          <ChangePasswordDialog onClose={() => setChanging(false)} />
        </Suspense>
      )}
    </div>
  );
}
