/** Shown to a signed-in user who belongs to no project yet: what to do next, and sign out. */
import type { Me } from '@argus/shared';
import { AuthCard } from './AuthCard.tsx';

/** The page. */
export function NoProjectPage({ me, onSignOut }: { me: Me; onSignOut: () => void }) {
  const name = me.principal.kind === 'user' ? me.principal.username : 'you';
  return (
    <AuthCard title="No project yet">
      <p>
        You are signed in as <strong>{name}</strong>, but you are not a member of any project. Ask a project
        administrator to invite you (Settings → Members &amp; invites), then reload this page.
      </p>
      <div className="row">
        <button type="button" className="btn" onClick={() => window.location.reload()}>
          Reload
        </button>
        <button type="button" className="btn ghost" onClick={onSignOut}>
          Sign out
        </button>
      </div>
    </AuthCard>
  );
}
