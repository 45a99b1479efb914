/**
 * Notification channels and silences as the API accepts them. Secrets (webhook signing
 * secret, SMTP password) are stored but never answered: reads show {@link REDACTED}, and a
 * write that sends {@link REDACTED} back keeps the stored value.
 */
import type { Silence } from '@argus/shared';
import { z } from 'zod';

/** What a secret reads as through the API. */
export const REDACTED = '********';

const httpUrl = z
  .string()
  .max(2000)
  .refine((u) => /^https?:\/\//i.test(u) && URL.canParse(u), { message: 'expected an http(s) URL' });

const webhookConfig = z
  .object({
    url: httpUrl,
    /** HMAC-SHA256 key for `X-Argus-Signature`; empty = unsigned. */
    secret: z.string().max(500).default(''),
    headers: z.record(z.string().min(1).max(200), z.string().max(2000)).default({}),
  })
  .strict();

const slackConfig = z.object({ url: httpUrl }).strict();

const emailConfig = z
  .object({
    host: z.string().min(1).max(255),
    port: z.number().int().min(1).max(65535).default(587),
    /** TLS from the first byte (port 465); otherwise STARTTLS when the server offers it. */
    secure: z.boolean().default(false),
    /** Refuse to send unless the connection is upgraded with STARTTLS. */
    requireTls: z.boolean().default(false),
    /** Verify the server's certificate (turn off only for self-signed test servers). */
    tlsRejectUnauthorized: z.boolean().default(true),
    user: z.string().max(500).optional(),
    pass: z.string().max(500).optional(),
    from: z.string().min(3).max(500),
    to: z.array(z.string().min(3).max(500)).min(1).max(50),
  })
  .strict();

/** A channel as written by a user. */
export const channelInputSchema = z.discriminatedUnion('type', [
  z.object({ name: z.string().min(1).max(200), type: z.literal('webhook'), config: webhookConfig }).strict(),
  z.object({ name: z.string().min(1).max(200), type: z.literal('slack'), config: slackConfig }).strict(),
  z.object({ name: z.string().min(1).max(200), type: z.literal('email'), config: emailConfig }).strict(),
]);

/** A validated channel body. */
export type ChannelInput = z.infer<typeof channelInputSchema>;
/** A stored channel. */
export type Channel = ChannelInput & { id: string; projectId: string; createdAt: string; updatedAt: string };
/** Webhook channel settings. */
export type WebhookConfig = z.infer<typeof webhookConfig>;
/** SMTP channel settings. */
export type EmailConfig = z.infer<typeof emailConfig>;

/** Secret fields per channel type. */
const SECRET_FIELDS: Record<Channel['type'], string[]> = { webhook: ['secret'], slack: [], email: ['pass'] };

/** The channel with its secrets replaced by {@link REDACTED} (empty secrets stay empty). */
export function redactChannel(channel: Channel): Channel {
  const config: Record<string, unknown> = { ...channel.config };
  for (const field of SECRET_FIELDS[channel.type]) if (config[field]) config[field] = REDACTED;
  return { ...channel, config } as Channel;
}

/** `next` with every secret that reads {@link REDACTED} taken from `previous`. */
export function keepSecrets(next: ChannelInput, previous: Channel | undefined): ChannelInput {
  const config: Record<string, unknown> = { ...next.config };
  const old = (previous?.type === next.type ? previous.config : {}) as Record<string, unknown>;
  for (const field of SECRET_FIELDS[next.type])
    if (config[field] === REDACTED) config[field] = old[field] ?? '';
  return { ...next, config } as ChannelInput;
}

/** A silence as written by a user: a matcher and a time range. */
export const silenceInputSchema = z
  .object({
    matcher: z
      .object({
        ruleId: z.string().min(1).max(64).optional(),
        /** Every label must equal the rule's (its `labels`, plus `severity`, `type` and `name`). */
        labels: z.record(z.string().min(1).max(200), z.string().max(200)).default({}),
      })
      .strict()
      .refine((m) => m.ruleId !== undefined || Object.keys(m.labels).length > 0, {
        message: 'give ruleId or at least one label',
      }),
    startsAt: z.iso.datetime({ offset: true }).optional(),
    endsAt: z.iso.datetime({ offset: true }),
    comment: z.string().max(2000).default(''),
    createdBy: z.string().max(200).default(''),
  })
  .strict()
  .refine((s) => Date.parse(s.endsAt) > Date.parse(s.startsAt ?? new Date(0).toISOString()), {
    message: 'endsAt must be after startsAt',
    path: ['endsAt'],
  });

/** A validated silence body. */
export type SilenceInput = z.infer<typeof silenceInputSchema>;
export type { Silence };
