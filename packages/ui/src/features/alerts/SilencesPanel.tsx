/** Silences: create one for a rule (duration and comment), list and delete. */

import type { AlertRule, Silence } from '@argus/shared';
import { useState } from 'react';
import { createSilence, deleteSilence, fetchSilences } from '../../api.ts';
import { DataTable } from '../../components/DataTable.tsx';
import { ReadOnlyNote } from '../../components/ReadOnlyNote.tsx';
import { Async, Empty, ErrorBox } from '../../components/States.tsx';
import { formatTime } from '../../lib/format.ts';
import { useRefresh } from '../../lib/refresh.ts';
import { type Action, useAction } from '../../lib/use-action.ts';
import { useApi } from '../../lib/use-api.ts';
import { useCan } from '../account/auth-context.ts';

/** Silence durations offered, in minutes. */
const DURATIONS = [
  ['30m', 30],
  ['1h', 60],
  ['4h', 240],
  ['1d', 1440],
  ['7d', 10080],
] as const;

/** The form that silences one rule for a while; `run` carries the request, `onCreated` follows a success. */
function NewSilenceForm({
  rules,
  run,
  onCreated,
}: {
  rules: AlertRule[];
  run: Action['run'];
  onCreated: () => void;
}) {
  const [ruleId, setRuleId] = useState('');
  const [minutes, setMinutes] = useState(60);
  const [comment, setComment] = useState('');
  const chosen = ruleId || rules[0]?.id || '';
  const create = () =>
    run(async () => {
      await createSilence({
        matcher: { ruleId: chosen },
        endsAt: new Date(Date.now() + minutes * 60_000).toISOString(),
        comment,
      });
      setComment('');
      onCreated();
    });
  return (
    <form
      className="row wrap"
      aria-label="New silence"
      onSubmit={(e) => {
        e.preventDefault();
        void create();
      }}
    >
      <select
        className="select"
        name="silenceRule"
        value={chosen}
        onChange={(e) => setRuleId(e.target.value)}
      >
        {rules.map((r) => (
          <option key={r.id} value={r.id}>
            {r.name}
          </option>
        ))}
      </select>
      <select
        className="select"
        name="silenceDuration"
        value={minutes}
        onChange={(e) => setMinutes(Number(e.target.value))}
      >
        {DURATIONS.map(([label, m]) => (
          <option key={m} value={m}>
            for {label}
          </option>
        ))}
      </select>
      <input
        className="input"
        name="silenceComment"
        placeholder="Comment (why)"
        value={comment}
        onChange={(e) => setComment(e.target.value)}
      />
      <button type="submit" className="btn primary">
        Silence
      </button>
    </form>
  );
}

/** The active silences, each with its rule's name (or its labels) and a delete button for writers. */
function SilencesTable({
  silences,
  ruleName,
  canWrite,
  onRemove,
}: {
  silences: Silence[];
  ruleName: Map<string, string>;
  canWrite: boolean;
  onRemove: (id: string) => void;
}) {
  return (
    <DataTable
      label="Silences table"
      className="table"
      columns={['Rule / labels', 'From', 'Until', 'Comment', '']}
    >
      {silences.map((s) => (
        <tr key={s.id}>
          <td>
            {s.matcher.ruleId
              ? (ruleName.get(s.matcher.ruleId) ?? s.matcher.ruleId)
              : Object.entries(s.matcher.labels)
                  .map(([k, v]) => `${k}=${v}`)
                  .join(', ')}
          </td>
          <td>{formatTime(s.startsAt)}</td>
          <td>{formatTime(s.endsAt)}</td>
          <td>{s.comment}</td>
          <td>
            {canWrite && (
              <button type="button" className="btn ghost small" onClick={() => onRemove(s.id)}>
                Delete
              </button>
            )}
          </td>
        </tr>
      ))}
    </DataTable>
  );
}

/** The silences section. */
export function SilencesPanel({ rules }: { rules: AlertRule[] }) {
  const { tick } = useRefresh();
  const silences = useApi(`silences:${tick}`, (s) => fetchSilences(s));
  const { error, run } = useAction();
  const { isAllowed: canWrite } = useCan('write');
  const ruleName = new Map(rules.map((r) => [r.id, r.name]));
  const remove = (id: string) =>
    run(async () => {
      await deleteSilence(id);
      silences.reload();
    });
  return (
    <section className="panel" aria-label="Silences">
      <div className="panel-head">Silences</div>
      <div className="panel-body stack">
        {!canWrite ? (
          <ReadOnlyNote need="write" what="silencing rules" />
        ) : rules.length === 0 ? (
          <p className="muted">Create a rule first to silence it.</p>
        ) : (
          <NewSilenceForm rules={rules} run={run} onCreated={silences.reload} />
        )}
        {error && <ErrorBox error={error} />}
        <Async state={silences} label="Loading silences…">
          {(data) =>
            data.data.length === 0 ? (
              <Empty title="No active silences">
                A silence keeps a rule's notifications quiet until it ends.
              </Empty>
            ) : (
              <SilencesTable
                silences={data.data}
                ruleName={ruleName}
                canWrite={canWrite}
                onRemove={(id) => void remove(id)}
              />
            )
          }
        </Async>
      </div>
    </section>
  );
}
