/**
 * A dialog that tells something and is closed with one button: a result ("Done"), or something
 * shown only once — a secret, a password, a link — under a warning to keep it now.
 */
import type { ReactNode } from 'react';
import { Dialog } from './Dialog.tsx';

/** Props of {@link AcknowledgeDialog}. */
export interface AcknowledgeDialogProps {
  title: string;
  /** Name for tests and screen readers, when not the title. */
  label?: string;
  isWide?: boolean;
  /** The closing button's text. */
  buttonLabel?: string;
  /** A warning above the content, announced (what is shown once and what to do with it). */
  warning?: ReactNode;
  onClose: () => void;
  children: ReactNode;
}

/** The dialog. */
export function AcknowledgeDialog({
  title,
  label,
  isWide,
  buttonLabel = 'Done',
  warning,
  onClose,
  children,
}: AcknowledgeDialogProps) {
  return (
    <Dialog
      title={title}
      label={label}
      isWide={isWide}
      onClose={onClose}
      footer={
        <button type="button" className="btn primary" onClick={onClose}>
          {buttonLabel}
        </button>
      }
    >
      {warning === undefined ? (
        children
      ) : (
        <div className="stack">
          <div className="notice warn" role="status">
            {warning}
          </div>
          {children}
        </div>
      )}
    </Dialog>
  );
}
