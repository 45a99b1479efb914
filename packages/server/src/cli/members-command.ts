/**
 * `argus members list | set <username> --role R | remove <username>` and `argus invite
 * <username> --role R`: people on a project of a running server (the project's admin role).
 */
import type { Member } from '@argus/shared';
import { ArgusError } from '../errors.ts';
import { type ActionCommand, printer, runActionCommand, tableOr, usageRequested } from './action-command.ts';
import { parseCommandLine, UsageError } from './flags.ts';
import { formatTime } from './format.ts';
import { type ApiTarget, apiCall } from './http.ts';
import { ACCESS_FLAGS, ACCESS_USAGE, withAccess } from './sign-in.ts';

const FLAGS = {
  ...ACCESS_FLAGS,
  json: { type: 'boolean' },
  role: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Usage of `argus members`. */
export const MEMBERS_USAGE = `Usage: argus members <list | set <username> --role viewer|member|admin | remove <username>> [--json] ${ACCESS_USAGE}

  list     members of the project and their roles
  set      change a member's role
  remove   take a member off the project (their access ends at once)

Needs the project's admin role. Add people with 'argus invite'.`;

/** Usage of `argus invite`. */
export const INVITE_USAGE = `Usage: argus invite <username> --role viewer|member|admin [--json] ${ACCESS_USAGE}

Adds an existing user to the project at once; otherwise creates an invitation valid 7 days and
prints its link (shown only once) for the person to choose a password and sign in.`;

/** Runs `argus members …`; resolves to the exit code. */
export function runMembersCommand(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return runActionCommand(MEMBERS_COMMAND, args, env);
}

const MEMBERS_COMMAND: ActionCommand<typeof FLAGS> = {
  name: 'members',
  usage: MEMBERS_USAGE,
  flags: FLAGS,
  descriptions: { role: 'the role: viewer, member or admin' },
  actions: {
    async list({ target, print }) {
      const members = await listMembers(target);
      print(
        members,
        tableOr(
          members.map((m) => ({ ...m })),
          ['username', 'displayName', 'role', 'userId', 'createdAt'],
          'No members.',
        ),
      );
      return 0;
    },
    async set({ values, operands: [username], target, print }) {
      if (!values.role) throw new UsageError('members', `Missing --role. ${MEMBERS_USAGE}`);
      const member = await findMember(target, username);
      const updated = await apiCall<Member>(target, 'PUT', memberPath(member), {
        body: { role: values.role },
      });
      print(updated, `'${updated.username}' is now ${updated.role} on project '${updated.projectId}'.\n`);
      return 0;
    },
    async remove({ operands: [username], target, print }) {
      const member = await findMember(target, username);
      const removed = await apiCall(target, 'DELETE', memberPath(member));
      print(removed, `Removed '${member.username}' from project '${member.projectId}'.\n`);
      return 0;
    },
  },
};

/** Runs `argus invite …`; resolves to the exit code. */
export async function runInviteCommand(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { values, positionals } = parseCommandLine(
    {
      name: 'invite',
      usage: INVITE_USAGE,
      flags: FLAGS,
      descriptions: { role: 'the role: viewer, member or admin' },
    },
    args,
  );
  const [username] = positionals;
  const requested = usageRequested(username, INVITE_USAGE);
  if (requested !== undefined) return requested;
  if (!values.role) throw new UsageError('invite', `Missing --role. ${INVITE_USAGE}`);
  return withAccess(values, env, async (target) => {
    const answer = await apiCall<{
      added: boolean;
      member?: Member;
      invite?: { projectId: string; role: string; expiresAt: string };
      acceptUrl?: string;
    }>(target, 'POST', '/api/v1/invites', { body: { username, role: values.role } });
    printer(values.json)(
      answer,
      answer.added && answer.member
        ? `'${username}' already has an account: added to project '${answer.member.projectId}' as ${answer.member.role}.\n`
        : answer.invite
          ? `Invited '${username}' to project '${answer.invite.projectId}' as ${answer.invite.role} (valid until ${formatTime(answer.invite.expiresAt)}).
Send them this link; it is shown only this once and works once:

  ${answer.acceptUrl}
`
          : '',
    );
    return 0;
  });
}

const memberPath = (member: Member) => `/api/v1/members/${encodeURIComponent(member.userId)}`;

async function listMembers(target: ApiTarget): Promise<Member[]> {
  return (await apiCall<{ data: Member[] }>(target, 'GET', '/api/v1/members')).data;
}

async function findMember(target: ApiTarget, username: string | undefined): Promise<Member> {
  if (!username) throw new UsageError('members', `Missing the username. ${MEMBERS_USAGE}`);
  const member = (await listMembers(target)).find((m) => m.username === username);
  if (!member)
    throw new ArgusError(
      'NOT_FOUND',
      `'${username}' is not a member of this project; 'argus members list' shows them`,
    );
  return member;
}
