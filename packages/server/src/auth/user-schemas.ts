/** Validation shared by the member, invitation and user-administration routes. */
import { z } from 'zod';
import { USERNAME_PATTERN } from '../config.ts';

/** Roles a user can hold on a project (`ingest` is for API keys only). */
export const memberRoleSchema = z.enum(['viewer', 'member', 'admin'], {
  error: 'must be viewer, member or admin (the ingest role is for API keys only)',
});

/** Login names, as the configuration's first administrator. */
export const usernameSchema = z
  .string()
  .regex(USERNAME_PATTERN, 'must be 1-64 letters, digits or ._@+-, starting with a letter or digit');
