/** The form that adds a notification channel (webhook, Slack or SMTP email). */

import type { ChannelType } from '@argus/shared';
import { useState } from 'react';
import { createChannel } from '../../api.ts';
import type { Action } from '../../lib/use-action.ts';

/** The channel body of the create form. */
function channelBody(
  type: ChannelType,
  name: string,
  fields: {
    url: string;
    secret: string;
    host: string;
    port: string;
    from: string;
    to: string;
    user: string;
    pass: string;
  },
): { name: string; type: ChannelType; config: Record<string, unknown> } {
  if (type === 'webhook') {
    return {
      name,
      type,
      config: { url: fields.url.trim(), ...(fields.secret ? { secret: fields.secret } : {}) },
    };
  }
  if (type === 'slack') return { name, type, config: { url: fields.url.trim() } };
  return {
    name,
    type,
    config: {
      host: fields.host.trim(),
      port: Number(fields.port) || 587,
      from: fields.from.trim(),
      to: fields.to
        .split(/[,\s]+/)
        .map((s) => s.trim())
        .filter(Boolean),
      ...(fields.user ? { user: fields.user } : {}),
      ...(fields.pass ? { pass: fields.pass } : {}),
    },
  };
}

const EMPTY_FIELDS = { url: '', secret: '', host: '', port: '587', from: '', to: '', user: '', pass: '' };

/** The create form; `run` carries the request (its error shows in the panel), `onCreated` follows a success. */
export function NewChannelForm({ run, onCreated }: { run: Action['run']; onCreated: () => void }) {
  const [type, setType] = useState<ChannelType>('webhook');
  const [name, setName] = useState('');
  const [fields, setFields] = useState(EMPTY_FIELDS);
  const input = (key: keyof typeof EMPTY_FIELDS, placeholder: string, kind = 'text') => (
    <input
      className="input"
      name={`channel-${key}`}
      type={kind}
      placeholder={placeholder}
      aria-label={placeholder}
      value={fields[key]}
      onChange={(e) => setFields({ ...fields, [key]: e.target.value })}
    />
  );
  const create = () =>
    run(async () => {
      await createChannel(channelBody(type, name.trim(), fields));
      setName('');
      setFields(EMPTY_FIELDS);
      onCreated();
    });
  return (
    <form
      className="row wrap"
      aria-label="New channel"
      onSubmit={(e) => {
        e.preventDefault();
        void create();
      }}
    >
      <select
        className="select"
        name="channel-type"
        value={type}
        onChange={(e) => setType(e.target.value as ChannelType)}
      >
        <option value="webhook">Webhook</option>
        <option value="slack">Slack</option>
        <option value="email">Email (SMTP)</option>
      </select>
      <input
        className="input"
        name="channel-name"
        placeholder="Name"
        aria-label="Name"
        value={name}
        onChange={(e) => setName(e.target.value)}
      />
      {type !== 'email' && input('url', type === 'slack' ? 'Slack webhook URL' : 'URL')}
      {type === 'webhook' && input('secret', 'Signing secret (optional)', 'password')}
      {type === 'email' && (
        <>
          {input('host', 'SMTP host')}
          {input('port', 'Port')}
          {input('from', 'From')}
          {input('to', 'To (comma list)')}
          {input('user', 'User (optional)')}
          {input('pass', 'Password (optional)', 'password')}
        </>
      )}
      <button type="submit" className="btn primary">
        Add channel
      </button>
    </form>
  );
}
