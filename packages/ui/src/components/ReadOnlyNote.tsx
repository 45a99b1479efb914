/** The note shown where the caller's role hides controls: what they cannot do and which role can. */
import { useAuth } from '../features/account/auth-context.ts';
import { type Need, neededRole } from '../lib/roles.ts';
import { Icons } from './Icons.tsx';

/** `Read-only: your role on Support is viewer; creating alert rules needs the member or admin role.` */
export function ReadOnlyNote({ need, what }: { need: Need; what: string }) {
  const { project } = useAuth();
  return (
    <p className="read-only-note" data-testid="read-only">
      <Icons.lock />
      <span>
        Read-only: your role on {project?.name ?? 'this project'} is {project?.role ?? 'none'}; {what} needs{' '}
        {neededRole(need)}.
      </span>
    </p>
  );
}
