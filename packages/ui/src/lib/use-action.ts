/** Running a form's or a button's request: busy while it runs, the server's error when it fails. */
import { useState } from 'react';

/** Options of {@link useAction}. */
export interface ActionOptions {
  /**
   * Stays busy after success, for a form that goes away then (a dialog that closes, a page that
   * changes): its button does not come back meanwhile.
   */
  shouldStayBusy?: boolean;
}

/** A request's state, and how to run it. */
export interface Action {
  isBusy: boolean;
  error: Error | undefined;
  setError: (error: Error | undefined) => void;
  /** Clears the error and runs `work`; resolves true when it succeeded, false when it threw (the error is kept). */
  run: (work: () => Promise<unknown>) => Promise<boolean>;
}

/** The state of one request at a time. */
export function useAction({ shouldStayBusy = false }: ActionOptions = {}): Action {
  const [isBusy, setBusy] = useState(false);
  const [error, setError] = useState<Error | undefined>();
  const run = async (work: () => Promise<unknown>) => {
    setBusy(true);
    setError(undefined);
    try {
      await work();
      if (!shouldStayBusy) setBusy(false);
      return true;
    } catch (e) {
      setError(e as Error);
      setBusy(false);
      return false;
    }
  };
  return { isBusy, error, setError, run };
}

/** Where a settings form stands: unchanged or edited, saving, or saved. */
export type SaveStatus = 'idle' | 'saving' | 'saved';

/** A settings form's saving, and how to run it. */
export interface Save {
  status: SaveStatus;
  error: Error | undefined;
  setError: (error: Error | undefined) => void;
  /** Clears the error and runs `work`: `saved` when it succeeds, back to `idle` with the error when it throws. */
  save: (work: () => Promise<unknown>) => Promise<void>;
  /** Marks the form edited: a `saved` note goes. */
  edited: () => void;
}

/** The saving state of a settings form: {@link useAction}, and whether its last run saved. */
export function useSave(): Save {
  const { isBusy, error, setError, run } = useAction();
  const [isSaved, setSaved] = useState(false);
  const save = async (work: () => Promise<unknown>) => {
    setSaved(await run(work));
  };
  const status: SaveStatus = isBusy ? 'saving' : isSaved ? 'saved' : 'idle';
  return { status, error, setError, save, edited: () => setSaved(false) };
}
