/** The project switcher of the shell: every project the caller can see, with their role; new project for instance admins. */
import { Suspense, useState } from 'react';
import { Icons } from '../../components/Icons.tsx';
import { lazyNamed } from '../../lib/lazy.ts';
import { useAuth } from './auth-context.ts';

const NewProjectDialog = lazyNamed(() => import('./NewProjectDialog.tsx'), 'NewProjectDialog');

/** The switcher. */
export function ProjectSwitcher() {
  const { me, project, projectId, selectProject } = useAuth();
  const [isCreating, setCreating] = useState(false);
  return (
    <div className="project-switcher">
      <div className="row nowrap project-switcher-head">
        <label htmlFor="project-select">Project</label>
        {me.instanceAdmin && (
          <button
            type="button"
            className="btn ghost small"
            onClick={() => setCreating(true)}
            aria-label="New project"
            title="New project"
          >
            <Icons.plus />
          </button>
        )}
      </div>
      <select
        id="project-select"
        className="select"
        name="project"
        value={projectId}
        title={project ? `${project.name} (${project.id}): your role is ${project.role}` : undefined}
        onChange={(e) => selectProject(e.target.value)}
      >
        {me.projects.map((p) => (
          <option key={p.id} value={p.id}>
            {p.name} · {p.role}
          </option>
        ))}
      </select>
      {isCreating && (
        <Suspense fallback={null}>
          <NewProjectDialog onClose={() => setCreating(false)} />
        </Suspense>
      )}
    </div>
  );
}
