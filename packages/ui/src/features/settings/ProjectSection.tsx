/** Settings → Project: the selected project's name and id, the caller's role, every visible project. */
import { type FormEvent, useState } from 'react';
import { renameProject } from '../../api-account.ts';
import { DataTable, RowButton } from '../../components/DataTable.tsx';
import { SavedNote, SubmitButton } from '../../components/FormControls.tsx';
import { Link } from '../../components/Link.tsx';
import { CopyableCode } from '../../components/Snippet.tsx';
import { ErrorBox } from '../../components/States.tsx';
import { deniedReason } from '../../lib/roles.ts';
import { useSave } from '../../lib/use-action.ts';
import { useAuth } from '../account/auth-context.ts';
import { NewProjectDialog } from '../account/NewProjectDialog.tsx';
import { SettingsPanel } from './SettingsPanel.tsx';

/** The section. */
export function ProjectSection() {
  const { me, project, projectId, standing, reload, selectProject } = useAuth();
  const [name, setName] = useState(project?.name ?? '');
  const { status, error, save, edited } = useSave();
  const [isCreating, setCreating] = useState(false);
  const renameDenied = deniedReason(standing, 'admin');
  const rename = async (event: FormEvent) => {
    event.preventDefault();
    await save(async () => {
      await renameProject(projectId, name.trim());
      await reload();
    });
  };
  return (
    <>
      <SettingsPanel title="This project">
        <form className="stack" aria-label="Project name" onSubmit={(e) => void rename(e)}>
          <dl className="kv-grid">
            <dt>Id</dt>
            <dd className="row nowrap">
              <CopyableCode text={projectId} label="Copy id" />
            </dd>
            <dt>Your role</dt>
            <dd className="row nowrap">
              {project?.role ?? '—'}
              {me.instanceAdmin && <span className="chip accent">instance admin</span>}
            </dd>
          </dl>
          <label className="field" style={{ maxWidth: 420 }}>
            Name
            <input
              className="input"
              name="projectName"
              value={name}
              required
              maxLength={100}
              disabled={renameDenied !== undefined}
              title={renameDenied}
              onChange={(e) => {
                setName(e.target.value);
                edited();
              }}
            />
          </label>
          {error && <ErrorBox error={error} />}
          <div className="row">
            <SubmitButton
              isBusy={status === 'saving'}
              busyLabel="Saving…"
              isDisabled={renameDenied !== undefined || !name.trim() || name === project?.name}
              title={renameDenied}
            >
              Rename project
            </SubmitButton>
            <SavedNote status={status} />
            {renameDenied && (
              <span className="faint">Renaming a project needs an instance administrator.</span>
            )}
          </div>
        </form>
        {me.authMode === 'on' ? (
          <p className="muted" style={{ margin: 0 }}>
            Telemetry reaches this project through its API keys: create one under{' '}
            <Link to="/settings/keys">API keys</Link> and send with it. The console and API act on the project
            chosen in the sidebar (the <code>x-argus-project</code> header).
          </p>
        ) : (
          <p className="muted" style={{ margin: 0 }} data-testid="open-mode-telemetry">
            Authentication is off, so telemetry needs no key: what arrives without one goes to the{' '}
            <code>default</code> project, or to the project named in its <code>x-argus-project</code> header.
            An API key of a project, when sent, still selects that project. The console and API act on the
            project chosen in the sidebar.
          </p>
        )}
      </SettingsPanel>
      <SettingsPanel
        title="Your projects"
        actions={
          me.instanceAdmin && (
            <button type="button" className="btn small primary" onClick={() => setCreating(true)}>
              New project
            </button>
          )
        }
      >
        <DataTable label="Projects" columns={['Name', 'Id', 'Your role', '']}>
          {me.projects.map((p) => (
            <tr key={p.id} aria-selected={p.id === projectId}>
              <td>{p.name}</td>
              <td className="mono">{p.id}</td>
              <td>{p.role}</td>
              <td className="num">
                {p.id === projectId ? (
                  <span className="chip accent">selected</span>
                ) : (
                  <RowButton onClick={() => selectProject(p.id)}>Switch to</RowButton>
                )}
              </td>
            </tr>
          ))}
        </DataTable>
        {!me.instanceAdmin && (
          <p className="faint" style={{ margin: 0 }}>
            New projects are created by instance administrators; project admins invite members to theirs.
          </p>
        )}
      </SettingsPanel>
      {isCreating && <NewProjectDialog onClose={() => setCreating(false)} />}
    </>
  );
}
