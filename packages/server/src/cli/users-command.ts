/**
 * `argus users list | create <username> [--admin] [--project p --role r] | reset-password
 * <username> | remove <username>`: instance administration of users on a running server (sign in
 * as an instance administrator with `--user`). Generated passwords are printed once.
 */
import type { Account } from '@argus/shared';
import { ArgusError } from '../errors.ts';
import { type ActionCommand, runActionCommand } from './action-command.ts';
import { UsageError } from './flags.ts';
import { table } from './format.ts';
import { type ApiTarget, apiCall } from './http.ts';
import { ACCESS_FLAGS, ACCESS_USAGE } from './sign-in.ts';

const FLAGS = {
  ...ACCESS_FLAGS,
  json: { type: 'boolean' },
  admin: { type: 'boolean' },
  role: { type: 'string' },
  'display-name': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Usage of `argus users`. */
export const USERS_USAGE = `Usage: argus users <list | create <username> [--admin] [--display-name N] [--project ID --role viewer|member|admin] | reset-password <username> | remove <username>> [--json] ${ACCESS_USAGE}

  list             every user with their projects and roles
  create           a user with a generated password (printed once); --admin makes them an
                   instance administrator, --project/--role adds them to a project
  reset-password   a new generated password (printed once); their sessions end
  remove           delete a user and end their sessions

Needs an instance administrator: sign in with --user NAME (password from ARGUS_PASSWORD,
--password-stdin or a prompt). Locked out? See 'argus admin reset-password'.`;

/** Runs `argus users …`; resolves to the exit code. */
export function runUsersCommand(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return runActionCommand(USERS_COMMAND, args, env);
}

/** The username operand. */
function usernameOf([username]: string[]): string {
  if (!username) throw new UsageError('users', `Missing the username. ${USERS_USAGE}`);
  return username;
}

const USERS_COMMAND: ActionCommand<typeof FLAGS> = {
  name: 'users',
  usage: USERS_USAGE,
  flags: FLAGS,
  descriptions: {
    project: 'the project to add a new user to (create), or to act on',
    role: 'role of the new user on --project: viewer, member or admin',
  },
  actions: {
    async list({ target, print }) {
      const users = await listUsers(target);
      const rows = users.map((u) => ({
        ...u,
        admin: u.isAdmin ? 'yes' : '',
        projects: (u.memberships ?? []).map((m) => `${m.projectId}:${m.role}`).join(' '),
      }));
      print(users, table(rows, ['username', 'displayName', 'admin', 'projects', 'id', 'createdAt']));
      return 0;
    },
    async create({ values, operands, target, print }) {
      if (values.role && !values.project)
        throw new UsageError('users', `--role needs --project. ${USERS_USAGE}`);
      const projects = values.project ? [{ id: values.project, role: values.role ?? 'member' }] : [];
      const created = await apiCall<{ user: Account; password?: string }>(
        target,
        'POST',
        '/api/v1/admin/users',
        {
          body: {
            username: usernameOf(operands),
            isAdmin: values.admin === true,
            projects,
            ...(values['display-name'] ? { displayName: values['display-name'] } : {}),
          },
        },
      );
      const where = projects.length ? ` on project '${projects[0]!.id}' as ${projects[0]!.role}` : '';
      print(
        created,
        `Created user '${created.user.username}'${created.user.isAdmin ? ' (instance administrator)' : ''}${where}.\n${passwordText(created.password ?? '')}`,
      );
      return 0;
    },
    async 'reset-password'({ operands, target, print }) {
      const user = await findUser(target, usernameOf(operands));
      const reset = await apiCall<{ password: string; sessionsEnded: number }>(
        target,
        'POST',
        `/api/v1/admin/users/${encodeURIComponent(user.id)}/reset-password`,
      );
      print(
        reset,
        `Reset the password of '${user.username}'; ${reset.sessionsEnded} session(s) ended.\n${passwordText(reset.password)}`,
      );
      return 0;
    },
    async remove({ operands, target, print }) {
      const user = await findUser(target, usernameOf(operands));
      const removed = await apiCall(target, 'DELETE', `/api/v1/admin/users/${encodeURIComponent(user.id)}`);
      print(removed, `Removed user '${user.username}'; their sessions ended.\n`);
      return 0;
    },
  },
};

async function listUsers(target: ApiTarget): Promise<Account[]> {
  return (await apiCall<{ data: Account[] }>(target, 'GET', '/api/v1/admin/users')).data;
}

async function findUser(target: ApiTarget, username: string): Promise<Account> {
  const users = await listUsers(target);
  const user = users.find((u) => u.username === username);
  if (!user) throw new ArgusError('NOT_FOUND', `No user named '${username}'; 'argus users list' shows them`);
  return user;
}

/** A generated password and the warning that it is shown once. */
export function passwordText(password: string): string {
  return `
  Password  ${password}

It is shown only this once. Pass it on safely; they can change it after signing in.
`;
}
