/** The sections of Settings, in order, with the role each needs to be used. Pure. */
import type { Need } from '../../lib/roles.ts';

/** A section id (the path segment after `/settings/`). */
export type SectionId =
  | 'project'
  | 'keys'
  | 'members'
  | 'users'
  | 'redaction'
  | 'retention'
  | 'audit'
  | 'security'
  | 'connections'
  | 'evaluators';

/** A section of the settings nav. */
export interface Section {
  id: SectionId;
  label: string;
  /** What using the section needs (reading it, for admin-only sections). */
  need: Need;
  /** Left out of the nav for callers without the need (rather than shown locked). */
  isHiddenWithoutNeed?: boolean;
  /** What it is for, in the locked state. */
  what: string;
}

/** Every section. */
export const SECTIONS: readonly Section[] = [
  { id: 'project', label: 'Project', need: 'read', what: 'the project' },
  { id: 'keys', label: 'API keys', need: 'admin', what: 'managing API keys' },
  { id: 'members', label: 'Members & invites', need: 'admin', what: 'managing members and invitations' },
  { id: 'users', label: 'Users', need: 'instance', isHiddenWithoutNeed: true, what: 'managing users' },
  { id: 'redaction', label: 'Redaction', need: 'read', what: 'the redaction policy' },
  { id: 'retention', label: 'Retention & erasure', need: 'read', what: 'retention' },
  { id: 'connections', label: 'LLM connections', need: 'read', what: 'LLM connections' },
  { id: 'evaluators', label: 'Evaluators', need: 'read', what: 'evaluators' },
  { id: 'audit', label: 'Audit log', need: 'admin', what: 'reading the audit log' },
  { id: 'security', label: 'Security', need: 'read', what: 'security' },
];

/** The section of a `/settings/<id>` route; `project` for `/settings`, undefined for an unknown id. */
export function sectionOf(id: string | undefined): Section | undefined {
  return SECTIONS.find((s) => s.id === (id ?? 'project'));
}
