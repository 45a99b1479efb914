/** A confirmation dialog for an action that changes or deletes something; shows the server's error. */
import { type ReactNode, useState } from 'react';
import { useAction } from '../lib/use-action.ts';
import { Dialog, DialogButtons } from './Dialog.tsx';
import { ErrorBox } from './States.tsx';

/** Props of {@link ConfirmDialog}. */
export interface ConfirmDialogProps {
  title: string;
  /** What happens, in a sentence or two (or `children`). */
  message?: string;
  children?: ReactNode;
  confirmLabel: string;
  /** Red confirm button (deletion, revocation). */
  isDanger?: boolean;
  /** Runs the action; the dialog stays open with the error when it throws. */
  onConfirm: () => Promise<void>;
  onClose: () => void;
}

/** The words of a confirmation: what it asks, its button, and what happens. */
export type ConfirmText = Pick<ConfirmDialogProps, 'title' | 'confirmLabel' | 'isDanger' | 'message'>;

/** The dialog. */
export function ConfirmDialog({
  title,
  message,
  children,
  confirmLabel,
  isDanger = false,
  onConfirm,
  onClose,
}: ConfirmDialogProps) {
  // The caller closes the dialog when the action is done.
  const { isBusy, error, run } = useAction({ shouldStayBusy: true });
  return (
    <Dialog
      title={title}
      onClose={onClose}
      footer={
        <DialogButtons
          onCancel={onClose}
          onConfirm={() => void run(onConfirm)}
          isDisabled={isBusy}
          isDanger={isDanger}
        >
          {isBusy ? 'Working…' : confirmLabel}
        </DialogButtons>
      }
    >
      <div className="stack">
        {message !== undefined && <p style={{ margin: 0 }}>{message}</p>}
        {children}
        {error && <ErrorBox error={error} />}
      </div>
    </Dialog>
  );
}

/** Options of {@link useConfirmedActions}. */
export interface ConfirmedActionsOptions<T, A extends string> {
  /** The words of each action's confirmation. */
  texts: Readonly<Record<A, (target: T) => ConfirmText>>;
  /** Runs a confirmed action; when it throws, the dialog stays open with the error. */
  run: (target: T, action: A) => Promise<unknown>;
  /** After an action succeeded and its dialog closed (a reload). */
  onDone: () => void;
}

/** Actions asked for on list rows, each confirmed in a dialog before it runs. */
export function useConfirmedActions<T, A extends string>({
  texts,
  run,
  onDone,
}: ConfirmedActionsOptions<T, A>): {
  /** Asks to confirm `action` on `target`. */
  ask: (target: T, action: A) => void;
  /** The confirmation while one is asked for, else nothing. */
  dialog: ReactNode;
} {
  const [asked, setAsked] = useState<{ target: T; action: A } | undefined>();
  const dialog = asked && (
    <ConfirmDialog
      {...texts[asked.action](asked.target)}
      onClose={() => setAsked(undefined)}
      onConfirm={async () => {
        await run(asked.target, asked.action);
        setAsked(undefined);
        onDone();
      }}
    />
  );
  return { ask: (target, action) => setAsked({ target, action }), dialog };
}
