/**
 * `argus projects list | create <id> --name N`: projects on a running server. Listing shows the
 * caller's projects and roles; creating needs an instance administrator (`--user`).
 */
import { type ActionCommand, runActionCommand, tableOr } from './action-command.ts';
import { UsageError } from './flags.ts';
import { apiCall } from './http.ts';
import { ACCESS_FLAGS, ACCESS_USAGE } from './sign-in.ts';

const FLAGS = {
  ...ACCESS_FLAGS,
  json: { type: 'boolean' },
  name: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Usage of `argus projects`. */
export const PROJECTS_USAGE = `Usage: argus projects <list | create <id> --name NAME> [--json] ${ACCESS_USAGE}

  list     the projects you can act on, with your role
  create   a new project (instance administrators; you become its admin). Ids are 1-64
           lowercase letters, digits, _ or -`;

/** Runs `argus projects …`; resolves to the exit code. */
export function runProjectsCommand(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return runActionCommand(PROJECTS_COMMAND, args, env);
}

const PROJECTS_COMMAND: ActionCommand<typeof FLAGS> = {
  name: 'projects',
  usage: PROJECTS_USAGE,
  flags: FLAGS,
  descriptions: { name: "the new project's display name (create)" },
  actions: {
    async list({ target, print }) {
      const projects = (await apiCall<{ data: Record<string, unknown>[] }>(target, 'GET', '/api/v1/projects'))
        .data;
      print(projects, tableOr(projects, ['id', 'name', 'role', 'createdAt'], 'No projects.'));
      return 0;
    },
    async create({ values, operands: [id], target, print }) {
      if (!id || !values.name)
        throw new UsageError('projects', `Missing the project id or --name. ${PROJECTS_USAGE}`);
      const project = await apiCall<{ id: string; name: string }>(target, 'POST', '/api/v1/projects', {
        body: { id, name: values.name },
      });
      print(project, `Created project '${project.id}' (${project.name}).\n`);
      return 0;
    },
  },
};
