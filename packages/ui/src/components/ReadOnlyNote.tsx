/**
 * What the caller's role does not allow: the note shown where it hides controls (what they cannot
 * do and which role can), and a button that stays in view but disabled, saying why.
 */
import type { ReactNode } from 'react';
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

/** Props of {@link GatedButton}. */
export interface GatedButtonProps {
  /** Whether the caller may use it, and why not (`useCan`). */
  can: { isAllowed: boolean; reason: string | undefined };
  className?: string;
  /** The tooltip when it is allowed. */
  title?: string;
  onClick: () => void;
  children: ReactNode;
}

/** A button the caller's role may not use: disabled then, with the reason as its tooltip. */
export function GatedButton({ can, className = 'btn', title, onClick, children }: GatedButtonProps) {
  return (
    <button
      type="button"
      className={className}
      disabled={!can.isAllowed}
      title={can.reason ?? title}
      onClick={onClick}
    >
      {children}
    </button>
  );
}

/** The primary `+ New …` button of a list page (a {@link GatedButton}). */
export function NewButton({
  can,
  what,
  onClick,
}: Pick<GatedButtonProps, 'can' | 'onClick'> & { what: string }) {
  return (
    <GatedButton can={can} className="btn primary" onClick={onClick}>
      <Icons.plus />
      {` New ${what}`}
    </GatedButton>
  );
}
