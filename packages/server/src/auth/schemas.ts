/**
 * Request bodies and queries of the access-control routes, shared with the OpenAPI document
 * (auth/openapi.ts) so the two cannot drift.
 */
import { z } from 'zod';
import { USERNAME_PATTERN } from '../config.ts';
import { ROLES } from './context.ts';

const PROJECT_ID_PATTERN = /^[a-z0-9][a-z0-9_-]{0,63}$/;
const roleSchema = z.enum(ROLES);
const rateSchema = z.number().int().min(0).max(1_000_000);
const projectNameSchema = z.string().trim().min(1).max(100);

/** `POST /api/v1/keys`. */
export const keyCreateSchema = z
  .object({
    name: z.string().trim().min(1).max(100),
    role: roleSchema.default('ingest'),
    rateLimits: z.object({ ingest: rateSchema.optional(), api: rateSchema.optional() }).strict().optional(),
  })
  .strict();

/** `POST /api/v1/projects`. */
export const projectCreateSchema = z
  .object({
    id: z
      .string()
      .regex(
        PROJECT_ID_PATTERN,
        'must be 1-64 lowercase letters, digits, _ or -, starting with a letter or digit',
      ),
    name: projectNameSchema,
  })
  .strict();

/** `PATCH /api/v1/projects/:projectId`. */
export const projectRenameSchema = z.object({ name: projectNameSchema }).strict();

/** `POST /api/v1/auth/login`. */
export const loginSchema = z
  .object({ username: z.string().min(1).max(64), password: z.string().min(1).max(1024) })
  .strict();

/** New passwords: 12+ characters (length beats composition rules, NIST SP 800-63B). */
export const newPasswordSchema = z.string().min(12, 'must have at least 12 characters').max(1024);

/** `POST /api/v1/auth/password`. */
export const passwordChangeSchema = z
  .object({ currentPassword: z.string().min(1).max(1024), newPassword: newPasswordSchema })
  .strict();

/** The query of `GET /api/v1/audit`. */
export const auditQuerySchema = z
  .object({
    action: z.string().max(100).optional(),
    actor: z.string().max(200).describe('Actor id').optional(),
    from: z.string().datetime({ offset: true }).optional(),
    to: z.string().datetime({ offset: true }).optional(),
    cursor: z.coerce.number().int().min(1).optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
    scope: z.enum(['project', 'all']).default('project'),
  })
  .strict();

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
