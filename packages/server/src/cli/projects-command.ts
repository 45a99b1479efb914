/**
 * `argus projects list | create <id> --name N`: projects on a running server. Listing shows the
 * caller's projects and roles; creating needs an instance administrator (`--user`).
 */
import { parseArgs } from 'node:util';
import { ArgusError } from '../errors.ts';
import { apiCall } from './http.ts';
import { table } from './query-commands.ts';
import { ACCESS_FLAGS, ACCESS_USAGE, withAccess } from './sign-in.ts';

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
export async function runProjectsCommand(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: FLAGS, allowPositionals: true, strict: true });
  const [action, id] = positionals;
  if (values.help || action === undefined) {
    process.stdout.write(`${PROJECTS_USAGE}\n`);
    return values.help ? 0 : 2;
  }
  const print = (value: unknown, text: string) =>
    process.stdout.write(values.json ? `${JSON.stringify(value, null, 2)}\n` : text);
  return withAccess(values, env, async (target) => {
    switch (action) {
      case 'list': {
        const projects = (
          await apiCall<{ data: Record<string, unknown>[] }>(target, 'GET', '/api/v1/projects')
        ).data;
        print(
          projects,
          projects.length ? table(projects, ['id', 'name', 'role', 'createdAt']) : 'No projects.\n',
        );
        return 0;
      }
      case 'create': {
        if (!id || !values.name)
          throw new ArgusError('BAD_REQUEST', `Missing the project id or --name. ${PROJECTS_USAGE}`);
        const project = await apiCall<{ id: string; name: string }>(target, 'POST', '/api/v1/projects', {
          body: { id, name: values.name },
        });
        print(project, `Created project '${project.id}' (${project.name}).\n`);
        return 0;
      }
      default:
        process.stderr.write(`argus projects: unknown action '${action}'\n${PROJECTS_USAGE}\n`);
        return 2;
    }
  });
}
