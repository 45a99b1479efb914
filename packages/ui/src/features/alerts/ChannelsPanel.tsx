/** Notification channels: list, create (webhook, Slack, email), delete, and send a test. */

import type { Channel, Delivery } from '@argus/shared';
import { useState } from 'react';
import { deleteChannel, testChannel } from '../../api.ts';
import { DataTable } from '../../components/DataTable.tsx';
import { ReadOnlyNote } from '../../components/ReadOnlyNote.tsx';
import { Async, Empty, ErrorBox } from '../../components/States.tsx';
import { useAction } from '../../lib/use-action.ts';
import type { ApiState } from '../../lib/use-api.ts';
import { useCan } from '../account/auth-context.ts';
import { NewChannelForm } from './NewChannelForm.tsx';

/** What a test send answered, or that it is under way. */
type TestResult = Delivery | Error | 'sending';

/** The words of a test result. */
function testText(result: TestResult | undefined): string {
  if (result === undefined) return '';
  if (result === 'sending') return 'Sending…';
  if (result instanceof Error) return `Failed: ${result.message}`;
  return result.status === 'delivered' ? 'Delivered' : `Failed: ${result.lastError ?? result.status}`;
}

/** The channels table with its test and delete buttons (for writers). */
function ChannelsTable({
  channels,
  canWrite,
  onRemove,
}: {
  channels: Channel[];
  canWrite: boolean;
  onRemove: (id: string) => void;
}) {
  const [results, setResults] = useState<Record<string, TestResult>>({});
  const test = async (id: string) => {
    setResults((r) => ({ ...r, [id]: 'sending' }));
    const result = await testChannel(id).catch((e: Error) => e);
    setResults((r) => ({ ...r, [id]: result }));
  };
  return (
    <DataTable label="Channels table" className="table" columns={['Name', 'Type', 'Target', 'Test', '']}>
      {channels.map((c) => (
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
              {testText(results[c.id])}
            </span>
          </td>
          <td>
            {canWrite && (
              <button type="button" className="btn ghost small" onClick={() => onRemove(c.id)}>
                Delete
              </button>
            )}
          </td>
        </tr>
      ))}
    </DataTable>
  );
}

/** The channels section. */
export function ChannelsPanel({ channels }: { channels: ApiState<{ data: Channel[] }> }) {
  const { isAllowed: canWrite } = useCan('write');
  const { error, run } = useAction();
  const remove = (id: string) =>
    run(async () => {
      await deleteChannel(id);
      channels.reload();
    });
  return (
    <section className="panel" aria-label="Channels">
      <div className="panel-head">Notification channels</div>
      <div className="panel-body stack">
        {!canWrite && <ReadOnlyNote need="write" what="adding, testing and deleting channels" />}
        {canWrite && <NewChannelForm run={run} onCreated={channels.reload} />}
        {error && <ErrorBox error={error} />}
        <Async state={channels} label="Loading channels…">
          {(data) =>
            data.data.length === 0 ? (
              <Empty title="No channels">
                Add a webhook, Slack or email channel, then pick it in a rule.
              </Empty>
            ) : (
              <ChannelsTable channels={data.data} canWrite={canWrite} onRemove={(id) => void remove(id)} />
            )
          }
        </Async>
      </div>
    </section>
  );
}
