/** A modal dialog: an overlay, a titled panel, Escape and the overlay close it, focus moves in. */
import { type ReactNode, useEffect, useId, useRef } from 'react';

/** Props of {@link Dialog}. */
export interface DialogProps {
  title: ReactNode;
  onClose: () => void;
  children: ReactNode;
  /** Buttons at the bottom right. */
  footer?: ReactNode;
  isWide?: boolean;
  /** Name for tests and screen readers when the title is not plain text. */
  label?: string;
}

/** The dialog. */
export function Dialog({ title, onClose, children, footer, isWide = false, label }: DialogProps) {
  const titleId = useId();
  const panel = useRef<HTMLDivElement>(null);
  const overlay = useRef<HTMLDivElement>(null);
  const onCloseRef = useRef(onClose);
  onCloseRef.current = onClose;
  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null;
    const first = panel.current?.querySelector<HTMLElement>(
      'input:not([disabled]), select:not([disabled]), textarea:not([disabled])',
    );
    (first ?? panel.current)?.focus();
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') {
        event.stopPropagation();
        onCloseRef.current();
      }
    };
    // A press on the dimmed backdrop (not inside the panel) closes the dialog.
    const backdrop = overlay.current;
    const onDown = (event: MouseEvent) => {
      if (event.target === backdrop) onCloseRef.current();
    };
    window.addEventListener('keydown', onKey, true);
    backdrop?.addEventListener('mousedown', onDown);
    return () => {
      window.removeEventListener('keydown', onKey, true);
      backdrop?.removeEventListener('mousedown', onDown);
      previous?.focus?.();
    };
  }, []);
  return (
    <div className="overlay" ref={overlay}>
      <div
        ref={panel}
        className={`dialog${isWide ? ' wide' : ''}`}
        role="dialog"
        aria-modal="true"
        aria-labelledby={label ? undefined : titleId}
        aria-label={label}
        tabIndex={-1}
      >
        <div className="dialog-head">
          <h2 id={titleId}>{title}</h2>
          <button type="button" className="btn ghost small" onClick={onClose} aria-label="Close">
            ×
          </button>
        </div>
        <div className="dialog-body">{children}</div>
        {footer && <div className="dialog-foot">{footer}</div>}
      </div>
    </div>
  );
}

/** A dialog's usual footer: Cancel (which closes it), then its primary action; `isDanger` for one that deletes. */
export function DialogButtons({
  onCancel,
  onConfirm,
  isDisabled = false,
  isDanger = false,
  children,
}: {
  onCancel: () => void;
  onConfirm: () => void;
  isDisabled?: boolean;
  isDanger?: boolean;
  children: ReactNode;
}) {
  return (
    <>
      <button type="button" className="btn" onClick={onCancel}>
        Cancel
      </button>
      <button
        type="button"
        className={`btn primary${isDanger ? ' danger' : ''}`}
        onClick={onConfirm}
        disabled={isDisabled}
      >
        {children}
      </button>
    </>
  );
}
