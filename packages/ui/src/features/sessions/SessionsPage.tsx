/** Sessions: conversations in the window with their size, users, errors, tokens and cost. */
import { fetchSessions, filterQuery, toSearch } from '../../api.ts';
import { ClickableRow, DataTable, num } from '../../components/DataTable.tsx';
import { FilteredHeader } from '../../components/GlobalFilters.tsx';
import { LoadMore } from '../../components/LoadMore.tsx';
import { Onboarding } from '../../components/Onboarding.tsx';
import { ListStates } from '../../components/States.tsx';
import { formatAgo, formatCost, formatCount, formatDuration, shortId } from '../../lib/format.ts';
import { navigate } from '../../lib/navigation.ts';
import { useTimeWindow } from '../../lib/refresh.ts';
import { formatRoute, patchParams, type Route, sharedParams, type ViewParams } from '../../lib/url-state.ts';
import { usePaged } from '../../lib/use-paged.ts';

/** The sessions page. */
export function SessionsPage({ route }: { route: Route }) {
  const { params } = route;
  const timeWindow = useTimeWindow(params);
  const update = (patch: Partial<ViewParams>) => navigate({ ...route, params: patchParams(params, patch) });
  const query = filterQuery(params, timeWindow, ['service', 'environment', 'model', 'provider', 'userId']);
  const list = usePaged(toSearch(query), (cursor, signal) =>
    fetchSessions({ ...query, limit: 100, cursor }, signal),
  );
  return (
    <>
      <FilteredHeader title="Sessions" params={params} timeWindow={timeWindow} onChange={update} />
      <div className="content">
        <ListStates list={list} empty={<Onboarding title="No sessions in this window" />}>
          <section className="panel">
            <DataTable
              label="Sessions"
              columns={[
                'Session',
                'Users',
                num('Turns'),
                num('Failed turns'),
                num('Tokens'),
                num('Cost'),
                num('Length'),
                num('Last activity'),
              ]}
            >
              {list.rows.map((s) => {
                const to = formatRoute({ page: 'session', id: s.sessionId, params: sharedParams(params) });
                return (
                  <ClickableRow key={s.sessionId} onOpen={() => navigate(to)}>
                    <td className="mono" title={s.sessionId} style={{ width: '24%' }}>
                      {shortId(s.sessionId, 14)}
                    </td>
                    <td className="muted">{s.userIds.join(', ') || '–'}</td>
                    <td className="num">{formatCount(s.traceCount)}</td>
                    <td className={`num ${s.failedTraceCount ? 'error-text' : ''}`}>
                      {formatCount(s.failedTraceCount)}
                    </td>
                    <td className="num">{formatCount(s.totalTokens)}</td>
                    <td className="num">{formatCost(s.costUsd)}</td>
                    <td className="num">
                      {formatDuration(Date.parse(s.lastSeen) - Date.parse(s.firstSeen))}
                    </td>
                    <td className="num muted">{formatAgo(s.lastSeen)}</td>
                  </ClickableRow>
                );
              })}
            </DataTable>
            <LoadMore list={list} />
          </section>
        </ListStates>
      </div>
    </>
  );
}
