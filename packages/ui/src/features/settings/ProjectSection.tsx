/** Settings → Project: the selected project's name and id, the caller's role, every visible project. */
import { type FormEvent, useState } from 'react';
import { renameProject } from '../../api-account.ts';
import { CopyButton } from '../../components/CopyButton.tsx';
import { Link } from '../../components/Link.tsx';
import { ErrorBox } from '../../components/States.tsx';
import { deniedReason } from '../../lib/roles.ts';
import { useAuth } from '../account/auth-context.ts';
import { NewProjectDialog } from '../account/NewProjectDialog.tsx';
import { SettingsPanel } from './SettingsPanel.tsx';

/** The section. */
export function ProjectSection() {
  const { me, project, projectId, standing, reload, selectProject } = useAuth();
  const [name, setName] = useState(project?.name ?? '');
  const [error, setError] = useState<Error | undefined>();
  const [status, setStatus] = useState<'idle' | 'saving' | 'saved'>('idle');
  const [isCreating, setCreating] = useState(false);
  const renameDenied = deniedReason(standing, 'admin');
  const save = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    setStatus('saving');
    try {
      await renameProject(projectId, name.trim());
      await reload();
      setStatus('saved');
    } catch (e) {
      setError(e as Error);
      setStatus('idle');
    }
  };
  return (
    <>
      <SettingsPanel title="This project">
        <form className="stack" aria-label="Project name" onSubmit={(e) => void save(e)}>
          <dl className="kv-grid">
            <dt>Id</dt>
            <dd className="row nowrap">
              <code>{projectId}</code>
              <CopyButton text={projectId} label="Copy id" />
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
                setStatus('idle');
              }}
            />
          </label>
          {error && <ErrorBox error={error} />}
          <div className="row">
            <button
              type="submit"
              className="btn primary"
              disabled={
                renameDenied !== undefined || status === 'saving' || !name.trim() || name === project?.name
              }
              title={renameDenied}
            >
              {status === 'saving' ? 'Saving…' : 'Rename project'}
            </button>
            {status === 'saved' && (
              <span className="ok-text" role="status">
                Saved
              </span>
            )}
            {renameDenied && (
              <span className="faint">Renaming a project needs an instance administrator.</span>
            )}
          </div>
        </form>
        <p className="muted" style={{ margin: 0 }}>
          Telemetry reaches this project through its API keys: create one under{' '}
          <Link to="/settings/keys">API keys</Link> and send with it. The console and API act on the project
          chosen in the sidebar (the <code>x-argus-project</code> header).
        </p>
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
        <table className="table auto" aria-label="Projects">
          <thead>
            <tr>
              <th>Name</th>
              <th>Id</th>
              <th>Your role</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {me.projects.map((p) => (
              <tr key={p.id} aria-selected={p.id === projectId}>
                <td>{p.name}</td>
                <td className="mono">{p.id}</td>
                <td>{p.role}</td>
                <td className="num">
                  {p.id === projectId ? (
                    <span className="chip accent">selected</span>
                  ) : (
                    <button type="button" className="btn ghost small" onClick={() => selectProject(p.id)}>
                      Switch to
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
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
