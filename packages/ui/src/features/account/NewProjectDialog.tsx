/** Creating a project (instance administrators): a name and an id; then it is selected and its keys page opens. */
import { type FormEvent, useState } from 'react';
import { createProject } from '../../api-account.ts';
import { Dialog } from '../../components/Dialog.tsx';
import { ErrorBox } from '../../components/States.tsx';
import { navigate } from '../../lib/navigation.ts';
import { PROJECT_ID_PATTERN, projectIdFrom } from './account-forms.ts';
import { useAuth } from './auth-context.ts';

/** The dialog. */
export function NewProjectDialog({ onClose }: { onClose: () => void }) {
  const { reload } = useAuth();
  const [name, setName] = useState('');
  const [id, setId] = useState<string | undefined>();
  const [error, setError] = useState<Error | undefined>();
  const [isBusy, setBusy] = useState(false);
  const projectId = id ?? projectIdFrom(name);
  const isIdValid = PROJECT_ID_PATTERN.test(projectId);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!isIdValid || !name.trim()) return;
    setBusy(true);
    setError(undefined);
    try {
      const created = await createProject({ id: projectId, name: name.trim() });
      await reload(created.id);
      onClose();
      navigate('/settings/keys');
    } catch (e) {
      setError(e as Error);
      setBusy(false);
    }
  };
  return (
    <Dialog title="New project" onClose={onClose}>
      <form className="stack" aria-label="New project" onSubmit={(e) => void submit(e)}>
        <p className="muted" style={{ margin: 0 }}>
          A project keeps its own traces, keys, members, alerts and settings. You become its admin.
        </p>
        <label className="field">
          Name
          <input
            className="input"
            name="projectName"
            required
            maxLength={100}
            value={name}
            onChange={(e) => setName(e.target.value)}
          />
        </label>
        <label className="field">
          Id (in API calls and the x-argus-project header; cannot change later)
          <input
            className={`input mono${projectId && !isIdValid ? ' invalid' : ''}`}
            name="projectId"
            required
            maxLength={64}
            value={projectId}
            aria-invalid={projectId !== '' && !isIdValid}
            onChange={(e) => setId(e.target.value)}
          />
        </label>
        {projectId && !isIdValid && (
          <div className="field-error" role="alert">
            Use 1–64 lowercase letters, digits, _ or -, starting with a letter or digit.
          </div>
        )}
        {error && <ErrorBox error={error} />}
        <div className="row end">
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="btn primary" disabled={isBusy || !isIdValid || !name.trim()}>
            {isBusy ? 'Creating…' : 'Create project'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
