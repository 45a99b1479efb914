/**
 * Request bodies of the member, invitation and user-administration routes, shared with the
 * OpenAPI document (api/openapi-auth.ts) so the two cannot drift.
 */
import { z } from 'zod';
import { USERNAME_PATTERN } from '../config.ts';
import { newPasswordSchema } from './routes.ts';

/** Roles a user can hold on a project (`ingest` is for API keys only). */
export const memberRoleSchema = z.enum(['viewer', 'member', 'admin'], {
  error: 'must be viewer, member or admin (the ingest role is for API keys only)',
});

/** Login names, as the configuration's first administrator. */
export const usernameSchema = z
  .string()
  .regex(USERNAME_PATTERN, 'must be 1-64 letters, digits or ._@+-, starting with a letter or digit');

const displayNameSchema = z.string().trim().min(1).max(100);

/** `PUT /api/v1/members/:userId`. */
export const roleBodySchema = z.object({ role: memberRoleSchema }).strict();

/** `POST /api/v1/invites`. */
export const inviteSchema = z.object({ username: usernameSchema, role: memberRoleSchema }).strict();

/** `POST /api/v1/auth/invites/accept`. */
export const acceptSchema = z
  .object({
    token: z.string().min(1).max(200),
    password: newPasswordSchema,
    displayName: displayNameSchema.optional(),
  })
  .strict();

/** `POST /api/v1/admin/users`. */
export const userCreateSchema = z
  .object({
    username: usernameSchema,
    displayName: displayNameSchema.optional(),
    /** Omitted: a password is generated and answered once. */
    password: newPasswordSchema.optional(),
    isAdmin: z.boolean().default(false),
    projects: z
      .array(z.object({ id: z.string().min(1).max(64), role: memberRoleSchema }).strict())
      .max(100)
      .default([]),
  })
  .strict();

/** `PATCH /api/v1/admin/users/:userId`. */
export const userUpdateSchema = z
  .object({ displayName: displayNameSchema.optional(), isAdmin: z.boolean().optional() })
  .strict()
  .refine((v) => v.displayName !== undefined || v.isAdmin !== undefined, 'give displayName or isAdmin');
