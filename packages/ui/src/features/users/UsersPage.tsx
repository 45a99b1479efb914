/** Users: volume, cost, errors and last activity per user id; project admins can erase a user's data. */
import { Suspense, useState } from 'react';
import { fetchUsers, filterQuery, toSearch } from '../../api.ts';
import { ClickableRow, DataTable, num } from '../../components/DataTable.tsx';
import { FilteredHeader } from '../../components/GlobalFilters.tsx';
import { LoadMore } from '../../components/LoadMore.tsx';
import { Empty, ListStates } from '../../components/States.tsx';
import { formatAgo, formatCost, formatCount, formatTime } from '../../lib/format.ts';
import { lazyNamed } from '../../lib/lazy.ts';
import { navigate } from '../../lib/navigation.ts';
import { useTimeWindow } from '../../lib/refresh.ts';
import { formatRoute, patchParams, type Route, sharedParams, type ViewParams } from '../../lib/url-state.ts';
import { usePaged } from '../../lib/use-paged.ts';
import { useCan } from '../account/auth-context.ts';

const EraseDialog = lazyNamed(() => import('../erasure/EraseDialog.tsx'), 'EraseDialog');

/** The users page. */
export function UsersPage({ route }: { route: Route }) {
  const { params } = route;
  const timeWindow = useTimeWindow(params);
  const update = (patch: Partial<ViewParams>) => navigate({ ...route, params: patchParams(params, patch) });
  const query = filterQuery(params, timeWindow, ['service', 'environment', 'model', 'provider']);
  const list = usePaged(toSearch(query), (cursor, signal) =>
    fetchUsers({ ...query, limit: 100, cursor }, signal),
  );
  const users = list.rows.filter((u) => u.userId);
  const maxCost = Math.max(0, ...users.map((u) => u.costUsd));
  const { isAllowed: canErase } = useCan('admin');
  const [erasing, setErasing] = useState<string | undefined>();
  return (
    <>
      <FilteredHeader title="Users" params={params} timeWindow={timeWindow} onChange={update} />
      {erasing && (
        <Suspense fallback={null}>
          <EraseDialog
            subject={{ userId: erasing }}
            onErased={list.reload}
            onClose={() => setErasing(undefined)}
          />
        </Suspense>
      )}
      <div className="content">
        <ListStates
          list={{ ...list, rows: users }}
          empty={
            <Empty title="No user ids in this window">
              Set <code>user.id</code> (or <code>langfuse.user.id</code>, <code>enduser.id</code>) on your
              spans to see per-user usage.
            </Empty>
          }
        >
          <section className="panel">
            <DataTable
              label="Users"
              columns={[
                'User',
                num('Traces'),
                num('Sessions'),
                num('Spans'),
                num('Tokens'),
                num('Cost'),
                num('Failed traces'),
                num('First seen'),
                num('Last activity'),
                ...(canErase ? [''] : []),
              ]}
            >
              {users.map((u) => {
                const to = formatRoute({
                  page: 'traces',
                  params: { ...sharedParams(params), userId: u.userId },
                });
                return (
                  <ClickableRow key={u.userId} onOpen={() => navigate(to)}>
                    <td style={{ width: '22%' }} title={u.userId}>
                      {u.userId}
                    </td>
                    <td className="num">{formatCount(u.traceCount)}</td>
                    <td className="num">{formatCount(u.sessionCount)}</td>
                    <td className="num">{formatCount(u.spanCount)}</td>
                    <td className="num">{formatCount(u.totalTokens)}</td>
                    <td className="num bar-cell">
                      <div
                        className="bar"
                        style={{ width: maxCost > 0 ? `${(u.costUsd / maxCost) * 100}%` : 0 }}
                      />
                      <span>{formatCost(u.costUsd)}</span>
                    </td>
                    <td className={`num ${u.failedTraceCount ? 'error-text' : ''}`}>
                      {formatCount(u.failedTraceCount)}
                    </td>
                    <td className="num muted">{formatTime(u.firstSeen)}</td>
                    <td className="num muted">{formatAgo(u.lastSeen)}</td>
                    {canErase && (
                      <td style={{ width: 150 }}>
                        <button
                          type="button"
                          className="btn ghost small danger-text"
                          aria-label={`Erase the data of user ${u.userId}`}
                          onClick={(e) => {
                            e.stopPropagation();
                            setErasing(u.userId);
                          }}
                          onKeyDown={(e) => e.stopPropagation()}
                        >
                          Erase this user's data
                        </button>
                      </td>
                    )}
                  </ClickableRow>
                );
              })}
            </DataTable>
            <LoadMore list={{ ...list, rows: users }} />
          </section>
        </ListStates>
      </div>
    </>
  );
}
