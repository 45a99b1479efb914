/** A confirmation dialog for an action that changes or deletes something; shows the server's error. */
import { type ReactNode, useState } from 'react';
import { Dialog } from './Dialog.tsx';
import { ErrorBox } from './States.tsx';

/** Props of {@link ConfirmDialog}. */
export interface ConfirmDialogProps {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  /** Red confirm button (deletion, revocation). */
  isDanger?: boolean;
  /** Runs the action; the dialog stays open with the error when it throws. */
  onConfirm: () => Promise<void>;
  onClose: () => void;
}

/** The dialog. */
export function ConfirmDialog({
  title,
  children,
  confirmLabel,
  isDanger = false,
  onConfirm,
  onClose,
}: ConfirmDialogProps) {
  const [isBusy, setBusy] = useState(false);
  const [error, setError] = useState<Error | undefined>();
  const confirm = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await onConfirm();
    } catch (e) {
      setError(e as Error);
      setBusy(false);
    }
  };
  return (
    <Dialog
      title={title}
      onClose={onClose}
      footer={
        <>
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button
            type="button"
            className={`btn primary${isDanger ? ' danger' : ''}`}
            onClick={() => void confirm()}
            disabled={isBusy}
          >
            {isBusy ? 'Working…' : confirmLabel}
          </button>
        </>
      }
    >
      <div className="stack">
        {children}
        {error && <ErrorBox error={error} />}
      </div>
    </Dialog>
  );
}
