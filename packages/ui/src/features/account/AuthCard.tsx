/** The card of the pages shown before the console (sign-in, accepting an invitation, no project yet). */
import type { FormEvent, ReactNode } from 'react';
import { Icons } from '../../components/Icons.tsx';

/** The card, the logo and the title over `children`; a form named `label` when it has `onSubmit`. */
export function AuthCard({
  title,
  label,
  onSubmit,
  children,
}: {
  title: string;
  label?: string;
  onSubmit?: (event: FormEvent) => Promise<void>;
  children: ReactNode;
}) {
  const content = (
    <>
      <div className="auth-brand">
        <Icons.logo />
        <span>Argus</span>
      </div>
      <h1>{title}</h1>
      {children}
    </>
  );
  return (
    <div className="auth-page">
      {onSubmit ? (
        <form className="auth-card panel" aria-label={label} onSubmit={(e) => void onSubmit(e)}>
          {content}
        </form>
      ) : (
        <div className="auth-card panel">{content}</div>
      )}
    </div>
  );
}
