/** Creating a project (instance administrators): a name and an id; then it is selected and its keys page opens. */
import { type FormEvent, useState } from 'react';
import { createProject } from '../../api-account.ts';
import { Dialog } from '../../components/Dialog.tsx';
import { FieldError, SubmitButton, TextField } from '../../components/FormControls.tsx';
import { ErrorBox } from '../../components/States.tsx';
import { navigate } from '../../lib/navigation.ts';
import { useAction } from '../../lib/use-action.ts';
import { PROJECT_ID_PATTERN, projectIdFrom } from './account-forms.ts';
import { useAuth } from './auth-context.ts';

/** The dialog. */
export function NewProjectDialog({ onClose }: { onClose: () => void }) {
  const { reload } = useAuth();
  const [name, setName] = useState('');
  const [id, setId] = useState<string | undefined>();
  // Created, the dialog closes: the button stays busy until then.
  const { isBusy, error, run } = useAction({ shouldStayBusy: true });
  const projectId = id ?? projectIdFrom(name);
  const isIdValid = PROJECT_ID_PATTERN.test(projectId);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!isIdValid || !name.trim()) return;
    await run(async () => {
      const created = await createProject({ id: projectId, name: name.trim() });
      await reload(created.id);
      onClose();
      navigate('/settings/keys');
    });
  };
  return (
    <Dialog title="New project" onClose={onClose}>
      <form className="stack" aria-label="New project" onSubmit={(e) => void submit(e)}>
        <p className="muted" style={{ margin: 0 }}>
          A project keeps its own traces, keys, members, alerts and settings. You become its admin.
        </p>
        <TextField label="Name" name="projectName" required maxLength={100} value={name} onValue={setName} />
        <TextField
          label="Id (in API calls and the x-argus-project header; cannot change later)"
          className={`input mono${projectId && !isIdValid ? ' invalid' : ''}`}
          name="projectId"
          required
          maxLength={64}
          value={projectId}
          aria-invalid={projectId !== '' && !isIdValid}
          onValue={setId}
        />
        {projectId && !isIdValid && (
          <FieldError>
            Use 1–64 lowercase letters, digits, _ or -, starting with a letter or digit.
          </FieldError>
        )}
        {error && <ErrorBox error={error} />}
        <div className="row end">
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <SubmitButton isBusy={isBusy} busyLabel="Creating…" isDisabled={!isIdValid || !name.trim()}>
            Create project
          </SubmitButton>
        </div>
      </form>
    </Dialog>
  );
}
