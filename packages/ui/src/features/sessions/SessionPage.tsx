/** One session as the conversation: its turns (traces) in order, each linking to its trace. */
import { Suspense, useState } from 'react';
import { fetchSession, filterQuery } from '../../api.ts';
import type { TraceSummary } from '../../api-types.ts';
import { Icons } from '../../components/Icons.tsx';
import { Link } from '../../components/Link.tsx';
import { LoadMore } from '../../components/LoadMore.tsx';
import { Markdown } from '../../components/Markdown.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { Empty, ErrorBox, Loading } from '../../components/States.tsx';
import { formatCost, formatCount, formatDuration, formatTime } from '../../lib/format.ts';
import { lazyNamed } from '../../lib/lazy.ts';
import { navigate } from '../../lib/navigation.ts';
import { useTimeWindow } from '../../lib/refresh.ts';
import { formatRoute, type Route, sharedParams } from '../../lib/url-state.ts';
import { useApi } from '../../lib/use-api.ts';
import { usePaged } from '../../lib/use-paged.ts';
import { useCan } from '../account/auth-context.ts';

const EraseDialog = lazyNamed(() => import('../erasure/EraseDialog.tsx'), 'EraseDialog');

function Turn({ trace, n, params }: { trace: TraceSummary; n: number; params: Route['params'] }) {
  const to = formatRoute({ page: 'trace', id: trace.traceId, params: sharedParams(params) });
  return (
    <div className="turn" data-testid="turn">
      <div className="turn-meta">
        <strong style={{ color: 'var(--text)' }}>Turn {n}</strong>
        <span>{formatTime(trace.startTime)}</span>
        <span>{formatDuration(trace.durationMs)}</span>
        <span>{formatCount(trace.totalTokens)} tok</span>
        <span>{formatCost(trace.costUsd)}</span>
      </div>
      <div className="turn-body">
        {trace.inputPreview && (
          <div className="bubble user">
            <Markdown text={trace.inputPreview} />
          </div>
        )}
        {trace.outputPreview && (
          <div className="bubble assistant">
            <Markdown text={trace.outputPreview} />
          </div>
        )}
        <div className="row" style={{ fontSize: 12 }}>
          {trace.status === 'error' && (
            <span className="chip error">
              {trace.errorCount} failed span{trace.errorCount === 1 ? '' : 's'}
            </span>
          )}
          {trace.models.map((m) => (
            <span key={m} className="chip">
              {m}
            </span>
          ))}
          <Link to={to}>Open trace · {trace.rootName || trace.traceId.slice(0, 8)}</Link>
        </div>
      </div>
    </div>
  );
}

/** The session page. */
export function SessionPage({ route }: { route: Route }) {
  const sessionId = route.id ?? '';
  const { params } = route;
  const timeWindow = useTimeWindow(params);
  const query = filterQuery(params, timeWindow, []);
  // Sessions can be older than the window: show all of the retention, oldest turn first.
  const wide = { from: Date.now() - 30 * 86_400_000, to: Math.max(Number(query.to), Date.now()) };
  const head = useApi(`${sessionId}`, (signal) => fetchSession(sessionId, { ...wide, limit: 1 }, signal));
  const turns = usePaged(sessionId, async (cursor, signal) => {
    const page = await fetchSession(sessionId, { ...wide, limit: 100, cursor }, signal);
    return { data: page.traces, nextCursor: page.nextCursor };
  });
  const session = head.data?.session;
  const back = formatRoute({ page: 'sessions', params: sharedParams(params) });
  const { isAllowed: canErase } = useCan('admin');
  const [erasing, setErasing] = useState<'confirm' | 'done' | undefined>();
  return (
    <>
      <PageHeader
        title={
          <>
            <Link to={back} className="btn ghost small" aria-label="Back to sessions">
              <Icons.back />
            </Link>
            <span className="ellipsis">Session {sessionId}</span>
          </>
        }
      >
        {canErase && (
          <button type="button" className="btn danger-text" onClick={() => setErasing('confirm')}>
            Erase this session
          </button>
        )}
      </PageHeader>
      {erasing && (
        <Suspense fallback={null}>
          <EraseDialog
            subject={{ sessionId }}
            onErased={() => setErasing('done')}
            onClose={() => {
              if (erasing === 'done') navigate(back);
              setErasing(undefined);
            }}
          />
        </Suspense>
      )}
      <div className="content">
        {head.error && <ErrorBox error={head.error} onRetry={head.reload} />}
        {session && (
          <div className="grid stats" style={{ marginBottom: 14 }}>
            {[
              ['Turns', formatCount(session.traceCount)],
              ['Users', session.userIds.join(', ') || '–'],
              ['Failed turns', formatCount(session.failedTraceCount)],
              ['Tokens', formatCount(session.totalTokens)],
              ['Cost', formatCost(session.costUsd)],
              ['Length', formatDuration(Date.parse(session.lastSeen) - Date.parse(session.firstSeen))],
            ].map(([label, value]) => (
              <div className="panel stat" key={label}>
                <div className="stat-label">{label}</div>
                <div className="stat-value ellipsis">{value}</div>
              </div>
            ))}
          </div>
        )}
        {turns.error && <ErrorBox error={turns.error} onRetry={turns.reload} />}
        {turns.rows.length === 0 && turns.isLoading ? (
          <Loading />
        ) : turns.rows.length === 0 ? (
          !turns.error && <Empty title="No turns in the last 30 days" />
        ) : (
          <section className="stack" aria-label="Conversation">
            {turns.rows.map((t, n) => (
              <Turn key={t.traceId} trace={t} n={n + 1} params={params} />
            ))}
            <LoadMore list={turns} />
          </section>
        )}
      </div>
    </>
  );
}
