/** Notification channels: list, create (webhook, Slack, email), delete, and send a test. */

import type { Channel, ChannelType, Delivery } from '@argus/shared';
import { useState } from 'react';
import { createChannel, deleteChannel, testChannel } from '../../api.ts';
import { ReadOnlyNote } from '../../components/ReadOnlyNote.tsx';
import { Async, Empty, ErrorBox } from '../../components/States.tsx';
import type { ApiState } from '../../lib/use-api.ts';
import { useCan } from '../account/auth-context.ts';

/** The channel body of the create form. */
export function channelBody(
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

/** The channels section. */
export function ChannelsPanel({ channels }: { channels: ApiState<{ data: Channel[] }> }) {
  const { isAllowed: canWrite } = useCan('write');
  const [type, setType] = useState<ChannelType>('webhook');
  const [name, setName] = useState('');
  const [fields, setFields] = useState(EMPTY_FIELDS);
  const [error, setError] = useState<Error | undefined>();
  const [results, setResults] = useState<Record<string, Delivery | Error | 'sending'>>({});
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
  const create = async () => {
    setError(undefined);
    try {
      await createChannel(channelBody(type, name.trim(), fields));
      setName('');
      setFields(EMPTY_FIELDS);
      channels.reload();
    } catch (e) {
      setError(e as Error);
    }
  };
  const test = async (id: string) => {
    setResults((r) => ({ ...r, [id]: 'sending' }));
    const result = await testChannel(id).catch((e: Error) => e);
    setResults((r) => ({ ...r, [id]: result }));
  };
  const remove = async (id: string) => {
    try {
      await deleteChannel(id);
      channels.reload();
    } catch (e) {
      setError(e as Error);
    }
  };
  return (
    <section className="panel" aria-label="Channels">
      <div className="panel-head">Notification channels</div>
      <div className="panel-body stack">
        {!canWrite && <ReadOnlyNote need="write" what="adding, testing and deleting channels" />}
        {canWrite && (
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
        )}
        {error && <ErrorBox error={error} />}
        <Async state={channels} label="Loading channels…">
          {(data) =>
            data.data.length === 0 ? (
              <Empty title="No channels">
                Add a webhook, Slack or email channel, then pick it in a rule.
              </Empty>
            ) : (
              <table className="table" aria-label="Channels table">
                <thead>
                  <tr>
                    <th>Name</th>
                    <th>Type</th>
                    <th>Target</th>
                    <th>Test</th>
                    <th />
                  </tr>
                </thead>
                <tbody>
                  {data.data.map((c) => {
                    const result = results[c.id];
                    return (
                      <tr key={c.id} data-channel={c.name}>
                        <td>{c.name}</td>
                        <td>{c.type}</td>
                        <td className="ellipsis">
                          {String(c.config.url ?? (c.config.to as string[] | undefined)?.join(', ') ?? '')}
                        </td>
                        <td>
                          {canWrite && (
                            <button type="button" className="btn small" onClick={() => void test(c.id)}>
                              Send test
                            </button>
                          )}{' '}
                          <span className="test-result" role="status">
                            {result === 'sending'
                              ? 'Sending…'
                              : result instanceof Error
                                ? `Failed: ${result.message}`
                                : result
                                  ? result.status === 'delivered'
                                    ? 'Delivered'
                                    : `Failed: ${result.lastError ?? result.status}`
                                  : ''}
                          </span>
                        </td>
                        <td>
                          {canWrite && (
                            <button
                              type="button"
                              className="btn ghost small"
                              onClick={() => void remove(c.id)}
                            >
                              Delete
                            </button>
                          )}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            )
          }
        </Async>
      </div>
    </section>
  );
}
