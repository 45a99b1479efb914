/**
 * Channel secrets (webhook signing secret, SMTP password) are stored but never answered: reads
 * show {@link REDACTED}, and a write that sends {@link REDACTED} back keeps the stored value.
 */
import type { Channel, ChannelInput } from './schemas.ts';

/** What a secret reads as through the API. */
export const REDACTED = '********';

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
